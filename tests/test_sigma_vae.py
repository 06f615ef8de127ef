"""Tests for paperlib.sigma_vae (Rybkin, Daniilidis & Levine 2021, arXiv 2006.13202)."""

from __future__ import annotations

import math

import pytest
import torch

from paperlib import runtime, train
from paperlib.latent import sigma_vae as S
from paperlib.latent import vae as V


def _x(b=8, d=6, seed=1):
    return torch.rand(b, d, generator=runtime.make_generator(seed), dtype=torch.float64)


def _model(mode="optimal", sigma=1.0, seed=0):
    return S.SigmaVAE(6, (8,), 2, sigma_mode=mode, sigma=sigma, generator=runtime.make_generator(seed)).double()


def _eps(b=8, seed=3):
    return torch.randn(b, 2, generator=runtime.make_generator(seed), dtype=torch.float64)


def _grads(model, loss):
    return torch.autograd.grad(loss, [p for p in model.parameters() if p.requires_grad])


def test_optimal_log_sigma_is_the_mle_of_a_shared_sigma():
    x, mean = _x(), _x(seed=2)
    ls = S.optimal_log_sigma(x, mean)
    assert ls.item() == pytest.approx(0.5 * math.log(((x - mean) ** 2).mean().item()))
    # it maximises the Gaussian log-likelihood over a scalar sigma (grid search agrees)
    grid = torch.linspace(ls.item() - 1, ls.item() + 1, 2001, dtype=torch.float64)
    ll = torch.stack([V.gaussian_log_likelihood(x, mean, g).sum() for g in grid])
    assert grid[ll.argmax()].item() == pytest.approx(ls.item(), abs=1e-3)
    # and it is a stationary point: d/dlog_sigma of the log-likelihood is 0 there
    log_sigma = ls.detach().clone().requires_grad_(True)
    (g,) = torch.autograd.grad(V.gaussian_log_likelihood(x, mean, log_sigma).sum(), log_sigma)
    assert abs(g.item()) < 1e-9


def test_optimal_sigma_detached_or_not_gives_the_same_gradients():
    """At sigma*, the likelihood is stationary in sigma: the path through sigma* adds nothing."""
    model, x, eps = _model("optimal"), _x(), _eps()
    kept = -V.elbo(model, x, log_sigma=S.optimal_log_sigma, noise=eps).total.mean()
    detached = -V.elbo(model, x, log_sigma=lambda x_, m: S.optimal_log_sigma(x_, m).detach(), noise=eps).total.mean()
    a, b = _grads(model, kept), _grads(model, detached)
    for ga, gb in zip(a, b):
        torch.testing.assert_close(ga, gb)


def test_fixed_sigma_gradients_equal_beta_vae_gradients_over_two_sigma_squared():
    for sigma in (0.1, 0.5, 1.0, 3.0):
        model, x, eps = _model("fixed", sigma=sigma), _x(), _eps()
        g_sigma = _grads(model, S.fixed_sigma_objective(model, x, sigma, noise=eps))
        g_beta = _grads(model, S.beta_vae_objective(model, x, S.equivalent_beta(sigma), noise=eps))
        for a, b in zip(g_sigma, g_beta):
            torch.testing.assert_close(a, b / (2 * sigma**2), rtol=1e-10, atol=1e-12)


def test_fixed_sigma_objective_equals_beta_objective_plus_constant():
    sigma, model, x, eps = 0.3, _model("fixed", sigma=0.3), _x(), _eps()
    lhs = S.fixed_sigma_objective(model, x, sigma, noise=eps)
    rhs = S.beta_vae_objective(model, x, 2 * sigma**2, noise=eps) / (2 * sigma**2) + 6 * (math.log(sigma) + 0.5 * math.log(2 * math.pi))
    assert lhs.item() == pytest.approx(rhs.item(), rel=1e-12)


def test_sigma_vae_elbo_per_mode():
    x, eps = _x(), _eps()
    for mode in S.SIGMA_MODES:
        model = _model(mode, sigma=0.5)
        t = S.sigma_vae_elbo(model, x, noise=eps)
        post = model.encode(x)
        mean = model.decode(post.mean + (0.5 * post.log_var).exp() * eps)
        if mode == "fixed":
            ls = torch.tensor(math.log(0.5), dtype=torch.float64)
        elif mode == "optimal":
            ls = S.softclip(0.5 * ((x - mean) ** 2).mean().log())
        else:
            ls = S.softclip(torch.full((6,) if mode == "per_pixel" else (), math.log(0.5), dtype=torch.float64))
        torch.testing.assert_close(t.reconstruction, V.gaussian_log_likelihood(x, mean, ls))
        torch.testing.assert_close(t.total, t.reconstruction - V.gaussian_kl(*post))
    assert _model("learned").log_sigma.requires_grad and _model("per_pixel").log_sigma.shape == (6,)
    assert not any(p is _model("fixed").log_sigma for p in _model("fixed").parameters())


def test_softclip():
    t = torch.tensor([-50.0, -6.0, 0.0, 3.0], dtype=torch.float64)
    out = S.softclip(t)
    assert (out >= -6).all() and out[1] > -6
    torch.testing.assert_close(out[2:], t[2:], atol=1e-2, rtol=0)


def test_learned_sigma_moves_towards_the_optimal_sigma():
    g = runtime.make_generator(0)
    x = torch.rand(128, 6, generator=g) * 0.2 + torch.linspace(0.2, 0.6, 6)
    model = S.SigmaVAE(6, (16,), 2, sigma_mode="learned", generator=runtime.make_generator(1))
    train.fit(model, S.sigma_vae_step(generator=runtime.make_generator(2)), (x,), epochs=400, batch_size=128, lr=2e-2, generator=g, progress=False)
    with torch.no_grad():
        post = model.encode(x)
        mean = model.decode(V.reparameterize(*post, generator=runtime.make_generator(3)))
        opt = S.optimal_log_sigma(x, mean).exp().item()
    learned = S.softclip(model.log_sigma).exp().item()
    assert learned < 0.3 and abs(learned - opt) / opt < 0.35, (learned, opt)


def test_calibrated_log_sigma_matches_optimal_on_the_same_draw():
    model, x = _model("fixed"), _x(b=16)
    got = S.calibrated_log_sigma(model, x, generator=runtime.make_generator(4))
    post = model.encode(x)
    eps = torch.randn(post.mean.shape, generator=runtime.make_generator(4), dtype=torch.float64)
    mean = model.decode(post.mean + (0.5 * post.log_var).exp() * eps)
    torch.testing.assert_close(got, S.optimal_log_sigma(x, mean).detach())
    with pytest.raises(TypeError, match="model"):
        S.calibrated_log_sigma(torch.nn.Linear(6, 6), x)


def test_equivalent_beta_and_sigma():
    assert S.equivalent_beta(1.0) == 2.0
    assert S.equivalent_sigma(S.equivalent_beta(0.37)) == pytest.approx(0.37)


def test_bad_inputs_name_the_argument():
    x = _x()
    with pytest.raises(ValueError, match="sigma_mode"):
        _model("adaptive")
    with pytest.raises(ValueError, match="sigma"):
        _model("fixed", sigma=-1.0)
    with pytest.raises(ValueError, match="sigma"):
        S.equivalent_beta(0.0)
    with pytest.raises(ValueError, match="beta"):
        S.equivalent_sigma(-1.0)
    with pytest.raises(ValueError, match="beta"):
        S.equivalent_sigma(0.0)
    with pytest.raises(ValueError, match="beta"):
        S.beta_vae_objective(_model(), x, -0.5)
    with pytest.raises(ValueError, match="beta"):
        S.beta_vae_step(-0.5, generator=runtime.make_generator(0))
    with pytest.raises(ValueError, match="sigma"):
        S.fixed_sigma_objective(_model("fixed"), x, 0.0)
    with pytest.raises(ValueError, match="mean"):
        S.optimal_log_sigma(x, x[:, :2])
    with pytest.raises(ValueError, match="mean"):
        S.optimal_log_sigma(x, x)
    with pytest.raises(TypeError, match="model"):
        S.sigma_vae_elbo(V.VAE(6, (8,), 2, generator=runtime.make_generator(0)), x.float())
    with pytest.raises(TypeError, match="generator"):
        S.sigma_vae_step(generator=None)
    with pytest.raises(TypeError, match="log_sigma"):
        S.softclip(0.0)
