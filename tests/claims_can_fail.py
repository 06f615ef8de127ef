"""Every claim can fail: break the paper's premise with a one-line change, and exactly the expected claims fail.

Shared by tests/test_claims_can_fail.py (coverage, well-formed files) and test_premise_breaks_part_*.py (the runs).

Each chapter lists its breaks in ``tests/premise_breaks/<chapter>.py``: ``BREAKS``, a list of dicts
``dict(name="one-hot-teacher", line=<a whole line of one code cell as shipped>, broken=<its
replacement>, fails={"(c)", "(d)"})``. For each break,
the chapter is executed as shipped except for that one line, and its claim check
(``paperlib.claims.ClaimCheck.conclude``) must raise, with the claims that fail being exactly
``fails``: the claim depends on the idea the line removes, and the other claims do not
fail for an unrelated reason. Every claim of every chapter must be covered by at least one break.
As shipped, the same chapters pass (nbval runs them).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
import yaml
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
BREAK_DIR = Path(__file__).parent / "premise_breaks"
CHAPTERS = re.findall(r"file:\s*notebooks/(\w+)", (ROOT / "_toc.yml").read_text())
STATUS = re.compile(r"^(\(\w+\)) (통과|실패|재현되지 않음|보고만): ", re.M)


def _breaks(chapter: str) -> list:
    path = BREAK_DIR / f"{chapter}.py"
    if not path.exists():
        return []
    spec = importlib.util.spec_from_file_location(f"premise_breaks.{chapter}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [SimpleNamespace(**b) for b in module.BREAKS]


CASES = [(chapter, b) for chapter in CHAPTERS for b in _breaks(chapter)]
PARTS = {
    chapter: caption
    for part in yaml.safe_load((ROOT / "_toc.yml").read_text())["parts"]
    for caption in [part["caption"]]
    for chapter in re.findall(r"notebooks/(\w+)", str(part["chapters"]))
}


def cases(part_prefix: str) -> list:
    """The (chapter, break) pairs of the chapters in the toc part whose caption starts with ``part_prefix``."""
    return [(c, b) for c, b in CASES if PARTS[c].startswith(part_prefix)]


def case_id(case) -> str:
    return f"{case[0]}-{case[1].name}"


def _claim_statuses(nb) -> dict[str, str]:
    """Label -> status, from the printed summary of the chapter's ClaimCheck.conclude()."""
    text = ""
    for cell in nb.cells:
        if cell.cell_type == "code" and ".conclude()" in cell.source:
            text += "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stdout")
    return dict((label, status) for label, status in STATUS.findall(text))


def _declared_claims(chapter: str) -> set[str]:
    """Labels the shipped chapter states, read from its committed nbval summary."""
    nb = nbformat.read(NOTEBOOKS / f"{chapter}.ipynb", as_version=4)
    statuses = _claim_statuses(nb)
    return {label for label, status in statuses.items() if status not in ("재현되지 않음", "보고만")}


def run_break(chapter: str, brk) -> None:
    """Execute the chapter with the break's one line replaced; exactly ``brk.fails`` must fail."""
    path = NOTEBOOKS / f"{chapter}.ipynb"
    nb = nbformat.read(path, as_version=4)
    hits = [cell for cell in nb.cells if cell.cell_type == "code" and brk.line in cell.source.splitlines()]
    assert len(hits) == 1, f"the premise line {brk.line!r} must be a whole line of exactly one code cell of {path.name}"
    hits[0].source = hits[0].source.replace(brk.line, brk.broken)

    with pytest.raises(CellExecutionError) as failure:
        NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    message = str(failure.value)
    assert "AssertionError" in message and "논문 주장 확인 실패" in message, message[-2000:]
    failed = {label for label, status in _claim_statuses(nb).items() if status == "실패"}
    assert failed == set(brk.fails), f"{brk.name}: expected exactly {sorted(brk.fails)} to fail, got {sorted(failed)}\n{message[-1500:]}"
