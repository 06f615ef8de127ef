"""Go wide, then narrow (Zhou et al. 2020, arXiv 2007.00811): training a deep thin net through a wide one.

    deep_mlp             the thin net S and its wide counterpart B: same depth, widths w and W
    mlp_blocks           S_1 = Linear_1, S_i = (ReLU, Linear_i): every block ends in a linear layer
    block_outputs        B's block outputs B_(:i)(x), i = 1..L (the imitation targets)
    WidenNarrow          S with linear maps P_i: R^w -> R^W (widen) and Q_i: R^W -> R^w (narrow)
                         between blocks i and i+1 (the paper's S-bar, Fig. 1 middle); Q_i P_i = I at init
    imitation_targets    those outputs centred and scaled to mean square 1 per block (our choice, see there)
    imitation_step       fit step of the layer-wise imitation: || P_i S_i(Q_{i-1} h) - B_(:i)(x) ||^2
    layerwise_imitation  stage 2 (narrow learning): blocks bottom to top, each with ``train.fit``
    WidenNarrow.merge    stage 3 starts here: fold Q_i P_i into Linear_i, S-bar collapses back to S

Shapes: inputs (B, D), hidden outputs (B, w) in S and (B, W) in B and in the widened space of
S-bar, logits (B, C). Notation: the paper's equations were not checked against the PDF, so the
imitation loss is written in our notation (section 3 / Algorithm 1 of the paper, the method's
stage 2): each block i (bottom to top) is fitted with the blocks below it frozen, reading the
thin net's own (widened) output of block i-1, to the wide net's output of block i.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from paperlib import checks, layers, train

__all__ = [
    "deep_mlp",
    "mlp_blocks",
    "block_outputs",
    "WidenNarrow",
    "imitation_targets",
    "imitation_step",
    "Imitation",
    "layerwise_imitation",
]


# --------------------------------------------------------------------------- the two nets
def deep_mlp(in_features: int, width: int, depth: int, out_features: int, *, generator: torch.Generator) -> nn.Sequential:
    """A deep ReLU MLP with ``depth`` hidden layers of the same ``width`` (arXiv 2007.00811, the thin S or the wide B).

    ``layers.mlp((in, width, ..., width, out))``: the thin net and its wide counterpart differ only
    in ``width`` (the paper widens every block, keeping the depth). (B, in) -> (B, out).
    """
    checks.positive_int(in_features, "in_features")
    checks.positive_int(width, "width")
    checks.positive_int(depth, "depth")
    checks.positive_int(out_features, "out_features")
    checks.generator(generator)
    return layers.mlp((in_features, *[width] * depth, out_features), generator=generator)


def _check_mlp(net: object, name: str) -> list[nn.Linear]:
    """``net`` must be an nn.Sequential alternating Linear and ReLU, ending in a Linear (``layers.mlp``)."""
    checks.instance(net, name, nn.Sequential, "an nn.Sequential of Linear/ReLU layers (layers.mlp)")
    mods = list(net)
    ok = len(mods) >= 3 and len(mods) % 2 == 1 and all(
        isinstance(m, nn.Linear if k % 2 == 0 else nn.ReLU) for k, m in enumerate(mods)
    )
    if not ok:
        kinds = [type(m).__name__ for m in mods]
        raise ValueError(f"{name} must alternate Linear, ReLU, ..., Linear with >= 1 hidden layer (layers.mlp without dropout), got {kinds}")
    return [m for m in mods if isinstance(m, nn.Linear)]


def mlp_blocks(net: nn.Sequential) -> list[nn.Sequential]:
    """The blocks S_1..S_L of a ``layers.mlp`` net (arXiv 2007.00811 section 3: the units the method widens).

    S_1 = Linear_1 and S_i = (ReLU, Linear_i) for i = 2..L, so every block ends in a linear layer
    and its output is a pre-activation (the logits for i = L). The blocks share the net's
    parameters (no copy), so training a block trains the net.
    """
    _check_mlp(net, "net")
    mods = list(net)
    return [nn.Sequential(mods[0])] + [nn.Sequential(*mods[k : k + 2]) for k in range(1, len(mods), 2)]


@torch.no_grad()
def block_outputs(net: nn.Sequential, x: Tensor) -> list[Tensor]:
    """Every block's output B_(:i)(x) = (B_i o ... o B_1)(x), i = 1..L, of a ``layers.mlp`` net (no gradients).

    x: (B, D) -> L tensors: the pre-activation (B, W) of each hidden layer, then the logits (B, C). These are the
    targets of the layer-wise imitation (arXiv 2007.00811 stage 2).
    """
    linears = _check_mlp(net, "net")
    checks.tensor(x, "x", shape=("B", linears[0].in_features))
    outs, h = [], x
    for block in mlp_blocks(net):
        h = block(h)
        outs.append(h)
    return outs


# --------------------------------------------------------------------------- S-bar
class WidenNarrow(nn.Module):
    """The thin net with widening/narrowing maps between its blocks (arXiv 2007.00811 Fig. 1, the net S-bar).

    S-bar(x) = S_L(Q_{L-1} P_{L-1} S_{L-1}( ... Q_1 P_1 S_1(x))) with the blocks of ``mlp_blocks``
    (S_1 = Linear_1, S_i = ReLU then Linear_i), so P_i widens block i's pre-activation; P_i = ``widen[i-1]``:
    Linear(w -> W) and Q_i = ``narrow[i-1]``: Linear(W -> w), i = 1..L-1. At construction
    P_i has orthonormal columns (the first w columns of a random orthogonal W x W matrix drawn
    from ``generator``), Q_i = P_i^T and both biases are 0, so Q_i P_i = I and S-bar computes
    exactly S. ``thin`` (a ``layers.mlp`` net) is used in place (its parameters are S-bar's).
    (B, D) -> (B, C).
    """

    def __init__(self, thin: nn.Sequential, wide_width: int, *, generator: torch.Generator):
        super().__init__()
        linears = _check_mlp(thin, "thin")
        widths = {m.out_features for m in linears[:-1]}
        if len(widths) != 1:
            raise ValueError(f"thin must have hidden layers of one width, got widths {sorted(widths)}")
        (w,) = widths
        checks.integer(wide_width, "wide_width", low=w, what=f"an int >= the thin width {w}")
        checks.generator(generator)
        self.thin, self.width, self.wide_width = thin, w, wide_width
        self.widen, self.narrow = nn.ModuleList(), nn.ModuleList()
        for _ in range(len(linears) - 1):
            q, _ = torch.linalg.qr(torch.randn(wide_width, wide_width, generator=generator))  # random orthogonal
            p = nn.Linear(w, wide_width)
            n = nn.Linear(wide_width, w)
            with torch.no_grad():
                p.weight.copy_(q[:, :w])  # (W, w): orthonormal columns
                n.weight.copy_(q[:, :w].T)  # (w, W): Q = P^T, so Q P = I_w
                p.bias.zero_()
                n.bias.zero_()
            self.widen.append(p)
            self.narrow.append(n)

    @property
    def n_blocks(self) -> int:
        return len(self.widen) + 1

    def stage(self, i: int) -> nn.Sequential:
        """S-bar's block i (1-based): Q_{i-1}, S_i, P_i, sharing parameters (no Q for i = 1, no P for i = L).

        Input (B, D) for i = 1, else (B, W); output (B, W) for i < L, else the logits (B, C).
        This is what stage 2 trains for block i (the blocks below stay frozen).
        """
        L = self.n_blocks
        checks.integer(i, "i (a block, 1-based)", low=1, high=L)
        mods: list[nn.Module] = [] if i == 1 else [self.narrow[i - 2]]
        mods += list(mlp_blocks(self.thin)[i - 1])
        if i < L:
            mods.append(self.widen[i - 1])
        return nn.Sequential(*mods)

    def forward(self, x: Tensor) -> Tensor:
        checks.tensor(x, "x", shape=("B", self.thin[0].in_features))
        for i in range(1, self.n_blocks + 1):
            x = self.stage(i)(x)
        return x  # (B, C)

    @torch.no_grad()
    def merge(self) -> nn.Sequential:
        """A copy of the thin net with every Q_i P_i folded into Linear_i (arXiv 2007.00811 Fig. 1 right).

        Between Linear_i and ReLU only the linear maps P_i, Q_i sit, so Q_i(P_i(A z + b)) =
        A' z + b' with A' = Q_i P_i A (w x w times w x in) and b' = Q_i (P_i b + b_P) + b_Q:
        the merged net equals S-bar exactly (up to float rounding) and has the thin net's shape.
        """
        sizes = [m.in_features for m in _check_mlp(self.thin, "thin")] + [self.thin[-1].out_features]
        first = self.thin[0].weight
        merged = layers.mlp(sizes, generator=torch.Generator().manual_seed(0)).to(first.device, first.dtype)
        merged.load_state_dict(self.thin.state_dict())
        for lin, p, q in zip(_check_mlp(merged, "merged"), self.widen, self.narrow):
            qp = q.weight @ p.weight  # (w, w)
            lin.bias.copy_(q.weight @ (p.weight @ lin.bias + p.bias) + q.bias)
            lin.weight.copy_(qp @ lin.weight)  # (w, in)
        return merged.eval()


# --------------------------------------------------------------------------- stage 2
def imitation_step(model: nn.Module, batch: Sequence[Tensor]) -> Tensor:
    """A ``fit`` step of the layer-wise imitation (arXiv 2007.00811 stage 2): mean squared error to the wide net.

    model: ``WidenNarrow.stage(i)``; batch = (h (B, W) the thin net's widened output of block i-1
    (x (B, D) for i = 1), target (B, W) the wide net's output of block i (logits (B, C) for i = L)).
    Returns mean over batch and units of (P_i S_i(Q_{i-1} h) - target)^2.
    """
    checks.function(model, "model")
    h, target = checks.batch(batch, 2, "(h, target)")[:2]
    out = model(h)
    checks.same_shape(out, target, "model(h)", "target", dim=2, shape="(B, W)")
    return F.mse_loss(out, target)


@torch.no_grad()
def imitation_targets(wide: nn.Sequential, x: Tensor) -> list[Tensor]:
    """The wide net's block outputs as imitation targets (arXiv 2007.00811 stage 2; the scaling is our choice).

    Hidden blocks: B_(:i)(x) minus its mean over x, divided by one number per block (the root mean
    square), so every block's target has mean square 1 while its units keep their relative sizes;
    a deep block's pre-activations can be 100x larger than the first block's, and Adam's steps do not
    scale with them. The next linear map absorbs a shift and a scale, so nothing is lost. Logits:
    divided by their standard deviation only (one number, so each row's argmax is kept).
    x: (N, D) -> L tensors: (N, W) for i < L, (N, C) for i = L. N >= 2 (means and spreads over x).
    """
    linears = _check_mlp(wide, "wide")
    checks.tensor(x, "x", shape=("N", linears[0].in_features))
    if len(x) < 2:
        raise ValueError(f"x must hold at least 2 examples (the targets are centred and scaled over x), got {len(x)}")
    outs = block_outputs(wide, x)
    targets = []
    for t in outs[:-1]:
        t = t - t.mean(dim=0)  # (N, W)
        targets.append(t / t.pow(2).mean().sqrt().clamp_min(1e-6))
    targets.append(outs[-1] / outs[-1].std().clamp_min(1e-6))  # (N, C)
    return targets


class Imitation(NamedTuple):
    """What ``layerwise_imitation`` returns: each block's last-epoch imitation MSE (L floats; the targets have
    mean square 1, so 0.1 means 10% of the target left unexplained) and the optimiser steps used."""

    block_loss: list[float]
    steps: int


def layerwise_imitation(
    model: WidenNarrow,
    wide: nn.Sequential,
    x: Tensor,
    *,
    epochs: int,
    batch_size: int,
    generator: torch.Generator,
    lr: float = 1e-2,
    progress: bool = True,
) -> Imitation:
    """Stage 2 of arXiv 2007.00811 (narrow learning): fit S-bar's blocks to the wide net's, bottom to top.

    For i = 1..L: inputs h = S-bar's own output of blocks 1..i-1 (frozen; x for i = 1),
    targets = the wide net's B_(:i)(x), centred and scaled (``imitation_targets``); ``train.fit(model.stage(i),
    imitation_step, (h, target), epochs=epochs, ...)``. Only block i's Q_{i-1}, S_i, P_i change.
    x: (N, D) the unlabelled inputs. Steps used: L * epochs * ceil(N / batch_size).
    ``wide`` must have ``model``'s depth and widths (W hidden units, same input and output sizes).
    """
    checks.instance(model, "model", WidenNarrow, "a WidenNarrow")
    wide_linears = _check_mlp(wide, "wide")
    thin_linears = _check_mlp(model.thin, "model.thin")
    want = [(m.in_features, m.out_features) for m in thin_linears]
    want = [(a if k == 0 else model.wide_width, b if k == len(want) - 1 else model.wide_width) for k, (a, b) in enumerate(want)]
    got = [(m.in_features, m.out_features) for m in wide_linears]
    if got != want:
        raise ValueError(f"wide must have the layer sizes {want} (the thin net widened to {model.wide_width}), got {got}")
    checks.tensor(x, "x", shape=("N", thin_linears[0].in_features))
    checks.positive_int(epochs, "epochs")
    checks.positive_int(batch_size, "batch_size")
    checks.generator(generator)
    checks.positive_real(lr, "lr")
    checks.boolean(progress, "progress")
    targets = imitation_targets(wide, x)  # L tensors: (N, W) ..., (N, C)
    h, losses, L = x, [], model.n_blocks
    for i in range(1, L + 1):
        stage = model.stage(i)
        hist = train.fit(stage, imitation_step, (h, targets[i - 1]), epochs=epochs, batch_size=batch_size,
                         lr=lr, generator=generator, progress=progress, desc=f"모방 {i}/{L}")
        losses.append(hist.epoch_loss[-1])
        with torch.no_grad():
            h = stage(h)  # (N, W): the input of block i + 1
    n_batches = -(-len(x) // batch_size)
    return Imitation(losses, L * epochs * n_batches)
