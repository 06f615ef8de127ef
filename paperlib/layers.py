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
    checks.instance(module, "module", nn.Module, "a torch.nn.Module")
    checks.generator(generator)
    checks.boolean(zero_bias, "zero_bias")
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


def small_linear(in_features: int, out_features: int = 1, *, std: float, generator: torch.Generator) -> nn.Linear:
    """A linear layer starting near zero: weights N(0, std^2) drawn from ``generator``, biases 0.

    The linear scorers of the chapters (a margin-loss classifier, RCA's per-pixel reverse classifier)
    start small so that the first updates, not the initial draw, decide where they go.
    """
    checks.positive_int(in_features, "in_features")
    checks.positive_int(out_features, "out_features")
    std = checks.real(std, "std", low=0, low_open=True)
    checks.generator(generator)
    linear = nn.Linear(in_features, out_features)
    with torch.no_grad():
        linear.weight.copy_(std * torch.randn(out_features, in_features, generator=generator))
        linear.bias.zero_()
    return linear


def mlp(sizes: Sequence[int], *, generator: torch.Generator, dropout: float = 0.0) -> nn.Sequential:
    """A ReLU multilayer perceptron (the small nets of the chapters, e.g. arXiv 1503.02531 section 3).

    Layers ``sizes[0] -> ... -> sizes[-1]``.

    sizes: e.g. (64, 128, 128, 10) for a teacher member, (64, 32, 10) for a small student.
    Weights and biases come from :func:`seeded_init_` with ``generator``.
    dropout: applied after every hidden ReLU. (B, D) -> (B, C).
    """
    sizes = checks.sequence(sizes, "sizes", checks.positive_int, min_length=2, what="positive ints")
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
