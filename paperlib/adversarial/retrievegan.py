"""RetrieveGAN (Tseng, Lee et al., ECCV 2020, arXiv 2007.08513): differentiable patch retrieval, section 3.

    gumbel_softmax        Gumbel-softmax with temperature tau; soft, or straight-through hard (one-hot
                          forward, soft gradient); argmax-free sampling made differentiable
    select_top_n          iterative top-n selection: n Gumbel-softmax draws, each chosen item masked
                          with -inf before the next draw (weighted reservoir sampling, made differentiable)
    gt_selection_loss     ground-truth selection loss: cross-entropy of each step's scores on its GT item
    triplet_loss          co-occurrence embedding: patches of one scene closer than patches of another
    cooccurrence_loss     co-occurrence penalty: mean squared distance between the selected patches' embeddings
    PatchSelector         scores <q_t, e_j> between an object query and every candidate patch
    SceneGenerator        pastes the retrieved patches into their cells and refines the canvas (a small conv net)

The paper's own equations could not be checked here (see the chapter): the selection follows the
usual Gumbel-softmax (Jang et al. arXiv 1611.01144; Maddison et al. arXiv 1611.00712), and the
two auxiliary losses are our reconstruction of the paper's description. Shapes: B scenes,
n objects (selection steps), K candidates, D embedding size.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from paperlib import checks
from paperlib.data.patch_scenes import BACKGROUND, paste_patches
from paperlib.layers import mlp, seeded_init_

__all__ = [
    "MODES", "gumbel_noise", "gumbel_softmax", "Selection", "select_top_n",
    "retrieve", "gt_selection_loss", "triplet_loss", "cooccurrence_loss", "PatchSelector", "SceneGenerator",
]

MODES = ("soft", "hard", "argmax")
_TINY = 1e-10  # keeps log(-log U) finite for U in {0, 1}


def _noise_or_generator(noise: Tensor | None, generator: torch.Generator | None, shape: tuple[int, ...]) -> None:
    if (noise is None) == (generator is None):
        raise ValueError("pass exactly one of noise= (Gumbel noise of the logits' shape) or generator= (to draw it)")
    if noise is not None:
        checks.tensor(noise, "noise", shape=shape)
    else:
        checks.generator(generator)


def gumbel_noise(shape: Sequence[int], *, generator: torch.Generator, dtype: torch.dtype = torch.float32) -> Tensor:
    """Standard Gumbel noise g = -log(-log U), U ~ Uniform(0, 1) (the Gumbel-max trick, arXiv 1611.01144 section 2); drawn on CPU."""
    shape = tuple(checks.sequence(shape, "shape", checks.nonnegative_int, what="non-negative ints"))
    checks.generator(generator)
    checks.instance(dtype, "dtype", torch.dtype, "a torch.dtype")
    u = torch.rand(shape, generator=generator, dtype=dtype)
    return -torch.log(-torch.log(u.clamp(_TINY, 1 - _TINY)))


def gumbel_softmax(logits: Tensor, tau: float, *, hard: bool = False, noise: Tensor | None = None,
                   generator: torch.Generator | None = None) -> Tensor:
    """Gumbel-softmax (arXiv 1611.01144 section 2; RetrieveGAN 2007.08513 section 3): y = softmax((logits + g) / tau).

    logits: (..., K) unnormalised log-probabilities (-inf marks an item that cannot be drawn; at
    least one finite per row). tau in [1e-3, 1e6]: small tau gives nearly one-hot samples, large tau
    nearly uniform ones. hard=True: straight-through, y_hard - sg(y_soft) + y_soft, i.e. the one-hot
    of argmax in the forward pass and the soft sample's gradient in the backward pass. The noise is
    ``noise`` (same shape as logits) or drawn from ``generator`` (exactly one of them).
    As tau -> 0 (or with hard=True) argmax(y) ~ Categorical(softmax(logits)) (the Gumbel-max trick).
    """
    checks.tensor(logits, "logits", finite=False)
    if logits.dim() == 0 or logits.shape[-1] == 0:
        raise ValueError(f"logits must have shape (..., K) with K >= 1, got {tuple(logits.shape)}")
    if torch.isnan(logits).any() or (logits == float("inf")).any():
        raise ValueError("logits must not hold NaN or +inf (-inf marks an excluded item)")
    if (logits == float("-inf")).all(-1).any():
        raise ValueError("logits must keep at least one finite item per row (every item is -inf in some row)")
    tau = checks.scale(tau, "tau")
    checks.boolean(hard, "hard")
    _noise_or_generator(noise, generator, tuple(logits.shape))
    g = noise if noise is not None else gumbel_noise(logits.shape, generator=generator, dtype=logits.dtype).to(logits.device)
    soft = torch.softmax((logits + g) / tau, dim=-1)  # (..., K)
    if not hard:
        return soft
    one_hot = F.one_hot(soft.argmax(-1), soft.shape[-1]).to(soft.dtype)  # (..., K)
    return one_hot - soft.detach() + soft  # forward: one-hot; backward: d soft


class Selection(NamedTuple):
    """What :func:`select_top_n` returns.

    weights: (B, n, K) the selection of each step (soft, straight-through one-hot, or detached one-hot);
    index: (B, n) int64 the item chosen at each step (argmax of its sample; distinct within a row);
    soft: (B, n, K) the soft Gumbel-softmax samples (for entropies and plots).
    """

    weights: Tensor
    index: Tensor
    soft: Tensor


def select_top_n(logits: Tensor, n: int, tau: float, *, mode: str = "hard", noise: Tensor | None = None,
                 generator: torch.Generator | None = None) -> Selection:
    """Iterative top-n retrieval (arXiv 2007.08513 section 3): n Gumbel-softmax draws, -inf masking of chosen items.

    logits: (B, K) one query for all steps (top-n of one score vector), or (B, n, K) one query per step.
    Step t draws s_t = GumbelSoftmax_tau(logits_t + m_t), takes i_t = argmax s_t and sets
    m_{t+1} = m_t + (-inf) * onehot(i_t), so no item is chosen twice. 1 <= n <= K.
    mode: "soft" (weights = s_t), "hard" (straight-through one-hot with the soft gradient) or
    "argmax" (the same one-hot, detached: the plain non-differentiable retrieval, our control).
    noise: (B, n, K) Gumbel noise, or ``generator`` to draw it (exactly one). tau = 0 is refused;
    zero noise gives the deterministic (greedy) top-n of the scores.
    """
    checks.tensor(logits, "logits")
    if logits.dim() not in (2, 3):
        raise ValueError(f"logits must have shape (B, K) or (B, n, K), got {tuple(logits.shape)}")
    checks.positive_int(n, "n")
    k = logits.shape[-1]
    if n > k:
        raise ValueError(f"n must be <= K = {k} (the number of candidates), got n = {n}")
    if logits.dim() == 3 and logits.shape[1] != n:
        raise ValueError(f"logits (B, n, K) must have n = {n} steps, got shape {tuple(logits.shape)}")
    tau = checks.scale(tau, "tau")
    mode = checks.choice(mode, "mode", MODES)
    b = logits.shape[0]
    _noise_or_generator(noise, generator, (b, n, k))
    if noise is None:
        noise = gumbel_noise((b, n, k), generator=generator, dtype=logits.dtype).to(logits.device)
    per_step = logits if logits.dim() == 3 else logits[:, None, :].expand(b, n, k)  # (B, n, K)
    mask = torch.zeros(b, k, dtype=logits.dtype, device=logits.device)  # (B, K): 0 or -inf
    weights, index, soft = [], [], []
    for t in range(n):
        s = gumbel_softmax(per_step[:, t] + mask, tau, noise=noise[:, t], hard=mode == "hard")  # (B, K)
        i = s.detach().argmax(-1)  # (B,)
        if mode == "argmax":
            s = F.one_hot(i, k).to(logits.dtype)
        weights.append(s)
        index.append(i)
        soft.append(torch.softmax((per_step[:, t] + mask + noise[:, t]) / tau, -1).detach())
        mask = mask.masked_fill(F.one_hot(i, k).bool(), float("-inf"))  # never pick i again
    return Selection(torch.stack(weights, 1), torch.stack(index, 1), torch.stack(soft, 1))


def retrieve(weights: Tensor, candidates: Tensor) -> Tensor:
    """Retrieved patches (arXiv 2007.08513 section 3): sum_j w_tj * candidate_j per step (one-hot weights pick exactly).

    weights: (B, n, K) a selection (e.g. ``Selection.weights``); candidates: (B, K, *item) -> (B, n, *item).
    Differentiable in both (the path by which the generator's loss reaches the selector).
    """
    checks.tensor(weights, "weights", dim=3, shape="(B, n, K)")
    b, _, k = weights.shape
    checks.tensor(candidates, "candidates", shape=(b, k, "*item"))
    return (weights @ candidates.flatten(2)).view(b, weights.shape[1], *candidates.shape[2:])  # (B, n, *item)


def gt_selection_loss(logits: Tensor, gt: Tensor) -> Tensor:
    """Ground-truth selection loss (arXiv 2007.08513 section 3, our reconstruction): mean of -log softmax(logits_t + m_t)[gt_t].

    logits: (B, n, K) per-step scores; gt: (B, n) int64 ground-truth items, distinct within a row.
    The mask m_t is teacher-forced: the ground-truth items of the earlier steps are excluded (-inf),
    as they would be after correct earlier picks. Returns a scalar.
    """
    checks.tensor(logits, "logits", dim=3, shape="(B, n, K)")
    b, n, k = logits.shape
    checks.integer_tensor(gt, "gt", shape=(b, n), low=0, high=k - 1)
    onehot = F.one_hot(gt.long(), k).bool()  # (B, n, K)
    if (onehot.sum(1) > 1).any():
        raise ValueError("gt must hold distinct items within each row (one ground-truth item per step)")
    earlier = (onehot.cumsum(1) - onehot.long()).bool()  # (B, n, K): GT of steps < t
    masked = logits.masked_fill(earlier, float("-inf"))
    return F.cross_entropy(masked.reshape(b * n, k), gt.reshape(-1).long())


def triplet_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0) -> Tensor:
    """Co-occurrence triplet loss (arXiv 2007.08513 section 3, our reconstruction): mean max(0, |a-p|^2 - |a-n|^2 + margin).

    anchor, positive, negative: (B, D) embeddings; (anchor, positive) come from one scene (they
    co-occur), negative from another. margin > 0. Returns a scalar.
    """
    checks.tensor(anchor, "anchor", dim=2, shape="(B, D)")
    checks.same_shape(anchor, positive, "anchor", "positive")
    checks.same_shape(anchor, negative, "anchor", "negative")
    margin = checks.positive_real(margin, "margin")
    d_pos = (anchor - positive).pow(2).sum(1)  # (B,)
    d_neg = (anchor - negative).pow(2).sum(1)  # (B,)
    return F.relu(d_pos - d_neg + margin).mean()


def cooccurrence_loss(embeddings: Tensor) -> Tensor:
    """Co-occurrence penalty (arXiv 2007.08513 section 3, our reconstruction): mean |c_t - c_u|^2 over selected pairs t != u.

    embeddings: (B, n, D) co-occurrence embeddings of the n selected patches (for a selection with
    weights W (B, n, K) over candidate embeddings C (B, K, D): W @ C). n >= 2. Returns a scalar.
    """
    checks.tensor(embeddings, "embeddings", dim=3, shape="(B, n, D)")
    n = embeddings.shape[1]
    if n < 2:
        raise ValueError(f"embeddings must hold n >= 2 selected patches per scene (B, n, D), got n = {n}")
    d = torch.cdist(embeddings, embeddings).pow(2)  # (B, n, n)
    return d.sum((1, 2)).mean() / (n * (n - 1))


class PatchSelector(nn.Module):
    """Retrieval scores (arXiv 2007.08513 section 3): logits[b, t, j] = <q_bt, e_bj> / sqrt(D), query vs patch embedding.

    Query q = MLP([onehot(shape_t), onehot(palette)]) (the scene-graph object and the scene's colour
    theme); patch embedding e = MLP(flattened patch). Both MLPs have one hidden layer.
    forward(candidates (B, K, C, P, P), shapes (B, n), palette (B,)) -> (B, n, K).
    """

    def __init__(self, n_shapes: int, n_palettes: int, patch_shape: Sequence[int] = (3, 8, 8), *, dim: int = 16,
                 hidden: int = 32, generator: torch.Generator):
        super().__init__()
        self.n_shapes = checks.positive_int(n_shapes, "n_shapes")
        self.n_palettes = checks.positive_int(n_palettes, "n_palettes")
        self.patch_shape = tuple(checks.sequence(patch_shape, "patch_shape", checks.positive_int, length=3, what="positive ints (C, P, P)"))
        self.dim = checks.positive_int(dim, "dim")
        checks.positive_int(hidden, "hidden")
        checks.generator(generator)
        c, p, q = self.patch_shape
        self.query = mlp((n_shapes + n_palettes, hidden, dim), generator=generator)
        self.embed = mlp((c * p * q, hidden, dim), generator=generator)

    def embed_patches(self, candidates: Tensor) -> Tensor:
        """Patch embeddings e_j (arXiv 2007.08513 section 3): (B, K, C, P, P) -> (B, K, D)."""
        checks.tensor(candidates, "candidates", shape=("B", "K", *self.patch_shape))
        return self.embed(candidates.flatten(2))  # (B, K, D)

    def forward(self, candidates: Tensor, shapes: Tensor, palette: Tensor) -> Tensor:
        e = self.embed_patches(candidates)  # (B, K, D)
        b = len(candidates)
        checks.integer_tensor(shapes, "shapes", shape=(b, "n"), low=0, high=self.n_shapes - 1)
        checks.integer_tensor(palette, "palette", shape=(b,), low=0, high=self.n_palettes - 1)
        n = shapes.shape[1]
        obj = torch.cat([F.one_hot(shapes.long(), self.n_shapes),
                         F.one_hot(palette.long(), self.n_palettes)[:, None].expand(b, n, self.n_palettes)], -1)  # (B, n, S+P)
        q = self.query(obj.to(e.dtype))  # (B, n, D)
        return q @ e.transpose(1, 2) / self.dim**0.5  # (B, n, K)


class SceneGenerator(nn.Module):
    """A small stand-in for the image generator of arXiv 2007.08513 (section 3): paste patches, then x + refine(x).

    refine: conv3x3 (3 -> width) -> ReLU -> conv3x3 (width -> 3), its last layer starting at zero
    (at initialisation the scene is exactly the pasted canvas); the paper uses a PasteGAN-style generator.
    forward(patches (B, n, 3, P, P), cells (B, n)) -> (B, 3, G*P, G*P).
    """

    def __init__(self, grid: int = 3, *, width: int = 16, background: float = BACKGROUND, generator: torch.Generator):
        super().__init__()
        self.grid = checks.positive_int(grid, "grid")
        checks.positive_int(width, "width")
        self.background = checks.real(background, "background")
        checks.generator(generator)
        self.refine = nn.Sequential(nn.Conv2d(3, width, 3, padding=1), nn.ReLU(), nn.Conv2d(width, 3, 3, padding=1))
        seeded_init_(self, generator)
        with torch.no_grad():
            self.refine[-1].weight.zero_()
            self.refine[-1].bias.zero_()

    def forward(self, patches: Tensor, cells: Tensor) -> Tensor:
        checks.tensor(patches, "patches", dim=5, shape="(B, n, 3, P, P)")
        if patches.shape[2] != 3:
            raise ValueError(f"patches must have 3 channels (B, n, 3, P, P), got {tuple(patches.shape)}")
        canvas = paste_patches(patches, cells, self.grid, background=self.background)  # (B, 3, G*P, G*P)
        return canvas + self.refine(canvas)
