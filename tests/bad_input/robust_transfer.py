# ruff: noqa: E501  (a table: one wrong call per line reads best unwrapped)
"""Bad-input rows for paperlib.methods.robust_transfer and data.noisy_digits (arXiv 2007.08489)."""

from __future__ import annotations

import torch
from torch import nn

from bad_input import NAN, T, bad, g, poison
from paperlib import data, layers
from paperlib.methods import robust_transfer as RT

X = torch.rand(4, 6, generator=g())  # pixels in [0, 1]
Y = torch.tensor([0, 1, 2, 0])
NET = layers.mlp((6, 5, 3), generator=g())
LIN2 = nn.Linear(6, 2)
Y2 = torch.tensor([0, 1, 1, 0])
STEP = RT.adversarial_step(0.1, "l2", steps=1, generator=g())
DIGITS = torch.rand(3, 64, generator=g())

ROWS = [
    bad("robust_transfer.project: eps < 0", RT.project, X, -0.1, "l2", match=r"eps must be a finite number >= 0, got -0.1"),
    bad("robust_transfer.project: eps NaN", RT.project, X, NAN, "linf", match=r"eps must be a finite number >= 0"),
    bad("robust_transfer.project: norm l1", RT.project, X, 0.1, "l1", match=r"norm must be one of \['linf', 'l2'\], got 'l1'"),
    bad("robust_transfer.project: norm int", RT.project, X, 0.1, 2, exc=T, match=r"norm must be a str"),
    bad("robust_transfer.project: delta 1-D", RT.project, X[0], 0.1, "l2", match=r"delta must have shape \(B, \*features\)"),
    bad("robust_transfer.project: delta NaN", RT.project, poison(X), 0.1, "l2", match="delta must be finite"),
    bad("robust_transfer.random_start: eps < 0", RT.random_start, X, -1.0, "linf", generator=g(), match=r"eps must be a finite number >= 0"),
    bad("robust_transfer.random_start: generator", RT.random_start, X, 0.1, "linf", generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("robust_transfer.random_start: x list", RT.random_start, [[0.1]], 0.1, "l2", generator=g(), exc=T, match="x must be a torch.Tensor"),
    bad("robust_transfer.pgd_attack: eps < 0", RT.pgd_attack, NET, X, Y, eps=-0.5, norm="l2", steps=3, generator=g(), match=r"eps must be a finite number >= 0, got -0.5"),
    bad("robust_transfer.pgd_attack: norm", RT.pgd_attack, NET, X, Y, eps=0.5, norm="L2", steps=3, generator=g(), match=r"norm must be one of \['linf', 'l2'\]"),
    bad("robust_transfer.pgd_attack: steps < 0", RT.pgd_attack, NET, X, Y, eps=0.5, norm="l2", steps=-1, generator=g(), match=r"steps must be a non-negative int"),
    bad("robust_transfer.pgd_attack: steps float", RT.pgd_attack, NET, X, Y, eps=0.5, norm="l2", steps=2.0, generator=g(), exc=T, match=r"steps must be a non-negative int, got float"),
    bad("robust_transfer.pgd_attack: step_size 0", RT.pgd_attack, NET, X, Y, eps=0.5, norm="l2", steps=2, step_size=0.0, generator=g(), match=r"step_size must be a finite number > 0"),
    bad("robust_transfer.pgd_attack: pixels out of [0, 1]", RT.pgd_attack, NET, X + 1, Y, eps=0.5, norm="l2", steps=2, generator=g(), match=r"x \(pixels, with clip=True\) must lie in \[0, 1\]"),
    bad("robust_transfer.pgd_attack: labels length", RT.pgd_attack, NET, X, Y[:2], eps=0.5, norm="l2", steps=2, generator=g(), match=r"y must have shape \(4,\)"),
    bad("robust_transfer.pgd_attack: labels float", RT.pgd_attack, NET, X, Y.float(), eps=0.5, norm="l2", steps=2, generator=g(), exc=T, match="y must be an integer tensor"),
    bad("robust_transfer.pgd_attack: x NaN", RT.pgd_attack, NET, poison(X), Y, eps=0.5, norm="l2", steps=2, generator=g(), match="x must be finite"),
    bad("robust_transfer.pgd_attack: model", RT.pgd_attack, "net", X, Y, eps=0.5, norm="l2", steps=2, generator=g(), exc=T, match="model must be callable"),
    bad("robust_transfer.pgd_attack: start", RT.pgd_attack, NET, X, Y, eps=0.5, norm="l2", steps=2, start=1, generator=g(), exc=T, match="start must be a bool"),
    bad("robust_transfer.pgd_attack: clip", RT.pgd_attack, NET, X, Y, eps=0.5, norm="l2", steps=2, clip="yes", generator=g(), exc=T, match="clip must be a bool"),
    bad("robust_transfer.pgd_attack: generator", RT.pgd_attack, NET, X, Y, eps=0.5, norm="l2", steps=2, generator=0, exc=T, match="generator must be a torch.Generator"),
    bad("robust_transfer.linear_worst_case: 3 classes", RT.linear_worst_case, nn.Linear(6, 3), X, Y2, 0.1, "l2", match=r"linear must have 2 outputs \(a two-class model\), got out_features=3"),
    bad("robust_transfer.linear_worst_case: not linear", RT.linear_worst_case, NET, X, Y2, 0.1, "l2", exc=T, match="linear must be a torch.nn.Linear"),
    bad("robust_transfer.linear_worst_case: x width", RT.linear_worst_case, LIN2, X[:, :5], Y2, 0.1, "l2", match=r"x must have shape \(B, 6\), got \(4, 5\)"),
    bad("robust_transfer.linear_worst_case: label 2", RT.linear_worst_case, LIN2, X, Y, 0.1, "l2", match=r"y must lie in \[0, 1\]"),
    bad("robust_transfer.linear_worst_case: eps < 0", RT.linear_worst_case, LIN2, X, Y2, -0.1, "linf", match=r"eps must be a finite number >= 0"),
    bad("robust_transfer.adversarial_step: eps < 0", RT.adversarial_step, -1.0, "l2", steps=3, generator=g(), match=r"eps must be a finite number >= 0, got -1.0"),
    bad("robust_transfer.adversarial_step: norm", RT.adversarial_step, 0.5, "l3", steps=3, generator=g(), match=r"norm must be one of"),
    bad("robust_transfer.adversarial_step: steps", RT.adversarial_step, 0.5, "l2", steps=-2, generator=g(), match=r"steps must be a non-negative int"),
    bad("robust_transfer.adversarial_step: step_size", RT.adversarial_step, 0.5, "l2", steps=2, step_size=-1.0, generator=g(), match=r"step_size must be a finite number > 0"),
    bad("robust_transfer.adversarial_step: generator", RT.adversarial_step, 0.5, "l2", steps=2, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("robust_transfer.adversarial_step: batch short", STEP, NET, (X,), match=r"batch must hold \(x, y\)"),
    bad("robust_transfer.adversarial_step: batch labels", STEP, NET, (X, Y[:3]), match=r"y must have shape \(4,\)"),
    bad("robust_transfer.robust_accuracy: eps < 0", RT.robust_accuracy, NET, X, Y, eps=-0.1, norm="l2", steps=2, generator=g(), match=r"eps must be a finite number >= 0"),
    bad("robust_transfer.robust_accuracy: model", RT.robust_accuracy, lambda x: x, X, Y, eps=0.1, norm="l2", steps=2, generator=g(), exc=T, match="model must be a torch.nn.Module"),
    bad("robust_transfer.robust_accuracy: pixels", RT.robust_accuracy, NET, X - 2, Y, eps=0.1, norm="l2", steps=2, generator=g(), match=r"x \(pixels, with clip=True\) must lie in \[0, 1\]"),
    bad("robust_transfer.robust_accuracy: norm", RT.robust_accuracy, NET, X, Y, eps=0.1, norm=None, steps=2, generator=g(), exc=T, match="norm must be a str"),
    bad("robust_transfer.transfer_model: mode", RT.transfer_model, NET, 3, mode="probe", generator=g(), match=r"mode must be one of \['fixed', 'full'\], got 'probe'"),
    bad("robust_transfer.transfer_model: n_classes 0", RT.transfer_model, NET, 0, mode="fixed", generator=g(), match=r"n_classes must be a positive int"),
    bad("robust_transfer.transfer_model: not sequential", RT.transfer_model, LIN2, 3, mode="fixed", generator=g(), exc=T, match="source must be a torch.nn.Sequential ending in nn.Linear"),
    bad("robust_transfer.transfer_model: no linear head", RT.transfer_model, nn.Sequential(nn.Linear(6, 3), nn.ReLU()), 3, mode="full", generator=g(), match=r"source must be an nn.Sequential of at least 2 layers ending in nn.Linear, got 2 ending in ReLU"),
    bad("robust_transfer.transfer_model: generator", RT.transfer_model, NET, 3, mode="full", generator="0", exc=T, match="generator must be a torch.Generator"),
    bad("data.noisy_digits: contrast 0", data.noisy_digits, DIGITS, contrast=0.0, generator=g(), match=r"contrast must be in \(0, 1\], got 0.0"),
    bad("data.noisy_digits: noise 2", data.noisy_digits, DIGITS, noise=2.0, generator=g(), match=r"noise must be in \[0, 1\], got 2.0"),
    bad("data.noisy_digits: x shape", data.noisy_digits, DIGITS[:, :16], generator=g(), match=r"x \(8x8 digits\) must have shape \(N, 64\)"),
    bad("data.noisy_digits: x range", data.noisy_digits, DIGITS * 16, generator=g(), match=r"x \(8x8 digits\) must lie in \[0, 1\]"),
    bad("data.noisy_digits: generator", data.noisy_digits, DIGITS, generator=None, exc=T, match="generator must be a torch.Generator"),
]
