"""Tests for paperlib.vae (Kingma & Welling 2014, arXiv 1312.6114)."""

from __future__ import annotations

import math

import pytest
import torch

from paperlib import runtime, train
from paperlib.latent import vae as V


def _post(b=5, k=3, seed=0, dtype=torch.float64):
    g = runtime.make_generator(seed)
    mean = torch.randn(b, k, generator=g).to(dtype)
    log_var = (0.8 * torch.randn(b, k, generator=g)).to(dtype)
    return mean, log_var


def _model(likelihood="bernoulli", k=2, seed=0):
    return V.VAE(6, (8,), k, likelihood=likelihood, generator=runtime.make_generator(seed)).double()


def _x(b=4, d=6, seed=1):
    return torch.rand(b, d, generator=runtime.make_generator(seed), dtype=torch.float64)


# --------------------------------------------------------------------------- KL, appendix B
def test_gaussian_kl_matches_torch_distributions():
    mean, log_var = _post()
    q = torch.distributions.Normal(mean, (0.5 * log_var).exp())
    p = torch.distributions.Normal(torch.zeros_like(mean), torch.ones_like(mean))
    ref = torch.distributions.kl_divergence(q, p).sum(1)
    torch.testing.assert_close(V.gaussian_kl(mean, log_var), ref)


def test_gaussian_kl_properties():
    mean, log_var = _post()
    assert (V.gaussian_kl(mean, log_var) > 0).all()
    zeros = torch.zeros(3, 4, dtype=torch.float64)
    torch.testing.assert_close(V.gaussian_kl(zeros, zeros), torch.zeros(3, dtype=torch.float64))
    # additive over latent dimensions
    torch.testing.assert_close(V.gaussian_kl(mean, log_var), V.gaussian_kl(mean[:, :1], log_var[:, :1]) + V.gaussian_kl(mean[:, 1:], log_var[:, 1:]))


def test_kl_monte_carlo_agrees_with_closed_form():
    mean, log_var = _post(b=6)
    est = V.kl_monte_carlo(mean, log_var, 20000, generator=runtime.make_generator(3))
    z = (est.mean - V.gaussian_kl(mean, log_var)) / est.stderr
    assert z.abs().max() < 4.5, z
    assert (est.stderr < 0.05).all()


def test_kl_monte_carlo_is_seeded():
    mean, log_var = _post()
    a = V.kl_monte_carlo(mean, log_var, 10, generator=runtime.make_generator(5))
    b = V.kl_monte_carlo(mean, log_var, 10, generator=runtime.make_generator(5))
    torch.testing.assert_close(a.mean, b.mean)


# --------------------------------------------------------------------------- reparameterisation
def test_reparameterize_formula_and_gradients():
    mean, log_var = _post()
    eps = torch.randn(mean.shape, generator=runtime.make_generator(2), dtype=mean.dtype)
    z = V.reparameterize(mean, log_var, noise=eps)
    torch.testing.assert_close(z, mean + torch.exp(log_var) ** 0.5 * eps)
    # dz/dmu = 1, dz/dlog_var = eps * sigma / 2: checked with gradcheck in float64
    assert torch.autograd.gradcheck(lambda m, lv: V.reparameterize(m, lv, noise=eps), (mean.requires_grad_(), log_var.requires_grad_()))


def test_reparameterize_moments():
    mean = torch.tensor([[1.0, -2.0]], dtype=torch.float64).expand(40000, 2)
    log_var = torch.tensor([[0.0, math.log(0.25)]], dtype=torch.float64).expand(40000, 2)
    z = V.reparameterize(mean, log_var, generator=runtime.make_generator(0))
    torch.testing.assert_close(z.mean(0), torch.tensor([1.0, -2.0], dtype=torch.float64), atol=0.02, rtol=0)
    torch.testing.assert_close(z.std(0), torch.tensor([1.0, 0.5], dtype=torch.float64), atol=0.02, rtol=0)


# --------------------------------------------------------------------------- likelihoods
def test_bernoulli_log_likelihood_matches_loop():
    x, logits = _x(), 2 * _x(seed=2) - 1
    y = torch.sigmoid(logits)
    naive = torch.tensor(
        [sum(x[b, d] * math.log(y[b, d]) + (1 - x[b, d]) * math.log(1 - y[b, d]) for d in range(x.shape[1])) for b in range(len(x))],
        dtype=x.dtype,
    )
    torch.testing.assert_close(V.bernoulli_log_likelihood(x, logits), naive)


@pytest.mark.parametrize("shape", [(), (6,), (4, 6), (4, 1)])
def test_gaussian_log_likelihood_matches_torch_normal_for_any_broadcastable_sigma(shape):
    x, mean = _x(), _x(seed=2)
    log_sigma = 0.3 * torch.randn(shape, generator=runtime.make_generator(4), dtype=torch.float64)
    ref = torch.distributions.Normal(mean, log_sigma.exp().expand_as(x)).log_prob(x).sum(1)
    torch.testing.assert_close(V.gaussian_log_likelihood(x, mean, log_sigma), ref)
    torch.testing.assert_close(V.gaussian_log_likelihood(x, mean, sigma=log_sigma.exp()), ref)


def test_gaussian_log_likelihood_float_sigma():
    x, mean = _x(), _x(seed=2)
    ref = torch.distributions.Normal(mean, 0.5).log_prob(x).sum(1)
    torch.testing.assert_close(V.gaussian_log_likelihood(x, mean, math.log(0.5)), ref)
    torch.testing.assert_close(V.gaussian_log_likelihood(x, mean, sigma=0.5), ref)


# --------------------------------------------------------------------------- ELBO, eq. (10)
def test_elbo_terms_and_beta():
    model = _model()
    x = _x()
    eps = torch.randn(4, 2, generator=runtime.make_generator(7), dtype=torch.float64)
    t1 = V.elbo(model, x, noise=eps)
    t3 = V.elbo(model, x, beta=3.0, noise=eps)
    post = model.encode(x)
    z = post.mean + (0.5 * post.log_var).exp() * eps
    rec = V.bernoulli_log_likelihood(x, model.decode_logits(z))
    torch.testing.assert_close(t1.reconstruction, rec)
    torch.testing.assert_close(t1.kl, V.gaussian_kl(*post))
    torch.testing.assert_close(t1.total, rec - t1.kl)
    torch.testing.assert_close(t3.total, rec - 3 * t1.kl)


def test_elbo_gaussian_with_callable_sigma():
    model = _model("gaussian")
    x = _x()
    eps = torch.zeros(4, 2, dtype=torch.float64)
    a = V.elbo(model, x, log_sigma=lambda x_, m: torch.tensor(-1.0, dtype=torch.float64), noise=eps)
    b = V.elbo(model, x, log_sigma=-1.0, noise=eps)
    torch.testing.assert_close(a.total, b.total)
    mean = model.decode(model.encode(x).mean)
    torch.testing.assert_close(b.reconstruction, V.gaussian_log_likelihood(x, mean, -1.0))


def test_elbo_is_a_lower_bound_on_log_likelihood():
    """log p(x) = log E_q[p(x|z) p(z) / q(z|x)] >= ELBO (importance sampling estimate, many samples)."""
    model = _model("gaussian", seed=3)
    x = _x(b=2)
    post = model.encode(x)
    S = 20000
    eps = torch.randn(S, *post.mean.shape, generator=runtime.make_generator(8), dtype=torch.float64)
    z = post.mean + (0.5 * post.log_var).exp() * eps  # (S, B, K)
    mean = model.decode(z.reshape(-1, 2)).reshape(S, 2, -1)
    log_px_z = V.gaussian_log_likelihood(x.expand(S, -1, -1).reshape(-1, 6), mean.reshape(-1, 6), 0.0).reshape(S, 2)
    log_w = log_px_z - 0.5 * z.pow(2).sum(2) + 0.5 * (post.log_var + eps.pow(2)).sum(2)  # log p(x|z) + log p(z) - log q
    log_px = torch.logsumexp(log_w, 0) - math.log(S)
    with torch.no_grad():
        bound = torch.stack([V.elbo(model, x, generator=runtime.make_generator(s)).total for s in range(2000)]).mean(0)
    assert (bound < log_px.detach()).all()


def test_training_improves_held_out_elbo():
    g = runtime.make_generator(0)
    x = (torch.rand(200, 6, generator=g) < torch.linspace(0.1, 0.9, 6)).float()
    model = V.VAE(6, (16,), 2, generator=runtime.make_generator(1))
    before = V.evaluate_elbo(model, x, n_samples=5, generator=runtime.make_generator(2)).total
    train.fit(model, V.elbo_step(generator=runtime.make_generator(3)), (x,), epochs=30, batch_size=50, lr=1e-2, generator=g, progress=False)
    after = V.evaluate_elbo(model, x, n_samples=5, generator=runtime.make_generator(2)).total
    assert after > before + 0.5


def test_sample_prior_and_decode_grid():
    model = _model().float()
    s = V.sample_prior(model, 7, generator=runtime.make_generator(0))
    assert s.shape == (7, 6) and (s >= 0).all() and (s <= 1).all()
    grid = V.decode_grid(model, [-1.0, 0.0, 1.0], [0.5, 2.0])
    assert grid.shape == (2, 3, 6)
    torch.testing.assert_close(grid[1, 0], model.decode(torch.tensor([[-1.0, 2.0]]))[0].detach())


# --------------------------------------------------------------------------- bad input
def test_bad_inputs_name_the_argument():
    mean, log_var = _post()
    model = _model("gaussian")
    x = _x()
    with pytest.raises(ValueError, match="beta"):
        V.elbo(model, x, beta=-1.0)
    with pytest.raises(TypeError, match="beta"):
        V.elbo(model, x, beta="1")
    with pytest.raises(ValueError, match="sigma"):
        V.gaussian_log_likelihood(x, x, sigma=-0.1)
    with pytest.raises(ValueError, match="sigma"):
        V.gaussian_log_likelihood(x, x, sigma=torch.tensor([0.1, 0.0, 1, 1, 1, 1], dtype=torch.float64))
    with pytest.raises(ValueError, match="log_sigma"):
        V.gaussian_log_likelihood(x, x, torch.zeros(5, dtype=torch.float64))
    with pytest.raises(ValueError, match="log_sigma"):
        V.gaussian_log_likelihood(x, x, float("inf"))
    with pytest.raises(ValueError, match="log_sigma"):
        V.gaussian_log_likelihood(x, x)
    with pytest.raises(ValueError, match="mean"):
        V.gaussian_log_likelihood(x, x[:, :3], 0.0)
    with pytest.raises(ValueError, match="log_var"):
        V.gaussian_kl(mean, log_var[:, :2])
    with pytest.raises(ValueError, match="mean"):
        V.gaussian_kl(mean[0], log_var[0])
    with pytest.raises(TypeError, match="mean"):
        V.gaussian_kl(mean.long(), log_var)
    with pytest.raises(ValueError, match="noise"):
        V.reparameterize(mean, log_var, noise=torch.zeros(2, 2))
    with pytest.raises(TypeError, match="generator"):
        V.reparameterize(mean, log_var, generator=0)
    with pytest.raises(ValueError, match="n_samples"):
        V.kl_monte_carlo(mean, log_var, 0)
    with pytest.raises(ValueError, match="x"):
        V.bernoulli_log_likelihood(x + 1, x)
    with pytest.raises(ValueError, match="likelihood"):
        V.VAE(6, (8,), 2, likelihood="poisson", generator=runtime.make_generator(0))
    with pytest.raises(ValueError, match="x"):
        model.encode(torch.zeros(3, 5, dtype=torch.float64))
    with pytest.raises(ValueError, match="z"):
        model.decode(torch.zeros(3, 5, dtype=torch.float64))
    with pytest.raises(ValueError, match="log_sigma"):
        V.elbo(_model("bernoulli"), x, log_sigma=0.0)
    with pytest.raises(TypeError, match="model"):
        V.elbo(torch.nn.Linear(2, 2), x)
    with pytest.raises(ValueError, match="latent_dim"):
        V.decode_grid(_model(k=3), [0.0], [0.0])
    with pytest.raises(ValueError, match="n"):
        V.sample_prior(model, 0)
