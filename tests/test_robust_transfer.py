"""Tests for paperlib.methods.robust_transfer (Salman et al. 2020, arXiv 2007.08489) and data.noisy_digits."""

from __future__ import annotations

import itertools

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from paperlib import data, layers, metrics, runtime, train
from paperlib.methods import robust_transfer as rt


def _gen(seed=0):
    return runtime.make_generator(seed)


def _linear(d=6, seed=0):
    return layers.seeded_init_(nn.Linear(d, 2), _gen(seed)).double()


def _margin(linear, x, y):
    z = linear(x)  # (B, 2)
    return (z.gather(1, y[:, None]) - z.gather(1, 1 - y[:, None])).squeeze(1)


def _mlp_and_digits(n=64, seed=0):
    x = torch.rand(n, 64, generator=_gen(seed))
    y = torch.randint(0, 10, (n,), generator=_gen(seed + 1))
    return layers.mlp((64, 16, 10), generator=_gen(seed + 2)), x, y


# --------------------------------------------------------------------------- projection and random start
def test_project_linf_is_a_coordinatewise_clamp():
    delta = 2 * torch.randn(5, 3, 4, generator=_gen())
    out = rt.project(delta, 0.3, "linf")
    naive = torch.tensor([max(-0.3, min(0.3, v)) for v in delta.flatten().tolist()]).view_as(delta)
    torch.testing.assert_close(out, naive)


def test_project_l2_shrinks_only_outside_the_ball():
    delta = torch.randn(6, 10, generator=_gen(), dtype=torch.float64)
    delta[:3] *= 0.01  # these are inside the unit ball
    out = rt.project(delta, 1.0, "l2")
    for i in range(len(delta)):
        n = delta[i].norm().item()
        expected = delta[i] if n <= 1.0 else delta[i] / n  # naive: rescale onto the sphere
        torch.testing.assert_close(out[i], expected)
    assert (out.norm(dim=1) <= 1.0 + 1e-12).all()


def test_project_is_idempotent():
    delta = 3 * torch.randn(4, 8, generator=_gen())
    for norm in rt.NORMS:
        once = rt.project(delta, 0.5, norm)
        torch.testing.assert_close(rt.project(once, 0.5, norm), once)


def test_random_start_geometry_and_seeding():
    x = torch.zeros(2000, 16)
    box = rt.random_start(x, 0.2, "linf", generator=_gen())
    assert box.abs().max() <= 0.2 and box.abs().max() > 0.19
    assert abs(box.mean().item()) < 0.005  # uniform on [-ε, ε]: mean 0, variance ε²/3
    assert abs(box.var().item() - 0.2**2 / 3) < 1e-3
    sphere = rt.random_start(x, 0.7, "l2", generator=_gen())
    torch.testing.assert_close(sphere.norm(dim=1), torch.full((2000,), 0.7))
    assert abs(sphere.mean(0)).max() < 0.02  # no preferred direction (5 standard errors)
    torch.testing.assert_close(rt.random_start(x, 0.7, "l2", generator=_gen()), sphere)


# --------------------------------------------------------------------------- PGD
@pytest.mark.parametrize("norm, eps", [("linf", 0.1), ("l2", 0.8)])
def test_pgd_stays_in_the_ball_and_in_pixels(norm, eps):
    net, x, y = _mlp_and_digits()
    for clip in (True, False):
        x_adv = rt.pgd_attack(net, x, y, eps=eps, norm=norm, steps=7, clip=clip, generator=_gen(3))
        delta = x_adv - x
        size = delta.abs().amax(1) if norm == "linf" else delta.norm(dim=1)
        assert (size <= eps * (1 + 1e-5)).all()
        if clip:
            assert x_adv.min() >= 0 and x_adv.max() <= 1


@pytest.mark.parametrize("norm, eps", [("linf", 0.3), ("l2", 1.5)])
def test_pgd_finds_the_closed_form_worst_case_of_a_linear_model(norm, eps):
    lin = _linear(d=12)
    x = torch.randn(40, 12, generator=_gen(4), dtype=torch.float64)
    y = torch.randint(0, 2, (40,), generator=_gen(5))
    best = rt.linear_worst_case(lin, x, y, eps, norm)
    x_adv = rt.pgd_attack(lin, x, y, eps=eps, norm=norm, steps=30, step_size=eps, clip=False, generator=_gen(6))
    torch.testing.assert_close(x_adv - x, best.delta, atol=1e-8, rtol=0)
    with torch.no_grad():
        torch.testing.assert_close(_margin(lin, x_adv, y), best.margin)
        torch.testing.assert_close(F.cross_entropy(lin(x_adv), y, reduction="none"), best.loss)


def test_linear_worst_case_matches_brute_force():
    lin = _linear(d=4, seed=1)
    x = torch.randn(5, 4, generator=_gen(7), dtype=torch.float64)
    y = torch.tensor([0, 1, 1, 0, 1])
    eps = 0.4
    best = rt.linear_worst_case(lin, x, y, eps, "linf")
    with torch.no_grad():  # L∞: a linear function is minimised at a corner of the box; try all 16
        corners = torch.tensor(list(itertools.product([-eps, eps], repeat=4)), dtype=torch.float64)  # (16, 4)
        brute = torch.stack([_margin(lin, x + c, y) for c in corners]).min(0).values
        torch.testing.assert_close(best.margin, brute)
        # L2: no point on the sphere does better, and dense sampling gets close
        dirs = torch.randn(20000, 4, generator=_gen(8), dtype=torch.float64)
        dirs = eps * dirs / dirs.norm(dim=1, keepdim=True)
        best2 = rt.linear_worst_case(lin, x, y, eps, "l2")
        sampled = torch.stack([_margin(lin, x[i] + dirs, y[i].expand(len(dirs))).min() for i in range(len(x))])
        assert (sampled >= best2.margin - 1e-12).all() and (sampled - best2.margin).max() < 1e-2
        assert (best2.delta.norm(dim=1) - eps).abs().max() < 1e-12


def test_pgd_edge_cases_and_no_side_effects():
    net, x, y = _mlp_and_digits()
    torch.testing.assert_close(rt.pgd_attack(net, x, y, eps=0.0, norm="l2", steps=5, generator=_gen()), x)
    start = rt.random_start(x, 0.5, "l2", generator=_gen(9))
    only_start = rt.pgd_attack(net, x, y, eps=0.5, norm="l2", steps=0, generator=_gen(9))
    torch.testing.assert_close(only_start, (x + start).clamp(0, 1))
    net.train()
    rt.pgd_attack(net, x, y, eps=0.5, norm="linf", steps=3, generator=_gen())
    assert net.training and all(p.grad is None for p in net.parameters())


def test_pgd_raises_the_loss_more_than_random_noise():
    g = _gen(0)
    split = data.digits(generator=g)
    net = layers.mlp((64, 32, 10), generator=g)
    train.fit(net, train.classification_step, (split.x_train, split.y_train), epochs=5, batch_size=64, generator=g, progress=False)
    x, y = split.x_test[:200], split.y_test[:200]
    with torch.no_grad():
        clean = F.cross_entropy(net(x), y).item()
        noise = F.cross_entropy(net(rt.pgd_attack(net, x, y, eps=1.0, norm="l2", steps=0, generator=_gen(1))), y).item()
        pgd = F.cross_entropy(net(rt.pgd_attack(net, x, y, eps=1.0, norm="l2", steps=10, generator=_gen(1))), y).item()
    assert pgd > 3 * max(clean, noise)


# --------------------------------------------------------------------------- training and evaluation
def test_adversarial_step_at_zero_is_ordinary_cross_entropy():
    net, x, y = _mlp_and_digits()
    step = rt.adversarial_step(0.0, "l2", steps=3, generator=_gen())
    torch.testing.assert_close(step(net, (x, y)), train.classification_step(net, (x, y)))
    robust = rt.adversarial_step(1.0, "l2", steps=3, generator=_gen())(net, (x, y))
    assert robust.item() > step(net, (x, y)).item()
    robust.backward()
    assert all(p.grad is not None and torch.isfinite(p.grad).all() for p in net.parameters())


def test_robust_accuracy_at_zero_is_accuracy_and_falls_with_eps():
    net, x, y = _mlp_and_digits()
    clean = rt.robust_accuracy(net, x, y, eps=0.0, norm="l2", steps=5, generator=_gen())
    assert clean == metrics.accuracy(train.predict(net, x), y)
    y_pred = train.predict(net, x).argmax(1)  # label every input by the model's own prediction: clean accuracy 1
    assert rt.robust_accuracy(net, x, y_pred, eps=0.0, norm="linf", steps=5, generator=_gen()) == 1.0
    assert rt.robust_accuracy(net, x, y_pred, eps=3.0, norm="l2", steps=10, generator=_gen()) < 1.0


# --------------------------------------------------------------------------- transfer
def test_transfer_model_fixed_trains_only_the_head():
    source, x, _ = _mlp_and_digits()
    before = [p.detach().clone() for p in source.parameters()]
    y = torch.randint(0, 3, (len(x),), generator=_gen(4))
    fixed = rt.transfer_model(source, 3, mode="fixed", generator=_gen(5))
    assert [p.requires_grad for p in fixed.parameters()] == [False] * (len(before) - 2) + [True, True]
    feats = [p.detach().clone() for p in fixed[0].parameters()]
    train.fit(fixed, train.classification_step, (x, y), epochs=3, batch_size=16, generator=_gen(6), progress=False)
    for a, b in zip(feats, fixed[0].parameters()):
        torch.testing.assert_close(a, b)
    for a, b in zip(before, source.parameters()):  # the source is untouched
        torch.testing.assert_close(a, b)
    with torch.no_grad():  # the copied features are the source's penultimate layer
        torch.testing.assert_close(fixed[0](x), source[:-1](x))
    assert fixed(x).shape == (len(x), 3)


def test_transfer_model_full_trains_everything():
    source, x, _ = _mlp_and_digits()
    full = rt.transfer_model(source, 4, mode="full", generator=_gen(5))
    assert all(p.requires_grad for p in full.parameters())
    first = full[0][0].weight.detach().clone()
    y = torch.randint(0, 4, (len(x),), generator=_gen(4))
    train.fit(full, train.classification_step, (x, y), epochs=3, batch_size=16, generator=_gen(6), progress=False)
    assert not torch.equal(first, full[0][0].weight)
    torch.testing.assert_close(source[0].weight, first)


# --------------------------------------------------------------------------- data
def test_noisy_digits_formula_and_range():
    x = torch.rand(50, 64, generator=_gen())
    out = data.noisy_digits(x, contrast=0.6, noise=0.3, generator=_gen(1))
    expected = (0.6 * x + 0.3 * torch.rand(50, 64, generator=_gen(1))).clamp(0, 1)
    torch.testing.assert_close(out, expected)
    assert out.min() >= 0 and out.max() <= 1
    torch.testing.assert_close(data.noisy_digits(x, contrast=1.0, noise=0.0, generator=_gen()), x)
