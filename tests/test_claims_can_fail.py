"""Every claim has a premise break, and the break files are well formed (see tests/claims_can_fail.py).

The breaks themselves run in one test file per part of the book (test_premise_breaks_part_*.py), so that
pytest-xdist's ``--dist loadfile`` spreads them over the workers.
"""

from __future__ import annotations

import json

import pytest
from claims_can_fail import BREAK_DIR, CASES, CHAPTERS, PARTS, _breaks, _declared_claims


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_claim_has_a_premise_break(chapter):
    declared = _declared_claims(chapter)
    assert declared, f"{chapter}: no claims found in its committed ClaimCheck summary (refresh the notebook)"
    covered = set().union(*[b.fails for b in _breaks(chapter)]) if _breaks(chapter) else set()
    assert declared <= covered, f"{chapter}: claims without a premise break: {sorted(declared - covered)}"


def test_break_files_are_well_formed():
    for path in BREAK_DIR.glob("*.py"):
        if path.stem == "__init__":
            continue
        assert path.stem in CHAPTERS, f"{path.name} names no chapter of _toc.yml"
        for b in _breaks(path.stem):
            assert b.line != b.broken and b.fails, f"{path.name}: {b.name} changes nothing or expects no failure"
    json.dumps([b.name for _, b in CASES])  # names are plain strings


def test_every_chapter_with_breaks_is_run_by_a_part_file():
    from pathlib import Path

    prefixes = [p.stem.removeprefix("test_premise_breaks_part_").upper() for p in Path(__file__).parent.glob("test_premise_breaks_part_*.py")]
    for chapter, _ in CASES:
        assert any(PARTS[chapter].startswith(f"Part {x}") for x in prefixes), f"{chapter}: no test_premise_breaks_part_*.py runs its part"
