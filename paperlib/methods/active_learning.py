"""Pool-based active learning as benchmarked by Munjal et al. (CVPR 2022, arXiv 2002.09564).

    random_batch       RSB, the random-sampling baseline: a uniform sample of b pool indices
    top_k              the b highest scores, ties broken at random (every score-based strategy ends here)
    mc_dropout_probs   T stochastic forward passes with dropout on (MC dropout), (T, N, C)
    bald               BALD's mutual information H[mean_t p_t] - mean_t H[p_t]
    variation_ratio    QBC's disagreement 1 - f_m / M over a committee's votes
    penultimate        the features phi(x) of an MLP before its last layer (Coreset works on these)
    k_center_greedy    Coreset: greedy k-centre, repeatedly adding argmax_u min_s ||phi(u) - phi(s)||
    cover_radius       max_u min_s ||phi(u) - phi(s)||, the quantity k-centre greedy shrinks
    shift_digits       an augmentation: random integer shifts of 8x8 digits
    regularised_step   train.classification_step on digits with pixel noise (and shifts)
    query              one annotation batch of a named strategy (the loop's one call per round)
    oracle_query       the cheating control: pool neighbours of the test points the model gets wrong

The paper's loop (section 3): a labelled set L_0, then rounds of "train from scratch on L,
score the unlabelled pool U, move the b best-scoring points (the annotation batch) from U to L".
Indices returned by the strategies are positions in ``x_pool`` (0 <= i < len(x_pool)), distinct.
Entropies are in nats (the official code uses log2; the ranking is the same).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from paperlib import checks, metrics, train

__all__ = [
    "STRATEGIES",
    "random_batch",
    "top_k",
    "mc_dropout_probs",
    "bald",
    "variation_ratio",
    "penultimate",
    "k_center_greedy",
    "cover_radius",
    "shift_digits",
    "regularised_step",
    "query",
    "oracle_query",
]

STRATEGIES = ("random", "entropy", "bald", "coreset", "qbc")


# --------------------------------------------------------------------------- checks
def _check_batch_size(k: object, pool_size: int) -> int:
    """The annotation batch b: 1 <= b <= pool size (an empty pool has nothing to label)."""
    checks.positive_int(k, "k (annotation batch size)")
    if pool_size == 0:
        raise ValueError("the pool is empty (0 unlabelled points): there is nothing left to query")
    if k > pool_size:
        raise ValueError(f"k (annotation batch size) must be at most the pool size {pool_size}, got {k}")
    return k


def _check_prob_stack(p: object, name: str) -> Tensor:
    """(T, N, C) softmax rows: non-negative, summing to 1 over the last dimension."""
    checks.tensor(p, name, shape=("T", "N", "C"))
    if p.shape[0] == 0 or p.shape[2] == 0:
        raise ValueError(f"{name} must hold at least one pass/member and one class, got shape {tuple(p.shape)}")
    if (p < 0).any() or not torch.allclose(p.sum(-1), torch.ones((), dtype=p.dtype), atol=1e-4):
        raise ValueError(f"{name} must be probabilities: non-negative rows summing to 1 over the last dimension")
    return p


def _check_mlp(model: object, name: str = "model") -> nn.Sequential:
    checks.instance(model, name, nn.Sequential, "an nn.Sequential (an MLP from layers.mlp)")
    if len(model) < 2 or not isinstance(model[-1], nn.Linear):
        raise ValueError(f"{name} must be an MLP ending in an nn.Linear (layers.mlp), got {len(model)} modules")
    return model


# --------------------------------------------------------------------------- selection
def random_batch(pool_size: int, k: int, *, generator: torch.Generator) -> Tensor:
    """RSB (arXiv 2002.09564, section 3): k distinct pool indices drawn uniformly. Returns (k,) int64."""
    checks.nonnegative_int(pool_size, "pool_size")
    _check_batch_size(k, pool_size)
    checks.generator(generator)
    return torch.randperm(pool_size, generator=generator)[:k]


def top_k(scores: Tensor, k: int, *, generator: torch.Generator) -> Tensor:
    """The k highest scores (most informative first); ties broken uniformly at random.

    scores: (N,) finite. Returns (k,) int64 distinct indices into scores. Scores such as QBC's
    variation ratio take few values, so the tie rule matters: a random permutation, then a stable sort.
    """
    checks.tensor(scores, "scores", shape=("N",))
    _check_batch_size(k, len(scores))
    checks.generator(generator)
    perm = torch.randperm(len(scores), generator=generator)  # (N,)
    order = torch.argsort(scores[perm], descending=True, stable=True)  # (N,)
    return perm[order[:k]]


# --------------------------------------------------------------------------- uncertainty scores
def mc_dropout_probs(model: nn.Module, x: Tensor, passes: int = 20, *, generator: torch.Generator) -> Tensor:
    """MC dropout: ``passes`` softmax outputs with dropout on (batch-norm, if any, stays in eval).

    model: maps (N, D) to (N, C) logits and holds at least one nn.Dropout. x: (N, D).
    Returns (T, N, C) probabilities, T = passes. The dropout masks come from a torch seed drawn
    from ``generator`` (nn.Dropout has no generator argument); the global RNG state is restored.
    """
    checks.instance(model, "model", nn.Module, "a torch.nn.Module")
    checks.tensor(x, "x", dim=2, shape="(N, D)")
    checks.positive_int(passes, "passes")
    checks.generator(generator)
    drops = [m for m in model.modules() if isinstance(m, nn.Dropout)]
    if not drops or all(m.p == 0 for m in drops):
        raise ValueError("model must hold an nn.Dropout with p > 0: MC dropout samples its masks (use layers.mlp(..., dropout=0.3))")
    seed = int(torch.randint(0, 2**62, (1,), generator=generator))
    model.eval()
    for m in drops:
        m.train()
    device = next(model.parameters()).device
    try:
        with torch.no_grad(), torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            out = torch.stack([F.softmax(model(x.to(device)), dim=1).cpu() for _ in range(passes)])  # (T, N, C)
    finally:
        model.eval()
    return out


def bald(mc_probs: Tensor) -> Tensor:
    """BALD: the mutual information between the label and the weights, in nats.

    I[y; w | x] ~= H[mean_t p_t] - mean_t H[p_t] for MC samples p_t (Houlsby et al. 2011; Gal et al. 2017,
    the "BALD" of arXiv 2002.09564 section 3). mc_probs: (T, N, C) -> (N,), >= 0 (clamped at 0 against
    round-off). High when the passes are each confident but disagree.
    """
    _check_prob_stack(mc_probs, "mc_probs")
    mean = mc_probs.mean(dim=0)  # (N, C)
    expected = -torch.special.xlogy(mc_probs, mc_probs).sum(dim=2).mean(dim=0)  # (N,)
    return (-torch.special.xlogy(mean, mean).sum(dim=1) - expected).clamp_min(0.0)


def variation_ratio(committee_probs: Tensor) -> Tensor:
    """QBC's disagreement 1 - f_m / M (arXiv 2002.09564 section 3, as in the official code).

    committee_probs: (M, N, C), one softmax per committee member. Each member votes its arg-max;
    f_m is the count of the most common vote. Returns (N,) in [0, 1 - 1/M]; 0 = unanimous.
    """
    _check_prob_stack(committee_probs, "committee_probs")
    m, n, c = committee_probs.shape
    votes = committee_probs.argmax(dim=2)  # (M, N)
    counts = torch.zeros(n, c, dtype=torch.long).scatter_add_(1, votes.T, torch.ones(n, m, dtype=torch.long))  # (N, C)
    return 1.0 - counts.max(dim=1).values.float() / m


# --------------------------------------------------------------------------- Coreset
@torch.no_grad()
def penultimate(model: nn.Sequential, x: Tensor) -> Tensor:
    """phi(x): an MLP's activations before its last linear layer, in eval mode. x: (N, D) -> (N, H)."""
    _check_mlp(model)
    checks.tensor(x, "x", dim=2, shape="(N, D)")
    if len(x) == 0:
        raise ValueError("x must hold at least one row, got shape (0, D)")
    return train.predict(model[:-1], x)


def _check_features(pool: object, centres: object) -> None:
    checks.tensor(pool, "pool", dim=2, shape="(U, D)")
    checks.tensor(centres, "centres", shape=("L", pool.shape[1]))
    if len(centres) == 0:
        raise ValueError("centres must hold at least one labelled point (k-centre greedy starts from the labelled set), got 0")


def k_center_greedy(pool: Tensor, centres: Tensor, k: int) -> Tensor:
    """Coreset's greedy k-centre (Sener & Savarese 2018; arXiv 2002.09564 section 3).

    pool: (U, D) features of the unlabelled points; centres: (L, D) features of the labelled set, L >= 1.
    k times: add the pool point farthest from its nearest centre, argmax_u min_s ||u - s||, and make it
    a centre. Ties: the lowest pool index. Returns (k,) distinct int64 indices into pool, in the order
    chosen. The resulting cover radius is at most twice the best possible with k new centres.
    """
    _check_features(pool, centres)
    _check_batch_size(k, len(pool))
    pool, centres = pool.double(), centres.double()
    nearest = torch.cdist(pool, centres).min(dim=1).values  # (U,) distance to the closest centre
    chosen = []
    for _ in range(k):
        j = int(nearest.argmax())
        chosen.append(j)
        nearest = torch.minimum(nearest, torch.cdist(pool, pool[j : j + 1]).squeeze(1))  # (U,); pool[j] -> 0
    return torch.tensor(chosen, dtype=torch.long)


def cover_radius(pool: Tensor, centres: Tensor) -> float:
    """max_u min_s ||u - s||: how far the worst-covered pool point is from the labelled set (Coreset's objective).

    pool: (U, D), U >= 1; centres: (L, D), L >= 1.
    """
    _check_features(pool, centres)
    if len(pool) == 0:
        raise ValueError("pool must hold at least one point, got 0")
    return torch.cdist(pool.double(), centres.double()).min(dim=1).values.max().item()


# --------------------------------------------------------------------------- training
def shift_digits(x: Tensor, max_shift: int = 1, *, generator: torch.Generator) -> Tensor:
    """Shift each 8x8 digit by a random whole number of pixels, dy, dx ~ U{-s, ..., s}, zero-filled.

    An augmentation for :func:`regularised_step` (on centred 8x8 digits a one-pixel shift is a big change).
    x: (B, 64) flattened 8x8 images; max_shift s in [0, 7] (0 returns a copy). Returns (B, 64).
    """
    checks.tensor(x, "x (8x8 digits)", shape=("B", 64))
    checks.integer(max_shift, "max_shift", low=0, high=7, what="an int")
    checks.generator(generator)
    b, s = len(x), max_shift
    shifts = torch.randint(-s, s + 1, (b, 2), generator=generator)  # (B, 2) dy, dx
    padded = F.pad(x.view(b, 8, 8), (s, s, s, s))  # (B, 8+2s, 8+2s)
    rows = (torch.arange(8) + s).view(1, 8, 1) - shifts[:, 0].view(b, 1, 1)  # (B, 8, 1)
    cols = (torch.arange(8) + s).view(1, 1, 8) - shifts[:, 1].view(b, 1, 1)  # (B, 1, 8)
    out = padded[torch.arange(b).view(b, 1, 1), rows, cols]  # (B, 8, 8): out[i, r, c] = x[i, r - dy, c - dx]
    return out.reshape(b, 64)


def regularised_step(noise: float = 0.2, max_shift: int = 0, *, generator: torch.Generator):
    """A ``train.fit`` step like :func:`paperlib.train.classification_step` on augmented digits: x -> shift(x) + noise * N(0, 1).

    Our stand-in for the paper's strong regularisation (RandAugment + SWA, section 4): the chapter's
    regularised model = this step + weight decay in ``fit``. noise: pixel noise std >= 0; max_shift:
    see :func:`shift_digits` (0 = no shift). Returns ``step(model, batch)`` drawing from ``generator``.
    """
    checks.real(noise, "noise", low=0)
    checks.integer(max_shift, "max_shift", low=0, high=7, what="an int")
    checks.generator(generator)

    def step(model: nn.Module, batch: Sequence[Tensor]) -> Tensor:
        x, y = checks.batch(batch, 2, "(x, y)")[:2]
        if max_shift:
            x = shift_digits(x, max_shift, generator=generator)
        if noise:
            x = x + noise * torch.randn(x.shape, generator=generator)  # (B, 64)
        return train.classification_step(model, (x, y))

    return step


# --------------------------------------------------------------------------- one round's query
def query(
    strategy: str,
    models: Sequence[nn.Module],
    x_pool: Tensor,
    k: int,
    *,
    x_labelled: Tensor | None = None,
    mc_passes: int = 20,
    generator: torch.Generator,
) -> Tensor:
    """One annotation batch: the k pool points ``strategy`` asks to label (arXiv 2002.09564 section 3).

    strategy: one of STRATEGIES. models: the classifier trained from scratch on the labelled set this
    round first; "qbc" needs a committee of >= 2 (all of ``models``), the others use ``models[0]``.
    x_pool: (U, D) unlabelled inputs; x_labelled: (L, D), needed by "coreset". mc_passes: T for "bald".
    Returns (k,) distinct int64 indices into x_pool.
        random  : uniform (RSB)
        entropy : top-k H[softmax(model(x))]
        bald    : top-k BALD over ``mc_passes`` MC-dropout passes (the model needs dropout)
        coreset : greedy k-centre on penultimate features, labelled points as the initial centres
        qbc     : top-k variation ratio of the committee's votes
    """
    checks.choice(strategy, "strategy", STRATEGIES)
    models = checks.sequence(models, "models", lambda m, name: checks.instance(m, name, nn.Module, "a torch.nn.Module"), what="models")
    checks.tensor(x_pool, "x_pool", dim=2, shape="(U, D)")
    _check_batch_size(k, len(x_pool))
    checks.positive_int(mc_passes, "mc_passes")
    checks.generator(generator)
    model = models[0]
    if strategy == "random":
        return random_batch(len(x_pool), k, generator=generator)
    if strategy == "entropy":
        return top_k(metrics.entropy(F.softmax(train.predict(model, x_pool), dim=1)), k, generator=generator)
    if strategy == "bald":
        return top_k(bald(mc_dropout_probs(model, x_pool, mc_passes, generator=generator)), k, generator=generator)
    if strategy == "coreset":
        if x_labelled is None:
            raise ValueError("x_labelled must be given for strategy 'coreset' (its labelled points are the initial centres)")
        checks.tensor(x_labelled, "x_labelled", shape=("L", x_pool.shape[1]))
        if len(x_labelled) == 0:
            raise ValueError("x_labelled must hold at least one labelled point for 'coreset' (the initial centres), got 0")
        return k_center_greedy(penultimate(model, x_pool), penultimate(model, x_labelled), k)
    if len(models) < 2:
        raise ValueError(f"models must hold a committee of at least 2 for strategy 'qbc', got {len(models)}")
    committee = torch.stack([F.softmax(train.predict(m, x_pool), dim=1) for m in models])  # (M, U, C)
    return top_k(variation_ratio(committee), k, generator=generator)


def oracle_query(
    model: nn.Module, x_pool: Tensor, x_ref: Tensor, y_ref: Tensor, k: int, *, generator: torch.Generator
) -> Tensor:
    """The control that cheats: fix the model's mistakes on a LABELLED reference set (e.g. the test set).

    Not a strategy anyone could use (it reads labels the loop does not have); it shows what "beating
    random" looks like in the same loop. The reference points the model misclassifies are visited in
    random order; each takes its nearest not-yet-chosen pool point (Euclidean, input space); if there
    are fewer mistakes than k, the rest is a uniform sample of the remaining pool.
    x_pool: (U, D); x_ref: (R, D); y_ref: (R,) ints. Returns (k,) distinct int64 indices into x_pool.
    """
    checks.instance(model, "model", nn.Module, "a torch.nn.Module")
    checks.tensor(x_pool, "x_pool", dim=2, shape="(U, D)")
    _check_batch_size(k, len(x_pool))
    checks.tensor(x_ref, "x_ref", shape=("R", x_pool.shape[1]))
    checks.generator(generator)
    logits = train.predict(model, x_ref) if len(x_ref) else torch.zeros(0, 1)  # (R, C)
    checks.labels(y_ref, len(x_ref), logits.shape[1] if len(x_ref) else None, "y_ref")
    wrong = (logits.argmax(dim=1) != y_ref).nonzero().squeeze(1)  # (W,) misclassified reference points
    wrong = wrong[torch.randperm(len(wrong), generator=generator)]
    dist = torch.cdist(x_ref[wrong].double(), x_pool.double())  # (W, U)
    taken = torch.zeros(len(x_pool), dtype=torch.bool)
    chosen = []
    for i in range(min(len(wrong), k)):
        j = int(dist[i].masked_fill(taken, float("inf")).argmin())
        chosen.append(j)
        taken[j] = True
    rest = torch.randperm(len(x_pool), generator=generator)
    rest = rest[~taken[rest]][: k - len(chosen)]
    return torch.cat([torch.tensor(chosen, dtype=torch.long), rest])
