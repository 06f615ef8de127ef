"""A small gated PixelCNN prior over code maps (van den Oord et al. 2016, arXiv 1606.05328).

    MaskedConv2d        masked convolution (PixelCNN, arXiv 1601.06759 section 3.5): type "A"
                        hides the current position and everything after it in raster order,
                        type "B" hides only the positions after it
    GatedResidualBlock  gated activation unit, arXiv 1606.05328 eq. (2) with conditioning eq. (5):
                        y = tanh(W_f * x + V_f * s) ⊙ sigmoid(W_g * x + V_g * s), plus a residual
    PixelCNNPrior       p(z) = prod_i p(z_i | z_<i [, c]) over a (H, W) map of code indices,
                        optionally conditioned on a second code map c (VQ-VAE-2's bottom prior
                        reads the top codes, arXiv 1906.00446 section 3.2)
    prior_nll, prior_step   mean cross-entropy of the codes under the prior (nats per position)
    sample_codes        ancestral sampling in raster order with an explicit generator

Simplification (stated): one masked stack, not the vertical + horizontal stacks of the gated
PixelCNN, so the receptive field has the known "blind spot" above-right of each position. On
the tiny code maps of the book (2x2 to 8x8) this costs little. Codes are (B, H, W) int64;
logits are (B, K, H, W), batch first.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from paperlib import checks
from paperlib.layers import seeded_init_

__all__ = ["MaskedConv2d", "GatedResidualBlock", "PixelCNNPrior", "prior_nll", "prior_step", "sample_codes"]


def _check_codes(codes: Tensor, num_codes: int, name: str) -> None:
    if not isinstance(codes, Tensor) or codes.dtype not in (torch.int64, torch.int32):
        raise TypeError(f"{name} must be an integer tensor of shape (B, H, W), got {getattr(codes, 'dtype', type(codes).__name__)}")
    if codes.dim() != 3:
        raise ValueError(f"{name} must have shape (B, H, W), got {tuple(codes.shape)}")
    if codes.numel() and (codes.min() < 0 or codes.max() >= num_codes):
        raise ValueError(f"{name} must lie in [0, {num_codes - 1}], got [{codes.min()}, {codes.max()}]")


class MaskedConv2d(nn.Conv2d):
    """A 2-D convolution whose kernel is masked to respect raster order (arXiv 1601.06759 section 3.5).

    mask_type "A": the output at (i, j) sees rows < i, and row i at columns < j (not (i, j) itself);
    use it for the first layer, which reads the input codes. "B": also sees (i, j) itself; use it
    for later layers, whose (i, j) features already exclude the input at (i, j).
    Odd square kernels, 'same' padding: (B, C_in, H, W) -> (B, C_out, H, W).
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, mask_type: str):
        if mask_type not in ("A", "B"):
            raise ValueError(f"mask_type must be 'A' or 'B', got {mask_type!r}")
        if not isinstance(kernel_size, int) or kernel_size < 1 or kernel_size % 2 == 0:
            raise ValueError(f"kernel_size must be an odd positive int, got {kernel_size!r}")
        super().__init__(in_channels, out_channels, kernel_size, padding=kernel_size // 2)
        self.mask_type = mask_type
        k = kernel_size
        mask = torch.ones(k, k)
        mask[k // 2, k // 2 + (mask_type == "B") :] = 0  # the centre row: keep the left part (and centre for B)
        mask[k // 2 + 1 :, :] = 0  # rows below: the future
        self.register_buffer("mask", mask[None, None])  # (1, 1, k, k)

    def forward(self, x: Tensor) -> Tensor:
        return F.conv2d(x, self.weight * self.mask, self.bias, padding=self.padding)


class GatedResidualBlock(nn.Module):
    """Gated activation unit with conditioning, arXiv 1606.05328 eqs. (2) and (5), in a residual block.

    h = masked_B(x) -> (f, g) halves; f += V_f s, g += V_g s (s: (B, C_cond, H, W) conditioning map
    via 1x1 convs, eq. 5); y = tanh(f) * sigmoid(g); out = x + 1x1(y). (B, C, H, W) -> (B, C, H, W).
    """

    def __init__(self, channels: int, kernel_size: int = 3, cond_channels: int = 0):
        super().__init__()
        self.conv = MaskedConv2d(channels, 2 * channels, kernel_size, "B")
        self.cond = nn.Conv2d(cond_channels, 2 * channels, 1, bias=False) if cond_channels else None
        self.out = nn.Conv2d(channels, channels, 1)

    def forward(self, x: Tensor, cond: Tensor | None = None) -> Tensor:
        h = self.conv(x)  # (B, 2C, H, W)
        if self.cond is not None:
            if cond is None:
                raise ValueError("cond must be given: this block was built with cond_channels > 0")
            h = h + self.cond(cond)  # eq. (5): V * s, a 1x1 conv of the conditioning map
        f, g = h.chunk(2, dim=1)
        return x + self.out(torch.tanh(f) * torch.sigmoid(g))  # eq. (2)


class PixelCNNPrior(nn.Module):
    """Autoregressive prior over a (H, W) code map (arXiv 1711.00937 section 3.3; 1906.00446 section 3.2).

    num_codes K: codes in [0, K). Layers: embedding -> masked conv "A" -> ``n_blocks`` gated
    residual blocks ("B") -> ReLU -> 1x1 conv to K logits. ``cond_codes`` K_c > 0 conditions every
    block on a second code map c (B, h_c, w_c) (embedded, then nearest-upsampled to (H, W)):
    the bottom prior of VQ-VAE-2 given the top codes. forward(codes (B, H, W) [, cond]) ->
    logits (B, K, H, W), where logits[:, :, i, j] depend only on codes before (i, j) in raster order.
    """

    def __init__(
        self,
        num_codes: int,
        *,
        hidden: int = 32,
        n_blocks: int = 3,
        kernel_size: int = 3,
        cond_codes: int = 0,
        generator: torch.Generator,
    ):
        super().__init__()
        for name, v in (("num_codes", num_codes), ("hidden", hidden), ("n_blocks", n_blocks)):
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ValueError(f"{name} must be a positive int, got {v!r}")
        if isinstance(cond_codes, bool) or not isinstance(cond_codes, int) or cond_codes < 0:
            raise ValueError(f"cond_codes must be a non-negative int, got {cond_codes!r}")
        checks.generator(generator)
        self.num_codes, self.cond_codes = num_codes, cond_codes
        self.embed = nn.Embedding(num_codes, hidden)
        self.cond_embed = nn.Embedding(cond_codes, hidden) if cond_codes else None
        self.first = MaskedConv2d(hidden, hidden, kernel_size, "A")
        self.blocks = nn.ModuleList(
            GatedResidualBlock(hidden, kernel_size, cond_channels=hidden if cond_codes else 0) for _ in range(n_blocks)
        )
        self.head = nn.Conv2d(hidden, num_codes, 1)
        seeded_init_(self, generator)
        with torch.no_grad():
            for emb in (self.embed, self.cond_embed):
                if emb is not None:
                    emb.weight.copy_(torch.randn(emb.weight.shape, generator=generator))

    def _cond_map(self, cond: Tensor | None, size: tuple[int, int]) -> Tensor | None:
        if self.cond_embed is None:
            if cond is not None:
                raise ValueError("cond must be None: this prior was built with cond_codes = 0")
            return None
        if cond is None:
            raise ValueError(f"cond must be a (B, h, w) code map in [0, {self.cond_codes - 1}] for this conditional prior")
        _check_codes(cond, self.cond_codes, "cond")
        c = self.cond_embed(cond.long()).permute(0, 3, 1, 2)  # (B, C, h, w)
        return F.interpolate(c, size=size, mode="nearest")  # (B, C, H, W)

    def forward(self, codes: Tensor, cond: Tensor | None = None) -> Tensor:
        _check_codes(codes, self.num_codes, "codes")
        if cond is not None and cond.shape[0] != codes.shape[0]:
            raise ValueError(f"cond must have batch size {codes.shape[0]}, got {tuple(cond.shape)}")
        s = self._cond_map(cond, tuple(codes.shape[1:]))
        h = self.first(self.embed(codes.long()).permute(0, 3, 1, 2))  # (B, C, H, W)
        for block in self.blocks:
            h = block(h, s)
        return self.head(F.relu(h))  # (B, K, H, W)


def prior_nll(prior: PixelCNNPrior, codes: Tensor, cond: Tensor | None = None) -> Tensor:
    """Negative log-likelihood of ``codes`` under the prior, nats per position (mean over B, H, W)."""
    return F.cross_entropy(prior(codes, cond), codes.long())


def prior_step(prior: PixelCNNPrior, batch: Sequence[Tensor]) -> Tensor:
    """A ``fit`` step: batch = (codes (B, H, W),) or (codes, cond) -> ``prior_nll``."""
    return prior_nll(prior, batch[0], batch[1] if len(batch) > 1 else None)


@torch.no_grad()
def sample_codes(
    prior: PixelCNNPrior,
    n: int,
    shape: tuple[int, int],
    *,
    generator: torch.Generator,
    cond: Tensor | None = None,
    temperature: float = 1.0,
) -> Tensor:
    """Ancestral sampling z_i ~ p(z_i | z_<i [, c]) in raster order (arXiv 1711.00937 section 3.3).

    n samples of a (H, W) map -> (n, H, W) int64. Draws use ``generator`` (CPU), so the same
    seed gives the same codes. temperature > 0 divides the logits (1 = the model's own
    distribution; larger = closer to uniform). cond: (n, h, w) codes for a conditional prior.
    One full forward pass per position (H * W passes): fine for tiny maps.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    if len(shape) != 2 or not all(isinstance(s, int) and s >= 1 for s in shape):
        raise ValueError(f"shape must be (H, W) positive ints, got {shape!r}")
    checks.generator(generator)
    temperature = checks.real(temperature, "temperature", low=0, low_open=True)
    if cond is not None and cond.shape[0] != n:
        raise ValueError(f"cond must have batch size n = {n}, got {tuple(cond.shape)}")
    was = prior.training
    prior.eval()
    device = next(prior.parameters()).device
    codes = torch.zeros(n, *shape, dtype=torch.long, device=device)
    cond = None if cond is None else cond.to(device)
    for i in range(shape[0]):
        for j in range(shape[1]):
            logits = prior(codes, cond)[:, :, i, j] / temperature  # (n, K)
            probs = torch.softmax(logits.float(), dim=1).cpu()
            codes[:, i, j] = torch.multinomial(probs, 1, generator=generator)[:, 0].to(device)
    prior.train(was)
    return codes.cpu()
