"""2-D point sets with labels (the margin-loss chapter's blobs with outliers)."""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import Tensor

from paperlib import checks


class LabelledPoints(NamedTuple):
    """x: (N, 2) float32 points; y: (N,) float32 labels in {-1, +1}; outlier: (N,) bool."""

    x: Tensor
    y: Tensor
    outlier: Tensor


def outlier_blobs(
    n: int,
    *,
    label_noise: float = 0.05,
    outlier_fraction: float = 0.1,
    outlier_center: tuple[float, float] = (8.0, 0.0),
    generator: torch.Generator,
) -> LabelledPoints:
    """Two unit-variance Gaussian blobs at (+-1.5, 0) with y = +-1, plus far mislabeled outliers.

    n inliers (labels flipped with probability ``label_noise``) and round(outlier_fraction * n)
    extra points drawn around ``outlier_center`` (std 0.5), deep in the y = +1 half-plane but
    labeled y = -1. The Bayes boundary of the clean blobs is x_0 = 0 (accuracy ~0.933).
    """
    checks.integer(n, "n", low=2)
    checks.real(label_noise, "label_noise", low=0, high=0.5, high_open=True)
    checks.real(outlier_fraction, "outlier_fraction", low=0, high=1)
    checks.sequence(outlier_center, "outlier_center", checks.real, length=2, what="coordinates (x, y)")
    checks.generator(generator)
    y = torch.where(torch.rand(n, generator=generator) < 0.5, 1.0, -1.0)  # (n,)
    x = torch.randn(n, 2, generator=generator) + torch.stack([1.5 * y, torch.zeros(n)], dim=1)  # (n, 2)
    flip = torch.rand(n, generator=generator) < label_noise
    y = torch.where(flip, -y, y)
    n_out = round(outlier_fraction * n)
    xo = 0.5 * torch.randn(n_out, 2, generator=generator) + torch.tensor(outlier_center)  # (n_out, 2)
    yo = -torch.ones(n_out)
    outlier = torch.cat([torch.zeros(n, dtype=torch.bool), torch.ones(n_out, dtype=torch.bool)])
    return LabelledPoints(torch.cat([x, xo]), torch.cat([y, yo]), outlier)

