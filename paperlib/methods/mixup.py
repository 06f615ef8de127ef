"""Mixup and its reformulation (Carratino, Cissé, Jenatton & Vert, On Mixup Regularization, arXiv 2006.06049).

    sample_lambda        lambda ~ Beta(alpha, alpha), drawn from an explicit generator
    mixup_batch          mixup (Zhang et al. 2018): x = lam x_i + (1 - lam) x_j, y = lam y_i + (1 - lam) y_j
    folded_beta_mean     theta_bar = E max(lam, 1 - lam) = 1 - I_{1/2}(alpha + 1, alpha)
    shrink / unshrink    v -> m + theta_bar (v - m) and its inverse (inputs, one-hot labels, logits)
    MixupStats, mixup_stats
                         x_bar, y_bar (training means without mixup) and theta_bar
    reformulate          theta x_i + (1 - theta) x_j = x~_i + delta_i (labels alike), E delta = E eps = 0
    rescaled_logits      the test-time transformation: shrink the input, unshrink the logits
    mixup_step           a ``train.fit`` step: soft cross-entropy on a mixup batch
    monte_carlo_loss     a loss expectation by Monte Carlo, with its standard error

The paper writes the mixup loss as ERM on transformed data (x~, y~: points and labels shrunk
toward their means by theta_bar) plus zero-mean, data-dependent perturbations (delta, eps).
Equation numbers differ between the arXiv versions and JMLR, so none are quoted here.
Shapes: inputs (B, D) (any trailing shape works for mixing), targets (B, C) probabilities
(one-hot labels or their mixtures), labels (B,) int64. Losses are batch means.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
import torch
import torch.nn.functional as F
from scipy import special
from torch import Tensor, nn

from paperlib import checks
from paperlib.methods.distillation import soft_cross_entropy

__all__ = [
    "sample_lambda",
    "MixupBatch",
    "mixup_batch",
    "folded_beta_mean",
    "shrink",
    "unshrink",
    "MixupStats",
    "mixup_stats",
    "Reformulated",
    "reformulate",
    "rescaled_logits",
    "mixup_step",
    "Estimate",
    "monte_carlo_loss",
]

# Beta(alpha, alpha) with alpha outside this range: draws collapse to exactly 0/1 (tiny alpha) or
# to 1/2 (huge alpha) in float64, and scipy's incomplete beta loses its accuracy.
ALPHA_MIN, ALPHA_MAX = 1e-2, 1e3


def _check_alpha(alpha: object) -> float:
    return checks.real(alpha, "alpha (the Beta(alpha, alpha) parameter)", low=ALPHA_MIN, high=ALPHA_MAX)


def _check_theta_bar(theta_bar: object) -> float:
    """theta_bar = E max(lam, 1 - lam) lies in [1/2, 1]: 1 means no shrinking, 1/2 the alpha -> inf limit."""
    return checks.real(theta_bar, "theta_bar", low=0.5, high=1.0)


# --------------------------------------------------------------------------- mixup
def sample_lambda(alpha: float, n: int, *, generator: torch.Generator) -> Tensor:
    """n draws of lam ~ Beta(alpha, alpha), the mixing weights of mixup: (n,) float64 in [0, 1].

    Drawn by inversion (lam = F^{-1}(u), u ~ U(0, 1) from ``generator``) so that a seed fixes them;
    alpha in [1e-2, 1e3]. Small alpha puts lam near 0 or 1 (little mixing), alpha = 1 is uniform,
    large alpha concentrates lam at 1/2.
    """
    alpha = _check_alpha(alpha)
    checks.positive_int(n, "n")
    checks.generator(generator)
    u = torch.rand(n, generator=generator, dtype=torch.float64)
    lam = special.betaincinv(alpha, alpha, u.numpy())  # (n,) inverse CDF of Beta(alpha, alpha)
    return torch.from_numpy(np.asarray(lam, dtype=np.float64))  # float64: float32 rounds 1 - 1e-9 to 1


class MixupBatch(NamedTuple):
    """What :func:`mixup_batch` returns.

    x: (B, ...) mixed inputs; y: (B, C) mixed targets; lam: (B,) the weight of each row's own
    example; partner: (B,) the index (in the batch) of the example it was mixed with.
    """

    x: Tensor
    y: Tensor
    lam: Tensor
    partner: Tensor


def mixup_batch(
    x: Tensor,
    targets: Tensor,
    alpha: float,
    *,
    generator: torch.Generator,
    lam: float | None = None,
    partner: Tensor | None = None,
) -> MixupBatch:
    """Mixup of a batch with itself, the object studied by arXiv 2006.06049 (Zhang et al.'s mixup).

    x_mix = lam x + (1 - lam) x[partner], y_mix = lam y + (1 - lam) y[partner], one lam ~ Beta(alpha, alpha)
    per row and ``partner`` a random permutation of the batch (both from ``generator``).
    x: (B, ...) inputs; targets: (B, C) probabilities (one-hot labels); the weights of each mixed
    target still sum to 1. lam: a fixed weight in [0, 1] instead of the Beta draws (lam = 1 is
    plain ERM: every row is its own example). partner: (B,) given indices instead of a permutation.
    """
    checks.tensor(x, "x", shape=("B", "*features"))
    checks.probabilities(targets, "targets")
    if len(targets) != len(x):
        raise ValueError(f"targets must have one row per row of x ({len(x)}), got {len(targets)}")
    alpha = _check_alpha(alpha)
    checks.generator(generator)
    b = len(x)
    if lam is None:
        weights = sample_lambda(alpha, b, generator=generator).to(x.dtype)  # (B,)
    else:
        weights = torch.full((b,), checks.real(lam, "lam", low=0.0, high=1.0), dtype=x.dtype)  # (B,)
    if partner is None:
        partner = torch.randperm(b, generator=generator)  # (B,)
    else:
        checks.integer_tensor(partner, "partner", shape=(b,), low=0, high=b - 1)
    w_x = weights.view(b, *([1] * (x.dim() - 1)))  # (B, 1, ...)
    w_y = weights.to(targets.dtype)[:, None]  # (B, 1)
    x_mix = w_x * x + (1 - w_x) * x[partner]  # (B, ...)
    y_mix = w_y * targets + (1 - w_y) * targets[partner]  # (B, C)
    return MixupBatch(x_mix, y_mix, weights, partner)


def mixup_step(
    alpha: float, n_classes: int, *, generator: torch.Generator, lam: float | None = None
) -> Callable[[nn.Module, Sequence[Tensor]], Tensor]:
    """A ``train.fit`` step for mixup training (arXiv 2006.06049): soft cross-entropy on a mixed batch.

    batch = (x (B, D), y (B,) int labels in [0, n_classes)); labels become one-hot, the batch is
    mixed with itself by :func:`mixup_batch` (draws from ``generator``), and the step returns
    CE(y_mix, softmax(model(x_mix))) averaged over the batch. lam: as in :func:`mixup_batch`
    (lam = 1 gives ordinary cross-entropy training).
    """
    alpha = _check_alpha(alpha)
    checks.integer(n_classes, "n_classes", low=2)
    checks.generator(generator)
    if lam is not None:
        checks.real(lam, "lam", low=0.0, high=1.0)

    def step(model: nn.Module, batch: Sequence[Tensor]) -> Tensor:
        x, y = checks.batch(batch, 2, "(x, y)")[:2]
        checks.labels(y, len(x), n_classes, name="y")
        mixed = mixup_batch(x, F.one_hot(y, n_classes).to(x.dtype), alpha, generator=generator, lam=lam)
        return soft_cross_entropy(model(mixed.x), mixed.y, 1.0)

    return step


# --------------------------------------------------------------------------- the reformulation
def folded_beta_mean(alpha: float) -> float:
    """theta_bar = E[theta], theta = max(lam, 1 - lam), lam ~ Beta(alpha, alpha) (arXiv 2006.06049).

    (lam, i, j) and (1 - lam, j, i) give the same mixed pair, so mixup can be written with the
    folded weight theta in [1/2, 1], whose mean is 1 - I_{1/2}(alpha + 1, alpha) (I: the regularised
    incomplete beta function). alpha = 1 gives 3/4; alpha -> 0 tends to 1, alpha -> inf to 1/2.
    """
    alpha = _check_alpha(alpha)
    return float(1.0 - special.betainc(alpha + 1.0, alpha, 0.5))


def shrink(v: Tensor, mean: Tensor, theta_bar: float) -> Tensor:
    """v~ = mean + theta_bar (v - mean): the paper's transformed inputs and labels (arXiv 2006.06049).

    v: (B, ...) rows; mean: the shape of one row (broadcast over the batch). Applied to one-hot
    labels with their class frequencies as ``mean`` it is label smoothing toward those frequencies
    with weight 1 - theta_bar.
    """
    theta_bar = _check_theta_bar(theta_bar)
    _check_rows(v, mean)
    return mean + theta_bar * (v - mean)


def unshrink(v: Tensor, mean: Tensor, theta_bar: float) -> Tensor:
    """The inverse of :func:`shrink`: mean + (v - mean) / theta_bar. Shapes as in :func:`shrink`."""
    theta_bar = _check_theta_bar(theta_bar)
    _check_rows(v, mean)
    return mean + (v - mean) / theta_bar


def _check_rows(v: Tensor, mean: Tensor) -> None:
    checks.tensor(v, "v", shape=("B", "*features"))
    checks.tensor(mean, "mean")
    if tuple(mean.shape) != tuple(v.shape[1:]):
        raise ValueError(f"mean must have the shape of one row of v {tuple(v.shape[1:])}, got {tuple(mean.shape)}")


class MixupStats(NamedTuple):
    """What the reformulation needs: x_mean (D,), y_mean (C,) training means without mixup, and theta_bar."""

    x_mean: Tensor
    y_mean: Tensor
    theta_bar: float


def mixup_stats(x: Tensor, labels: Tensor, alpha: float, n_classes: int) -> MixupStats:
    """x_bar, y_bar and theta_bar for mixup with Beta(alpha, alpha) on the training set (x (N, D), labels (N,)).

    The means are taken over the plain training data (no mixing); y_bar holds the class frequencies.
    """
    checks.tensor(x, "x", shape=("N", "*features"))
    checks.integer(n_classes, "n_classes", low=2)
    checks.labels(labels, len(x), n_classes)
    y_mean = F.one_hot(labels, n_classes).to(x.dtype).mean(dim=0)  # (C,)
    return MixupStats(x.mean(dim=0), y_mean, folded_beta_mean(alpha))


class Reformulated(NamedTuple):
    """What :func:`reformulate` returns, all (B, ...) like its inputs.

    x_tilde, y_tilde: the shrunk example (the ERM part); delta, eps: the perturbations, so that
    x_tilde + delta and y_tilde + eps are the mixed pair.
    """

    x_tilde: Tensor
    y_tilde: Tensor
    delta: Tensor
    eps: Tensor


def reformulate(
    x: Tensor, targets: Tensor, partner_x: Tensor, partner_targets: Tensor, theta: Tensor, stats: MixupStats
) -> Reformulated:
    """Mixup as ERM on transformed data plus perturbations (arXiv 2006.06049, the paper's reformulation).

    With theta = max(lam, 1 - lam) and the partner j of example i:
        x~_i = x_bar + theta_bar (x_i - x_bar),   delta_i = (theta - theta_bar) x_i + (1 - theta) x_j - (1 - theta_bar) x_bar
    and the same for the targets (y~_i, eps_i), so that x~_i + delta_i = theta x_i + (1 - theta) x_j exactly.
    delta and eps have mean zero when theta is drawn independently of a uniform partner j.
    x, partner_x: (B, D); targets, partner_targets: (B, C); theta: (B,) in [1/2, 1].
    """
    checks.instance(stats, "stats", MixupStats, "a MixupStats (from mixup_stats)")
    checks.same_shape(x, partner_x, "x", "partner_x", shape=("B", "*features"))
    checks.same_shape(targets, partner_targets, "targets", "partner_targets", dim=2, shape="(B, C)")
    checks.tensor(theta, "theta", shape=(len(x),))
    checks.values(theta, "theta", low=0.5, high=1.0)
    if len(targets) != len(x):
        raise ValueError(f"targets must have one row per row of x ({len(x)}), got {len(targets)}")
    tb = stats.theta_bar
    t_x = theta.to(x.dtype).view(-1, *([1] * (x.dim() - 1)))  # (B, 1, ...)
    t_y = theta.to(targets.dtype)[:, None]  # (B, 1)
    x_tilde = shrink(x, stats.x_mean, tb)
    y_tilde = shrink(targets, stats.y_mean, tb)
    delta = (t_x - tb) * x + (1 - t_x) * partner_x - (1 - tb) * stats.x_mean  # (B, D)
    eps = (t_y - tb) * targets + (1 - t_y) * partner_targets - (1 - tb) * stats.y_mean  # (B, C)
    return Reformulated(x_tilde, y_tilde, delta, eps)


def rescaled_logits(model: nn.Module, x: Tensor, stats: MixupStats) -> Tensor:
    """The test-time transformation of arXiv 2006.06049 for a mixup-trained model: (B, D) -> (B, C) logits.

    A mixup model was fitted on shrunk data, so it sees shrunk inputs and its outputs are shrunk
    labels: predict f(x~) with x~ = x_bar + theta_bar (x - x_bar), then undo the label shrinking,
    y_bar + (f - y_bar) / theta_bar. Like the reference implementation (google/uncertainty-baselines)
    the inverse is applied to the logits, i.e. a temperature theta_bar < 1 (plus a class offset).
    """
    checks.instance(model, "model", nn.Module, "a torch.nn.Module")
    checks.instance(stats, "stats", MixupStats, "a MixupStats (from mixup_stats)")
    checks.tensor(x, "x", shape=("B", "*features"))
    logits = model(shrink(x, stats.x_mean, stats.theta_bar))  # (B, C)
    return unshrink(logits, stats.y_mean.to(logits.dtype), stats.theta_bar)


# --------------------------------------------------------------------------- Monte Carlo
def _check_soft_targets(targets: Tensor, n: int) -> None:
    """Rows summing to 1 with entries >= -1e-6: y~ + eps equals a mixed label only up to rounding
    (e.g. -3e-9 where both examples' one-hot entries are 0), harmless since the loss is linear in it."""
    checks.tensor(targets, "draw()'s targets", shape=(n, "C"))
    if (targets < -1e-6).any() or not torch.allclose(targets.sum(1), torch.ones(n, dtype=targets.dtype), atol=1e-4):
        raise ValueError("draw()'s targets must be probabilities (rows >= 0 summing to 1, up to rounding)")


class Estimate(NamedTuple):
    """A Monte Carlo estimate: mean and standard error (std of the batch means / sqrt(batches))."""

    mean: float
    stderr: float


@torch.no_grad()
def monte_carlo_loss(model: nn.Module, draw: Callable[[], tuple[Tensor, Tensor]], n_batches: int) -> Estimate:
    """E[CE(y, softmax(model(x)))] over the random pairs produced by ``draw`` (for arXiv 2006.06049's identity).

    draw(): one independent batch (x (B, D), targets (B, C) probabilities), e.g. a fresh mixup of the
    training set. Each batch's mean loss is one sample; the estimate is their mean and its standard
    error their std / sqrt(n_batches) (batches must be independent and the same size). n_batches >= 2.
    """
    checks.instance(model, "model", nn.Module, "a torch.nn.Module")
    checks.function(draw, "draw")
    checks.integer(n_batches, "n_batches", low=2)
    was_training = model.training
    model.eval()
    means = []
    for _ in range(n_batches):
        out = draw()
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            raise TypeError(f"draw() must return (x, targets), got {type(out).__name__}")
        x, targets = out
        checks.tensor(x, "draw()'s x", shape=("B", "*features"))
        _check_soft_targets(targets, len(x))
        log_q = torch.log_softmax(model(x), dim=1)  # (B, C)
        means.append(-(targets * log_q).sum(dim=1).mean().item())  # soft cross-entropy, linear in the targets
    model.train(was_training)
    batch_means = torch.tensor(means, dtype=torch.float64)
    return Estimate(batch_means.mean().item(), (batch_means.std() / len(means) ** 0.5).item())
