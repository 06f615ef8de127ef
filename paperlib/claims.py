"""One way to state a chapter's claims: the paper's statement, our measurement, the control, the condition.

Every chapter ends on "논문 주장 확인". A claim is worth something only if the paper's idea is
what makes it pass, so each claim names its **control** (the strongest cheap alternative without
the idea: a baseline, an ablation, a broken premise) and a condition that the measurement must
meet against it, with the margin stated::

    check = claims.ClaimCheck("distillation")
    check.claim(
        "(c)", "T > 1로 증류한 학생이 T = 1 증류보다 낫다",
        paper="MNIST 테스트 오류 146 → 74 (T = 20)",
        measured=claims.Measure("T = 4 증류", acc_t4),        # one number, or one per seed
        control=claims.Measure("T = 1 증류", acc_t1),
        condition=claims.beats(by=0.01),                      # mean(measured) ≥ mean(control) + 0.01
    )
    check.conclude()   # table (Markdown), deterministic summary (nbval), AssertionError naming failures

``conclude`` renders the table, prints the summary and raises once for all failing claims, so
the prose, the asserts and the nbval output come from the same statement and cannot drift.
A claim the toy does not reproduce is stated with :meth:`ClaimCheck.report` (numbers, no
condition): it shows as "재현되지 않음" in the table and on the book's claims page. A comparison the
chapter measures without judging it (the paper's numbers unread, or an ordering that would hold
without the idea) is reported with ``reproduced=None`` and shows as "보고만".
When the environment variable ``PAPERLIB_CLAIMS_DIR`` is set (the book build sets it),
``conclude`` also writes the claims as JSON there for the claims page.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from paperlib import checks

__all__ = ["Measure", "Condition", "beats", "at_least", "at_most", "within", "wins", "all_of", "Claim", "ClaimCheck"]

PASS, FAIL, REPORTED, MEASURED_ONLY = "통과", "실패", "재현되지 않음", "보고만"


@dataclass(frozen=True)
class Measure:
    """A named measurement: one number, or one per seed (then the mean is compared and the spread shown).

    name: what was measured, in the chapter's words (e.g. "T = 1 증류, seed 5개").
    value: a finite real number or a non-empty sequence of them. digits: decimals shown.
    """

    name: str
    value: float | Sequence[float]
    digits: int = 3

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise TypeError(f"Measure name must be a non-empty str, got {self.name!r}")
        values = self.values
        if not values:
            raise ValueError(f"Measure {self.name!r}: value must be a number or a non-empty sequence, got {self.value!r}")
        if not all(math.isfinite(v) for v in values):
            raise ValueError(f"Measure {self.name!r}: values must be finite, got {values}")
        checks.integer(self.digits, f"Measure {self.name!r}: digits", low=0, high=12)

    @property
    def values(self) -> list[float]:
        raw = self.value
        if hasattr(raw, "tolist"):  # numpy arrays and torch tensors
            raw = raw.tolist()
        if isinstance(raw, (list, tuple)):
            return [_number(v, self.name) for v in raw]
        return [_number(raw, self.name)]

    @property
    def mean(self) -> float:
        v = self.values
        return sum(v) / len(v)

    def text(self) -> str:
        v = self.values
        if len(v) == 1:
            return f"{v[0]:.{self.digits}f}"
        spread = math.sqrt(sum((x - self.mean) ** 2 for x in v) / len(v))
        return f"{self.mean:.{self.digits}f} ± {spread:.{self.digits}f} (n = {len(v)})"


def _number(v: object, name: str) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) and not hasattr(v, "__float__"):
        raise TypeError(f"Measure {name!r}: values must be real numbers, got {type(v).__name__}")
    return float(v)


@dataclass(frozen=True)
class Condition:
    """What the measurement must satisfy. ``test(measured, control)`` -> (passed, margin text)."""

    text: str
    test: Callable[[Measure, Measure | None], tuple[bool, str]]
    needs_control: bool = False


def beats(by: float = 0.0, *, lower: bool = False) -> Condition:
    """mean(measured) ≥ mean(control) + by (``lower=True``: mean(measured) ≤ mean(control) − by)."""
    by = _finite(by, "by", low=0.0)

    def test(m: Measure, c: Measure | None) -> tuple[bool, str]:
        gap = (c.mean - m.mean) if lower else (m.mean - c.mean)
        return gap >= by, f"차이 {gap:+.{m.digits}f}"

    sign = "≤ 대조군 −" if lower else "≥ 대조군 +"
    return Condition(f"측정 {sign} {by:g}", test, needs_control=True)


def at_least(threshold: float) -> Condition:
    """mean(measured) ≥ threshold."""
    threshold = _finite(threshold, "threshold")
    return Condition(f"측정 ≥ {threshold:g}", lambda m, c: (m.mean >= threshold, f"여유 {m.mean - threshold:+.{m.digits}f}"))


def at_most(threshold: float) -> Condition:
    """mean(measured) ≤ threshold."""
    threshold = _finite(threshold, "threshold")
    return Condition(f"측정 ≤ {threshold:g}", lambda m, c: (m.mean <= threshold, f"여유 {threshold - m.mean:+.{m.digits}f}"))


def within(target: float, tol: float) -> Condition:
    """|mean(measured) − target| ≤ tol (an exact identity checked to a tolerance)."""
    target, tol = _finite(target, "target"), _finite(tol, "tol", low=0.0)
    return Condition(
        f"|측정 − {target:g}| ≤ {tol:g}",
        lambda m, c: (abs(m.mean - target) <= tol, f"오차 {abs(m.mean - target):.2g}"),
    )


def wins(at_least: int, *, lower: bool = False) -> Condition:
    """Paired per-seed comparison: measured beats control in at least ``at_least`` seeds."""
    checks.positive_int(at_least, "at_least")

    def test(m: Measure, c: Measure | None) -> tuple[bool, str]:
        a, b = m.values, c.values
        if len(a) != len(b):
            raise ValueError(f"wins: measured has {len(a)} values and control {len(b)}; they must be paired per seed")
        n = sum((x < y) if lower else (x > y) for x, y in zip(a, b))
        return n >= at_least, f"{n}/{len(a)} seed에서 이김"

    return Condition(f"seed {at_least}개 이상에서 대조군보다 {'낮음' if lower else '높음'}", test, needs_control=True)


def all_of(*conditions: Condition) -> Condition:
    """Every condition holds (e.g. beats the control *and* reaches a quality floor)."""
    if not conditions or not all(isinstance(c, Condition) for c in conditions):
        raise TypeError("all_of needs one or more Condition objects (from beats, at_least, at_most, within, wins)")

    def test(m: Measure, c: Measure | None) -> tuple[bool, str]:
        results = [cond.test(m, c) for cond in conditions]
        return all(ok for ok, _ in results), ", ".join(text for _, text in results)

    return Condition(" 그리고 ".join(c.text for c in conditions), test, any(c.needs_control for c in conditions))


def _finite(x: object, name: str, low: float = -math.inf) -> float:
    return checks.real(x, name, low=low)


@dataclass(frozen=True)
class Claim:
    """One claim: label "(a)", the paper's statement and number, our measurement, the control, the condition."""

    label: str
    statement: str
    paper: str
    measured: Measure
    control: Measure | None
    condition: Condition | None  # None: reported only (the toy does not reproduce it)
    passed: bool | None
    margin: str
    judged: bool = True  # False: a measurement reported without a verdict ("보고만")

    @property
    def status(self) -> str:
        if self.passed is None:
            return REPORTED if self.judged else MEASURED_ONLY
        return PASS if self.passed else FAIL

    def as_dict(self) -> dict:
        return {
            "label": self.label, "statement": self.statement, "paper": self.paper,
            "measured_name": self.measured.name, "measured": self.measured.text(),
            "control_name": self.control.name if self.control else "",
            "control": self.control.text() if self.control else "",
            "condition": self.condition.text if self.condition else "", "margin": self.margin, "status": self.status,
        }


@dataclass
class ClaimCheck:
    """The claims of one chapter, in order. ``chapter``: the notebook's name (e.g. "distillation")."""

    chapter: str
    claims: list[Claim] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not isinstance(self.chapter, str) or not self.chapter.isidentifier():
            raise ValueError(f"chapter must be the notebook's name (an identifier such as 'vq_vae'), got {self.chapter!r}")

    def claim(
        self, label: str, statement: str, *, paper: str, measured: Measure, control: Measure | None, condition: Condition
    ) -> Claim:
        """Add a claim checked against ``condition``. A condition comparing with a control needs ``control``."""
        self._check_label(label, measured, control)
        checks.instance(condition, "condition", Condition, "a Condition (beats, at_least, ...)")
        if condition.needs_control and control is None:
            raise ValueError(f"claim {label}: the condition {condition.text!r} compares with a control, but control is None")
        passed, margin = condition.test(measured, control)
        return self._add(Claim(label, statement, paper, measured, control, condition, bool(passed), margin))

    def report(
        self, label: str, statement: str, *, paper: str, measured: Measure, control: Measure | None = None, note: str,
        reproduced: bool | None = False,
    ) -> Claim:
        """Add a claim without an assert: its numbers and why (``note``). ``reproduced=False``: the toy does
        not reproduce it ("재현되지 않음"); ``None``: measured and shown without a verdict ("보고만")."""
        self._check_label(label, measured, control)
        if reproduced is not None and reproduced is not False:
            raise ValueError(f"reproduced must be False (not reproduced) or None (reported without a verdict), got {reproduced!r}")
        return self._add(Claim(label, statement, paper, measured, control, None, None, note, judged=reproduced is False))

    def _check_label(self, label: str, measured: Measure, control: Measure | None) -> None:
        checks.string(label, "label (such as '(a)')", nonempty=True)
        checks.instance(measured, "measured", Measure, "a paperlib.claims.Measure")
        if control is not None:
            checks.instance(control, "control", Measure, "a paperlib.claims.Measure or None")
        if any(c.label == label for c in self.claims):
            raise ValueError(f"claim {label} is stated twice in {self.chapter}")

    def _add(self, claim: Claim) -> Claim:
        self.claims.append(claim)
        return claim

    @property
    def failures(self) -> list[Claim]:
        return [c for c in self.claims if c.passed is False]

    def markdown(self) -> str:
        """The chapter's claims table: paper vs measured vs control, condition, margin, status."""
        rows = ["| 주장 | 논문 | 측정 | 대조군 | 조건 | 결과 |", "| --- | --- | --- | --- | --- | --- |"]
        for c in self.claims:
            control = f"{c.control.name}: {c.control.text()}" if c.control else "—"
            condition = c.condition.text if c.condition else "—"
            rows.append(
                f"| **{c.label}** {_cell(c.statement)} | {_cell(c.paper)} | {_cell(c.measured.name)}: {c.measured.text()} "
                f"| {_cell(control)} | {_cell(condition)} | **{c.status}** ({_cell(c.margin)}) |"
            )
        return "\n".join(rows)

    def summary(self) -> str:
        """Deterministic text for nbval: one line per claim."""
        lines = []
        for c in self.claims:
            control = f" | control {c.control.text()}" if c.control else ""
            lines.append(f"{c.label} {c.status}: measured {c.measured.text()}{control} | {c.margin}")
        return "\n".join(lines)

    def conclude(self) -> None:
        """Show the table, print the summary, save JSON for the claims page, raise naming every failed claim."""
        if not self.claims:
            raise ValueError(f"{self.chapter}: no claims were stated")
        try:
            from IPython.display import Markdown, display

            display(Markdown(self.markdown()))
        except ImportError:  # plain Python: the summary below says it all
            pass
        print(self.summary())
        self._save()
        if self.failures:
            detail = "; ".join(f"{c.label} {c.statement} — {c.measured.text()} vs {c.condition.text} ({c.margin})" for c in self.failures)
            raise AssertionError(f"{self.chapter}: 논문 주장 확인 실패 {detail}")

    def _save(self) -> None:
        folder = os.environ.get("PAPERLIB_CLAIMS_DIR")
        if not folder:
            return
        path = Path(folder)
        path.mkdir(parents=True, exist_ok=True)
        record = {"chapter": self.chapter, "claims": [c.as_dict() for c in self.claims]}
        (path / f"{self.chapter}.json").write_text(json.dumps(record, ensure_ascii=False, indent=1))


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")
