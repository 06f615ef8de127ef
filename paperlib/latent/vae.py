"""Variational auto-encoder (Kingma & Welling 2014, arXiv 1312.6114).

    GaussianEncoder           section 2.4 / appendix C.2: q(z|x) = N(mu(x), diag(sigma^2(x)))
    reparameterize            section 2.4 / eq. (4): z = mu + sigma * eps, eps ~ N(0, I)
    gaussian_kl               appendix B: -KL(q || N(0, I)) = 1/2 sum_j (1 + log sigma_j^2 - mu_j^2 - sigma_j^2)
    kl_monte_carlo            the same KL estimated by sampling, E_q[log q(z|x) - log p(z)]
    bernoulli_log_likelihood  appendix C.1: log p(x|z) = sum_d x_d log y_d + (1 - x_d) log(1 - y_d)
    gaussian_log_likelihood   appendix C.2: log N(x; mean, sigma^2 I), any broadcastable sigma
    VAE                       encoder + decoder (MLPs from ``paperlib.layers.mlp``)
    elbo                      eq. (10): L = -KL(q(z|x) || p(z)) + log p(x|z), one sample of z;
                              with a weight beta on the KL (beta = 1: the plain VAE; the
                              beta-VAE of Higgins et al. 2017 otherwise)
    evaluate_elbo             held-out ELBO averaged over examples and samples (no gradients)
    sample_prior              decode z ~ p(z) = N(0, I)
    decode_grid               decode a grid of latent points (the paper's figure 4 "manifold")

Shapes: data x is (B, D) with the batch first (digits: D = 64, pixels in [0, 1]); latents
are (B, K). Log-likelihoods, KLs and ELBO terms are per example, (B,), summed over pixels /
latent dimensions, in nats. Losses for ``fit`` are batch means of -ELBO.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from paperlib import checks
from paperlib.layers import mlp

__all__ = [
    "Posterior",
    "GaussianEncoder",
    "reparameterize",
    "gaussian_kl",
    "KLEstimate",
    "kl_monte_carlo",
    "bernoulli_log_likelihood",
    "gaussian_log_likelihood",
    "VAE",
    "ELBOTerms",
    "elbo",
    "elbo_step",
    "evaluate_elbo",
    "sample_prior",
    "decode_grid",
]

LIKELIHOODS = ("bernoulli", "gaussian")
LOG_2PI = math.log(2 * math.pi)


# --------------------------------------------------------------------------- checks
def _check_beta(beta: float) -> float:
    return checks.real(beta, "beta", low=0)


def _check_log_sigma(log_sigma: object) -> None:
    """A float, a tensor, a callable (x, mean) -> log sigma, or None (the tensor is checked where it is used)."""
    if log_sigma is not None and not callable(log_sigma) and not isinstance(log_sigma, Tensor):
        checks.real(log_sigma, "log_sigma")


def _noise(shape: torch.Size, like: Tensor, generator: torch.Generator | None) -> Tensor:
    """Standard normal noise drawn on CPU with ``generator`` (same numbers on any device), then moved."""
    return torch.randn(shape, generator=generator, dtype=like.dtype).to(like.device)


# --------------------------------------------------------------------------- encoder q(z|x)
class Posterior(NamedTuple):
    """The encoder's Gaussian q(z|x) = N(mean, diag(exp(log_var))): both (B, K)."""

    mean: Tensor
    log_var: Tensor


class GaussianEncoder(nn.Module):
    """Gaussian MLP encoder q(z|x), arXiv 1312.6114 appendix C.2 (section 3: the "recognition model").

    One ReLU MLP ``in_dim -> hidden... -> 2 K``; the output is split into the mean and the
    log-variance (log sigma^2, unconstrained, so sigma > 0 always). (B, in_dim) -> Posterior((B, K), (B, K)).
    """

    def __init__(self, in_dim: int, hidden: Sequence[int], latent_dim: int, *, generator: torch.Generator):
        super().__init__()
        checks.positive_int(in_dim, "in_dim")
        checks.sequence(hidden, "hidden", checks.positive_int, min_length=0, what="positive ints (hidden layer sizes)")
        checks.positive_int(latent_dim, "latent_dim")
        self.latent_dim = latent_dim
        self.net = mlp((in_dim, *hidden, 2 * latent_dim), generator=generator)

    def forward(self, x: Tensor) -> Posterior:
        checks.tensor(x, "x", shape=("B", self.net[0].in_features))
        mean, log_var = self.net(x).chunk(2, dim=1)  # (B, K), (B, K)
        return Posterior(mean, log_var)


# --------------------------------------------------------------------------- reparameterisation
def reparameterize(
    mean: Tensor,
    log_var: Tensor,
    *,
    generator: torch.Generator | None = None,
    noise: Tensor | None = None,
) -> Tensor:
    """The reparameterisation trick, arXiv 1312.6114 section 2.4 (eq. 4 with g = mu + sigma * eps).

    z = mean + exp(log_var / 2) * eps, eps ~ N(0, I). The randomness sits in eps, so z is a
    differentiable function of (mean, log_var). mean, log_var: (B, K) -> z (B, K).
    Pass ``noise`` (B, K) to fix eps (tests, paired comparisons) or ``generator`` to draw it.
    """
    checks.same_shape(mean, log_var, "mean", "log_var", dim=2, shape="(B, D)")
    checks.generator(generator, optional=True)
    if noise is None:
        noise = _noise(mean.shape, mean, generator)
    else:
        checks.tensor(noise, "noise (like mean)", shape=tuple(mean.shape))
    return mean + torch.exp(0.5 * log_var) * noise  # eq. (4): z = mu + sigma * eps


# --------------------------------------------------------------------------- KL(q || p)
def gaussian_kl(mean: Tensor, log_var: Tensor) -> Tensor:
    """Closed-form KL(q(z|x) || N(0, I)), arXiv 1312.6114 appendix B (the first term of eq. 10).

    KL = -1/2 sum_j (1 + log sigma_j^2 - mu_j^2 - sigma_j^2) >= 0, zero only when mean = 0 and
    log_var = 0. mean, log_var: (B, K) -> (B,) in nats.
    """
    checks.same_shape(mean, log_var, "mean", "log_var", dim=2, shape="(B, D)")
    return -0.5 * (1 + log_var - mean.pow(2) - log_var.exp()).sum(dim=1)


class KLEstimate(NamedTuple):
    """A Monte-Carlo estimate per example: ``mean`` (B,) and its standard error ``stderr`` (B,)."""

    mean: Tensor
    stderr: Tensor


def kl_monte_carlo(
    mean: Tensor,
    log_var: Tensor,
    n_samples: int,
    *,
    generator: torch.Generator | None = None,
) -> KLEstimate:
    """Monte-Carlo KL(q(z|x) || N(0, I)) = E_q[log q(z|x) - log p(z)], the KL part of arXiv 1312.6114 eq. (6).

    The generic SGVB estimator A (eq. 6) samples the whole lower bound, KL included; estimator B
    (eq. 7) uses the closed form (``gaussian_kl``) instead. Here, the KL part of estimator A:
    draw ``n_samples`` z per example by reparameterisation and average log q - log p.
    mean, log_var: (B, K) -> KLEstimate(mean (B,), stderr (B,)); stderr = sample std / sqrt(S).
    """
    checks.same_shape(mean, log_var, "mean", "log_var", dim=2, shape="(B, D)")
    checks.positive_int(n_samples, "n_samples")
    checks.generator(generator, optional=True)
    eps = _noise(torch.Size((n_samples, *mean.shape)), mean, generator)  # (S, B, K)
    z = mean + torch.exp(0.5 * log_var) * eps  # (S, B, K)
    log_q = -0.5 * (LOG_2PI + log_var + eps.pow(2)).sum(dim=2)  # (S, B): (z - mu)^2 / sigma^2 = eps^2
    log_p = -0.5 * (LOG_2PI + z.pow(2)).sum(dim=2)  # (S, B)
    diff = log_q - log_p  # (S, B)
    stderr = diff.std(dim=0) / math.sqrt(n_samples) if n_samples > 1 else torch.full_like(diff[0], float("inf"))
    return KLEstimate(diff.mean(dim=0), stderr)


# --------------------------------------------------------------------------- decoders p(x|z)
def bernoulli_log_likelihood(x: Tensor, logits: Tensor) -> Tensor:
    """Bernoulli decoder log p(x|z), arXiv 1312.6114 appendix C.1, from logits (y = sigmoid(logits)).

    log p(x|z) = sum_d x_d log y_d + (1 - x_d) log(1 - y_d), computed stably from the logits.
    x (B, D) in [0, 1] (grey levels are used as soft targets, as the paper does with MNIST),
    logits (B, D) -> (B,) in nats (always <= 0).
    """
    checks.same_shape(x, logits, "x", "logits", dim=2, shape="(B, D)")
    checks.values(x, "x (Bernoulli targets)", low=0, high=1)
    return -F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(dim=1)


def gaussian_log_likelihood(
    x: Tensor,
    mean: Tensor,
    log_sigma: Tensor | float | None = None,
    *,
    sigma: Tensor | float | None = None,
) -> Tensor:
    """Gaussian decoder log N(x; mean, sigma^2 I), arXiv 1312.6114 appendix C.2, summed over pixels.

    log p(x|z) = sum_d [ -(x_d - mean_d)^2 / (2 sigma_d^2) - log sigma_d - 1/2 log 2 pi ]

    x, mean: (B, D). Give the decoder's standard deviation either as ``log_sigma`` or as
    ``sigma`` (> 0), exactly one of them; either may be a float or a tensor broadcastable to
    (B, D): a scalar (one shared sigma), (D,) (one per pixel) or (B, D). Returns (B,) in nats.
    sigma must lie in [1e-3, 1e6] (log_sigma in [log 1e-3, log 1e6]) everywhere (``checks.scale``):
    beyond that, 1 / sigma^2 over- or underflows in float32.
    """
    checks.same_shape(x, mean, "x", "mean", dim=2, shape="(B, D)")
    if (log_sigma is None) == (sigma is None):
        raise ValueError("give exactly one of log_sigma and sigma (the decoder's standard deviation)")
    name, given = ("sigma", sigma) if sigma is not None else ("log_sigma", log_sigma)
    if isinstance(given, Tensor):
        checks.tensor(given, name)
    else:
        given = torch.as_tensor(checks.real(given, name), dtype=x.dtype, device=x.device)
    if sigma is not None:
        checks.values(given, "sigma", low=checks.SCALE_MIN, high=checks.SCALE_MAX)
        log_sigma = given.log()
    else:
        checks.values(given, "log_sigma", low=math.log(checks.SCALE_MIN), high=math.log(checks.SCALE_MAX))
        log_sigma = given
    try:
        shape = torch.broadcast_shapes(log_sigma.shape, x.shape)
    except RuntimeError:
        shape = None
    if shape != x.shape:
        raise ValueError(f"{name} must broadcast to x's shape {tuple(x.shape)} (scalar, (D,) or (B, D)), got {tuple(log_sigma.shape)}")
    sq = ((x - mean) * torch.exp(-log_sigma)).pow(2)  # (B, D): ((x - mean) / sigma)^2
    return (-0.5 * sq - log_sigma - 0.5 * LOG_2PI).sum(dim=1)


# --------------------------------------------------------------------------- the model
class VAE(nn.Module):
    """A VAE with MLP encoder and decoder, arXiv 1312.6114 section 3 and appendix C.

    encoder: ``in_dim -> hidden... -> 2 latent_dim`` (mean, log-variance of q(z|x));
    decoder: ``latent_dim -> reversed(hidden)... -> in_dim`` outputs the pixels' logits.
    ``likelihood`` says how ``elbo`` reads them: "bernoulli" (logits of p(x|z)) or "gaussian"
    (the mean is sigmoid(logits), so it stays in [0, 1] like the pixels).
    ``forward(x)`` is the deterministic reconstruction: pixel means decoded from the posterior mean.
    """

    def __init__(
        self,
        in_dim: int,
        hidden: Sequence[int],
        latent_dim: int,
        *,
        likelihood: str = "bernoulli",
        generator: torch.Generator,
    ):
        super().__init__()
        checks.choice(likelihood, "likelihood", LIKELIHOODS)
        self.likelihood = likelihood
        self.in_dim = in_dim
        self.latent_dim = latent_dim
        self.encoder = GaussianEncoder(in_dim, hidden, latent_dim, generator=generator)
        self.decoder = mlp((latent_dim, *reversed(list(hidden)), in_dim), generator=generator)

    def encode(self, x: Tensor) -> Posterior:
        """q(z|x): (B, D) -> Posterior((B, K), (B, K))."""
        checks.tensor(x, "x", shape=("B", self.in_dim), finite=False)  # the encoder checks for NaN
        return self.encoder(x)

    def decode_logits(self, z: Tensor) -> Tensor:
        """The decoder's raw output: (B, K) -> (B, D)."""
        checks.tensor(z, "z", shape=("B", self.latent_dim))
        return self.decoder(z)

    def decode(self, z: Tensor) -> Tensor:
        """Pixel means E[x|z] = sigmoid(decoder(z)) in [0, 1] (both likelihoods): (B, K) -> (B, D)."""
        return torch.sigmoid(self.decode_logits(z))

    def forward(self, x: Tensor) -> Tensor:
        return self.decode(self.encode(x).mean)  # (B, D)


# --------------------------------------------------------------------------- ELBO, eq. (10)
class ELBOTerms(NamedTuple):
    """Per-example ELBO pieces, all (B,) in nats (arXiv 1312.6114 eq. 10).

    total: reconstruction - beta * kl (the objective that training maximises; = the ELBO at beta = 1)
    reconstruction: log p(x|z) for one z ~ q(z|x) (the eq. 10 estimate with L = 1)
    kl: KL(q(z|x) || N(0, I)) in closed form (appendix B)
    """

    total: Tensor
    reconstruction: Tensor
    kl: Tensor


LogSigma = Tensor | float | Callable[[Tensor, Tensor], Tensor] | None


def elbo(
    model: VAE,
    x: Tensor,
    *,
    beta: float = 1.0,
    log_sigma: LogSigma = None,
    generator: torch.Generator | None = None,
    noise: Tensor | None = None,
) -> ELBOTerms:
    """The SGVB estimator of the ELBO, arXiv 1312.6114 eq. (10), with a weight beta on the KL.

    total = log p(x|z) - beta * KL(q(z|x) || N(0, I)),  z = mean + sigma * eps (one sample).

    beta = 1 is the paper's bound; beta != 1 is the beta-VAE objective (Higgins et al. 2017).
    For ``model.likelihood == "gaussian"`` the decoder's log sigma is ``log_sigma``: a float,
    a tensor broadcastable to (B, D), or a callable ``(x, mean) -> log_sigma`` (used by the
    sigma-VAE for the optimal sigma); None means sigma = 1. Bernoulli models take no log_sigma.
    x: (B, D) -> ELBOTerms of (B,) tensors. ``noise`` (B, K) fixes eps; else ``generator`` draws it.
    """
    checks.instance(model, "model", VAE)
    beta = _check_beta(beta)
    _check_log_sigma(log_sigma)
    post = model.encode(x)
    z = reparameterize(post.mean, post.log_var, generator=generator, noise=noise)  # (B, K)
    logits = model.decode_logits(z)  # (B, D)
    if model.likelihood == "bernoulli":
        if log_sigma is not None:
            raise ValueError("log_sigma is only for likelihood='gaussian'; this model is Bernoulli")
        rec = bernoulli_log_likelihood(x, logits)  # (B,)
    else:
        mean = torch.sigmoid(logits)  # (B, D)
        if log_sigma is None:
            log_sigma = 0.0
        elif callable(log_sigma):
            log_sigma = log_sigma(x, mean)
        rec = gaussian_log_likelihood(x, mean, log_sigma)  # (B,)
    kl = gaussian_kl(post.mean, post.log_var)  # (B,)
    return ELBOTerms(rec - beta * kl, rec, kl)


def elbo_step(
    *, beta: float = 1.0, generator: torch.Generator, log_sigma: LogSigma = None
) -> Callable[[nn.Module, Sequence[Tensor]], Tensor]:
    """A ``fit`` step for the (beta-weighted) ELBO of arXiv 1312.6114 eq. (10): loss = -mean_b total.

    batch = (x (B, D), ...). The noise eps is drawn from ``generator`` (keep it separate from
    the one ``fit`` shuffles with, so the two streams do not interfere).
    """
    beta = _check_beta(beta)
    checks.generator(generator)
    _check_log_sigma(log_sigma)

    def step(model: nn.Module, batch: Sequence[Tensor]) -> Tensor:
        return -elbo(model, batch[0], beta=beta, log_sigma=log_sigma, generator=generator).total.mean()

    return step


@torch.no_grad()
def evaluate_elbo(
    model: VAE,
    x: Tensor,
    *,
    log_sigma: LogSigma = None,
    n_samples: int = 1,
    generator: torch.Generator | None = None,
) -> ELBOTerms:
    """Held-out ELBO (beta = 1, arXiv 1312.6114 eq. 10) averaged over examples and ``n_samples`` draws of z.

    Returns ELBOTerms of scalars (nats per example): total = reconstruction - kl. Eval mode.
    """
    checks.instance(model, "model", VAE)
    _check_log_sigma(log_sigma)
    checks.positive_int(n_samples, "n_samples")
    checks.generator(generator, optional=True)
    model.eval()
    runs = [elbo(model, x, log_sigma=log_sigma, generator=generator) for _ in range(n_samples)]
    rec = torch.stack([r.reconstruction for r in runs]).mean()
    kl = torch.stack([r.kl for r in runs]).mean()
    return ELBOTerms(rec - kl, rec, kl)


# --------------------------------------------------------------------------- generation
@torch.no_grad()
def sample_prior(model: VAE, n: int, *, generator: torch.Generator | None = None) -> Tensor:
    """Generate: z ~ p(z) = N(0, I), x = E[x|z] (arXiv 1312.6114 section 3). -> (n, D) pixel means."""
    checks.instance(model, "model", VAE)
    checks.positive_int(n, "n")
    checks.generator(generator, optional=True)
    model.eval()
    device = next(model.parameters()).device
    z = torch.randn(n, model.latent_dim, generator=generator).to(device)  # (n, K)
    return model.decode(z).cpu()


@torch.no_grad()
def decode_grid(model: VAE, z1: Sequence[float], z2: Sequence[float]) -> Tensor:
    """Decode a grid of 2-D latent points, the learned manifold of arXiv 1312.6114 figure 4.

    z1 (n1 values, horizontal), z2 (n2 values, vertical) -> (n2, n1, D) pixel means, row i
    holding z2[i]. The model must have latent_dim == 2.
    """
    checks.instance(model, "model", VAE)
    if model.latent_dim != 2:
        raise ValueError(f"model must have latent_dim == 2 for a 2-D grid, got {model.latent_dim}")
    z1 = torch.as_tensor(checks.sequence(z1, "z1", checks.real, what="numbers"), dtype=torch.float32)
    z2 = torch.as_tensor(checks.sequence(z2, "z2", checks.real, what="numbers"), dtype=torch.float32)
    model.eval()
    device = next(model.parameters()).device
    g2, g1 = torch.meshgrid(z2, z1, indexing="ij")  # (n2, n1) each
    z = torch.stack([g1.reshape(-1), g2.reshape(-1)], dim=1).to(device)  # (n2 * n1, 2)
    return model.decode(z).cpu().reshape(len(z2), len(z1), -1)  # (n2, n1, D)
