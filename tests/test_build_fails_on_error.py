"""A chapter whose cell raises must fail the book build (not publish a page without outputs).

Builds a two-page book with the project's own _config.yml, once with a healthy chapter
(the control: it must build) and once with a chapter that raises.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"


def _mini_book(tmp_path: Path, cell: str) -> Path:
    book = tmp_path / "book"
    (book / "book").mkdir(parents=True)
    (book / "notebooks").mkdir()
    shutil.copy(ROOT / "_config.yml", book / "_config.yml")
    shutil.copytree(ROOT / "book" / "_ext", book / "book" / "_ext")
    shutil.copy(ROOT / "book" / "references.bib", book / "book" / "references.bib")
    (book / "book" / "intro.md").write_text("# 시험용 책\n")
    (book / "_toc.yml").write_text("format: jb-book\nroot: book/intro\nchapters:\n  - file: notebooks/chapter\n")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 장"), nbformat.v4.new_code_cell(cell)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, book / "notebooks" / "chapter.ipynb")
    return book


def _build(book: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(JUPYTER_BOOK), "build", str(book)], capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize(
    "cell, should_build",
    [("print('정상 셀', 1 + 1)", True), ("raise RuntimeError('고장난 셀')", False)],
    ids=["healthy-chapter-builds", "failing-cell-fails-build"],
)
def test_build_outcome_follows_the_cells(tmp_path, cell, should_build):
    result = _build(_mini_book(tmp_path, cell))
    log = result.stdout + result.stderr
    page = tmp_path / "book" / "_build" / "html" / "notebooks" / "chapter.html"
    if should_build:
        assert result.returncode == 0, log[-3000:]
        assert "정상 셀 2" in page.read_text()
    else:
        assert result.returncode != 0, "the build succeeded although a cell raised"
        assert "고장난 셀" in log
