"""Benchmark: execute each chapter top to bottom as a reader would, in a fresh kernel.

    make bench            (or: .venv/bin/python tools/bench.py [notebooks/x.ipynb ...])

Prints wall time and the kernel's peak resident memory per chapter, then the median, max
and total, against the budgets of conventions.md. A measurement, not a test: it exits 0.
"""

from __future__ import annotations

import json
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET = {"median_s": 30.0, "max_s": 60.0, "peak_mb": 1536.0}


def chapters() -> list[Path]:
    toc = (ROOT / "_toc.yml").read_text()
    return [ROOT / f"{name}.ipynb" for name in re.findall(r"file:\s*(notebooks/\w+)", toc)]


def run_one(path: Path) -> dict:
    """Execute one notebook in this process's child kernel; report time and the kernel's peak RSS."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    wall = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the (waited-for) kernel
    return {"chapter": path.stem, "wall_s": wall, "peak_mb": peak_kb / 1024}


def main(paths: list[Path]) -> None:
    rows = []
    for path in paths:
        out = subprocess.run([sys.executable, __file__, "--one", str(path)], capture_output=True, text=True)
        if out.returncode != 0:
            print(f"{path.stem}: 실행 실패\n{out.stderr[-2000:]}")
            sys.exit(1)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"  {rows[-1]['chapter']}: {rows[-1]['wall_s']:.1f} s", file=sys.stderr)

    times = [r["wall_s"] for r in rows]
    print("\n| chapter | wall time (s) | peak memory (MB) |")
    print("|---|---:|---:|")
    for r in rows:
        flag = " ⚠" if r["wall_s"] > BUDGET["max_s"] or r["peak_mb"] > BUDGET["peak_mb"] else ""
        print(f"| {r['chapter']} | {r['wall_s']:.1f} | {r['peak_mb']:.0f}{flag} |")
    median, worst, total = statistics.median(times), max(times), sum(times)
    peak = max(r["peak_mb"] for r in rows)
    print(f"| **median** | {median:.1f} (budget {BUDGET['median_s']:.0f}) | |")
    print(f"| **max** | {worst:.1f} (budget {BUDGET['max_s']:.0f}) | {peak:.0f} (budget {BUDGET['peak_mb']:.0f}) |")
    print(f"| **total** | {total:.1f} | |")
    within = median <= BUDGET["median_s"] and worst <= BUDGET["max_s"] and peak <= BUDGET["peak_mb"]
    print("\n예산 안: " + ("예" if within else "아니오 (⚠ 표시를 보세요)"))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(run_one(Path(sys.argv[2]))))
    else:
        main([Path(p).resolve() for p in sys.argv[1:]] or chapters())
