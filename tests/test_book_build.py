"""Building the book: what a chapter's failure does, and the claims page generated from the chapters.

Small books built with the project's own _config.yml and Sphinx extensions (book/_ext):
- healthy chapters build (the control); two chapters that raise fail the build, and its log names
  both, so a second broken chapter is not hidden behind the first;
- the claims page (book/_ext/claims_page.py, book/claims.md) collects the claims that the chapters
  state through paperlib.claims as this build executes them, with links to each chapter's claims
  section; a chapter that states no claims fails the build.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"

CLAIMING_CHAPTER = """from paperlib import claims
check = claims.ClaimCheck("{name}")
check.claim("(a)", "{statement}", paper="—", measured=claims.Measure("잰 값", {value}), control=claims.Measure("대조군", 0.5),
            condition=claims.beats(by=0.1))
check.report("(b)", "재현 안 되는 주장", paper="0.99", measured=claims.Measure("잰 값", 0.7), note="장난감이 작다")
check.conclude()"""


def _mini_book(tmp_path: Path, chapters: dict[str, str], *, claims_page: bool = False) -> Path:
    """A book whose chapters are one code cell each, behind a claims section label."""
    book = tmp_path / "book"
    (book / "book").mkdir(parents=True)
    (book / "notebooks").mkdir()
    shutil.copy(ROOT / "_config.yml", book / "_config.yml")
    shutil.copytree(ROOT / "book" / "_ext", book / "book" / "_ext")
    shutil.copy(ROOT / "book" / "references.bib", book / "book" / "references.bib")
    (book / "book" / "intro.md").write_text("# 시험용 책\n")
    toc = "".join(f"  - file: notebooks/{name}\n" for name in chapters)
    if claims_page:
        shutil.copy(ROOT / "book" / "claims.md", book / "book" / "claims.md")
        toc = "  - file: book/claims\n" + toc
    (book / "_toc.yml").write_text(f"format: jb-book\nroot: book/intro\nchapters:\n{toc}")
    for name, code in chapters.items():
        cells = [nbformat.v4.new_markdown_cell(f"# 장 {name}\n\n## 실험"),
                 nbformat.v4.new_markdown_cell(f"({name}-claims)=\n## 논문 주장 확인"), nbformat.v4.new_code_cell(code)]
        nb = nbformat.v4.new_notebook(cells=cells)
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, book / "notebooks" / f"{name}.ipynb")
    return book


def _build(book: Path) -> subprocess.CompletedProcess:
    # the Makefile's flags: warnings are errors, and the build keeps going to report them all
    cmd = [str(JUPYTER_BOOK), "build", "--all", "--warningiserror", "--keep-going", str(book)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


def test_healthy_chapters_build(tmp_path):
    result = _build(_mini_book(tmp_path, {"first": "print('정상 셀', 1 + 1)", "second": "print('두 번째', 2 + 2)"}))
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    assert "정상 셀 2" in (tmp_path / "book" / "_build" / "html" / "notebooks" / "first.html").read_text()


def test_every_broken_chapter_is_reported_in_one_build(tmp_path):
    cells = {"first": "raise RuntimeError('첫 번째 고장')", "middle": "print('멀쩡한 장')", "last": "raise ValueError('마지막 고장')"}
    result = _build(_mini_book(tmp_path, cells))
    log = result.stdout + result.stderr
    assert result.returncode != 0, "the build succeeded although cells raised"
    for name, message in (("first", "첫 번째 고장"), ("last", "마지막 고장")):
        assert f"notebooks/{name}" in log and message in log, f"chapter {name} is not reported:\n{log[-4000:]}"


@pytest.mark.parametrize("ext", ["offline_assets", "claims_page", "korean_search"])
def test_the_books_extensions_are_configured(ext):
    assert f"{ext}: book/_ext" in (ROOT / "_config.yml").read_text()


def test_claims_page_collects_every_chapter_with_links(tmp_path):
    chapters = {"alpha": CLAIMING_CHAPTER.format(name="alpha", statement="첫 장의 주장", value=0.91),
                "beta": CLAIMING_CHAPTER.format(name="beta", statement="둘째 장의 주장", value=0.77)}
    result = _build(_mini_book(tmp_path, chapters, claims_page=True))
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    html = (tmp_path / "book" / "_build" / "html" / "book" / "claims.html").read_text()
    assert "모두 4개 주장: 통과 2, 실패 0, 재현되지 않음 2, 판정 없이 보고만 0." in html
    for name, statement, value in (("alpha", "첫 장의 주장", "0.910"), ("beta", "둘째 장의 주장", "0.770")):
        assert f'id="claims-{name}"' in html and statement in html and value in html
        link = re.search(rf'href="(\.\./notebooks/{name}\.html#[^"]+)"', html)
        assert link, f"no link to {name}'s claims section"
        anchor = link.group(1).split("#")[1]
        assert f'id="{anchor}"' in (tmp_path / "book" / "_build" / "html" / "notebooks" / f"{name}.html").read_text()


def test_a_chapter_without_claims_fails_the_build(tmp_path):
    chapters = {"alpha": CLAIMING_CHAPTER.format(name="alpha", statement="주장", value=0.91), "silent": "print('주장이 없는 장')"}
    result = _build(_mini_book(tmp_path, chapters, claims_page=True))
    assert result.returncode != 0
    assert "chapter silent wrote no claims" in result.stdout + result.stderr
