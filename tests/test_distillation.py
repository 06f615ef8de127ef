"""Tests for paperlib.distillation (Hinton, Vinyals & Dean 2015, arXiv 1503.02531)."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from paperlib import layers, runtime, train
from paperlib.methods import distillation as D


def _logits(b=6, c=5, seed=0, scale=3.0, dtype=torch.float64):
    g = runtime.make_generator(seed)
    return (scale * torch.randn(b, c, generator=g)).to(dtype)


def _centre(z):
    return z - z.mean(dim=1, keepdim=True)


# --------------------------------------------------------------------------- eq. (1)
def test_softmax_t_matches_naive_formula():
    z = _logits()
    for T in (0.5, 1.0, 3.0, 20.0):
        naive = torch.empty_like(z)
        for b in range(z.shape[0]):
            e = [math.exp(z[b, i].item() / T) for i in range(z.shape[1])]
            for i in range(z.shape[1]):
                naive[b, i] = e[i] / sum(e)
        torch.testing.assert_close(D.softmax_t(z, T), naive)


def test_softmax_t_properties():
    z = _logits()
    torch.testing.assert_close(D.softmax_t(z, 1.0), torch.softmax(z, dim=1))
    torch.testing.assert_close(D.softmax_t(z, 4.0).sum(1), torch.ones(len(z), dtype=z.dtype))
    torch.testing.assert_close(D.softmax_t(z + 7.0, 4.0), D.softmax_t(z, 4.0))  # shift invariance
    # softer as T grows: the entropy increases, and T -> inf tends to uniform
    ent = [-(p * p.log()).sum(1).mean().item() for p in (D.softmax_t(z, T) for T in (1, 2, 4, 8))]
    assert all(a < b for a, b in zip(ent, ent[1:]))
    torch.testing.assert_close(D.softmax_t(z, 1e6), torch.full_like(z, 1 / z.shape[1]), atol=1e-5, rtol=0)


@pytest.mark.parametrize("T", [0, -1.0, float("nan")])
def test_softmax_t_rejects_bad_temperature(T):
    with pytest.raises(ValueError, match="T"):
        D.softmax_t(_logits(), T)


def test_softmax_t_rejects_bad_types_and_shapes():
    with pytest.raises(TypeError, match="T"):
        D.softmax_t(_logits(), "2")
    with pytest.raises(TypeError, match="T"):
        D.softmax_t(_logits(), True)
    with pytest.raises(ValueError, match="logits"):
        D.softmax_t(torch.zeros(5), 1.0)
    with pytest.raises(TypeError, match="logits"):
        D.softmax_t([[1.0, 2.0]], 1.0)
    with pytest.raises(TypeError, match="logits"):
        D.softmax_t(torch.zeros(2, 3, dtype=torch.int64), 1.0)


# --------------------------------------------------------------------------- section 2 objective
def test_soft_cross_entropy_matches_loop():
    z, v = _logits(seed=1), _logits(seed=2)
    T = 3.0
    p = D.softmax_t(v, T)
    total = 0.0
    for b in range(z.shape[0]):
        q = [math.exp(z[b, i].item() / T) for i in range(z.shape[1])]
        q = [x / sum(q) for x in q]
        total += -sum(p[b, i].item() * math.log(q[i]) for i in range(z.shape[1]))
    assert D.soft_cross_entropy(z, p, T).item() == pytest.approx(total / z.shape[0], rel=1e-10)


def test_distillation_loss_matches_formula():
    z, v = _logits(seed=3), _logits(seed=4)
    y = torch.tensor([0, 1, 2, 3, 4, 0])
    T, alpha = 4.0, 0.7
    p = D.softmax_t(v, T)
    out = D.distillation_loss(z, p, y, T=T, alpha=alpha)
    assert isinstance(out, D.DistillLoss)
    soft = -(p * torch.log_softmax(z / T, dim=1)).sum(1).mean() * T**2
    hard = -torch.log_softmax(z, dim=1)[torch.arange(6), y].mean()
    torch.testing.assert_close(out.soft, soft)
    torch.testing.assert_close(out.hard, hard)
    torch.testing.assert_close(out.total, alpha * soft + (1 - alpha) * hard)


def test_distillation_loss_limits():
    z, v = _logits(seed=5), _logits(seed=6)
    y = torch.tensor([4, 3, 2, 1, 0, 1])
    p = D.softmax_t(v, 2.0)
    torch.testing.assert_close(D.distillation_loss(z, p, y, T=2.0, alpha=0.0).total, F.cross_entropy(z, y))
    out = D.distillation_loss(z, p, y, T=2.0, alpha=1.0)
    torch.testing.assert_close(out.total, out.soft)
    # one-hot "soft" targets at T = 1: the soft term is the hard term
    one_hot = F.one_hot(y, 5).to(z.dtype)
    out = D.distillation_loss(z, one_hot, y, T=1.0, alpha=0.5)
    torch.testing.assert_close(out.soft, out.hard)


def test_distillation_loss_bad_input():
    z, p = _logits(), D.softmax_t(_logits(seed=9), 2.0)
    y = torch.zeros(6, dtype=torch.int64)
    for alpha in (-0.1, 1.5):
        with pytest.raises(ValueError, match="alpha"):
            D.distillation_loss(z, p, y, T=2.0, alpha=alpha)
    with pytest.raises(ValueError, match="T"):
        D.distillation_loss(z, p, y, T=0.0, alpha=0.5)
    with pytest.raises(ValueError, match="soft_targets"):
        D.distillation_loss(z, p[:, :4], y, T=2.0, alpha=0.5)
    with pytest.raises(ValueError, match="soft_targets"):
        D.distillation_loss(z, z, y, T=2.0, alpha=0.5)  # logits, not probabilities
    with pytest.raises(ValueError, match="labels"):
        D.distillation_loss(z, p, y[:3], T=2.0, alpha=0.5)
    with pytest.raises(ValueError, match="labels"):
        D.distillation_loss(z, p, y + 5, T=2.0, alpha=0.5)
    with pytest.raises(TypeError, match="labels"):
        D.distillation_loss(z, p, y.float(), T=2.0, alpha=0.5)


# --------------------------------------------------------------------------- eqs. (2) and (4)
def test_soft_ce_grad_matches_autograd():
    z, v = _logits(seed=7), _logits(seed=8)
    for T in (0.7, 1.0, 5.0):
        zr = z.clone().requires_grad_(True)
        per_example_sum = D.soft_cross_entropy(zr, D.softmax_t(v, T), T) * len(z)  # sum_b C_b
        (grad,) = torch.autograd.grad(per_example_sum, zr)
        torch.testing.assert_close(D.soft_ce_grad(z, v, T), grad)
    # each row of the gradient sums to zero (softmax is shift invariant)
    torch.testing.assert_close(D.soft_ce_grad(z, v, 2.0).sum(1), torch.zeros(len(z), dtype=z.dtype))


def test_soft_cross_entropy_gradcheck():
    z = _logits(b=3, c=4, seed=10).requires_grad_(True)
    p = D.softmax_t(_logits(b=3, c=4, seed=11), 2.0)
    assert torch.autograd.gradcheck(lambda t: D.soft_cross_entropy(t, p, 2.0), (z,))


def test_logit_matching_grad_is_gradient_of_squared_error():
    z, v = _logits(seed=12), _logits(seed=13)
    T, n = 6.0, z.shape[1]
    zr = z.clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(((zr - v) ** 2).sum() / (2 * n * T**2), zr)
    torch.testing.assert_close(D.logit_matching_grad(z, v, T), grad)


def test_eq4_approximates_eq2_at_high_temperature_for_zero_mean_logits():
    z, v = _centre(_logits(seed=14)), _centre(_logits(seed=15))
    errs = []
    for T in (10.0, 20.0, 40.0, 80.0, 160.0):
        g2, g4 = D.soft_ce_grad(z, v, T), D.logit_matching_grad(z, v, T)
        errs.append(((g2 - g4).norm() / g2.norm()).item())
    assert all(a > b for a, b in zip(errs, errs[1:]))
    assert errs[-1] < 0.02
    assert errs[-1] / errs[-2] == pytest.approx(0.5, abs=0.05)  # the error is O(1/T)
    # without the zero-mean assumption eq. (4) keeps a constant relative error
    g2, g4 = D.soft_ce_grad(z + 3.0, v, 160.0), D.logit_matching_grad(z + 3.0, v, 160.0)
    assert ((g2 - g4).norm() / g2.norm()).item() > 0.3


def test_soft_gradients_scale_as_inverse_T_squared():
    z, v = _centre(_logits(seed=16)), _centre(_logits(seed=17))
    y = torch.zeros(len(z), dtype=torch.int64)
    norms_raw, norms_scaled = [], []
    for T in (50.0, 100.0, 200.0):
        zr = z.clone().requires_grad_(True)
        out = D.distillation_loss(zr, D.softmax_t(v, T), y, T=T, alpha=1.0)
        (g_scaled,) = torch.autograd.grad(out.soft, zr)
        norms_scaled.append(g_scaled.norm().item())
        norms_raw.append(g_scaled.norm().item() / T**2)
    assert norms_raw[1] / norms_raw[0] == pytest.approx(0.25, rel=0.03)
    assert norms_raw[2] / norms_raw[1] == pytest.approx(0.25, rel=0.02)
    assert norms_scaled[2] / norms_scaled[0] == pytest.approx(1.0, rel=0.03)


@pytest.mark.parametrize("fn", [D.soft_ce_grad, D.logit_matching_grad])
def test_gradients_bad_input(fn):
    z = _logits()
    with pytest.raises(ValueError, match="teacher_logits"):
        fn(z, z[:, :3], 2.0)
    with pytest.raises(ValueError, match="T"):
        fn(z, z, -2.0)
    with pytest.raises(TypeError, match="student_logits"):
        fn(z.numpy(), z, 2.0)


# --------------------------------------------------------------------------- teacher ensemble
def _members(n=3, seed=0):
    g = runtime.make_generator(seed)
    return [layers.mlp((8, 16, 5), generator=g) for _ in range(n)]


def test_teacher_ensemble_soft_targets_are_mean_of_member_softmaxes():
    members = _members()
    teacher = D.TeacherEnsemble(members).eval()
    x = torch.rand(7, 8, generator=runtime.make_generator(0))
    with torch.no_grad():
        for T in (1.0, 4.0):
            naive = sum(torch.softmax(m(x) / T, dim=1) for m in members) / len(members)
            torch.testing.assert_close(teacher.soft_targets(x, T), naive)
        torch.testing.assert_close(torch.softmax(teacher(x), dim=1), teacher.soft_targets(x, 1.0))
        assert teacher.member_logits(x).shape == (3, 7, 5)
        single = D.TeacherEnsemble(members[:1])
        torch.testing.assert_close(single.soft_targets(x, 3.0), D.softmax_t(members[0](x), 3.0))


# bad input for TeacherEnsemble: see tests/test_bad_input.py


# --------------------------------------------------------------------------- models and steps
def test_mlp_init_is_reproducible_and_in_range():
    a = layers.mlp((64, 32, 10), generator=runtime.make_generator(5))
    b = layers.mlp((64, 32, 10), generator=runtime.make_generator(5))
    for p, q in zip(a.parameters(), b.parameters()):
        assert torch.equal(p, q)
    assert a[0].weight.abs().max() <= 1 / 8 and a[2].weight.abs().max() <= 1 / 32**0.5
    assert a[0].weight.std().item() == pytest.approx(1 / 8 / 3**0.5, rel=0.05)  # U(-b, b) has std b/sqrt(3)


def test_distill_step_equals_distillation_loss_and_trains():
    g = runtime.make_generator(0)
    net = layers.mlp((8, 16, 5), generator=g)
    x = torch.rand(40, 8, generator=g)
    teacher_logits = 3 * (x @ torch.randn(8, 5, generator=g))  # a learnable target
    y = teacher_logits.argmax(1)
    soft = D.softmax_t(teacher_logits, 2.0)
    step = D.distill_step(2.0, 0.6)
    torch.testing.assert_close(step(net, (x, y, soft)), D.distillation_loss(net(x), soft, y, T=2.0, alpha=0.6).total)
    hist = train.fit(net, step, (x, y, soft), epochs=100, batch_size=40, generator=g, progress=False)
    floor = 0.6 * 2.0**2 * -(soft * soft.log()).sum(1).mean().item()  # alpha T^2 H(p): the soft term's minimum
    assert hist.epoch_loss[-1] - floor < 0.5 * (hist.epoch_loss[0] - floor)
    with pytest.raises(ValueError, match="alpha"):
        D.distill_step(2.0, 2.0)
    with pytest.raises(ValueError, match="T"):
        D.distill_step(0.0, 0.5)


# --------------------------------------------------------------------------- omitted class
def test_shift_class_bias_adds_delta_to_one_logit_only():
    net = layers.mlp((8, 16, 5), generator=runtime.make_generator(0)).eval()
    before = [p.clone() for p in net.parameters()]
    fixed = D.shift_class_bias(net, 3, 3.5)
    x = torch.rand(6, 8)
    with torch.no_grad():
        expected = net(x)
        expected[:, 3] += 3.5
        torch.testing.assert_close(fixed(x), expected)
    for p, q in zip(before, net.parameters()):  # the original is unchanged
        assert torch.equal(p, q)


def test_shift_class_bias_bad_input():
    net = layers.mlp((8, 5), generator=runtime.make_generator(0))
    with pytest.raises(ValueError, match="cls"):
        D.shift_class_bias(net, 5, 1.0)
    with pytest.raises(ValueError, match="cls"):
        D.shift_class_bias(net, -1, 1.0)
    with pytest.raises(TypeError, match="delta"):
        D.shift_class_bias(net, 1, "big")
    with pytest.raises(ValueError, match="model"):
        D.shift_class_bias(nn.ReLU(), 1, 1.0)
    with pytest.raises(ValueError, match="model"):
        D.shift_class_bias(nn.Linear(3, 2, bias=False), 1, 1.0)
    with pytest.raises(TypeError, match="model"):
        D.shift_class_bias("net", 1, 1.0)


def test_best_bias_shift_matches_brute_force():
    g = runtime.make_generator(3)
    logits = torch.randn(200, 4, generator=g)
    labels = torch.randint(0, 4, (200,), generator=g)
    logits[labels == 2, 2] += 1.0  # class 2 is right but its logit is too low
    logits[:, 2] -= 2.0
    deltas = [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 5.0]
    out = D.best_bias_shift(logits, labels, 2, deltas)
    brute = []
    for d in deltas:
        shifted = logits.clone()
        shifted[:, 2] += d
        brute.append((shifted.argmax(1) == labels).float().mean().item())
    assert out.accuracies.tolist() == pytest.approx(brute)
    assert out.delta == deltas[max(range(len(deltas)), key=lambda k: (brute[k], -deltas[k]))]
    assert out.delta > 0  # raising the too-low bias helps
    # ties go to the smallest shift
    flat = D.best_bias_shift(torch.zeros(3, 2) + torch.tensor([5.0, 0.0]), torch.zeros(3, dtype=torch.int64), 1, [2.0, 0.0, 1.0])
    assert flat.delta == 0.0


def test_best_bias_shift_bad_input():
    logits, labels = torch.zeros(4, 3), torch.zeros(4, dtype=torch.int64)
    with pytest.raises(ValueError, match="deltas"):
        D.best_bias_shift(logits, labels, 1, [])
    with pytest.raises(ValueError, match="cls"):
        D.best_bias_shift(logits, labels, 3, [1.0])
    with pytest.raises(ValueError, match="labels"):
        D.best_bias_shift(logits, labels[:2], 1, [1.0])
    with pytest.raises(ValueError, match="logits"):
        D.best_bias_shift(torch.zeros(4), labels, 1, [1.0])
