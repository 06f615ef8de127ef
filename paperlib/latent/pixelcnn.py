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


def _check_codes(codes: Tensor, num_codes: int, name: str, batch: int | str = "B") -> None:
    checks.integer_tensor(codes, name, shape=(batch, "H", "W"), low=0, high=num_codes - 1)


class MaskedConv2d(nn.Conv2d):
    """A 2-D convolution whose kernel is masked to respect raster order (arXiv 1601.06759 section 3.5).

    mask_type "A": the output at (i, j) sees rows < i, and row i at columns < j (not (i, j) itself);
    use it for the first layer, which reads the input codes. "B": also sees (i, j) itself; use it
    for later layers, whose (i, j) features already exclude the input at (i, j).
    Odd square kernels, 'same' padding: (B, C_in, H, W) -> (B, C_out, H, W). The input is checked
    for its type and shape, not for NaN (an inner layer: a NaN activation propagates to the output).
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, mask_type: str):
        checks.positive_int(in_channels, "in_channels")
        checks.positive_int(out_channels, "out_channels")
        checks.odd_int(kernel_size, "kernel_size")
        checks.choice(mask_type, "mask_type", ("A", "B"))
        super().__init__(in_channels, out_channels, kernel_size, padding=kernel_size // 2)
        self.mask_type = mask_type
        k = kernel_size
        mask = torch.ones(k, k)
        mask[k // 2, k // 2 + (mask_type == "B") :] = 0  # the centre row: keep the left part (and centre for B)
        mask[k // 2 + 1 :, :] = 0  # rows below: the future
        self.register_buffer("mask", mask[None, None])  # (1, 1, k, k)

    def forward(self, x: Tensor) -> Tensor:
        checks.tensor(x, "x", shape=("B", self.in_channels, "H", "W"), finite=False)
        return F.conv2d(x, self.weight * self.mask, self.bias, padding=self.padding)


class GatedResidualBlock(nn.Module):
    """Gated activation unit with conditioning, arXiv 1606.05328 eqs. (2) and (5), in a residual block.

    h = masked_B(x) -> (f, g) halves; f += V_f s, g += V_g s (s: (B, C_cond, H, W) conditioning map
    via 1x1 convs, eq. 5); y = tanh(f) * sigmoid(g); out = x + 1x1(y). (B, C, H, W) -> (B, C, H, W).
    x and cond are checked for type and shape, not for NaN (an inner layer: NaN propagates to the output).
    """

    def __init__(self, channels: int, kernel_size: int = 3, cond_channels: int = 0):
        super().__init__()
        checks.positive_int(channels, "channels")
        checks.nonnegative_int(cond_channels, "cond_channels")
        self.conv = MaskedConv2d(channels, 2 * channels, kernel_size, "B")
        self.cond = nn.Conv2d(cond_channels, 2 * channels, 1, bias=False) if cond_channels else None
        self.out = nn.Conv2d(channels, channels, 1)

    def forward(self, x: Tensor, cond: Tensor | None = None) -> Tensor:
        checks.tensor(x, "x", shape=("B", self.out.in_channels, "H", "W"), finite=False)
        if cond is not None:
            if self.cond is None:
                raise ValueError("cond must be None: this block was built with cond_channels = 0")
            checks.tensor(cond, "cond", shape=(len(x), self.cond.in_channels, *x.shape[2:]), finite=False)
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
        checks.positive_int(num_codes, "num_codes")
        checks.positive_int(hidden, "hidden")
        checks.positive_int(n_blocks, "n_blocks")
        checks.nonnegative_int(cond_codes, "cond_codes")
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
        if cond is not None:
            checks.integer_tensor(cond, "cond", shape=(len(codes), "h", "w"))
        s = self._cond_map(cond, tuple(codes.shape[1:]))
        h = self.first(self.embed(codes.long()).permute(0, 3, 1, 2))  # (B, C, H, W)
        for block in self.blocks:
            h = block(h, s)
        return self.head(F.relu(h))  # (B, K, H, W)


def prior_nll(prior: PixelCNNPrior, codes: Tensor, cond: Tensor | None = None) -> Tensor:
    """Negative log-likelihood of ``codes`` under the prior, nats per position (mean over B, H, W)."""
    checks.instance(prior, "prior", PixelCNNPrior)
    return F.cross_entropy(prior(codes, cond), codes.long())


def prior_step(prior: PixelCNNPrior, batch: Sequence[Tensor]) -> Tensor:
    """A ``fit`` step: batch = (codes (B, H, W),) or (codes, cond) -> ``prior_nll``."""
    checks.batch(batch, 1, "(codes,) or (codes, cond)")
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
    seed gives the same codes. temperature divides the logits (1 = the model's own
    distribution; larger = closer to uniform); it must lie in [1e-3, 1e6] (``checks.scale``: a
    smaller one overflows the logits into NaN probabilities). cond: (n, h, w) codes for a conditional prior.
    One full forward pass per position (H * W passes): fine for tiny maps.
    """
    checks.instance(prior, "prior", PixelCNNPrior)
    checks.positive_int(n, "n")
    checks.sequence(shape, "shape", checks.positive_int, length=2, what="positive ints (H, W)")
    checks.generator(generator)
    temperature = checks.scale(temperature, "temperature")
    if cond is not None:
        _check_codes(cond, max(prior.cond_codes, 1), "cond", batch=n)
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
