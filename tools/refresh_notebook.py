"""Execute chapter notebooks and save them small and diff-friendly.

    .venv/bin/python tools/refresh_notebook.py notebooks/distillation.ipynb [...]

Only cells whose first line is ``# NBVAL_CHECK_OUTPUT`` keep their outputs (text only:
these are the deterministic summaries nbval compares) and an execution count of 1 (nbval
skips comparing cells it thinks were never run); every other output, execution count and
the widget state are dropped. Run it after editing a chapter.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

CHECK = "# NBVAL_CHECK_OUTPUT"
TEXT_MIMES = ("text/plain", "text/markdown")  # summaries, and the claims table of ClaimCheck.conclude()


def is_checked(cell) -> bool:
    return cell.cell_type == "code" and cell.source.lstrip().startswith(CHECK)


def slim(nb) -> None:
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        if not is_checked(cell):
            cell.execution_count = None
            cell.outputs = []
            continue
        cell.execution_count = 1
        kept = []
        for out in cell.outputs:
            if out.output_type == "stream" and out.name == "stdout":
                kept.append(out)
            elif out.output_type in ("execute_result", "display_data"):
                data = {k: v for k, v in out.data.items() if k in TEXT_MIMES}
                if data:
                    out.data = data
                    out.metadata = {}
                    if "execution_count" in out:
                        out.execution_count = 1
                    kept.append(out)
        cell.outputs = kept


def refresh(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    slim(nb)
    nbformat.write(nb, path)
    print(f"{path}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        refresh(Path(arg))
