"""Calibrated decoders for Gaussian VAEs: the sigma-VAE (Rybkin, Daniilidis & Levine 2021, arXiv 2006.13202).

A Gaussian decoder p(x|z) = N(mu(z), sigma^2 I) has a variance; the usual Gaussian VAE fixes
sigma = 1, which silently sets the weight between reconstruction and KL. This module keeps
the encoder, decoder, KL and Gaussian likelihood of ``paperlib.vae`` and only changes sigma:

    SIGMA_MODES               "fixed" (a constant), "learned" (one shared scalar parameter),
                              "optimal" (the paper's analytic sigma*), "per_pixel"
                              (one learned sigma per pixel, shared across images)
    optimal_log_sigma         optimal sigma-VAE: sigma*^2 = MSE(x, mu) over the batch and pixels
    softclip                  a soft lower bound on log sigma (the authors' code uses -6)
    SigmaVAE                  a ``vae.VAE`` (Gaussian likelihood) with a decoder sigma per mode
    decoder_log_sigma         the log sigma the model uses on a batch
    calibrated_log_sigma      sigma* of a trained model over a whole dataset (post-hoc calibration)
    sigma_vae_elbo            the ELBO with the calibrated decoder: the ELBO, beta = 1
    beta_vae_objective        beta-VAE link: ||x - mu||^2 + beta * KL (MSE beta-VAE, no sigma)
    equivalent_beta           beta-VAE link: a fixed-sigma Gaussian VAE is a beta-VAE with beta = 2 sigma^2

Shapes as in ``paperlib.vae``: x (B, D), per-example terms (B,) in nats, losses batch means.
Sign conventions: ELBOs are maximised; ``*_objective`` and steps return losses (minimised).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from paperlib import checks
from paperlib.latent import vae as V

__all__ = [
    "SIGMA_MODES",
    "optimal_log_sigma",
    "softclip",
    "SigmaVAE",
    "decoder_log_sigma",
    "sigma_vae_elbo",
    "sigma_vae_step",
    "beta_vae_objective",
    "beta_vae_step",
    "fixed_sigma_objective",
    "equivalent_beta",
    "equivalent_sigma",
    "calibrated_log_sigma",
]

SIGMA_MODES = ("fixed", "learned", "optimal", "per_pixel")
LOG_SIGMA_MIN = -6.0  # the authors' soft floor on log sigma (their code, softclip(log_sigma, -6))


# --------------------------------------------------------------------------- optimal sigma*
def optimal_log_sigma(x: Tensor, mean: Tensor) -> Tensor:
    """The analytic optimal decoder sigma, arXiv 2006.13202 the "optimal sigma-VAE" (analytic sigma*).

    For a shared sigma, the Gaussian log-likelihood sum_b sum_d log N(x_bd; mu_bd, sigma^2) is
    maximised by sigma*^2 = MSE(x, mu) = mean_{b,d} (x_bd - mu_bd)^2. Returns log sigma* as a
    scalar tensor (= 1/2 log MSE). It is *not* detached (as in the authors' code); since the
    likelihood is stationary in sigma at sigma*, detaching would not change the gradients
    w.r.t. mu anyway (checked in the tests). x, mean: (B, D) -> ().
    """
    checks.same_shape(x, mean, "x", "mean", dim=2, shape="(B, D)")
    mse = (x - mean).pow(2).mean()
    if not mse > 0:
        raise ValueError("mean equals x exactly: the optimal sigma would be 0 (log sigma = -inf)")
    return 0.5 * mse.log()


def softclip(log_sigma: Tensor, minimum: float = LOG_SIGMA_MIN) -> Tensor:
    """Soft lower bound: minimum + softplus(log_sigma - minimum) (the authors' code, arXiv 2006.13202).

    Keeps a learned or optimal sigma from collapsing to 0 on pixels that are always the same
    (digits' corners are always 0). Elementwise; about the identity well above ``minimum``.
    """
    checks.tensor(log_sigma, "log_sigma")
    checks.real(minimum, "minimum")
    return minimum + F.softplus(log_sigma - minimum)


# --------------------------------------------------------------------------- the model
class SigmaVAE(V.VAE):
    """A Gaussian VAE whose decoder sigma is fixed, learned, optimal or per pixel (arXiv 2006.13202).

    The encoder/decoder are those of ``paperlib.vae.VAE`` (decoder mean = sigmoid(output)).
    sigma_mode:
      "fixed"     sigma = ``sigma`` always (sigma = 1 is the usual Gaussian VAE; the paper shows
                  it is a beta-VAE with beta = 2 sigma^2);
      "learned"   one scalar log sigma, an ``nn.Parameter`` initialised at log(``sigma``) and trained
                  with the rest (the paper's "sigma-VAE");
      "optimal"   sigma* = sqrt(MSE) of the current batch (the "optimal sigma-VAE") (no parameter);
      "per_pixel" a learned log sigma for each of the D pixels, shared across images (a finer-grained
                  variance, which the paper finds less reliable than a shared one; prone to collapse on constant pixels, hence the softclip).
    Learned and optimal log sigmas pass through ``softclip`` (floor -6), as in the authors' code.
    sigma (the fixed value, or the start of a learned one) must lie in [1e-3, 1e6] (``checks.scale``).
    """

    def __init__(
        self,
        in_dim: int,
        hidden: Sequence[int],
        latent_dim: int,
        *,
        sigma_mode: str = "optimal",
        sigma: float = 1.0,
        generator: torch.Generator,
    ):
        super().__init__(in_dim, hidden, latent_dim, likelihood="gaussian", generator=generator)
        checks.choice(sigma_mode, "sigma_mode", SIGMA_MODES)
        sigma = checks.scale(sigma, "sigma")
        self.sigma_mode = sigma_mode
        log_s = math.log(sigma)
        if sigma_mode == "learned":
            self.log_sigma = nn.Parameter(torch.tensor(log_s))  # ()
        elif sigma_mode == "per_pixel":
            self.log_sigma = nn.Parameter(torch.full((in_dim,), log_s))  # (D,)
        else:
            self.register_buffer("log_sigma", torch.tensor(log_s))  # () fixed; unused when optimal


def decoder_log_sigma(model: SigmaVAE, x: Tensor, mean: Tensor) -> Tensor:
    """The decoder's log sigma for a batch, arXiv 2006.13202: () or (D,).

    fixed: the constant; learned / per_pixel: softclip(parameter); optimal: softclip(log sigma*)
    from this batch's MSE (``optimal_log_sigma``). x, mean: (B, D).
    """
    checks.instance(model, "model", SigmaVAE)
    # values are used (and checked for NaN) only by optimal_log_sigma; the other modes ignore them
    checks.same_shape(x, mean, "x", "mean", shape=("B", model.in_dim), finite=False)
    if model.sigma_mode == "fixed":
        return model.log_sigma
    if model.sigma_mode == "optimal":
        return softclip(optimal_log_sigma(x, mean))
    return softclip(model.log_sigma)


def sigma_vae_elbo(
    model: SigmaVAE,
    x: Tensor,
    *,
    generator: torch.Generator | None = None,
    noise: Tensor | None = None,
) -> V.ELBOTerms:
    """The ELBO of a calibrated Gaussian VAE, arXiv 2006.13202 (beta = 1, sigma per mode).

    log p(x|z) = -||x - mu||^2 / (2 sigma^2) - D log sigma - D/2 log 2 pi, minus KL(q || N(0, I)).
    x: (B, D) -> ELBOTerms of (B,) tensors. Reuses ``paperlib.vae.elbo`` with a log-sigma callable.
    """
    checks.instance(model, "model", SigmaVAE)
    return V.elbo(model, x, beta=1.0, log_sigma=lambda x_, mean: decoder_log_sigma(model, x_, mean),
                  generator=generator, noise=noise)


def sigma_vae_step(*, generator: torch.Generator) -> Callable[[nn.Module, Sequence[Tensor]], Tensor]:
    """A ``fit`` step for the sigma-VAE (arXiv 2006.13202): loss = -mean_b ELBO. batch = (x (B, D), ...)."""
    checks.generator(generator)

    def step(model: nn.Module, batch: Sequence[Tensor]) -> Tensor:
        return -sigma_vae_elbo(model, batch[0], generator=generator).total.mean()

    return step


# --------------------------------------------------------------------------- the beta-VAE link
def beta_vae_objective(
    model: V.VAE,
    x: Tensor,
    beta: float,
    *,
    generator: torch.Generator | None = None,
    noise: Tensor | None = None,
) -> Tensor:
    """The MSE beta-VAE loss, arXiv 2006.13202 (beta-VAE link): mean_b [ ||x - mu(z)||^2 + beta * KL ].

    The squared error is summed over pixels (not averaged), which makes beta = 2 sigma^2 exact
    (``equivalent_beta``). One z ~ q(z|x) per example. x: (B, D) -> scalar loss (minimised).
    """
    checks.instance(model, "model", V.VAE)
    beta = V._check_beta(beta)
    post = model.encode(x)
    z = V.reparameterize(post.mean, post.log_var, generator=generator, noise=noise)  # (B, K)
    sse = (x - model.decode(z)).pow(2).sum(dim=1)  # (B,)
    return (sse + beta * V.gaussian_kl(post.mean, post.log_var)).mean()


def beta_vae_step(beta: float, *, generator: torch.Generator) -> Callable[[nn.Module, Sequence[Tensor]], Tensor]:
    """A ``fit`` step for ``beta_vae_objective`` (arXiv 2006.13202, beta-VAE link). batch = (x (B, D), ...)."""
    beta = V._check_beta(beta)
    checks.generator(generator)

    def step(model: nn.Module, batch: Sequence[Tensor]) -> Tensor:
        return beta_vae_objective(model, batch[0], beta, generator=generator)

    return step


def fixed_sigma_objective(
    model: V.VAE,
    x: Tensor,
    sigma: float,
    *,
    generator: torch.Generator | None = None,
    noise: Tensor | None = None,
) -> Tensor:
    """The negative ELBO of a Gaussian VAE with a fixed decoder sigma, arXiv 2006.13202 (Gaussian decoder ELBO).

    mean_b [ ||x - mu||^2 / (2 sigma^2) + D log sigma + D/2 log 2 pi + KL ] (a loss, minimised).
    beta-VAE link: this equals beta_vae_objective(beta = 2 sigma^2) / (2 sigma^2) + a constant.
    sigma must lie in [1e-3, 1e6] (``checks.scale``).
    """
    sigma = checks.scale(sigma, "sigma")
    checks.instance(model, "model", V.VAE)
    if model.likelihood != "gaussian":
        raise ValueError(f"model must have likelihood='gaussian', got {model.likelihood!r}")
    return -V.elbo(model, x, log_sigma=math.log(sigma), generator=generator, noise=noise).total.mean()


def equivalent_beta(sigma: float) -> float:
    """beta-VAE link, arXiv 2006.13202: a Gaussian VAE with fixed sigma is a beta-VAE with beta = 2 sigma^2.

    sigma must lie in [1e-3, 1e6] (``checks.scale``; 2 sigma^2 overflows for huge sigma).
    """
    sigma = checks.scale(sigma, "sigma")
    return 2.0 * float(sigma) ** 2


def equivalent_sigma(beta: float) -> float:
    """The inverse of ``equivalent_beta``: sigma = sqrt(beta / 2) (arXiv 2006.13202, beta-VAE link)."""
    beta = checks.positive_real(beta, "beta")
    return math.sqrt(beta / 2.0)


@torch.no_grad()
def calibrated_log_sigma(model: V.VAE, x: Tensor, *, generator: torch.Generator | None = None) -> Tensor:
    """The optimal-sigma rule of arXiv 2006.13202 applied once to a trained model over a dataset.

    log sigma* = 1/2 log mean_{b,d} (x_bd - mu(z_b)_d)^2 with one z_b ~ q(z|x_b) per example:
    the shared sigma that maximises the dataset's Gaussian log-likelihood for this decoder.
    Lets any Gaussian-mean decoder (e.g. an MSE beta-VAE, which has no sigma of its own) be
    scored by a calibrated held-out ELBO. x: (N, D) -> () (eval mode, no gradients).
    """
    checks.instance(model, "model", V.VAE)
    checks.generator(generator, optional=True)
    model.eval()
    post = model.encode(x)
    z = V.reparameterize(post.mean, post.log_var, generator=generator)  # (N, K)
    return optimal_log_sigma(x, model.decode(z))
