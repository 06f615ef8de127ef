"""Building blocks shared by the chapters' models."""

from __future__ import annotations

from typing import Sequence

import torch
from torch import nn

from paperlib import checks


def mlp(sizes: Sequence[int], *, generator: torch.Generator, dropout: float = 0.0) -> nn.Sequential:
    """A ReLU multilayer perceptron (the small nets of the chapters, e.g. arXiv 1503.02531 section 3).

    Layers ``sizes[0] -> ... -> sizes[-1]``.

    sizes: e.g. (64, 128, 128, 10) for a teacher member, (64, 32, 10) for a small student.
    Weights and biases are drawn from U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (PyTorch's default
    range) with ``generator``. dropout: applied after every hidden ReLU. (B, D) -> (B, C).
    """
    sizes = list(sizes)
    if len(sizes) < 2 or not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in sizes):
        raise ValueError(f"sizes must be at least two positive ints, got {sizes!r}")
    checks.real(dropout, "dropout", low=0, high=1, high_open=True)
    checks.generator(generator)
    layers: list[nn.Module] = []
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        linear = nn.Linear(a, b)
        bound = 1.0 / a**0.5
        with torch.no_grad():
            linear.weight.copy_(torch.empty(b, a).uniform_(-bound, bound, generator=generator))
            linear.bias.copy_(torch.empty(b).uniform_(-bound, bound, generator=generator))
        layers.append(linear)
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
    return nn.Sequential(*layers)
