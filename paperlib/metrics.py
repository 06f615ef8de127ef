"""Metrics shared by the chapters: accuracy, calibration (reliability bins, ECE), mode coverage of 2-D samples."""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import Tensor

from paperlib import checks


def accuracy(logits: Tensor, labels: Tensor) -> float:
    """Fraction of rows whose arg-max matches the label. logits: (N, C); labels: (N,) ints.

    NaN or inf logits (a diverged model) raise a ValueError instead of being counted as the arg-max.
    """
    checks.tensor(logits, "logits", dim=2, shape="(N, C)")
    checks.labels(labels, len(logits), logits.shape[1])
    return (logits.argmax(dim=1) == labels).float().mean().item()


def entropy(probs: Tensor) -> Tensor:
    """Shannon entropy in nats of each distribution along the last axis, -sum_c p_c log p_c (0 log 0 = 0).

    probs: (..., C) non-negative, summing to 1 over the last axis -> (...). Uncertainty of a classifier's
    softmax (active learning), sharpness of a Gumbel-softmax selection (RetrieveGAN).
    """
    checks.tensor(probs, "probs")
    if probs.dim() == 0:
        raise ValueError("probs must have shape (..., C), got a 0-d tensor")
    checks.probabilities(probs.reshape(-1, probs.shape[-1]), "probs")
    return -torch.special.xlogy(probs, probs).sum(dim=-1)


class Reliability(NamedTuple):
    """What :func:`reliability_bins` returns, one entry per bin: (n_bins,) tensors.

    confidence / accuracy: mean max-probability and accuracy of the bin's samples (NaN for an empty
    bin); count: samples in the bin. A reliability diagram plots accuracy against confidence.
    """

    confidence: Tensor
    accuracy: Tensor
    count: Tensor


def reliability_bins(probs: Tensor, labels: Tensor, n_bins: int = 15) -> Reliability:
    """Bin predictions by confidence (Guo et al. 2017, arXiv 1706.04599, section 2: reliability diagrams).

    probs: (N, C) rows summing to 1; confidence = max prob, bins equal-width on (0, 1],
    a confidence exactly on an edge falls in the lower bin.
    """
    checks.probabilities(probs, "probs")
    checks.labels(labels, len(probs), probs.shape[1])
    checks.positive_int(n_bins, "n_bins")
    conf, pred = probs.max(dim=1)
    correct = (pred == labels).to(probs.dtype)
    bins = torch.clamp(torch.ceil(conf * n_bins).long() - 1, 0, n_bins - 1)  # (N,)
    count = torch.bincount(bins, minlength=n_bins)  # (n_bins,)
    mean = lambda v: torch.zeros(n_bins, dtype=probs.dtype).index_add_(0, bins, v) / count  # noqa: E731  (NaN when empty)
    return Reliability(mean(conf), mean(correct), count)


def expected_calibration_error(probs: Tensor, labels: Tensor, n_bins: int = 15) -> float:
    """ECE (Guo et al. 2017, arXiv 1706.04599, eq. 3): sum_b |B_b|/N * |acc(B_b) - conf(B_b)|.

    The bins of :func:`reliability_bins` (equal-width on (0, 1], empty bins contribute 0).
    """
    rel = reliability_bins(probs, labels, n_bins)
    full = rel.count > 0
    weight = rel.count[full].to(probs.dtype) / len(probs)
    return (weight * (rel.accuracy[full] - rel.confidence[full]).abs()).sum().item()


class ModeCoverage(NamedTuple):
    """What :func:`mode_coverage` returns.

    covered: modes holding at least ``min_count`` high-quality samples; high_quality: share of samples
    within 3 std of their nearest mode; counts: (M,) high-quality samples per mode.
    """

    covered: int
    high_quality: float
    counts: Tensor


def mode_coverage(samples: Tensor, centers: Tensor, std: float, *, min_count: int = 1) -> ModeCoverage:
    """The 2-D mode metrics of the GAN literature (Srivastava et al., VEEGAN, arXiv 1705.07761, section 5.1).

    A sample is *high quality* when its Euclidean distance to the nearest mode centre is at most
    3 * std; it then counts for that mode (ties: the lower mode index). A mode is *covered* when at
    least ``min_count`` high-quality samples count for it. samples: (N, D); centers: (M, D).
    """
    checks.tensor(samples, "samples", dim=2, shape="(N, D)")
    checks.tensor(centers, "centers", dim=2, shape=("M", samples.shape[1]))
    std = checks.real(std, "std", low=0, low_open=True)
    checks.positive_int(min_count, "min_count")
    if len(samples) == 0 or len(centers) == 0:
        raise ValueError(f"samples and centers must be non-empty, got {len(samples)} samples and {len(centers)} centers")
    dist = torch.cdist(samples.double(), centers.double())  # (N, M)
    nearest_dist, nearest = dist.min(dim=1)
    good = nearest_dist <= 3 * std
    counts = torch.bincount(nearest[good], minlength=len(centers))  # (M,)
    return ModeCoverage(int((counts >= min_count).sum()), good.double().mean().item(), counts)
