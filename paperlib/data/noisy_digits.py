"""Digits in a shifted domain: faded strokes on a noisy background (a target task for transfer)."""

from __future__ import annotations

import torch
from torch import Tensor

from paperlib import checks


def noisy_digits(x: Tensor, *, contrast: float = 0.6, noise: float = 0.3, generator: torch.Generator) -> Tensor:
    """A domain shift for 8x8 digits: ``contrast * x + U(0, noise)`` per pixel, clamped to [0, 1].

    The target domain of the robust-transfer chapter (arXiv 2007.08489 transfers ImageNet models to
    other datasets; here the same digit classes are seen faded and speckled). x: (N, 64) in [0, 1]
    -> (N, 64) in [0, 1]; the noise is drawn from ``generator``. contrast in (0, 1], noise in [0, 1].
    """
    checks.tensor(x, "x (8x8 digits)", shape=("N", 64))
    checks.values(x, "x (8x8 digits)", low=0, high=1)
    contrast = checks.real(contrast, "contrast", low=0, high=1, low_open=True)
    noise = checks.real(noise, "noise", low=0, high=1)
    checks.generator(generator)
    return (contrast * x + noise * torch.rand(x.shape, generator=generator)).clamp(0.0, 1.0)
