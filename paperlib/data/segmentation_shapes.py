"""Segmentation toys: noisy "scans" with one organ-like shape, and predictions of controlled quality (RCA chapter)."""

from __future__ import annotations

import math
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor

from paperlib import checks


class OrganScans(NamedTuple):
    """Output of :func:`organ_scans`: images (N, H, W) float, masks (N, H, W) int64 (the ground truth)."""

    images: Tensor
    masks: Tensor


def organ_scans(
    n: int, size: int = 24, *, half_range: tuple[float, float] = (5.0, 7.0), noise: float = 0.12, generator: torch.Generator
) -> OrganScans:
    """Noisy toy images with one disc or rectangle each, the "organ" to segment.

    Shape kind, position and size (radius / half-sides drawn from ``half_range`` px, like an organ
    whose size varies a little between subjects) are random; the background
    intensity is U(0, 0.35), the object's U(0.55, 1) (varying contrast between images, as in
    scans from different subjects); then a 3x3 blur and Gaussian noise of std ``noise``.
    Returns OrganScans(images (n, size, size), masks (n, size, size)).
    """
    checks.positive_int(n, "n")
    checks.positive_int(size, "size")
    noise = checks.real(noise, "noise", low=0)
    checks.generator(generator)
    r = lambda *shape: torch.rand(*shape, generator=generator)  # noqa: E731
    ys, xs = torch.meshgrid(torch.arange(size, dtype=torch.float32), torch.arange(size, dtype=torch.float32), indexing="ij")
    lo, hi = checks.sequence(half_range, "half_range", checks.real, length=2, what="numbers (low, high)")
    if not 1 <= lo <= hi < size / 2:
        raise ValueError(f"half_range must satisfy 1 <= low <= high < size / 2 = {size / 2}, got {half_range!r}")
    half = lo + (hi - lo) * r(n, 2)  # (n, 2) radius or half-sides
    margin = half.max(1).values  # keep the shape inside the image
    cy = margin + r(n) * (size - 1 - 2 * margin)
    cx = margin + r(n) * (size - 1 - 2 * margin)
    is_disc = r(n) < 0.5
    dy, dx = ys - cy[:, None, None], xs - cx[:, None, None]  # (n, H, W)
    disc = dy**2 + dx**2 <= half[:, 0, None, None] ** 2
    rect = (dy.abs() <= half[:, 0, None, None]) & (dx.abs() <= half[:, 1, None, None])
    masks = torch.where(is_disc[:, None, None], disc, rect).long()
    bg, fg = 0.35 * r(n), 0.55 + 0.45 * r(n)
    clean = bg[:, None, None] + (fg - bg)[:, None, None] * masks
    blurred = F.avg_pool2d(clean.unsqueeze(1), 3, stride=1, padding=1, count_include_pad=False).squeeze(1)
    images = blurred + noise * torch.randn(n, size, size, generator=generator)
    return OrganScans(images, masks)


def _distance_to(mask: Tensor) -> Tensor:
    """Euclidean distance from every pixel to the nearest pixel with mask == 1; (H, W) -> (H, W) (inf if none)."""
    h, w = mask.shape
    ys, xs = torch.meshgrid(torch.arange(h, dtype=torch.float32), torch.arange(w, dtype=torch.float32), indexing="ij")
    pts = torch.stack([ys.flatten(), xs.flatten()], 1)  # (HW, 2)
    on = pts[mask.flatten().bool()]  # (K, 2)
    if len(on) == 0:
        return torch.full((h, w), math.inf)
    return torch.cdist(pts, on).min(1).values.reshape(h, w)


def degrade_masks(masks: Tensor, strength: float, *, generator: torch.Generator) -> Tensor:
    """Predictions of controlled quality: each true mask is eroded, dilated or shifted by ``strength`` pixels.

    The kind is drawn uniformly per mask from ``generator`` (as is the shift direction).
    Erode / dilate use the Euclidean distance (a disc-shaped structuring element of radius
    ``strength``); a shift moves the mask by ``strength`` pixels and fills with background.
    masks: (N, H, W) binary -> (N, H, W) int64. strength = 0 returns the masks unchanged.
    """
    checks.binary_mask(masks, "masks")
    strength = checks.real(strength, "strength", low=0)
    checks.generator(generator)
    kinds = torch.randint(0, 3, (len(masks),), generator=generator)
    angles = 2 * math.pi * torch.rand(len(masks), generator=generator)
    out = []
    for m, kind, angle in zip(masks.long(), kinds.tolist(), angles.tolist()):
        if strength == 0:
            out.append(m)
        elif kind == 0:  # dilate: every pixel within `strength` of the object
            out.append((_distance_to(m) <= strength).long())
        elif kind == 1:  # erode: object pixels farther than `strength` from the background
            out.append((_distance_to(1 - m) > strength).long())
        else:  # shift by `strength` pixels in a random direction
            dy, dx = round(strength * math.sin(angle)), round(strength * math.cos(angle))
            shifted = torch.zeros_like(m)
            h, w = m.shape
            shifted[max(dy, 0) : h + min(dy, 0), max(dx, 0) : w + min(dx, 0)] = m[max(-dy, 0) : h - max(dy, 0), max(-dx, 0) : w - max(dx, 0)]
            out.append(shifted)
    return torch.stack(out)

