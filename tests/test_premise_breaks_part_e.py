"""Premise breaks of Part E: each breaks one line of a chapter, and exactly the expected claims fail."""

import pytest
from claims_can_fail import case_id, cases, run_break

CASES = cases("Part E")


@pytest.mark.parametrize("chapter, brk", CASES, ids=[case_id(c) for c in CASES])
def test_claims_fail_when_the_premise_is_broken(chapter, brk):
    run_break(chapter, brk)
