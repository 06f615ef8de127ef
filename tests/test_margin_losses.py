"""Tests for paperlib.margin_losses: formulas vs naive scalar code, derivatives vs autograd and
finite differences, declared traits vs numerical checks, toy data, training, bad input."""

from __future__ import annotations

import math

import pytest
import torch

from paperlib import data
from paperlib.methods import margin_losses as ml
from paperlib.runtime import make_generator

PARAMS = {"SmoothedL1Hinge": [dict(gamma=g) for g in (0.25, 1.0, 2.0, 5.0)], "DWDMargin": [dict(q=q) for q in (0.3, 1.0, 2.0, 4.5)]}


def all_losses():
    for name in ml.LOSS_NAMES:
        for kw in PARAMS.get(name, [{}]):
            yield ml.make_loss(name, **kw)


LOSS_CASES = list(all_losses())
IDS = [repr(loss) for loss in LOSS_CASES]


def naive(loss: ml.MarginLoss, a: float) -> float:
    """The LossFunctions.jl formulas written once more, as plain scalar Python."""
    name = loss.name
    if name == "ZeroOne":
        return 1.0 if a < 0 else 0.0
    if name == "Perceptron":
        return max(0.0, -a)
    if name == "L1Hinge":
        return max(0.0, 1 - a)
    if name == "SmoothedL1Hinge":
        g = loss.gamma
        return 0.5 / g * max(0.0, 1 - a) ** 2 if a >= 1 - g else 1 - g / 2 - a
    if name == "ModifiedHuber":
        return max(0.0, 1 - a) ** 2 if a >= -1 else -4 * a
    if name == "DWDMargin":
        q = loss.q
        return 1 - a if a <= q / (q + 1) else (q**q / (q + 1) ** (q + 1)) / a**q
    if name == "L2Margin":
        return (1 - a) ** 2
    if name == "L2Hinge":
        return max(0.0, 1 - a) ** 2
    if name == "Sigmoid":
        return 1 - math.tanh(a)
    if name == "LogitMargin":
        return math.log1p(math.exp(-a))
    if name == "Exp":
        return math.exp(-a)
    raise AssertionError(name)


def points_off_kinks(loss: ml.MarginLoss, n: int = 401) -> torch.Tensor:
    a = torch.linspace(-6, 6, n, dtype=torch.float64)
    far = torch.ones_like(a, dtype=torch.bool)
    for k in loss.kinks:
        far &= (a - k).abs() > 1e-3
    return a[far]


# ---------------------------------------------------------------- values and derivatives


@pytest.mark.parametrize("loss", LOSS_CASES, ids=IDS)
def test_value_matches_naive_formula(loss):
    a = torch.linspace(-6, 6, 241, dtype=torch.float64)
    got = loss.value(a)
    want = torch.tensor([naive(loss, v) for v in a.tolist()], dtype=torch.float64)
    torch.testing.assert_close(got, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("loss", LOSS_CASES, ids=IDS)
def test_value_keeps_shape_and_dtype(loss):
    a = torch.randn(3, 4, 5, generator=make_generator(0))
    out = loss(a)
    assert out.shape == a.shape and out.dtype == torch.float32
    assert loss.deriv(a).shape == a.shape


@pytest.mark.parametrize("loss", LOSS_CASES, ids=IDS)
def test_deriv_matches_autograd_and_finite_differences(loss):
    a = points_off_kinks(loss).requires_grad_(True)
    d = loss.deriv(a.detach())
    value = loss.value(a)
    (grad,) = torch.autograd.grad(value.sum(), a)
    torch.testing.assert_close(d, grad, rtol=1e-10, atol=1e-12)
    h = 1e-6
    x = a.detach()
    central = (loss.value(x + h) - loss.value(x - h)) / (2 * h)
    torch.testing.assert_close(d, central, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["Sigmoid", "LogitMargin", "Exp", "L2Margin"])
def test_gradcheck_smooth_losses(name):
    loss = ml.make_loss(name)
    a = torch.linspace(-3, 3, 13, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(loss.value, (a,))
    assert torch.autograd.gradcheck(loss.deriv, (a,))


@pytest.mark.parametrize("q", [0.3, 1.0, 2.5])
def test_dwd_is_continuous_with_slope_minus_one_at_the_switch(q):
    loss = ml.make_loss("DWDMargin", q=q)
    t = q / (q + 1)
    eps = 1e-7
    a = torch.tensor([t - eps, t, t + eps], dtype=torch.float64)
    v = loss.value(a)
    assert v[1].item() == pytest.approx(1 / (q + 1), abs=1e-12)
    assert (v[2] - v[0]).abs().item() < 3e-7
    assert loss.deriv(a).tolist() == pytest.approx([-1.0, -1.0, -1.0], abs=1e-6)


def test_dwd_autograd_has_no_nan_for_negative_agreement():
    loss = ml.make_loss("DWDMargin", q=0.5)  # a^(-0.5) is NaN for a < 0 if it were evaluated there
    a = torch.tensor([-3.0, -0.5, 0.0, 2.0], dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(loss.value(a).sum(), a)
    assert torch.isfinite(g).all()
    assert g[:3].tolist() == [-1.0, -1.0, -1.0]


def test_logit_margin_is_numerically_stable():
    loss = ml.make_loss("LogitMargin")
    a = torch.tensor([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    v = loss.value(a)
    assert torch.isfinite(v).all()
    assert v[0].item() == pytest.approx(1000.0)
    assert v[2].item() == pytest.approx(math.log(2))
    assert 0 <= v[4].item() < 1e-20
    assert torch.isfinite(loss.deriv(a)).all()


def test_zero_one_tie_rule_and_sigmoid_range():
    a = torch.tensor([-1e-9, 0.0, 1e-9], dtype=torch.float64)
    assert ml.make_loss("ZeroOne").value(a).tolist() == [1.0, 0.0, 0.0]
    s = ml.make_loss("Sigmoid").value(torch.linspace(-20, 20, 401, dtype=torch.float64))
    assert (s >= 0).all() and (s <= 2).all() and s[0] > 1.999 and s[-1] < 1e-3


def test_modified_huber_is_four_times_smoothed_hinge_gamma_2():
    a = torch.linspace(-8, 8, 3201, dtype=torch.float64)
    mh, sh = ml.make_loss("ModifiedHuber"), ml.make_loss("SmoothedL1Hinge", gamma=2.0)
    torch.testing.assert_close(mh.value(a), 4 * sh.value(a), rtol=0, atol=1e-12)
    torch.testing.assert_close(mh.deriv(a), 4 * sh.deriv(a), rtol=0, atol=1e-12)
    other = ml.make_loss("SmoothedL1Hinge", gamma=1.0)
    assert (mh.value(a) - 4 * other.value(a)).abs().max() > 0.5  # the identity needs gamma = 2


def test_smoothed_hinge_tends_to_l1_hinge_as_gamma_shrinks():
    a = torch.linspace(-4, 4, 801, dtype=torch.float64)
    hinge = ml.make_loss("L1Hinge").value(a)
    for g in (0.5, 0.05, 0.005):
        gap = (ml.make_loss("SmoothedL1Hinge", gamma=g).value(a) - hinge).abs().max().item()
        assert gap == pytest.approx(g / 2, rel=1e-6)  # the largest gap, g/2, sits at a = 1 - g


# ---------------------------------------------------------------- declared vs measured traits


@pytest.mark.parametrize("loss", LOSS_CASES, ids=IDS)
def test_declared_properties_hold_numerically(loss):
    assert ml.property_mismatches(loss) == []


def test_checkers_catch_a_false_declaration():
    class LyingExp(ml.ExpLoss):  # the seed's claim: "Exp is Lipschitz continuous"
        properties = ml.ExpLoss.properties._replace(lipschitz=True)

    assert ml.property_mismatches(LyingExp()) == ["lipschitz"]


# The cells where this book declares otherwise than LossFunctions.jl (explained in the chapter).
DISPUTED = {"ZeroOne": ["lipschitz", "locally_lipschitz", "calibrated"], "DWDMargin": ["twice_differentiable"]}


def test_upstream_table_covers_every_loss_and_its_nine_traits():
    assert set(ml.LOSSFUNCTIONS_JL_TRAITS) == set(ml.LOSS_NAMES)
    assert ml.UPSTREAM_TRAIT_NAMES == tuple(n for n in ml.PROPERTY_NAMES if n != "bounded")
    for row in ml.LOSSFUNCTIONS_JL_TRAITS.values():
        assert tuple(row) == ml.UPSTREAM_TRAIT_NAMES and all(isinstance(v, bool) for v in row.values())
        # the fallbacks of LossFunctions.jl's src/traits.jl hold in the transcribed table
        assert not row["strongly_convex"] or row["strictly_convex"]
        assert not row["strictly_convex"] or row["convex"]
        assert row["locally_lipschitz"] == (row["convex"] or row["lipschitz"])


def test_our_table_differs_from_upstream_only_in_the_disputed_cells():
    for name, row in ml.LOSSFUNCTIONS_JL_TRAITS.items():
        ours = ml.make_loss(name).properties
        assert [t for t in ml.UPSTREAM_TRAIT_NAMES if getattr(ours, t) != row[t]] == DISPUTED.get(name, []), name


@pytest.mark.parametrize("loss", LOSS_CASES, ids=IDS)
def test_numerical_checks_flag_exactly_the_disputed_upstream_cells(loss):
    assert ml.trait_mismatches(loss, ml.LOSSFUNCTIONS_JL_TRAITS[loss.name]) == DISPUTED.get(loss.name, [])
    assert ml.trait_mismatches(loss, loss.properties._asdict()) == []


def test_trait_mismatches_bad_input():
    with pytest.raises(ValueError, match="declared"):
        ml.trait_mismatches(ml.make_loss("Exp"), {"smooth": True})
    with pytest.raises(ValueError, match="declared"):
        ml.trait_mismatches(ml.make_loss("Exp"), [("convex", True)])
    with pytest.raises(TypeError, match="MarginLoss"):
        ml.trait_mismatches(lambda a: a, {})


def test_property_relations():
    for loss in LOSS_CASES:
        p = loss.properties
        assert not p.strongly_convex or p.strictly_convex
        assert not p.strictly_convex or p.convex
        assert not p.lipschitz or p.locally_lipschitz
        assert not p.twice_differentiable or p.differentiable


def test_lipschitz_estimates_against_known_constants():
    assert ml.lipschitz_estimate(ml.make_loss("L1Hinge"), -5, 5, 1e-2) == pytest.approx(1.0)
    assert ml.lipschitz_estimate(ml.make_loss("Sigmoid"), -5, 5, 1e-4) == pytest.approx(1.0, abs=1e-6)
    assert ml.lipschitz_estimate(ml.make_loss("ModifiedHuber"), -5, 5, 1e-2) == pytest.approx(4.0)
    # L2Margin: slope 2|a - 1| grows with the window, so no global constant exists
    assert ml.lipschitz_estimate(ml.make_loss("L2Margin"), -50, 50, 1e-2) == pytest.approx(102.0, abs=0.02)


def test_calibration_gap_matches_closed_forms():
    eta = torch.tensor([0.1, 0.3, 0.45, 0.6, 0.9], dtype=torch.float64)
    gap = ml.calibration_gap(ml.make_loss("L2Margin"), eta).gap
    torch.testing.assert_close(gap, (2 * eta - 1) ** 2, rtol=0, atol=1e-6)  # H = 4 eta(1-eta), H^- = 1
    gap = ml.calibration_gap(ml.make_loss("Exp"), eta).gap
    torch.testing.assert_close(gap, 1 - 2 * torch.sqrt(eta * (1 - eta)), rtol=0, atol=1e-6)
    assert ml.calibration_gap(ml.make_loss("Perceptron"), eta).gap.abs().max() == 0  # f = 0 is optimal


def test_min_curvature_and_convexity_helpers():
    assert ml.min_curvature(ml.make_loss("L2Margin"), 10) == pytest.approx(2.0, rel=1e-6)
    # smallest curvature at the last interior grid point a = 10 - h
    assert ml.min_curvature(ml.make_loss("Exp"), 10) == pytest.approx(math.exp(-(10 - 1e-2)), rel=1e-4)
    d2 = ml.second_differences(ml.make_loss("Sigmoid"), 0.5, 2, 1e-2)
    assert (d2 > 0).all()  # 1 - tanh is convex for a > 0, concave for a < 0


# ---------------------------------------------------------------- data, training, accuracy


def test_outlier_blobs_shapes_labels_and_determinism():
    d = data.outlier_blobs(200, outlier_fraction=0.1, generator=make_generator(3))
    assert d.x.shape == (220, 2) and d.y.shape == (220,) and d.outlier.shape == (220,)
    assert set(d.y.unique().tolist()) == {-1.0, 1.0}
    assert d.outlier.sum() == 20 and (d.y[d.outlier] == -1).all()
    assert d.x[d.outlier, 0].mean() > 7  # far on the y = +1 side
    again = data.outlier_blobs(200, outlier_fraction=0.1, generator=make_generator(3))
    assert torch.equal(d.x, again.x) and torch.equal(d.y, again.y)
    clean = data.outlier_blobs(4000, label_noise=0.0, outlier_fraction=0.0, generator=make_generator(0))
    bayes = ((clean.x[:, 0] > 0).float() * 2 - 1 == clean.y).float().mean().item()
    assert bayes == pytest.approx(0.933, abs=0.015)  # Phi(1.5)


def test_train_linear_learns_and_sign_accuracy_matches_manual():
    g = make_generator(0)
    train = data.outlier_blobs(200, outlier_fraction=0.0, generator=g)
    test = data.outlier_blobs(1000, label_noise=0.0, outlier_fraction=0.0, generator=g)
    trained = ml.train_linear(ml.make_loss("LogitMargin"), train, generator=g, epochs=100)
    assert trained.history.epoch_loss[-1] < trained.history.epoch_loss[0]
    acc = ml.sign_accuracy(trained.model, test)
    with torch.no_grad():
        manual = ((trained.model(test.x) > 0).float() * 2 - 1 == test.y).float().mean().item()
    assert acc == pytest.approx(manual) and acc > 0.88


def test_margin_step_is_mean_loss_of_agreement():
    g = make_generator(1)
    model = ml.LinearScorer(generator=g)
    x, y = torch.randn(7, 2, generator=g), torch.tensor([1.0, -1, 1, 1, -1, -1, 1])
    loss = ml.make_loss("Exp")
    with torch.no_grad():
        want = sum(math.exp(-yi * fi) for yi, fi in zip(y.tolist(), model(x).tolist())) / 7
    assert ml.margin_step(loss)(model, [x, y]).item() == pytest.approx(want, rel=1e-6)


# ---------------------------------------------------------------- bad input


def test_bad_agreement_is_rejected():
    loss = ml.make_loss("Exp")
    with pytest.raises(TypeError, match="a \\(the agreement"):
        loss.value([0.1, 0.2])
    with pytest.raises(TypeError, match="a \\(the agreement.*floating"):
        loss.deriv(torch.tensor([1, 2]))


@pytest.mark.parametrize("bad", [0, -1.0, float("nan"), float("inf")])
def test_bad_gamma_and_q_values(bad):
    with pytest.raises(ValueError, match="gamma"):
        ml.SmoothedL1HingeLoss(bad)
    with pytest.raises(ValueError, match="q"):
        ml.DWDMarginLoss(bad)
    with pytest.raises(ValueError, match="gamma"):
        ml.make_loss("Exp", gamma=bad)


def test_bad_gamma_and_q_types():
    with pytest.raises(TypeError, match="gamma"):
        ml.make_loss("SmoothedL1Hinge", gamma="2")
    with pytest.raises(TypeError, match="q"):
        ml.DWDMarginLoss(True)


def test_bad_loss_name():
    with pytest.raises(ValueError, match="name must be one of"):
        ml.make_loss("Hinge")
    with pytest.raises(TypeError, match="name"):
        ml.make_loss(3)


def test_checkers_reject_non_losses():
    with pytest.raises(TypeError, match="loss"):
        ml.measure_properties(lambda a: a)
    with pytest.raises(TypeError, match="loss"):
        ml.margin_step("Exp")
    with pytest.raises(ValueError, match="eta"):
        ml.calibration_gap(ml.make_loss("Exp"), torch.tensor([0.5]))
    with pytest.raises(ValueError, match="hi"):
        ml.lipschitz_estimate(ml.make_loss("Exp"), 1.0, -1.0, 1e-2)


def test_bad_data_arguments():
    g = make_generator(0)
    with pytest.raises(ValueError, match="n must"):
        data.outlier_blobs(1, generator=g)
    with pytest.raises(ValueError, match="label_noise"):
        data.outlier_blobs(10, label_noise=0.7, generator=g)
    with pytest.raises(ValueError, match="outlier_fraction"):
        data.outlier_blobs(10, outlier_fraction=-0.1, generator=g)
    with pytest.raises(TypeError, match="generator"):
        data.outlier_blobs(10, generator=None)
    with pytest.raises(TypeError, match="data"):
        ml.train_linear(ml.make_loss("Exp"), (torch.zeros(3, 2), torch.ones(3)), generator=g)
    with pytest.raises(TypeError, match="data"):
        ml.sign_accuracy(ml.LinearScorer(generator=g), torch.zeros(3, 2))
