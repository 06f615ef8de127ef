"""paperlib.claims: conditions against hand-made numbers, rendering, the one raise naming every failure."""

import json

import numpy as np
import pytest
import torch

from paperlib import claims
from paperlib.claims import Measure


def _check(condition, measured, control=None):
    c = claims.ClaimCheck("demo")
    ctrl = None if control is None else Measure("대조군", control)
    return c.claim("(a)", "주장", paper="—", measured=Measure("측정", measured), control=ctrl, condition=condition)


@pytest.mark.parametrize(
    "condition, measured, control, passed",
    [
        (claims.beats(by=0.02), 0.93, 0.90, True),
        (claims.beats(by=0.05), 0.93, 0.90, False),  # beats, but not by the stated margin
        (claims.beats(by=0.0), 0.90, 0.90, True),
        (claims.beats(by=0.01, lower=True), 0.05, 0.08, True),
        (claims.beats(by=0.01, lower=True), 0.08, 0.05, False),
        (claims.at_least(0.9), 0.9, None, True),
        (claims.at_least(0.9), 0.89, None, False),
        (claims.at_most(0.1), 0.11, None, False),
        (claims.within(0.0, 1e-6), 5e-7, None, True),
        (claims.within(1.0, 1e-6), 1.01, None, False),
        (claims.beats(by=0.01), [0.93, 0.95, 0.91], [0.90, 0.92, 0.93], True),  # means 0.930 vs 0.917
        (claims.wins(3), [0.93, 0.95, 0.91], [0.90, 0.92, 0.93], False),  # but only 2 of 3 seeds win
        (claims.wins(2), [0.93, 0.95, 0.91], [0.90, 0.92, 0.93], True),
        (claims.wins(2, lower=True), [0.1, 0.2, 0.3], [0.2, 0.3, 0.1], True),
        (claims.all_of(claims.beats(by=0.01), claims.at_least(0.95)), 0.93, 0.90, False),
        (claims.all_of(claims.beats(by=0.01), claims.at_least(0.9)), 0.93, 0.90, True),
    ],
)
def test_conditions_on_hand_made_numbers(condition, measured, control, passed):
    assert _check(condition, measured, control).passed is passed


def test_measures_accept_arrays_and_tensors_and_show_mean_and_spread():
    m = Measure("seed별", np.array([0.9, 1.0]))
    assert m.mean == pytest.approx(0.95) and m.text() == "0.950 ± 0.050 (n = 2)"
    assert Measure("텐서", torch.tensor([1.0, 3.0])).mean == pytest.approx(2.0)
    assert Measure("하나", 0.12345, digits=2).text() == "0.12"


def test_conclude_shows_table_prints_summary_and_raises_naming_every_failed_claim(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERLIB_CLAIMS_DIR", str(tmp_path))
    c = claims.ClaimCheck("demo")
    c.claim("(a)", "첫 주장", paper="논문 1.0", measured=Measure("측정", 0.5), control=Measure("기준", 0.6), condition=claims.beats())
    c.claim("(b)", "둘째 주장", paper="—", measured=Measure("측정", 0.9), control=None, condition=claims.at_least(0.8))
    c.claim("(c)", "셋째 주장", paper="—", measured=Measure("측정", 0.1), control=None, condition=claims.at_least(0.8))
    c.report("(d)", "넷째 주장", paper="98%", measured=Measure("측정", 0.7), note="장난감에서는 재현되지 않음")
    c.report("(e)", "다섯째 비교", paper="—", measured=Measure("측정", 0.2), note="판정 없이 보고", reproduced=None)
    with pytest.raises(AssertionError) as failure:
        c.conclude()
    message = str(failure.value)
    assert "(a) 첫 주장" in message and "(c) 셋째 주장" in message and not {"(b)", "(d)", "(e)"} & set(message.split())
    out = capsys.readouterr().out
    assert "(a) 실패" in out and "(b) 통과" in out and "(d) 재현되지 않음" in out and "(e) 보고만" in out
    table = c.markdown()
    assert table.count("\n") == 6 and "| **(b)** 둘째 주장 | — | 측정: 0.900 | — | 측정 ≥ 0.8 | **통과** (여유 +0.100) |" in table
    saved = json.loads((tmp_path / "demo.json").read_text())
    assert [x["status"] for x in saved["claims"]] == ["실패", "통과", "실패", "재현되지 않음", "보고만"]


def test_a_passing_check_does_not_raise_and_writes_nothing_without_the_variable(capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("PAPERLIB_CLAIMS_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    c = claims.ClaimCheck("demo")
    c.claim("(a)", "주장", paper="—", measured=Measure("측정", 1.0), control=Measure("기준", 0.0), condition=claims.beats(by=0.5))
    c.conclude()
    assert "(a) 통과" in capsys.readouterr().out and not list(tmp_path.iterdir())


def test_table_cells_escape_pipes():
    c = claims.ClaimCheck("demo")
    c.claim("(a)", "a | b", paper="x|y", measured=Measure("m", 1.0), control=None, condition=claims.within(1.0, 0.1))
    assert "a \\| b" in c.markdown() and "x\\|y" in c.markdown()


@pytest.mark.parametrize(
    "make, error, pattern",
    [
        (lambda: Measure("m", float("nan")), ValueError, "finite"),
        (lambda: Measure("m", []), ValueError, "non-empty"),
        (lambda: Measure("", 1.0), TypeError, "name"),
        (lambda: Measure("m", "0.9"), TypeError, "real numbers"),
        (lambda: Measure("m", 1.0, digits=-1), ValueError, "digits"),
        (lambda: claims.beats(by=-0.1), ValueError, "by"),
        (lambda: claims.at_least(float("inf")), ValueError, "threshold"),
        (lambda: claims.within(0.0, -1.0), ValueError, "tol"),
        (lambda: claims.wins(0), ValueError, "at_least"),
        (lambda: claims.all_of(), TypeError, "Condition"),
        (lambda: claims.ClaimCheck("vq-vae"), ValueError, "chapter"),
        (lambda: _check(claims.beats(), 1.0, None), ValueError, "control is None"),
        (lambda: _check(claims.wins(1), [1.0, 2.0], [1.0]), ValueError, "paired"),
        (lambda: claims.ClaimCheck("demo").conclude(), ValueError, "no claims"),
    ],
)
def test_bad_input(make, error, pattern):
    with pytest.raises(error, match=pattern):
        make()


def test_a_label_is_stated_once():
    c = claims.ClaimCheck("demo")
    c.claim("(a)", "s", paper="—", measured=Measure("m", 1.0), control=None, condition=claims.at_least(0))
    with pytest.raises(ValueError, match="twice"):
        c.claim("(a)", "s", paper="—", measured=Measure("m", 1.0), control=None, condition=claims.at_least(0))
