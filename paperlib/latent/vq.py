"""Vector quantisation and the VQ-VAE (van den Oord, Vinyals & Kavukcuoglu 2017, arXiv 1711.00937).

    nearest_code            eq. (1)/(2): k = argmin_j ||z_e(x) - e_j||_2, z_q(x) = e_k
    VectorQuantizer         eq. (3): straight-through gradient, codebook loss ||sg[z_e] - e||^2
                            and commitment loss beta * ||z_e - sg[e]||^2
    EMAVectorQuantizer      appendix A.1 (described there as an alternative; the paper's experiments
                            use the codebook loss): the codebook follows exponential moving
                            averages of its assigned encoder outputs instead of the codebook
                            loss; its state changes only when ``module.training``
    codebook_usage          how often each of the K codes is chosen, and the perplexity
                            exp(H(usage)) (K when all codes are used equally, 1 if one code)
    VQVAE                   a small conv encoder -> quantiser -> conv decoder on image grids;
                            ``quantize=False`` gives the continuous autoencoder of the same size
    vqvae_loss, vqvae_step  eq. (3) with a Gaussian decoder: MSE + codebook + beta * commitment

Shapes: encoder outputs are channel-first, ``z_e: (B, D, *grid)`` (e.g. (B, D, H, W)); the
codebook is (K, D); indices are (B, *grid) int64. Every loss is a mean over its elements
(the paper's "we average the k-means and commitment losses over all latents").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from paperlib import checks
from paperlib.layers import seeded_init_

__all__ = [
    "VQOutput",
    "nearest_code",
    "VectorQuantizer",
    "EMAVectorQuantizer",
    "Usage",
    "codebook_usage",
    "VQVAE",
    "VQVAEOutput",
    "VQVAELoss",
    "vqvae_loss",
    "vqvae_step",
    "as_images",
]


# --------------------------------------------------------------------------- checks
def _check_z(z_e: Tensor, embedding_dim: int) -> None:
    checks.tensor(z_e, f"z_e (embedding_dim = {embedding_dim} channels in dim 1)", shape=("B", embedding_dim, "*grid"))


# --------------------------------------------------------------------------- eq. (1)/(2)
def nearest_code(flat: Tensor, codebook: Tensor) -> Tensor:
    """Nearest codebook entry, arXiv 1711.00937 eq. (2): k = argmin_j ||z - e_j||_2.

    flat: (N, D) vectors; codebook: (K, D) -> indices (N,) int64. Ties go to the lower index.
    Uses ||z||^2 - 2 z.e + ||e||^2 (no (N, K, D) tensor is built).
    """
    checks.tensor(codebook, "codebook", shape=("K", "D"))
    checks.tensor(flat, "flat (N vectors of the codebook's dimension D)", shape=("N", codebook.shape[1]))
    dist = (
        flat.pow(2).sum(1, keepdim=True) - 2 * flat @ codebook.t() + codebook.pow(2).sum(1)[None, :]
    )  # (N, K)
    return dist.argmin(dim=1)


class VQOutput(NamedTuple):
    """What a quantiser returns (arXiv 1711.00937 eq. 3).

    quantized: (B, D, *grid) the decoder input. Its value is z_q = e_k; its gradient is
        copied straight through to z_e (``z_e + sg[z_q - z_e]``).
    indices: (B, *grid) int64 chosen codes k.
    codebook_loss: scalar ||sg[z_e] - e||^2 (mean); zero-gradient for the EMA variant, whose
        codebook is not learned by gradients (the value is still reported).
    commitment_loss: scalar ||z_e - sg[e]||^2 (mean), *not* multiplied by beta.
    loss: scalar codebook_loss + beta * commitment_loss (the EMA variant: beta * commitment only).
    perplexity: scalar exp(entropy of the batch's code usage), in [1, K].
    """

    quantized: Tensor
    indices: Tensor
    codebook_loss: Tensor
    commitment_loss: Tensor
    loss: Tensor
    perplexity: Tensor


def _perplexity(indices: Tensor, num_codes: int) -> Tensor:
    counts = torch.bincount(indices.reshape(-1), minlength=num_codes).float()  # (K,)
    p = counts / counts.sum().clamp_min(1.0)
    return torch.exp(-(p * torch.log(p.clamp_min(1e-12))).sum())


class VectorQuantizer(nn.Module):
    """The VQ bottleneck of arXiv 1711.00937 section 3.1-3.2 (eqs. 1-3), codebook learned by gradients.

    num_codes K >= 1, embedding_dim D >= 1, beta >= 0 (the commitment weight; the paper uses
    0.25 and reports robustness for 0.1 to 2.0). The codebook (K, D) is initialised from
    U(-1/K, 1/K) drawn from ``generator`` (a common choice of public re-implementations; the
    paper does not state its initialisation). forward(z_e: (B, D, *grid)) -> VQOutput.
    ``straight_through=False`` is the ablation without eq. (3)'s gradient copy: the decoder
    input is z_q = e_k itself, so the reconstruction gradient stops at the codebook and the
    encoder learns only from the commitment loss.
    """

    def __init__(
        self,
        num_codes: int,
        embedding_dim: int,
        *,
        beta: float = 0.25,
        straight_through: bool = True,
        generator: torch.Generator,
    ):
        super().__init__()
        self.num_codes = checks.positive_int(num_codes, "num_codes (K)")
        self.embedding_dim = checks.positive_int(embedding_dim, "embedding_dim (D)")
        self.beta = checks.real(beta, "beta", low=0.0)
        checks.boolean(straight_through, "straight_through")
        self.straight_through = straight_through
        checks.generator(generator)
        init = torch.empty(num_codes, embedding_dim).uniform_(-1.0 / num_codes, 1.0 / num_codes, generator=generator)
        self._make_codebook(init)

    def _make_codebook(self, init: Tensor) -> None:
        self.codebook = nn.Parameter(init)  # (K, D)

    @torch.no_grad()
    def init_from(self, z_e: Tensor, *, generator: torch.Generator) -> None:
        """Data-dependent start (not in the paper; a common practical fix for dead codes).

        Sets the K codebook vectors to K distinct encoder outputs drawn from ``z_e`` (B, D, *grid)
        with ``generator``, so every code starts where the data is. Needs B * prod(grid) >= K.
        """
        checks.generator(generator)
        flat = self._flatten(z_e).detach()  # (N, D)
        if len(flat) < self.num_codes:
            raise ValueError(f"z_e must hold at least num_codes = {self.num_codes} vectors, got {len(flat)}")
        pick = flat[torch.randperm(len(flat), generator=generator)[: self.num_codes]]  # (K, D)
        self.codebook.copy_(pick)
        if isinstance(self, EMAVectorQuantizer):
            self.embed_sum.copy_(pick)
            self.cluster_size.fill_(1.0)

    def _flatten(self, z_e: Tensor) -> Tensor:
        _check_z(z_e, self.embedding_dim)
        return z_e.movedim(1, -1).reshape(-1, self.embedding_dim)  # (B * prod(grid), D)

    def lookup(self, indices: Tensor) -> Tensor:
        """codebook[indices] in channel-first layout: (B, *grid) int64 -> (B, D, *grid)."""
        checks.integer_tensor(indices, "indices", low=0, high=self.num_codes - 1)
        return self.codebook[indices.long()].movedim(-1, 1)  # (B, D, *grid)

    def forward(self, z_e: Tensor) -> VQOutput:
        flat = self._flatten(z_e)  # (N, D)
        idx = nearest_code(flat.detach(), self.codebook.detach())  # (N,)   eq. (2)
        indices = idx.view(z_e.shape[0], *z_e.shape[2:])  # (B, *grid)
        self._update(flat.detach(), idx)  # EMA variant only (and only in training mode)
        z_q = self.lookup(indices)  # (B, D, *grid)
        codebook_loss = F.mse_loss(z_q, z_e.detach())  # ||sg[z_e] - e||^2, moves e only
        commitment_loss = F.mse_loss(z_e, z_q.detach())  # ||z_e - sg[e]||^2, moves the encoder only
        quantized = z_e + (z_q - z_e).detach()  # straight-through: value z_q, gradient d/dz_e = identity
        if not self.straight_through:
            quantized = z_q  # ablation: no gradient path from the decoder to the encoder
        return VQOutput(
            quantized,
            indices,
            codebook_loss,
            commitment_loss,
            self._loss(codebook_loss, commitment_loss),
            _perplexity(idx, self.num_codes),
        )

    def _loss(self, codebook_loss: Tensor, commitment_loss: Tensor) -> Tensor:
        return codebook_loss + self.beta * commitment_loss  # eq. (3), terms 2 and 3

    def _update(self, flat: Tensor, idx: Tensor) -> None:
        """No state to update: the codebook learns from ``codebook_loss``."""

    def extra_repr(self) -> str:
        st = "" if self.straight_through else ", straight_through=False"
        return f"K={self.num_codes}, D={self.embedding_dim}, beta={self.beta}{st}"


class EMAVectorQuantizer(VectorQuantizer):
    """VQ with an exponential-moving-average codebook, arXiv 1711.00937 appendix A.1.

    The paper describes this update as an alternative to the codebook loss (its reported
    experiments use the codebook loss); VQ-VAE-2 (arXiv 1906.00446) uses it throughout.

    Instead of the codebook loss, after each training batch (n_i codes assigned to entry i):

        N_i <- gamma N_i + (1 - gamma) n_i
        m_i <- gamma m_i + (1 - gamma) sum_j z_e,j   (sum over the vectors assigned to i)
        e_i <- m_i / N_i

    with gamma = ``decay`` (0.99 in the paper). N is Laplace-smoothed with ``eps`` so that an
    unused entry never divides by zero (as in the authors' Sonnet code). The state (codebook,
    N, m) is a set of buffers and is updated **only when ``self.training``**, inside
    ``forward`` and without autograd; in eval mode the quantiser is a fixed lookup table.
    ``loss`` is beta * commitment (the codebook gets no gradient).
    """

    def __init__(
        self,
        num_codes: int,
        embedding_dim: int,
        *,
        beta: float = 0.25,
        decay: float = 0.99,
        eps: float = 1e-5,
        straight_through: bool = True,
        generator: torch.Generator,
    ):
        self.decay = checks.real(decay, "decay", low=0.0, high=1.0, high_open=True)
        self.eps = checks.real(eps, "eps", low=0.0, low_open=True)
        super().__init__(num_codes, embedding_dim, beta=beta, straight_through=straight_through, generator=generator)

    def _make_codebook(self, init: Tensor) -> None:
        self.register_buffer("codebook", init.clone())  # (K, D)
        self.register_buffer("cluster_size", torch.ones(init.shape[0]))  # N_i, (K,)
        self.register_buffer("embed_sum", init.clone())  # m_i, (K, D)

    @torch.no_grad()
    def _update(self, flat: Tensor, idx: Tensor) -> None:
        if not self.training:
            return
        onehot = F.one_hot(idx, self.num_codes).to(flat.dtype)  # (N, K)
        g = self.decay
        self.cluster_size.mul_(g).add_(onehot.sum(0), alpha=1 - g)  # N_i
        self.embed_sum.mul_(g).add_(onehot.t() @ flat, alpha=1 - g)  # m_i, (K, D)
        n = self.cluster_size.sum()
        smoothed = (self.cluster_size + self.eps) / (n + self.num_codes * self.eps) * n  # Laplace smoothing
        self.codebook.copy_(self.embed_sum / smoothed[:, None])  # e_i = m_i / N_i

    def _loss(self, codebook_loss: Tensor, commitment_loss: Tensor) -> Tensor:
        return self.beta * commitment_loss

    def extra_repr(self) -> str:
        return super().extra_repr() + f", decay={self.decay}"


# --------------------------------------------------------------------------- usage
class Usage(NamedTuple):
    """Codebook usage: counts (K,) int64, fraction of codes used at least once, perplexity exp(H)."""

    counts: Tensor
    used_fraction: float
    perplexity: float


def codebook_usage(indices: Tensor, num_codes: int) -> Usage:
    """How the K codes are used (arXiv 1711.00937; perplexity as reported by the authors' code).

    indices: any shape of int64 code ids in [0, K). perplexity = exp(-sum_k p_k log p_k) with
    p_k the fraction of positions using code k: K for uniform usage, 1 for a collapsed codebook.
    """
    num_codes = checks.positive_int(num_codes, "num_codes")
    checks.integer_tensor(indices, "indices", low=0, high=num_codes - 1)
    if indices.numel() == 0:
        raise ValueError("indices must hold at least one code, got an empty tensor")
    counts = torch.bincount(indices.reshape(-1).long(), minlength=num_codes)
    return Usage(counts, (counts > 0).float().mean().item(), _perplexity(indices.reshape(-1).long(), num_codes).item())


# --------------------------------------------------------------------------- the model
def as_images(x: Tensor, side: int | None = None) -> Tensor:
    """Flat square images (B, side*side) -> (B, 1, side, side); (B, 1, H, W) passes through."""
    checks.tensor(x, "x", floating=False)
    if side is not None:
        checks.positive_int(side, "side")
    if x.dim() == 4 and x.shape[1] == 1:
        return x
    if x.dim() != 2:
        raise ValueError(f"x must have shape (B, side*side) or (B, 1, H, W), got {tuple(x.shape)}")
    side = side or math.isqrt(x.shape[1])
    if side * side != x.shape[1]:
        raise ValueError(f"x must hold square images (B, side*side), got {tuple(x.shape)}")
    return x.view(-1, 1, side, side)


class VQVAEOutput(NamedTuple):
    """VQVAE.forward: recon (B, 1, H, W), z_e (B, D, h, w) encoder output, vq (VQOutput or None)."""

    recon: Tensor
    z_e: Tensor
    vq: VQOutput | None


class VQVAE(nn.Module):
    """A small VQ-VAE for image grids (arXiv 1711.00937 section 3, figure 1).

    encoder: 3x3 conv, then ``downsample`` stride-2 4x4 convs, then a 1x1 conv to D channels:
    (B, 1, H, W) -> z_e (B, D, H / 2^downsample, W / 2^downsample). quantiser: K codes of
    dimension D (``ema=True``: the EMA codebook of appendix A.1). decoder: the mirror image
    with transposed convs; its output is the mean of a Gaussian p(x|z_q) (no squashing).
    ``quantize=False`` removes the bottleneck: the continuous autoencoder of the same size
    (same layers, the decoder reads z_e directly) used as the section 4.1-style baseline.
    ``straight_through=False``: the quantiser without the gradient copy (an ablation).
    """

    def __init__(
        self,
        *,
        num_codes: int = 32,
        embedding_dim: int = 8,
        hidden: int = 32,
        downsample: int = 1,
        beta: float = 0.25,
        ema: bool = False,
        decay: float = 0.99,
        quantize: bool = True,
        straight_through: bool = True,
        generator: torch.Generator,
    ):
        super().__init__()
        checks.positive_int(num_codes, "num_codes (K)")
        hidden = checks.positive_int(hidden, "hidden")
        downsample = checks.positive_int(downsample, "downsample")
        embedding_dim = checks.positive_int(embedding_dim, "embedding_dim (D)")
        checks.boolean(ema, "ema")
        checks.boolean(quantize, "quantize")
        checks.boolean(straight_through, "straight_through")
        checks.generator(generator)
        self.downsample = downsample
        enc: list[nn.Module] = [nn.Conv2d(1, hidden, 3, padding=1), nn.ReLU()]
        for _ in range(downsample):
            enc += [nn.Conv2d(hidden, hidden, 4, stride=2, padding=1), nn.ReLU()]
        enc.append(nn.Conv2d(hidden, embedding_dim, 1))
        dec: list[nn.Module] = [nn.Conv2d(embedding_dim, hidden, 3, padding=1), nn.ReLU()]
        for _ in range(downsample):
            dec += [nn.ConvTranspose2d(hidden, hidden, 4, stride=2, padding=1), nn.ReLU()]
        dec.append(nn.Conv2d(hidden, 1, 3, padding=1))
        self.encoder = seeded_init_(nn.Sequential(*enc), generator)
        self.decoder = seeded_init_(nn.Sequential(*dec), generator)
        self.quantizer: VectorQuantizer | None = None
        if quantize:
            cls = EMAVectorQuantizer if ema else VectorQuantizer
            kwargs = dict(decay=decay) if ema else {}
            self.quantizer = cls(
                num_codes, embedding_dim, beta=beta, straight_through=straight_through, generator=generator, **kwargs
            )

    def forward(self, x: Tensor) -> VQVAEOutput:
        x = as_images(x)
        checks.integer(x.shape[-2], "x's height (a multiple of 2^downsample)", multiple_of=2**self.downsample)
        checks.integer(x.shape[-1], "x's width (a multiple of 2^downsample)", multiple_of=2**self.downsample)
        z_e = self.encoder(x)  # (B, D, h, w)
        if self.quantizer is None:
            return VQVAEOutput(self.decoder(z_e), z_e, None)
        vq = self.quantizer(z_e)
        return VQVAEOutput(self.decoder(vq.quantized), z_e, vq)

    @torch.no_grad()
    def init_codebook(self, x: Tensor, *, generator: torch.Generator) -> VQVAE:
        """Start the codebook at encoder outputs of the images ``x`` (see ``VectorQuantizer.init_from``)."""
        checks.generator(generator)
        if self.quantizer is None:
            raise ValueError("init_codebook needs a quantiser (the model was built with quantize=False)")
        self.quantizer.init_from(self.encoder(as_images(x)), generator=generator)
        return self

    @torch.no_grad()
    def encode(self, x: Tensor) -> Tensor:
        """Code map of x: (B, 1, H, W) or (B, H*W) -> indices (B, h, w) int64 (eval: no EMA update)."""
        if self.quantizer is None:
            raise ValueError("encode needs a quantiser (the model was built with quantize=False)")
        was = self.training
        self.eval()
        out = self.quantizer(self.encoder(as_images(x))).indices
        self.train(was)
        return out

    @torch.no_grad()
    def decode(self, indices: Tensor) -> Tensor:
        """Images from a code map: indices (B, h, w) -> (B, 1, H, W)."""
        if self.quantizer is None:
            raise ValueError("decode needs a quantiser (the model was built with quantize=False)")
        checks.integer_tensor(indices, "indices", shape=("B", "h", "w"))
        return self.decoder(self.quantizer.lookup(indices))


class VQVAELoss(NamedTuple):
    """Terms of eq. (3) (batch means): total = recon + codebook (+) beta * commitment."""

    total: Tensor
    recon: Tensor
    codebook: Tensor
    commitment: Tensor
    perplexity: Tensor


def vqvae_loss(model: VQVAE, x: Tensor) -> VQVAELoss:
    """The VQ-VAE objective, arXiv 1711.00937 eq. (3), with a Gaussian decoder.

    -log p(x|z_q) is replaced by the per-pixel MSE (a fixed-variance Gaussian up to constants);
    then total = MSE + ||sg[z_e] - e||^2 + beta ||z_e - sg[e]||^2 (EMA: MSE + beta * commitment).
    For ``quantize=False`` the total is the MSE and the other terms are 0.
    x: (B, 1, H, W) or (B, H*W) in [0, 1].
    """
    checks.instance(model, "model", VQVAE)
    x = as_images(x)
    out = model(x)
    recon = F.mse_loss(out.recon, x)
    if out.vq is None:
        zero = recon.new_zeros(())
        return VQVAELoss(recon, recon, zero, zero, zero)
    return VQVAELoss(recon + out.vq.loss, recon, out.vq.codebook_loss, out.vq.commitment_loss, out.vq.perplexity)


def vqvae_step(model: VQVAE, batch: Sequence[Tensor]) -> Tensor:
    """A ``fit`` step for eq. (3): batch = (x,) or (x, ...) -> ``vqvae_loss(model, x).total``."""
    checks.batch(batch, 1, "(x, ...)")
    return vqvae_loss(model, batch[0]).total
