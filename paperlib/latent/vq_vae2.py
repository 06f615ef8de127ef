"""VQ-VAE-2: hierarchical codes, PixelCNN priors, rejection sampling (Razavi et al. 2019, arXiv 1906.00446).

    VQVAE2                 section 3.1, algorithm 1: a bottom encoder (x -> h_b), a top encoder
                           (h_b -> z_t), top quantiser; the bottom code is quantised from h_b
                           *and* the decoded top (the bottom level depends on the top); the
                           decoder reads both quantised maps. EMA codebooks (vq.EMAVectorQuantizer).
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

from paperlib import checks
from paperlib.latent import vq
from paperlib.layers import seeded_init_

__all__ = [
    "Codes",
    "VQVAE2Output",
    "VQVAE2",
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
    if not isinstance(x, Tensor):
        raise TypeError(f"x must be a torch.Tensor, got {type(x).__name__}")
    if x.dim() != 4 or x.shape[1] != 1 or x.shape[2] % 8 or x.shape[3] % 8:
        raise ValueError(f"x must have shape (B, 1, S, S) with S divisible by 8, got {tuple(x.shape)}")
    return x


class VQVAE2(nn.Module):
    """Two-level VQ-VAE of arXiv 1906.00446 section 3.1 (figure 2a, algorithm 1), scaled down.

    x (B, 1, S, S) -> bottom encoder h_b (B, C, S/4, S/4) -> top encoder z_t (B, D, S/8, S/8)
    -> e_top = Quantize(z_t) -> decoded top t (B, C, S/4, S/4) -> z_b = 1x1([h_b, t]) ->
    e_bottom = Quantize(z_b) -> decoder([e_bottom, upsample(e_top)]) -> recon (B, 1, S, S).
    Both quantisers have K codes of dimension D; ``ema=True`` uses EMA codebooks (the paper's
    choice), updated only in training mode.
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
        generator: torch.Generator,
    ):
        super().__init__()
        C, D = hidden, embedding_dim
        if isinstance(C, bool) or not isinstance(C, int) or C < 1:
            raise ValueError(f"hidden must be a positive int, got {hidden!r}")
        cls = vq.EMAVectorQuantizer if ema else vq.VectorQuantizer
        kwargs = dict(decay=decay) if ema else {}
        self.quantize_top = cls(num_codes, D, beta=beta, generator=generator, **kwargs)
        self.quantize_bottom = cls(num_codes, D, beta=beta, generator=generator, **kwargs)
        self.enc_bottom = nn.Sequential(
            nn.Conv2d(1, C, 3, padding=1), nn.ReLU(),
            nn.Conv2d(C, C, 4, stride=2, padding=1), nn.ReLU(),  # S/2
            nn.Conv2d(C, C, 4, stride=2, padding=1), nn.ReLU(),  # S/4
        )
        self.enc_top = nn.Sequential(nn.Conv2d(C, C, 4, stride=2, padding=1), nn.ReLU(), nn.Conv2d(C, D, 1))  # S/8
        self.dec_top = nn.Sequential(nn.ConvTranspose2d(D, C, 4, stride=2, padding=1), nn.ReLU())  # S/4
        self.pre_bottom = nn.Conv2d(2 * C, D, 1)
        self.up_top = nn.ConvTranspose2d(D, D, 4, stride=2, padding=1)  # e_top to S/4 for the decoder
        self.decoder = nn.Sequential(
            nn.Conv2d(2 * D, C, 3, padding=1), nn.ReLU(),
            nn.ConvTranspose2d(C, C, 4, stride=2, padding=1), nn.ReLU(),  # S/2
            nn.ConvTranspose2d(C, C, 4, stride=2, padding=1), nn.ReLU(),  # S
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
        was = self.training
        self.eval()
        z_b, top, _ = self._latents(x)
        bottom = self.quantize_bottom(z_b)
        self.train(was)
        return Codes(top.indices, bottom.indices)

    @torch.no_grad()
    def decode_codes(self, top: Tensor, bottom: Tensor) -> Tensor:
        """Images from code maps: top (B, S/8, S/8), bottom (B, S/4, S/4) -> (B, 1, S, S)."""
        if top.dim() != 3 or bottom.dim() != 3 or top.shape[0] != bottom.shape[0]:
            raise ValueError(f"top and bottom must be (B, h, w) maps with one batch size, got {tuple(top.shape)}, {tuple(bottom.shape)}")
        if bottom.shape[1] != 2 * top.shape[1] or bottom.shape[2] != 2 * top.shape[2]:
            raise ValueError(f"bottom must be twice the size of top, got {tuple(bottom.shape)} vs {tuple(top.shape)}")
        return self._decode(self.quantize_top.lookup(top), self.quantize_bottom.lookup(bottom))


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
    out = model(x)
    recon = F.mse_loss(out.recon, x)
    return VQVAE2Loss(recon + out.top.loss + out.bottom.loss, recon, out.top.perplexity, out.bottom.perplexity)


def vqvae2_step(model: VQVAE2, batch: Sequence[Tensor]) -> Tensor:
    """A ``fit`` step: batch = (x,) -> ``vqvae2_loss(model, x).total``."""
    return vqvae2_loss(model, batch[0]).total


def classifier_step(model: nn.Module, batch: Sequence[Tensor]) -> Tensor:
    """A ``fit`` step for the rejection classifier: batch = (x (B, ...), y (B,)) -> cross-entropy.

    The model sees x flattened to (B, features)."""
    x, y = batch[0], batch[1]
    return F.cross_entropy(model(x.reshape(len(x), -1)), y)


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
    predicted = probs.argmax(dim=1)
    if labels is None:
        confidence = probs.max(dim=1).values
    else:
        if not isinstance(labels, Tensor) or labels.shape != (len(probs),):
            raise ValueError(f"labels must have shape ({len(probs)},), got {tuple(getattr(labels, 'shape', ()))}")
        confidence = probs.gather(1, labels.long()[:, None])[:, 0]
    accepted = confidence >= threshold
    return Rejection(accepted, confidence, predicted, accepted.float().mean().item() if len(probs) else 0.0)


def mean_pairwise_distance(x: Tensor) -> float:
    """Diversity: mean Euclidean distance over all pairs i < j of the rows of x (N, ...); needs N >= 2."""
    if not isinstance(x, Tensor) or x.dim() < 1 or len(x) < 2:
        raise ValueError(f"x must hold at least 2 samples, got shape {tuple(getattr(x, 'shape', ()))}")
    flat = x.reshape(len(x), -1).double()
    d = torch.cdist(flat, flat)  # (N, N)
    n = len(x)
    return (d.sum() / (n * (n - 1))).item()


def class_entropy(predicted: Tensor, num_classes: int) -> float:
    """Diversity: entropy (nats) of the predicted-class histogram; log(num_classes) when balanced."""
    if not isinstance(predicted, Tensor) or predicted.dim() != 1 or len(predicted) == 0:
        raise ValueError(f"predicted must be a non-empty (N,) tensor, got {tuple(getattr(predicted, 'shape', ()))}")
    if predicted.min() < 0 or predicted.max() >= num_classes:
        raise ValueError(f"predicted must lie in [0, {num_classes - 1}], got [{predicted.min()}, {predicted.max()}]")
    p = torch.bincount(predicted.long(), minlength=num_classes).double() / len(predicted)
    return -(p * torch.log(p.clamp_min(1e-300))).sum().item()
