"""Building blocks shared by the chapters' models: one seeded initialiser and the MLP."""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import nn

from paperlib import checks

_SEEDED = (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d, nn.Linear)


def seeded_init_(module: nn.Module, generator: torch.Generator, *, zero_bias: bool = False) -> nn.Module:
    """Re-draw every conv / transposed-conv / linear layer of ``module`` from U(-1/sqrt(fan_in), 1/sqrt(fan_in)).

    PyTorch's default range, drawn from ``generator`` so that a seed fixes the weights: layers in
    ``module.modules()`` order, weight then bias. fan_in = input channels x kernel size (for a
    transposed conv: the channels it reads, ``weight.shape[0]``). zero_bias: biases set to 0
    instead of drawn. Returns ``module`` (changed in place, before any training).
    """
    if not isinstance(module, nn.Module):
        raise TypeError(f"module must be a torch.nn.Module, got {type(module).__name__}")
    checks.generator(generator)
    with torch.no_grad():
        for m in module.modules():
            if not isinstance(m, _SEEDED):
                continue
            w = m.weight
            reads = w.shape[0] if isinstance(m, nn.modules.conv._ConvTransposeNd) else w.shape[1]
            bound = 1.0 / math.sqrt(reads * w[0, 0].numel())
            w.copy_(torch.empty(w.shape).uniform_(-bound, bound, generator=generator))
            if m.bias is not None:
                m.bias.copy_(torch.zeros(m.bias.shape) if zero_bias else torch.empty(m.bias.shape).uniform_(-bound, bound, generator=generator))
    return module


def mlp(sizes: Sequence[int], *, generator: torch.Generator, dropout: float = 0.0) -> nn.Sequential:
    """A ReLU multilayer perceptron (the small nets of the chapters, e.g. arXiv 1503.02531 section 3).

    Layers ``sizes[0] -> ... -> sizes[-1]``.

    sizes: e.g. (64, 128, 128, 10) for a teacher member, (64, 32, 10) for a small student.
    Weights and biases come from :func:`seeded_init_` with ``generator``.
    dropout: applied after every hidden ReLU. (B, D) -> (B, C).
    """
    sizes = list(sizes)
    if len(sizes) < 2 or not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in sizes):
        raise ValueError(f"sizes must be at least two positive ints, got {sizes!r}")
    checks.real(dropout, "dropout", low=0, high=1, high_open=True)
    checks.generator(generator)
    layers: list[nn.Module] = []
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
    return seeded_init_(nn.Sequential(*layers), generator)
