"""Tests for paperlib.adversarial.jem (Grathwohl et al. 2020, arXiv 1912.03263)."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from paperlib import layers, runtime
from paperlib.adversarial import jem


def _logits(b=5, c=4, seed=0, dtype=torch.float64):
    return 3 * torch.randn(b, c, generator=runtime.make_generator(seed)).to(dtype)


# --------------------------------------------------------------------------- eq. (4), (7)
def test_energy_is_minus_logsumexp_naive_loop():
    logits = _logits()
    e = jem.energy(logits)
    assert e.shape == (5,)
    for b in range(5):
        naive = -math.log(sum(math.exp(v) for v in logits[b].tolist()))
        assert abs(e[b].item() - naive) < 1e-12


def test_class_log_probs_match_torch_and_split_into_logit_plus_energy():
    logits = _logits()
    torch.testing.assert_close(jem.class_log_probs(logits), torch.log_softmax(logits, 1))
    # log p(y|x) = f(x)[y] + E(x): the energy is the softmax's (log) normaliser
    torch.testing.assert_close(jem.class_log_probs(logits), logits + jem.energy(logits)[:, None])


def test_logit_shift_leaves_p_y_given_x_and_moves_energy_by_minus_c():
    logits = _logits(b=50, c=3)
    c = 5 * torch.randn(50, generator=runtime.make_generator(1), dtype=torch.float64)  # (B,) one shift per input
    shifted = logits + c[:, None]
    torch.testing.assert_close(jem.class_log_probs(shifted), jem.class_log_probs(logits), rtol=0, atol=1e-12)
    torch.testing.assert_close(jem.energy(shifted), jem.energy(logits) - c, rtol=0, atol=1e-12)
    # a class-dependent shift is not a symmetry of p(y|x)
    per_class = logits + c[:, None] * torch.arange(3, dtype=torch.float64)
    assert (jem.class_log_probs(per_class) - jem.class_log_probs(logits)).abs().max() > 1.0


def test_energy_gradcheck():
    logits = _logits(b=3, c=4).requires_grad_(True)
    assert torch.autograd.gradcheck(jem.energy, (logits,))
    assert torch.autograd.gradcheck(jem.class_log_probs, (logits,))


# --------------------------------------------------------------------------- eq. (3) SGLD
def test_sgld_gaussian_energy_matches_its_stationary_law():
    """E(x) = |x - mu|^2 / (2 s^2) with sigma = sqrt(2 alpha) is an AR(1) chain
    x' - mu = (1 - alpha / s^2)(x - mu) + sigma xi, whose stationary law is N(mu, s^2 / (1 - alpha / (2 s^2)))."""
    mu = torch.tensor([1.5, -0.5], dtype=torch.float64)
    s, alpha, n = 0.7, 0.05, 8000
    out = jem.sgld(lambda v: ((v - mu) ** 2).sum(1) / (2 * s**2), torch.zeros(n, 2, dtype=torch.float64), steps=300,
                   step_size=alpha, noise_std=math.sqrt(2 * alpha), generator=runtime.make_generator(0))
    var = s**2 / (1 - alpha / (2 * s**2))
    mean_se, var_se = math.sqrt(var / n), var * math.sqrt(2 / (n - 1))
    assert (out.x.mean(0) - mu).abs().max().item() < 4 * mean_se
    assert (out.x.var(0) - var).abs().max().item() < 4 * var_se
    # and the finite step inflates the variance measurably above s^2 (alpha -> 0 recovers it)
    assert out.x.var(0).mean().item() > s**2 + 2 * var_se


def test_sgld_matches_a_naive_loop_with_the_same_noise():
    w = torch.tensor([0.5, 2.0])
    energy_fn = lambda v: 0.5 * (w * v**2).sum(1)  # noqa: E731  dE/dx = w * x
    x0 = torch.randn(6, 2, generator=runtime.make_generator(3))
    out = jem.sgld(energy_fn, x0, steps=7, step_size=0.1, noise_std=0.3, generator=runtime.make_generator(4),
                   keep_trajectory=True)
    g = runtime.make_generator(4)
    x = x0.clone()
    for t in range(7):
        x = x - 0.1 * w * x + 0.3 * torch.randn(6, 2, generator=g)
        torch.testing.assert_close(out.trajectory[t + 1], x)
    torch.testing.assert_close(out.x, x)
    assert out.trajectory.shape == (8, 6, 2)
    torch.testing.assert_close(out.trajectory[0], x0)
    torch.testing.assert_close(out.energy_start, energy_fn(x0))
    torch.testing.assert_close(out.energy_end, energy_fn(x))
    assert not out.x.requires_grad and not out.trajectory.requires_grad


def test_sgld_step_size_zero_leaves_only_noise_and_no_noise_leaves_x():
    energy_fn = lambda v: (v**2).sum(1)  # noqa: E731
    x0 = torch.randn(4, 3, generator=runtime.make_generator(0))
    still = jem.sgld(energy_fn, x0, steps=5, step_size=0.0, noise_std=0.0, generator=runtime.make_generator(1))
    torch.testing.assert_close(still.x, x0)
    noisy = jem.sgld(energy_fn, x0, steps=5, step_size=0.0, noise_std=0.2, generator=runtime.make_generator(1))
    g = runtime.make_generator(1)
    expected = x0 + sum(0.2 * torch.randn(4, 3, generator=g) for _ in range(5))
    torch.testing.assert_close(noisy.x, expected)


def test_sgld_lowers_a_classifier_energy_without_touching_its_parameters():
    model = layers.mlp((2, 16, 3), generator=runtime.make_generator(0))
    x0 = torch.randn(32, 2, generator=runtime.make_generator(1))
    out = jem.sgld(lambda v: jem.energy(model(v)), x0, steps=20, step_size=0.05, noise_std=0.0,
                   generator=runtime.make_generator(2))
    assert (out.energy_end < out.energy_start).float().mean() > 0.9
    assert all(p.grad is None for p in model.parameters())


def test_sgld_is_deterministic_for_a_seed():
    model = layers.mlp((2, 8, 2), generator=runtime.make_generator(0))
    x0 = torch.zeros(5, 2)
    a = jem.sgld(lambda v: jem.energy(model(v)), x0, steps=3, step_size=0.1, noise_std=0.1, generator=runtime.make_generator(7))
    b = jem.sgld(lambda v: jem.energy(model(v)), x0, steps=3, step_size=0.1, noise_std=0.1, generator=runtime.make_generator(7))
    assert torch.equal(a.x, b.x)


# --------------------------------------------------------------------------- replay buffer
def test_buffer_starts_uniform_in_its_box():
    buf = jem.ReplayBuffer(20000, 2, low=-2.0, high=3.0, generator=runtime.make_generator(0))
    s = buf.samples
    assert s.shape == (20000, 2) and s.min() >= -2.0 and s.max() <= 3.0
    assert abs(s.mean().item() - 0.5) < 0.05 and abs(s.var().item() - 25 / 12) < 0.1  # U(-2, 3): mean 0.5, var 25/12


def test_buffer_reinit_probability_monte_carlo_and_extremes():
    buf = jem.ReplayBuffer(50, 3, reinit_prob=0.3, generator=runtime.make_generator(0))
    before = buf.samples.clone()
    draw = buf.draw(20000, generator=runtime.make_generator(1))
    share = draw.fresh.float().mean().item()
    assert abs(share - 0.3) < 4 * math.sqrt(0.3 * 0.7 / 20000)
    kept = ~draw.fresh
    torch.testing.assert_close(draw.x[kept], before[draw.index[kept]])
    assert torch.equal(buf.samples, before), "draw must not change the buffer"
    never = jem.ReplayBuffer(10, 2, reinit_prob=0.0, generator=runtime.make_generator(0))
    d0 = never.draw(100, generator=runtime.make_generator(2))
    assert not d0.fresh.any() and torch.equal(d0.x, never.samples[d0.index])
    always = jem.ReplayBuffer(10, 2, reinit_prob=1.0, generator=runtime.make_generator(0))
    d1 = always.draw(100, generator=runtime.make_generator(2))
    assert d1.fresh.all() and d1.x.abs().max() <= 1.0


def test_buffer_write_changes_only_the_written_rows():
    buf = jem.ReplayBuffer(10, 2, generator=runtime.make_generator(0))
    old = buf.samples
    before = old.clone()
    index = torch.tensor([2, 7])
    x = torch.full((2, 2), 9.0, requires_grad=True)
    buf.write(index, x * 1)
    assert torch.equal(buf.samples[index], torch.full((2, 2), 9.0))
    rest = torch.ones(10, dtype=torch.bool)
    rest[index] = False
    assert torch.equal(buf.samples[rest], before[rest])
    assert not buf.samples.requires_grad
    assert torch.equal(old, before)  # the previous tensor was not modified in place


# --------------------------------------------------------------------------- eq. (2), (8)
def test_jem_loss_against_a_second_computation():
    data, sampled = _logits(b=6, c=3, seed=0), _logits(b=4, c=3, seed=1)
    y = torch.tensor([0, 1, 2, 0, 1, 2])
    out = jem.jem_loss(data, y, sampled, px_weight=0.5)
    ce = -sum(torch.log_softmax(data, 1)[i, y[i]] for i in range(6)) / 6
    px = -torch.logsumexp(data, 1).mean() + torch.logsumexp(sampled, 1).mean()
    torch.testing.assert_close(out.ce, ce)
    torch.testing.assert_close(out.px, px)
    torch.testing.assert_close(out.total, ce + 0.5 * px)
    torch.testing.assert_close(jem.jem_loss(data, y, sampled, px_weight=0.0).total, F.cross_entropy(data, y))


def test_px_gradient_is_minus_the_eq2_estimate():
    """d px / d theta = mean dE(x)/d theta - mean dE(x')/d theta = -(eq. 2 estimate of d log p(x)/d theta)."""
    torch.manual_seed(0)
    lin = torch.nn.Linear(2, 3).double()
    x, xs = torch.randn(5, 2, dtype=torch.float64), torch.randn(4, 2, dtype=torch.float64)
    loss = jem.jem_loss(lin(x), torch.zeros(5, dtype=torch.long), lin(xs)).px
    (gw,) = torch.autograd.grad(loss, lin.weight)
    dE = lambda v: torch.autograd.grad(jem.energy(lin(v[None])).sum(), lin.weight)[0]  # noqa: E731
    est = sum(dE(v) for v in xs) / 4 - sum(dE(v) for v in x) / 5  # eq. (2): E_p[dE(x')] - dE(x)
    torch.testing.assert_close(gw, -est)


def test_jem_step_updates_buffer_and_model_and_matches_manual_step():
    def setup():
        model = layers.mlp((2, 8, 3), generator=runtime.make_generator(0))
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        buf = jem.ReplayBuffer(16, 2, generator=runtime.make_generator(1))
        return model, opt, buf

    x = torch.randn(4, 2, generator=runtime.make_generator(2))
    y = torch.tensor([0, 1, 2, 1])
    model, opt, buf = setup()
    before = buf.samples.clone()
    out = jem.jem_step(model, opt, x, y, buf, steps=3, step_size=0.1, noise_std=0.01, generator=runtime.make_generator(3))
    assert isinstance(out, jem.JEMStep) and all(isinstance(v, float) for v in out)

    ref_model, ref_opt, ref_buf = setup()
    g = runtime.make_generator(3)
    start = ref_buf.draw(4, generator=g)
    run = jem.sgld(lambda v: jem.energy(ref_model(v)), start.x, steps=3, step_size=0.1, noise_std=0.01, generator=g)
    loss = jem.jem_loss(ref_model(x), y, ref_model(run.x))
    ref_opt.zero_grad()
    loss.total.backward()
    ref_opt.step()
    assert abs(out.loss - loss.total.item()) < 1e-6
    for p, q in zip(model.parameters(), ref_model.parameters()):
        torch.testing.assert_close(p, q)
    torch.testing.assert_close(buf.samples[start.index], run.x)
    untouched = torch.ones(16, dtype=torch.bool)
    untouched[start.index] = False
    assert torch.equal(buf.samples[untouched], before[untouched])


def test_jem_step_without_px_is_a_cross_entropy_step():
    model = layers.mlp((2, 8, 2), generator=runtime.make_generator(0))
    ref = layers.mlp((2, 8, 2), generator=runtime.make_generator(0))
    opt, ref_opt = torch.optim.SGD(model.parameters(), lr=0.1), torch.optim.SGD(ref.parameters(), lr=0.1)
    x, y = torch.randn(8, 2, generator=runtime.make_generator(1)), torch.tensor([0, 1] * 4)
    buf = jem.ReplayBuffer(8, 2, generator=runtime.make_generator(2))
    jem.jem_step(model, opt, x, y, buf, steps=2, px_weight=0.0, generator=runtime.make_generator(3))
    ref_opt.zero_grad()
    F.cross_entropy(ref(x), y).backward()
    ref_opt.step()
    for p, q in zip(model.parameters(), ref.parameters()):
        torch.testing.assert_close(p, q)


@pytest.mark.parametrize("rho", [0.0, 1.0])
def test_jem_step_runs_at_reinit_extremes(rho):
    model = layers.mlp((2, 8, 2), generator=runtime.make_generator(0))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    buf = jem.ReplayBuffer(8, 2, reinit_prob=rho, generator=runtime.make_generator(1))
    out = jem.jem_step(model, opt, torch.zeros(4, 2), torch.tensor([0, 1, 0, 1]), buf, steps=2,
                       generator=runtime.make_generator(2))
    assert math.isfinite(out.loss)
