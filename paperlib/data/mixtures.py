"""Labelled 2-D mixtures of Gaussians (the GAN chapters' ring and grid) and two moons (JEM)."""

from __future__ import annotations

import math
from typing import NamedTuple

import torch
from torch import Tensor

from paperlib import checks


class Mixture(NamedTuple):
    """x: (N, 2) float32 points; y: (N,) int64 mode index; centers: (M, 2) the modes; std: each mode's std."""

    x: Tensor
    y: Tensor
    centers: Tensor
    std: float


class Moons(NamedTuple):
    """x: (N, 2) float32 points; y: (N,) int64 labels in {0, 1} (upper moon 0, lower moon 1)."""

    x: Tensor
    y: Tensor


def _draw(n: int, centers: Tensor, std: float, generator: torch.Generator) -> Mixture:
    m = len(centers)
    y = torch.arange(n)[torch.randperm(n, generator=generator)] % m  # (N,) balanced: n // m or n // m + 1 per mode
    x = centers[y] + std * torch.randn(n, 2, generator=generator)  # (N, 2)
    return Mixture(x, y, centers, float(std))


def _check_common(n: object, std: object, generator: object) -> float:
    checks.positive_int(n, "n")
    checks.generator(generator)
    return checks.real(std, "std", low=0, low_open=True)


def gaussian_ring(n: int, *, modes: int = 8, radius: float = 2.0, std: float = 0.02, generator: torch.Generator) -> Mixture:
    """``modes`` isotropic Gaussians (std ``std``) equally spaced on a circle of ``radius``, mode 0 at (radius, 0).

    The 8-mode ring of the mode-collapse literature (e.g. Metz et al., Unrolled GANs, arXiv 1611.02163).
    Points are split as evenly as possible between modes, in a random order; y is the mode index.
    """
    std = _check_common(n, std, generator)
    checks.integer(modes, "modes", low=2)
    radius = checks.real(radius, "radius", low=0, low_open=True)
    angle = 2 * math.pi * torch.arange(modes) / modes
    centers = radius * torch.stack([angle.cos(), angle.sin()], dim=1)  # (M, 2)
    return _draw(n, centers, std, generator)


def gaussian_grid(n: int, *, side: int = 5, spacing: float = 2.0, std: float = 0.05, generator: torch.Generator) -> Mixture:
    """A ``side`` x ``side`` grid of isotropic Gaussians, ``spacing`` apart and centred on the origin.

    The 25-mode grid of the mode-collapse literature (e.g. Srivastava et al., VEEGAN, arXiv 1705.07761).
    Mode ``r * side + c`` sits at row r, column c; points are split as evenly as possible between modes.
    """
    std = _check_common(n, std, generator)
    checks.integer(side, "side", low=2)
    spacing = checks.real(spacing, "spacing", low=0, low_open=True)
    coords = spacing * (torch.arange(side) - (side - 1) / 2)
    centers = torch.cartesian_prod(coords, coords).flip(1)  # (M, 2): x = column, y = row
    return _draw(n, centers, std, generator)


def two_moons(n: int, *, noise: float = 0.1, generator: torch.Generator) -> Moons:
    """Two interleaved half circles (as scikit-learn's ``make_moons``) with Gaussian noise of std ``noise``.

    Upper moon (label 0): (cos t, sin t), t in [0, pi]; lower moon (label 1): (1 - cos t, 0.5 - sin t).
    Labels alternate so the classes differ in size by at most one; t is uniform.
    """
    checks.positive_int(n, "n")
    noise = checks.real(noise, "noise", low=0)
    checks.generator(generator)
    y = torch.arange(n)[torch.randperm(n, generator=generator)] % 2  # (N,)
    t = math.pi * torch.rand(n, generator=generator)
    upper = torch.stack([t.cos(), t.sin()], dim=1)
    lower = torch.stack([1 - t.cos(), 0.5 - t.sin()], dim=1)
    x = torch.where(y[:, None] == 0, upper, lower) + noise * torch.randn(n, 2, generator=generator)  # (N, 2)
    return Moons(x, y)
