# ruff: noqa: E501  (a table: one wrong call per line reads best unwrapped)
"""Bad-input rows for paperlib.methods.mixup (Carratino et al., arXiv 2006.06049)."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from bad_input import NAN, V_, T, bad, g, poison  # noqa: F401
from paperlib import layers
from paperlib.methods import mixup as MX

X = torch.randn(4, 3, generator=g())
Y = torch.tensor([0, 1, 2, 0])
Y1 = F.one_hot(Y, 3).float()
STATS = MX.mixup_stats(X, Y, 1.0, 3)
THETA = torch.tensor([0.5, 0.7, 0.9, 1.0])
NET = layers.mlp((3, 3), generator=g())


def _draw_three():
    return X, Y1, Y1


def _draw_nan():
    return poison(X), Y1


def _draw_not_probs():
    return X, 2 * Y1


ROWS = [
    # sample_lambda
    bad("mixup.sample_lambda: alpha 0", MX.sample_lambda, 0.0, 5, generator=g(), match=r"alpha \(the Beta\(alpha, alpha\) parameter\) must be in \[0.01, 1000\], got 0.0"),
    bad("mixup.sample_lambda: alpha negative", MX.sample_lambda, -1.0, 5, generator=g(), match=r"alpha .* must be in \[0.01, 1000\]"),
    bad("mixup.sample_lambda: alpha NaN", MX.sample_lambda, NAN, 5, generator=g(), match=r"alpha .* must be in"),
    bad("mixup.sample_lambda: alpha str", MX.sample_lambda, "1", 5, generator=g(), exc=T, match=r"alpha .* must be a real number"),
    bad("mixup.sample_lambda: n 0", MX.sample_lambda, 1.0, 0, generator=g(), match=r"n must be a positive int"),
    bad("mixup.sample_lambda: no generator", MX.sample_lambda, 1.0, 5, generator=None, exc=T, match=r"generator must be a torch\.Generator"),
    # mixup_batch
    bad("mixup.mixup_batch: alpha 0", MX.mixup_batch, X, Y1, 0.0, generator=g(), match=r"alpha .* must be in \[0.01, 1000\]"),
    bad("mixup.mixup_batch: int labels instead of one-hot", MX.mixup_batch, X, Y, 1.0, generator=g(), exc=T, match=r"targets must be a floating-point tensor"),
    bad("mixup.mixup_batch: targets not probabilities", MX.mixup_batch, X, 2 * Y1, 1.0, generator=g(), match=r"targets must be probabilities"),
    bad("mixup.mixup_batch: rows differ", MX.mixup_batch, X, Y1[:3], 1.0, generator=g(), match=r"targets must have one row per row of x \(4\), got 3"),
    bad("mixup.mixup_batch: x NaN", MX.mixup_batch, poison(X), Y1, 1.0, generator=g(), match=r"x must be finite"),
    bad("mixup.mixup_batch: lam 1.5", MX.mixup_batch, X, Y1, 1.0, generator=g(), lam=1.5, match=r"lam must be in \[0, 1\], got 1.5"),
    bad("mixup.mixup_batch: partner out of range", MX.mixup_batch, X, Y1, 1.0, generator=g(), partner=torch.tensor([0, 1, 2, 4]), match=r"partner must lie in \[0, 3\]"),
    bad("mixup.mixup_batch: partner wrong length", MX.mixup_batch, X, Y1, 1.0, generator=g(), partner=torch.tensor([0, 1]), match=r"partner must have shape \(4,\)"),
    bad("mixup.mixup_batch: no generator", MX.mixup_batch, X, Y1, 1.0, generator=0, exc=T, match=r"generator must be a torch\.Generator"),
    # mixup_step (the factory and the step it returns)
    bad("mixup.mixup_step: alpha -1", MX.mixup_step, -1.0, 3, generator=g(), match=r"alpha .* must be in \[0.01, 1000\]"),
    bad("mixup.mixup_step: n_classes 1", MX.mixup_step, 1.0, 1, generator=g(), match=r"n_classes must be an int \(>= 2\)"),
    bad("mixup.mixup_step: lam -0.1", MX.mixup_step, 1.0, 3, generator=g(), lam=-0.1, match=r"lam must be in \[0, 1\]"),
    bad("mixup.mixup_step: no generator", MX.mixup_step, 1.0, 3, generator=None, exc=T, match=r"generator must be a torch\.Generator"),
    bad("mixup.mixup_step: step label out of range", MX.mixup_step(1.0, 2, generator=g()), NET, (X, Y), match=r"y must lie in \[0, 1\]"),
    bad("mixup.mixup_step: step batch too short", MX.mixup_step(1.0, 3, generator=g()), NET, (X,), match=r"batch must hold \(x, y\)"),
    # folded_beta_mean
    bad("mixup.folded_beta_mean: alpha 0", MX.folded_beta_mean, 0.0, match=r"alpha .* must be in \[0.01, 1000\], got 0.0"),
    bad("mixup.folded_beta_mean: alpha 1e6", MX.folded_beta_mean, 1e6, match=r"alpha .* must be in \[0.01, 1000\]"),
    bad("mixup.folded_beta_mean: alpha bool", MX.folded_beta_mean, True, exc=T, match=r"alpha .* must be a real number, got bool"),
    # shrink / unshrink
    bad("mixup.shrink: theta_bar 0.3", MX.shrink, X, X.mean(0), 0.3, match=r"theta_bar must be in \[0.5, 1\], got 0.3"),
    bad("mixup.shrink: mean shape", MX.shrink, X, X.mean(1), 0.8, match=r"mean must have the shape of one row of v \(3,\), got \(4,\)"),
    bad("mixup.shrink: v NaN", MX.shrink, poison(X), X.mean(0), 0.8, match=r"v must be finite"),
    bad("mixup.unshrink: theta_bar 0", MX.unshrink, X, X.mean(0), 0.0, match=r"theta_bar must be in \[0.5, 1\]"),
    bad("mixup.unshrink: mean NaN", MX.unshrink, X, poison(X.mean(0)), 0.8, match=r"mean must be finite"),
    # mixup_stats
    bad("mixup.mixup_stats: labels out of range", MX.mixup_stats, X, Y, 1.0, 2, match=r"labels must lie in \[0, 1\]"),
    bad("mixup.mixup_stats: labels length", MX.mixup_stats, X, Y[:3], 1.0, 3, match=r"labels must have shape \(4,\)"),
    bad("mixup.mixup_stats: alpha 0", MX.mixup_stats, X, Y, 0.0, 3, match=r"alpha .* must be in \[0.01, 1000\]"),
    bad("mixup.mixup_stats: n_classes float", MX.mixup_stats, X, Y, 1.0, 3.0, exc=T, match=r"n_classes must be an int"),
    # reformulate
    bad("mixup.reformulate: theta below 1/2", MX.reformulate, X, Y1, X, Y1, THETA - 0.2, STATS, match=r"theta must lie in \[0.5, 1\]"),
    bad("mixup.reformulate: theta length", MX.reformulate, X, Y1, X, Y1, THETA[:2], STATS, match=r"theta must have shape \(4,\)"),
    bad("mixup.reformulate: partner shape", MX.reformulate, X, Y1, X[:2], Y1, THETA, STATS, match=r"partner_x must have the shape of x"),
    bad("mixup.reformulate: stats tuple", MX.reformulate, X, Y1, X, Y1, THETA, (X.mean(0), Y1.mean(0), 0.75), exc=T, match=r"stats must be a MixupStats"),
    bad("mixup.reformulate: targets rows", MX.reformulate, X, Y1[:3], X, Y1[:3], THETA, STATS, match=r"targets must have one row per row of x \(4\), got 3"),
    # rescaled_logits
    bad("mixup.rescaled_logits: model not a module", MX.rescaled_logits, lambda v: v, X, STATS, exc=T, match=r"model must be a torch\.nn\.Module"),
    bad("mixup.rescaled_logits: x NaN", MX.rescaled_logits, NET, poison(X), STATS, match=r"x must be finite"),
    bad("mixup.rescaled_logits: stats missing", MX.rescaled_logits, NET, X, None, exc=T, match=r"stats must be a MixupStats"),
    # monte_carlo_loss
    bad("mixup.monte_carlo_loss: one batch", MX.monte_carlo_loss, NET, lambda: (X, Y1), 1, match=r"n_batches must be an int \(>= 2\)"),
    bad("mixup.monte_carlo_loss: draw not callable", MX.monte_carlo_loss, NET, (X, Y1), 5, exc=T, match=r"draw must be callable"),
    bad("mixup.monte_carlo_loss: draw returns three", MX.monte_carlo_loss, NET, _draw_three, 2, exc=T, match=r"draw\(\) must return \(x, targets\)"),
    bad("mixup.monte_carlo_loss: draw NaN", MX.monte_carlo_loss, NET, _draw_nan, 2, match=r"draw\(\)'s x must be finite"),
    bad("mixup.monte_carlo_loss: targets not probabilities", MX.monte_carlo_loss, NET, _draw_not_probs, 2, match=r"draw\(\)'s targets must be probabilities"),
]
