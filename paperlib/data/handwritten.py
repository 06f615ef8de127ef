"""Handwritten digits: scikit-learn's bundled 8x8 digits, upsampled or distorted on a canvas."""

from __future__ import annotations

import math
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor

from paperlib import checks


class Split(NamedTuple):
    """A train/test split: x (N, D) float32, y (N,) int64."""

    x_train: Tensor
    y_train: Tensor
    x_test: Tensor
    y_test: Tensor


def digits(test_fraction: float = 0.3, *, generator: torch.Generator) -> Split:
    """scikit-learn's bundled 8x8 digits (1,797 images, 10 classes), pixels scaled to [0, 1].

    x: (N, 64) float32; the split is a random permutation drawn from ``generator``.
    """
    checks.real(test_fraction, "test_fraction", low=0, high=1, low_open=True, high_open=True)
    checks.generator(generator)
    from sklearn.datasets import load_digits

    bunch = load_digits()
    x = torch.tensor(bunch.data, dtype=torch.float32) / 16.0  # (1797, 64)
    y = torch.tensor(bunch.target, dtype=torch.int64)
    order = torch.randperm(len(x), generator=generator)
    n_test = round(len(x) * test_fraction)
    test, train = order[:n_test], order[n_test:]
    return Split(x[train], y[train], x[test], y[test])


def upsample_digits(x: Tensor, size: int = 16) -> Tensor:
    """sklearn digits (B, 64) in [0, 1] -> (B, 1, size, size), bilinear, clamped to [0, 1]."""
    checks.tensor(x, "x (8x8 digits)", shape=("B", 64))
    checks.integer(size, "size", low=8, multiple_of=8)
    img = F.interpolate(x.view(-1, 1, 8, 8), size=(size, size), mode="bilinear", align_corners=False)
    return img.clamp(0.0, 1.0)



class DistortedDigits(NamedTuple):
    """Output of :func:`distorted_digits`.

    images: (N, 1, S, S) distorted digits; canonical: (N, 1, S, S) the same digits upright and centred;
    theta: (N, 2, 3) the affine map from output to canonical canvas coordinates used to draw them.
    """

    images: Tensor
    canonical: Tensor
    theta: Tensor



def distorted_digits(
    x: Tensor,
    strength: float,
    *,
    canvas: int = 20,
    digit_size: int = 10,
    max_angle: float = 60.0,
    max_log_scale: float = 0.35,
    max_shift: float = 0.35,
    generator: torch.Generator,
) -> DistortedDigits:
    """Toy data in the spirit of the paper's RTS-distorted MNIST (arXiv 1506.02025 section 4.1).

    Each 8x8 digit (x: (N, 64) in [0, 1]) is drawn at ``digit_size`` pixels in the middle of a
    ``canvas`` x ``canvas`` image, then rotated by U(-a, a) degrees, scaled by exp(U(-l, l)) and
    shifted by U(-t, t) (normalised units, 1 = half the canvas), where a, l, t are the maxima times
    ``strength`` (0 = no distortion). Returns DistortedDigits(images, canonical, theta).
    """
    checks.tensor(x, "x (8x8 digits)", shape=("N", 64))
    strength = checks.real(strength, "strength", low=0)
    checks.positive_int(canvas, "canvas")
    checks.positive_int(digit_size, "digit_size")
    checks.real(max_angle, "max_angle", low=0)
    checks.real(max_log_scale, "max_log_scale", low=0)
    checks.real(max_shift, "max_shift", low=0)
    checks.generator(generator)
    n = len(x)
    u = lambda: 2 * torch.rand(n, generator=generator) - 1  # noqa: E731  U(-1, 1), (N,)
    angle = u() * math.radians(max_angle) * strength
    scale = torch.exp(u() * max_log_scale * strength)
    tx, ty = u() * max_shift * strength, u() * max_shift * strength
    # output canvas -> canonical canvas: undo the shift, then the rotation and the scale
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    a = torch.stack([torch.stack([cos, sin], 1), torch.stack([-sin, cos], 1)], 1)  # (N, 2, 2)
    t = torch.stack([tx, ty], 1).unsqueeze(2)  # (N, 2, 1)
    theta = torch.cat([a, -a @ t], dim=2)  # (N, 2, 3): p_canon = a (p_out - t)
    # canonical canvas -> 8x8 digit coordinates: the digit spans digit_size / canvas of the canvas
    k = canvas / digit_size
    digit = x.reshape(n, 1, 8, 8)
    canon_theta = torch.tensor([[k, 0.0, 0.0], [0.0, k, 0.0]]).expand(n, 2, 3)
    to_digit = k * theta  # compose the two linear maps (the canonical map has no translation)
    images = _affine_warp(digit, to_digit, (canvas, canvas))
    canonical = _affine_warp(digit, canon_theta, (canvas, canvas))
    return DistortedDigits(images, canonical, theta)



def _affine_warp(images: Tensor, theta: Tensor, size: tuple[int, int]) -> Tensor:
    """Bilinear warp of (N, C, h, w) images by theta (N, 2, 3) onto a size canvas (torch's affine_grid / grid_sample,
    align_corners=False; the STN chapter rebuilds both from the paper's equations and checks them against these)."""
    grid = F.affine_grid(theta, [len(images), images.shape[1], *size], align_corners=False)
    return F.grid_sample(images, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
