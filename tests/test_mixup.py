"""Tests for paperlib.methods.mixup (Carratino, Cissé, Jenatton & Vert, arXiv 2006.06049)."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from scipy import integrate, stats
from torch import nn

from paperlib import runtime
from paperlib.methods import mixup as M


def _data(n=12, d=3, c=4, seed=0, dtype=torch.float64):
    g = runtime.make_generator(seed)
    x = torch.randn(n, d, generator=g, dtype=dtype)
    y = torch.arange(n) % c
    return x, y, F.one_hot(y, c).to(dtype)


def _linear(d=3, c=4, seed=0, scale=1.0):
    torch.manual_seed(seed)
    layer = nn.Linear(d, c).double()
    with torch.no_grad():
        layer.weight.mul_(scale)
    return layer


# --------------------------------------------------------------------------- lambda ~ Beta(alpha, alpha)
@pytest.mark.parametrize("alpha", [0.2, 1.0, 3.0])
def test_sample_lambda_follows_the_beta_distribution(alpha):
    lam = M.sample_lambda(alpha, 20_000, generator=runtime.make_generator(1)).double()
    assert lam.min() >= 0 and lam.max() <= 1
    assert stats.kstest(lam.numpy(), stats.beta(alpha, alpha).cdf).pvalue > 1e-3  # scipy's Beta CDF
    var = 1 / (4 * (2 * alpha + 1))  # closed-form variance of Beta(alpha, alpha)
    assert abs(lam.mean().item() - 0.5) < 5 * math.sqrt(var / len(lam))
    assert abs(lam.var().item() - var) < 0.05 * var


def test_sample_lambda_is_fixed_by_the_generator():
    a = M.sample_lambda(0.5, 7, generator=runtime.make_generator(3))
    b = M.sample_lambda(0.5, 7, generator=runtime.make_generator(3))
    assert torch.equal(a, b) and a.shape == (7,) and a.dtype == torch.float64


# --------------------------------------------------------------------------- mixup batches
def test_mixup_batch_matches_a_naive_loop_and_weights_sum_to_one():
    x, _, y = _data()
    out = M.mixup_batch(x, y, 0.7, generator=runtime.make_generator(2))
    for b in range(len(x)):
        lam, j = out.lam[b].item(), out.partner[b].item()
        torch.testing.assert_close(out.x[b], lam * x[b] + (1 - lam) * x[j])
        torch.testing.assert_close(out.y[b], lam * y[b] + (1 - lam) * y[j])
    torch.testing.assert_close(out.y.sum(1), torch.ones(len(x), dtype=y.dtype))  # mixed labels are distributions
    assert (out.y >= 0).all()
    assert sorted(out.partner.tolist()) == list(range(len(x)))  # a permutation of the batch


def test_mixup_batch_fixed_lambda_and_given_partner():
    x, _, y = _data()
    same = M.mixup_batch(x, y, 1.0, generator=runtime.make_generator(0), lam=1.0)  # lam = 1: plain ERM
    assert torch.equal(same.x, x) and torch.equal(same.y, y)
    partner = torch.arange(len(x)).flip(0)
    swap = M.mixup_batch(x, y, 1.0, generator=runtime.make_generator(0), lam=0.0, partner=partner)
    assert torch.equal(swap.x, x[partner]) and torch.equal(swap.y, y[partner])


def test_mixup_batch_mixes_images_with_trailing_dimensions():
    x = torch.rand(5, 1, 4, 4, generator=runtime.make_generator(0))
    y = F.one_hot(torch.arange(5) % 2, 2).float()
    out = M.mixup_batch(x, y, 1.0, generator=runtime.make_generator(1))
    lam = out.lam.view(5, 1, 1, 1)
    torch.testing.assert_close(out.x, lam * x + (1 - lam) * x[out.partner])


def test_mixup_step_is_soft_cross_entropy_on_the_mixed_batch():
    x, y, y1 = _data()
    model = _linear()
    loss = M.mixup_step(0.5, 4, generator=runtime.make_generator(4))(model, (x, y))
    mixed = M.mixup_batch(x, y1, 0.5, generator=runtime.make_generator(4))  # the same draws
    naive = -(mixed.y * torch.log_softmax(model(mixed.x), 1)).sum(1).mean()
    torch.testing.assert_close(loss, naive)
    plain = M.mixup_step(0.5, 4, generator=runtime.make_generator(4), lam=1.0)(model, (x, y))
    torch.testing.assert_close(plain, F.cross_entropy(model(x), y))  # lam = 1 is ERM


# --------------------------------------------------------------------------- theta_bar and shrinking
@pytest.mark.parametrize("alpha", [0.1, 0.5, 1.0, 2.0, 10.0])
def test_folded_beta_mean_matches_quadrature_and_monte_carlo(alpha):
    # E max(lam, 1 - lam) = 2 * int_{1/2}^1 t p(t) dt by symmetry of Beta(alpha, alpha)
    quad, _ = integrate.quad(lambda t: 2 * t * stats.beta(alpha, alpha).pdf(t), 0.5, 1.0)
    assert M.folded_beta_mean(alpha) == pytest.approx(quad, abs=1e-7)
    lam = M.sample_lambda(alpha, 100_000, generator=runtime.make_generator(5)).double()
    theta = torch.maximum(lam, 1 - lam)
    assert abs(theta.mean().item() - M.folded_beta_mean(alpha)) < 5 * theta.std().item() / math.sqrt(len(theta))


def test_folded_beta_mean_known_values_and_limits():
    assert M.folded_beta_mean(1.0) == pytest.approx(0.75)  # uniform lam: E max = 3/4
    assert M.folded_beta_mean(0.01) > 0.99  # lam near 0 or 1
    assert M.folded_beta_mean(1000.0) < 0.52  # lam near 1/2
    values = [M.folded_beta_mean(a) for a in (0.1, 0.3, 1.0, 3.0, 10.0)]
    assert all(a > b for a, b in zip(values, values[1:]))


def test_shrink_unshrink_are_inverse_and_shrunk_labels_are_label_smoothing():
    x, y, y1 = _data()
    mean = x.mean(0)
    torch.testing.assert_close(M.unshrink(M.shrink(x, mean, 0.8), mean, 0.8), x)
    torch.testing.assert_close(M.shrink(x, mean, 1.0), x)
    prior = y1.mean(0)
    smoothed = M.shrink(y1, prior, 0.75)
    torch.testing.assert_close(smoothed, 0.75 * y1 + 0.25 * prior)  # label smoothing toward the class frequencies
    torch.testing.assert_close(smoothed.sum(1), torch.ones(len(y1), dtype=y1.dtype))


def test_mixup_stats():
    x, y, y1 = _data()
    s = M.mixup_stats(x, y, 2.0, 4)
    torch.testing.assert_close(s.x_mean, x.mean(0))
    torch.testing.assert_close(s.y_mean, y1.mean(0))
    assert s.theta_bar == M.folded_beta_mean(2.0)


# --------------------------------------------------------------------------- the reformulation
def test_reformulate_reproduces_the_mixed_pair_exactly():
    x, y, y1 = _data()
    s = M.mixup_stats(x, y, 1.0, 4)
    g = runtime.make_generator(6)
    j = torch.randint(len(x), (len(x),), generator=g)
    theta = 0.5 + 0.5 * torch.rand(len(x), generator=g, dtype=torch.float64)
    r = M.reformulate(x, y1, x[j], y1[j], theta, s)
    torch.testing.assert_close(r.x_tilde + r.delta, theta[:, None] * x + (1 - theta[:, None]) * x[j])
    torch.testing.assert_close(r.y_tilde + r.eps, theta[:, None] * y1 + (1 - theta[:, None]) * y1[j])
    torch.testing.assert_close(r.x_tilde, s.x_mean + s.theta_bar * (x - s.x_mean))


def test_perturbations_have_zero_mean_only_with_the_folded_mean():
    x, y, y1 = _data(n=6)
    s = M.mixup_stats(x, y, 1.0, 4)
    reps = 40_000
    g = runtime.make_generator(7)
    i = torch.arange(len(x)).repeat(reps)
    j = torch.randint(len(x), (len(i),), generator=g)
    lam = M.sample_lambda(1.0, len(i), generator=g).double()
    theta = torch.maximum(lam, 1 - lam)
    r = M.reformulate(x[i], y1[i], x[j], y1[j], theta, s)
    per_example = r.delta.view(reps, len(x), -1)  # (reps, n, D)
    se = per_example.std(0) / math.sqrt(reps)
    assert (per_example.mean(0).abs() < 5 * se).all()  # E delta_i = 0 for every example i
    eps = r.eps.view(reps, len(x), -1)
    assert (eps.mean(0).abs() < 5 * eps.std(0) / math.sqrt(reps) + 1e-12).all()
    wrong = M.reformulate(x[i], y1[i], x[j], y1[j], theta, s._replace(theta_bar=0.5))
    assert wrong.delta.view(reps, len(x), -1).mean(0).abs().max() > 20 * se.max()


def _exact_mixup_loss(model, x, y1, alpha):
    """(1/n^2) sum_ij int ell(lam y_i + (1 - lam) y_j, f(lam x_i + (1 - lam) x_j)) Beta(lam) dlam by quadrature."""
    pdf = stats.beta(alpha, alpha).pdf
    total = 0.0
    with torch.no_grad():
        for a in range(len(x)):
            for b in range(len(x)):
                def loss(t, a=a, b=b):
                    xm = t * x[a] + (1 - t) * x[b]
                    ym = t * y1[a] + (1 - t) * y1[b]
                    return -(ym * torch.log_softmax(model(xm[None]), 1)[0]).sum().item() * pdf(t)

                total += integrate.quad(loss, 0, 1, limit=100)[0]
    return total / len(x) ** 2


def test_monte_carlo_of_mixup_and_of_the_reformulation_match_the_exact_expectation():
    x, y, y1 = _data(n=5, d=2, c=3, seed=1)
    model = _linear(d=2, c=3, seed=2, scale=4.0)  # sharp enough for the perturbations to matter
    alpha = 1.0
    exact = _exact_mixup_loss(model, x, y1, alpha)
    s = M.mixup_stats(x, y, alpha, 3)
    g_mix, g_ref = runtime.make_generator(8), runtime.make_generator(9)
    i = torch.arange(len(x)).repeat(200)  # every example 200 times per batch

    def draw_mixup():
        j = torch.randint(len(x), (len(i),), generator=g_mix)
        lam = M.sample_lambda(alpha, len(i), generator=g_mix).double()[:, None]
        return lam * x[i] + (1 - lam) * x[j], lam * y1[i] + (1 - lam) * y1[j]

    def draw_reformulated():
        j = torch.randint(len(x), (len(i),), generator=g_ref)
        lam = M.sample_lambda(alpha, len(i), generator=g_ref).double()
        r = M.reformulate(x[i], y1[i], x[j], y1[j], torch.maximum(lam, 1 - lam), s)
        return r.x_tilde + r.delta, r.y_tilde + r.eps

    for draw in (draw_mixup, draw_reformulated):
        est = M.monte_carlo_loss(model, draw, 100)
        assert abs(est.mean - exact) < 4 * est.stderr, (draw.__name__, est, exact)
    # without the perturbations the loss is a different number (ERM on the shrunk data)
    with torch.no_grad():
        shrunk = -(M.shrink(y1, s.y_mean, s.theta_bar) * torch.log_softmax(model(M.shrink(x, s.x_mean, s.theta_bar)), 1)).sum(1).mean()
    assert abs(shrunk.item() - exact) > 10 * est.stderr


def test_monte_carlo_loss_standard_error_is_the_std_of_batch_means():
    model = _linear(d=2, c=3)
    g = runtime.make_generator(10)
    batches = [(torch.randn(4, 2, generator=g, dtype=torch.float64), F.one_hot(torch.tensor([0, 1, 2, 0]), 3).double()) for _ in range(6)]
    it = iter(batches)
    est = M.monte_carlo_loss(model, lambda: next(it), 6)
    with torch.no_grad():
        means = torch.tensor([F.cross_entropy(model(xb), yb.argmax(1)).item() for xb, yb in batches], dtype=torch.float64)
    assert est.mean == pytest.approx(means.mean().item())
    assert est.stderr == pytest.approx((means.std() / math.sqrt(6)).item())
    assert model.training  # the model's mode is restored


# --------------------------------------------------------------------------- test-time transformation
def test_rescaled_logits_shrinks_inputs_and_unshrinks_logits():
    x, y, _ = _data()
    model = _linear()
    s = M.mixup_stats(x, y, 0.5, 4)
    with torch.no_grad():
        out = M.rescaled_logits(model, x, s)
        naive = s.y_mean + (model(s.x_mean + s.theta_bar * (x - s.x_mean)) - s.y_mean) / s.theta_bar
    torch.testing.assert_close(out, naive)
    with torch.no_grad():  # theta_bar = 1: nothing changes
        torch.testing.assert_close(M.rescaled_logits(model, x, s._replace(theta_bar=1.0)), model(x))
    # balanced classes: the output step is a temperature theta_bar and keeps the arg-max of f(x~)
    balanced = M.mixup_stats(x[:8], y[:8], 0.5, 4)
    with torch.no_grad():
        shrunk_logits = model(M.shrink(x[:8], balanced.x_mean, balanced.theta_bar))
        out = M.rescaled_logits(model, x[:8], balanced)
    torch.testing.assert_close(torch.softmax(out, 1), torch.softmax(shrunk_logits / balanced.theta_bar, 1))
