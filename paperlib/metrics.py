"""Metrics shared by the chapters: accuracy and expected calibration error."""

from __future__ import annotations

import torch
from torch import Tensor


def _check_labels(scores: Tensor, labels: Tensor, name: str = "scores") -> None:
    if not isinstance(scores, Tensor) or not isinstance(labels, Tensor):
        raise TypeError(f"{name} and labels must be torch.Tensors")
    if scores.dim() != 2:
        raise ValueError(f"{name} must have shape (N, C), got {tuple(scores.shape)}")
    if labels.shape != (scores.shape[0],):
        raise ValueError(f"labels must have shape ({scores.shape[0]},), got {tuple(labels.shape)}")
    if labels.dtype not in (torch.int64, torch.int32):
        raise TypeError(f"labels must be an integer tensor, got {labels.dtype}")


def accuracy(logits: Tensor, labels: Tensor) -> float:
    """Fraction of rows whose arg-max matches the label. logits: (N, C); labels: (N,) ints."""
    _check_labels(logits, labels, "logits")
    return (logits.argmax(dim=1) == labels).float().mean().item()


def expected_calibration_error(probs: Tensor, labels: Tensor, n_bins: int = 15) -> float:
    """ECE (Guo et al. 2017, arXiv 1706.04599, eq. 3): sum_b |B_b|/N * |acc(B_b) - conf(B_b)|.

    probs: (N, C) rows summing to 1; confidence = max prob, bins equal-width on (0, 1],
    a confidence exactly on an edge falls in the lower bin.
    """
    _check_labels(probs, labels, "probs")
    if not isinstance(n_bins, int) or n_bins < 1:
        raise ValueError(f"n_bins must be a positive int, got {n_bins!r}")
    if (probs < 0).any() or not torch.allclose(probs.sum(1), torch.ones(len(probs), dtype=probs.dtype), atol=1e-4):
        raise ValueError("probs must be non-negative with rows summing to 1 (pass softmax outputs)")
    conf, pred = probs.max(dim=1)
    correct = (pred == labels).to(probs.dtype)
    bins = torch.clamp(torch.ceil(conf * n_bins).long() - 1, 0, n_bins - 1)  # (N,)
    ece = probs.new_zeros(())
    for b in range(n_bins):
        in_bin = bins == b
        if in_bin.any():
            ece += in_bin.to(probs.dtype).mean() * (correct[in_bin].mean() - conf[in_bin].mean()).abs()
    return ece.item()
