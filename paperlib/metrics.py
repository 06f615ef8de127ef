"""Metrics shared by the chapters: accuracy and expected calibration error."""

from __future__ import annotations

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


def expected_calibration_error(probs: Tensor, labels: Tensor, n_bins: int = 15) -> float:
    """ECE (Guo et al. 2017, arXiv 1706.04599, eq. 3): sum_b |B_b|/N * |acc(B_b) - conf(B_b)|.

    probs: (N, C) rows summing to 1; confidence = max prob, bins equal-width on (0, 1],
    a confidence exactly on an edge falls in the lower bin.
    """
    checks.probabilities(probs, "probs")
    checks.labels(labels, len(probs), probs.shape[1])
    checks.positive_int(n_bins, "n_bins")
    conf, pred = probs.max(dim=1)
    correct = (pred == labels).to(probs.dtype)
    bins = torch.clamp(torch.ceil(conf * n_bins).long() - 1, 0, n_bins - 1)  # (N,)
    ece = probs.new_zeros(())
    for b in range(n_bins):
        in_bin = bins == b
        if in_bin.any():
            ece += in_bin.to(probs.dtype).mean() * (correct[in_bin].mean() - conf[in_bin].mean()).abs()
    return ece.item()
