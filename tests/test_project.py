"""The project's own promises: small notebooks, one repository URL, matching environments."""

import json
import re
from pathlib import Path

import pytest
import tomllib
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
TOC_CHAPTERS = re.findall(r"file:\s*notebooks/(\w+)", (ROOT / "_toc.yml").read_text())
CHECK = "# NBVAL_CHECK_OUTPUT"


def test_every_notebook_is_in_the_toc_and_the_landing_page():
    assert sorted(TOC_CHAPTERS) == sorted(p.stem for p in NOTEBOOKS)
    intro = (ROOT / "book" / "intro.md").read_text()
    for chapter in TOC_CHAPTERS:
        assert f"notebooks/{chapter}.ipynb" in intro, f"{chapter} missing from the chapter list in book/intro.md"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_small_and_diff_friendly(path):
    nb = json.loads(path.read_text())
    assert path.stat().st_size < 150_000, f"{path.name} is {path.stat().st_size} bytes"
    assert "widgets" not in nb["metadata"], "widget state must not be committed"
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        checked = "".join(cell["source"]).lstrip().startswith(CHECK)
        assert cell.get("execution_count") == (1 if checked else None), "run tools/refresh_notebook.py"
        if not checked:
            assert cell["outputs"] == [], "only # NBVAL_CHECK_OUTPUT cells keep outputs"
        for out in cell["outputs"]:
            mimes = set(out.get("data", {}))
            assert mimes <= {"text/plain", "text/markdown"}, f"committed output carries {mimes - {'text/plain', 'text/markdown'}}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_has_the_book_structure(path):
    nb = json.loads(path.read_text())
    markdown = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    for heading in ("핵심 아이디어", "구현", "실험", "직접 해보기", "논문 주장 확인", "토론", "참고문헌"):
        assert re.search(rf"^##\s.*{heading}", markdown, re.M), f"section '{heading}' missing"
    assert "import paperlib" in code or "from paperlib" in code
    assert "explore(" in code, "the 직접 해보기 section uses paperlib.explorer.explore"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_claims_are_stated_once_through_paperlib_claims(path):
    """One ClaimCheck per chapter, concluded in the nbval-checked cell, after the section label the
    claims page links to; no bare asserts in the claims section (they would drift from the table)."""
    nb = json.loads(path.read_text())
    kinds = [c["cell_type"] for c in nb["cells"]]
    cells = ["".join(c["source"]) for c in nb["cells"]]
    code = [src for kind, src in zip(kinds, cells) if kind == "code"]
    assert sum(f'claims.ClaimCheck("{path.stem}")' in src for src in code) == 1, "one claims.ClaimCheck(<chapter>) per chapter"
    concluding = [src for src in code if ".conclude()" in src]
    assert len(concluding) == 1 and concluding[0].lstrip().startswith(CHECK), "conclude() in the one # NBVAL_CHECK_OUTPUT claims cell"
    labels = [i for i, (kind, src) in enumerate(zip(kinds, cells)) if kind == "markdown" and src.lstrip().startswith(f"({path.stem}-claims)=")]
    assert len(labels) == 1, f"the claims section starts with the label ({path.stem}-claims)="
    section = [src for kind, src in zip(kinds[labels[0]:], cells[labels[0]:]) if kind == "code"]
    bare = [line for src in section for line in src.splitlines() if re.match(r"\s*assert\b", line)]
    assert bare == [], f"claims go through paperlib.claims, not bare asserts: {bare}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_first_code_cell_installs_paperlib_on_colab_only(path):
    nb = json.loads(path.read_text())
    first = "".join(next(c for c in nb["cells"] if c["cell_type"] == "code")["source"])
    assert 'if "google.colab" in sys.modules:' in first
    assert f"git+{CONFIG['repository']['url']}" in first, "Colab cell must use the repository URL of _config.yml"


def _pins(lines):
    pins = {}
    for line in lines:
        m = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)==([^\s;]+)\s*", line)
        if m:
            pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


def test_environment_yml_matches_pyproject_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pinned = _pins(project["optional-dependencies"]["book"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert _pins(pip_section) == pinned
    # every runtime dependency of paperlib is pinned for the book, and the pin satisfies its range
    from packaging.requirements import Requirement

    for spec in project["dependencies"]:
        req = Requirement(spec)
        assert req.name in pinned, f"{req.name} is not pinned in the [book] extra"
        assert req.specifier.contains(pinned[req.name], prereleases=True), f"{req.name}=={pinned[req.name]} outside {req.specifier}"
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    assert python == "python=3.11"
    assert (ROOT / "postBuild").read_text().count("pip install") == 1 and "fonts-noto-cjk" in (ROOT / "apt.txt").read_text()


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "`make test`" in readme
    assert re.search(r"^make test$", (ROOT / ".ci" / "run").read_text(), re.M)
