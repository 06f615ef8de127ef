"""VQ-VAE-2: hierarchical codes, PixelCNN priors, rejection sampling (Razavi et al. 2019, arXiv 1906.00446).

    VQVAE2                 section 3.1, algorithm 1: a bottom encoder (x -> h_b), a top encoder
                           (h_b -> z_t), top quantiser; the bottom code is quantised from h_b
                           *and* the decoded top (the bottom level depends on the top); the
                           decoder reads both quantised maps. EMA codebooks (vq.EMAVectorQuantizer).
    restart_dead_codes     not in the paper: moves unused codes onto badly served encoder outputs
    vqvae2_loss/step       eq. (3) of VQ-VAE summed over the two levels (MSE + beta * commitments)
    rejection_sample       section 3.3: keep a sample when a classifier's confidence >= threshold
    mean_pairwise_distance, class_entropy   the diversity measures of the chapter

The priors (stage 2, section 3.2) are ``paperlib.pixelcnn.PixelCNNPrior``: one over the top
codes, one over the bottom codes conditioned on the top codes. Images are (B, 1, S, S), S
divisible by 8: bottom codes (B, S/4, S/4), top codes (B, S/8, S/8).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from paperlib import checks, train
from paperlib.latent import vq
from paperlib.layers import seeded_init_

__all__ = [
    "Codes",
    "VQVAE2Output",
    "VQVAE2",
    "restart_dead_codes",
    "VQVAE2Loss",
    "vqvae2_loss",
    "vqvae2_step",
    "classifier_step",
    "Rejection",
    "rejection_sample",
    "mean_pairwise_distance",
    "class_entropy",
]


class Codes(NamedTuple):
    """The two code maps of an image: top (B, S/8, S/8) and bottom (B, S/4, S/4), int64."""

    top: Tensor
    bottom: Tensor


class VQVAE2Output(NamedTuple):
    """VQVAE2.forward: recon (B, 1, S, S) and the two quantisers' VQOutputs."""

    recon: Tensor
    top: vq.VQOutput
    bottom: vq.VQOutput


def _check_images(x: Tensor) -> Tensor:
    checks.tensor(x, "x", shape=("B", 1, "S", "S"))
    checks.integer(x.shape[2], "x's height S", multiple_of=8)
    checks.integer(x.shape[3], "x's width S", multiple_of=8)
    return x


class VQVAE2(nn.Module):
    """Two-level VQ-VAE of arXiv 1906.00446 section 3.1 (figure 2a, algorithm 1), scaled down.

    x (B, 1, S, S) -> bottom encoder h_b (B, C, S/4, S/4) -> top encoder z_t (B, D, S/8, S/8)
    -> e_top = Quantize(z_t) -> decoded top t (B, C, S/4, S/4) -> z_b = 1x1([h_b, t]) ->
    e_bottom = Quantize(z_b) -> decoder([e_bottom, upsample(e_top)]) -> recon (B, 1, S, S).
    The top quantiser has K = ``num_codes`` codes, the bottom one K_b = ``num_bottom_codes``
    (default K), both of dimension D; ``ema=True`` uses EMA codebooks (the paper's choice),
    updated only in training mode. ``num_codes=1`` fixes the top code to one vector: a
    bottom-only VQ-VAE with the same network (no hierarchy).
    Activations are LeakyReLU(0.1), not the paper's ReLU: with PyTorch's default init the
    encoder outputs start nearly constant, and with ReLUs the encoder's units often all died in
    the first epoch (the model then decodes the mean image).
    """

    def __init__(
        self,
        *,
        num_codes: int = 32,
        embedding_dim: int = 8,
        hidden: int = 32,
        beta: float = 0.25,
        ema: bool = True,
        decay: float = 0.99,
        num_bottom_codes: int | None = None,
        generator: torch.Generator,
    ):
        super().__init__()
        C, D = hidden, embedding_dim
        num_bottom_codes = num_codes if num_bottom_codes is None else checks.positive_int(num_bottom_codes, "num_bottom_codes")
        checks.positive_int(hidden, "hidden")
        checks.boolean(ema, "ema")
        cls = vq.EMAVectorQuantizer if ema else vq.VectorQuantizer
        kwargs = dict(decay=decay) if ema else {}
        self.quantize_top = cls(num_codes, D, beta=beta, generator=generator, **kwargs)
        self.quantize_bottom = cls(num_bottom_codes, D, beta=beta, generator=generator, **kwargs)

        def act() -> nn.Module:
            return nn.LeakyReLU(0.1)  # plain ReLUs died in the first epoch on the toy (see the class docstring)

        self.enc_bottom = nn.Sequential(
            nn.Conv2d(1, C, 3, padding=1), act(),
            nn.Conv2d(C, C, 4, stride=2, padding=1), act(),  # S/2
            nn.Conv2d(C, C, 4, stride=2, padding=1), act(),  # S/4
        )
        self.enc_top = nn.Sequential(nn.Conv2d(C, C, 4, stride=2, padding=1), act(), nn.Conv2d(C, D, 1))  # S/8
        self.dec_top = nn.Sequential(nn.ConvTranspose2d(D, C, 4, stride=2, padding=1), act())  # S/4
        self.pre_bottom = nn.Conv2d(2 * C, D, 1)
        self.up_top = nn.ConvTranspose2d(D, D, 4, stride=2, padding=1)  # e_top to S/4 for the decoder
        self.decoder = nn.Sequential(
            nn.Conv2d(2 * D, C, 3, padding=1), act(),
            nn.ConvTranspose2d(C, C, 4, stride=2, padding=1), act(),  # S/2
            nn.ConvTranspose2d(C, C, 4, stride=2, padding=1), act(),  # S
            nn.Conv2d(C, 1, 3, padding=1),
        )
        for part in (self.enc_bottom, self.enc_top, self.dec_top, self.pre_bottom, self.up_top, self.decoder):
            seeded_init_(part, generator)

    def _latents(self, x: Tensor) -> tuple[Tensor, vq.VQOutput, Tensor]:
        h_b = self.enc_bottom(_check_images(x))  # (B, C, S/4, S/4)
        top = self.quantize_top(self.enc_top(h_b))  # z_t: (B, D, S/8, S/8)
        z_b = self.pre_bottom(torch.cat([h_b, self.dec_top(top.quantized)], dim=1))  # (B, D, S/4, S/4)
        return z_b, top, h_b

    def _decode(self, e_top: Tensor, e_bottom: Tensor) -> Tensor:
        return self.decoder(torch.cat([e_bottom, self.up_top(e_top)], dim=1))  # (B, 1, S, S)

    def forward(self, x: Tensor) -> VQVAE2Output:
        z_b, top, _ = self._latents(x)
        bottom = self.quantize_bottom(z_b)
        return VQVAE2Output(self._decode(top.quantized, bottom.quantized), top, bottom)

    @torch.no_grad()
    def init_codebooks(self, x: Tensor, *, generator: torch.Generator) -> VQVAE2:
        """Start both codebooks at encoder outputs of ``x`` (vq.VectorQuantizer.init_from)."""
        checks.generator(generator)
        h_b = self.enc_bottom(_check_images(x))
        z_t = self.enc_top(h_b)
        self.quantize_top.init_from(z_t, generator=generator)
        was = self.quantize_top.training
        self.quantize_top.eval()
        z_b, _, _ = self._latents(x)
        self.quantize_top.train(was)
        self.quantize_bottom.init_from(z_b, generator=generator)
        return self

    @torch.no_grad()
    def encode_codes(self, x: Tensor) -> Codes:
        """Code maps of images x (B, 1, S, S) in eval mode (no EMA update)."""
        _check_images(x)
        was = self.training
        self.eval()
        z_b, top, _ = self._latents(x)
        bottom = self.quantize_bottom(z_b)
        self.train(was)
        return Codes(top.indices, bottom.indices)

    @torch.no_grad()
    def decode_codes(self, top: Tensor, bottom: Tensor) -> Tensor:
        """Images from code maps: top (B, S/8, S/8), bottom (B, S/4, S/4) -> (B, 1, S, S)."""
        checks.integer_tensor(top, "top", shape=("B", "h", "w"), low=0, high=self.quantize_top.num_codes - 1)
        size = (len(top), 2 * top.shape[1], 2 * top.shape[2])
        checks.integer_tensor(bottom, "bottom (twice the size of top)", shape=size, low=0, high=self.quantize_bottom.num_codes - 1)
        return self._decode(self.quantize_top.lookup(top), self.quantize_bottom.lookup(bottom))


@torch.no_grad()
def _restart(quantizer: vq.VectorQuantizer, z_e: Tensor) -> int:
    flat = z_e.movedim(1, -1).reshape(-1, quantizer.embedding_dim)  # (N, D)
    idx = vq.nearest_code(flat, quantizer.codebook)  # (N,)
    dead = (torch.bincount(idx, minlength=quantizer.num_codes) == 0).nonzero()[:, 0]  # (n_dead,)
    if len(dead) == 0:
        return 0
    err = (flat - quantizer.codebook[idx]).pow(2).sum(1)  # (N,) squared quantisation error
    dead = dead[: len(flat)]
    new = flat[err.argsort(descending=True)[: len(dead)]]  # (n_dead, D) the worst-served vectors
    quantizer.codebook[dead] = new
    if isinstance(quantizer, vq.EMAVectorQuantizer):  # restart the moving averages too
        quantizer.cluster_size[dead] = 1.0
        quantizer.embed_sum[dead] = new
    return len(dead)


@torch.no_grad()
def restart_dead_codes(model: VQVAE2 | vq.VQVAE, x: Tensor) -> tuple[int, ...]:
    """Restart dead codes (not in arXiv 1906.00446; the usual practical fix, e.g. Jukebox's random restarts).

    Encodes the images x (B, 1, S, S) in eval mode; every code that no encoder output of x
    chooses is moved onto one of the encoder outputs worst served by their nearest code
    (largest squared quantisation error, distinct vectors, deterministic). Meant to be called
    between training epochs. For a ``VQVAE2`` the top codebook is restarted first, then the
    bottom one (whose inputs depend on the top). Returns the number of codes restarted per
    quantiser: (top, bottom) for a VQVAE2, (codes,) for a one-level ``vq.VQVAE``.
    """
    if isinstance(model, VQVAE2):
        was = model.training
        model.eval()
        n_top = _restart(model.quantize_top, model.enc_top(model.enc_bottom(_check_images(x))))
        z_b, _, _ = model._latents(x)
        n_bottom = _restart(model.quantize_bottom, z_b)
        model.train(was)
        return n_top, n_bottom
    if isinstance(model, vq.VQVAE) and model.quantizer is not None:
        return (_restart(model.quantizer, model.encoder(vq.as_images(x))),)
    raise TypeError(f"model must be a VQVAE2 or a quantised vq.VQVAE, got {type(model).__name__}")


class VQVAE2Loss(NamedTuple):
    """total = recon + top.loss + bottom.loss (each level's eq. (3) VQ terms); perplexities per level."""

    total: Tensor
    recon: Tensor
    top_perplexity: Tensor
    bottom_perplexity: Tensor


def vqvae2_loss(model: VQVAE2, x: Tensor) -> VQVAE2Loss:
    """Stage-1 objective of arXiv 1906.00446 section 3.1: MSE + sum over levels of the VQ terms.

    With EMA codebooks each level contributes beta * ||z - sg[e]||^2 (its commitment loss).
    x: (B, 1, S, S) in [0, 1].
    """
    checks.instance(model, "model", VQVAE2)
    out = model(x)
    recon = F.mse_loss(out.recon, x)
    return VQVAE2Loss(recon + out.top.loss + out.bottom.loss, recon, out.top.perplexity, out.bottom.perplexity)


def vqvae2_step(model: VQVAE2, batch: Sequence[Tensor]) -> Tensor:
    """A ``fit`` step: batch = (x,) -> ``vqvae2_loss(model, x).total``."""
    checks.batch(batch, 1, "(x,)")
    return vqvae2_loss(model, batch[0]).total


def classifier_step(model: nn.Module, batch: Sequence[Tensor]) -> Tensor:
    """A ``fit`` step for the rejection classifier: batch = (x (B, ...), y (B,)) -> cross-entropy.

    The model sees x flattened to (B, features); otherwise :func:`paperlib.train.classification_step`."""
    x, y = checks.batch(batch, 2, "(x, y)")[:2]
    checks.tensor(x, "x")
    return train.classification_step(model, (x.reshape(len(x), -1), y))


class Rejection(NamedTuple):
    """rejection_sample: accepted (N,) bool mask, confidence (N,), predicted (N,) int64, rate."""

    accepted: Tensor
    confidence: Tensor
    predicted: Tensor
    acceptance_rate: float


def rejection_sample(probs: Tensor, threshold: float, labels: Tensor | None = None) -> Rejection:
    """Classifier-based rejection sampling, arXiv 1906.00446 section 3.3.

    probs: (N, C) a pretrained classifier's probabilities for N generated samples. A sample is
    accepted when its confidence >= threshold, where the confidence is the probability of
    ``labels`` (the class a class-conditional model was asked for, as in the paper) or, for an
    unconditional model (labels None), the top probability. threshold in [0, 1]; 0 accepts all.
    """
    checks.probabilities(probs, "probs")
    threshold = checks.real(threshold, "threshold", low=0, high=1)
    if labels is not None:
        checks.labels(labels, *probs.shape)
    predicted = probs.argmax(dim=1)
    if labels is None:
        confidence = probs.max(dim=1).values
    else:
        confidence = probs.gather(1, labels.long()[:, None])[:, 0]
    accepted = confidence >= threshold
    return Rejection(accepted, confidence, predicted, accepted.float().mean().item() if len(probs) else 0.0)


def mean_pairwise_distance(x: Tensor) -> float:
    """Diversity: mean Euclidean distance over all pairs i < j of the rows of x (N, ...); needs N >= 2."""
    checks.tensor(x, "x", shape=("N", "*rest"), floating=False)
    if len(x) < 2:
        raise ValueError(f"x must hold at least 2 samples (rows), got shape {tuple(x.shape)}")
    flat = x.reshape(len(x), -1).double()
    d = torch.cdist(flat, flat)  # (N, N)
    n = len(x)
    return (d.sum() / (n * (n - 1))).item()


def class_entropy(predicted: Tensor, num_classes: int) -> float:
    """Diversity: entropy (nats) of the predicted-class histogram; log(num_classes) when balanced."""
    checks.positive_int(num_classes, "num_classes")
    checks.integer_tensor(predicted, "predicted", shape=("N",), low=0, high=num_classes - 1)
    if len(predicted) == 0:
        raise ValueError("predicted must hold at least one class, got an empty tensor")
    p = torch.bincount(predicted.long(), minlength=num_classes).double() / len(predicted)
    return -(p * torch.log(p.clamp_min(1e-300))).sum().item()
