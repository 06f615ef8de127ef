"""Bad-input rows for paperlib.adversarial.jem (see tests/test_bad_input.py)."""

import torch

from bad_input import INF, NAN, T, bad, g, poison
from paperlib import layers
from paperlib.adversarial import jem

LOGITS = torch.randn(4, 3, generator=g())
Y = torch.tensor([0, 1, 2, 0])
X2 = torch.randn(4, 2, generator=g())
QUAD = lambda v: (v**2).sum(1)  # noqa: E731
BUF = jem.ReplayBuffer(8, 2, generator=g())
MODEL = layers.mlp((2, 4, 3), generator=g())
OPT = torch.optim.SGD(MODEL.parameters(), lr=0.1)

ROWS = [
    bad("jem.energy: 1-D logits", jem.energy, torch.zeros(3), match=r"logits must have shape \(B, C\), got \(3,\)"),
    bad("jem.energy: NaN", jem.energy, poison(LOGITS), match="logits must be finite"),
    bad("jem.energy: list", jem.energy, [[0.0, 1.0]], exc=T, match="logits must be a torch.Tensor"),
    bad("jem.class_log_probs: 3-D", jem.class_log_probs, torch.zeros(2, 3, 4), match=r"logits must have shape \(B, C\)"),
    bad("jem.class_log_probs: inf", jem.class_log_probs, poison(LOGITS, INF), match="logits must be finite"),
    bad("jem.sgld: NaN start", jem.sgld, QUAD, poison(X2), steps=2, step_size=0.1, noise_std=0.01, generator=g(), match="x0 must be finite"),
    bad("jem.sgld: NaN step size", jem.sgld, QUAD, X2, steps=2, step_size=NAN, noise_std=0.01, generator=g(), match=r"step_size must be a finite number >= 0, got nan"),
    bad("jem.sgld: negative step size", jem.sgld, QUAD, X2, steps=2, step_size=-0.1, noise_std=0.01, generator=g(), match=r"step_size must be a finite number >= 0"),
    bad("jem.sgld: steps 0", jem.sgld, QUAD, X2, steps=0, step_size=0.1, noise_std=0.01, generator=g(), match=r"steps must be a positive int \(>= 1\), got 0"),
    bad("jem.sgld: steps negative", jem.sgld, QUAD, X2, steps=-3, step_size=0.1, noise_std=0.01, generator=g(), match="steps must be a positive int"),
    bad("jem.sgld: steps float", jem.sgld, QUAD, X2, steps=2.0, step_size=0.1, noise_std=0.01, generator=g(), exc=T, match="steps must be a positive int, got float"),
    bad("jem.sgld: negative noise", jem.sgld, QUAD, X2, steps=2, step_size=0.1, noise_std=-1.0, generator=g(), match="noise_std must be a finite number >= 0"),
    bad("jem.sgld: inf noise", jem.sgld, QUAD, X2, steps=2, step_size=0.1, noise_std=INF, generator=g(), match="noise_std must be a finite number >= 0"),
    bad("jem.sgld: x0 1-D", jem.sgld, QUAD, torch.zeros(4), steps=2, step_size=0.1, noise_std=0.01, generator=g(), match=r"x0 must have shape \(B, D\)"),
    bad("jem.sgld: energy_fn not callable", jem.sgld, 3.0, X2, steps=2, step_size=0.1, noise_std=0.01, generator=g(), exc=T, match="energy_fn must be callable"),
    bad("jem.sgld: energy_fn shape", jem.sgld, lambda v: v, X2, steps=2, step_size=0.1, noise_std=0.01, generator=g(), match=r"energy_fn must return one energy per row, shape \(4,\), got \(4, 2\)"),
    bad("jem.sgld: energy_fn NaN (a diverged energy)", jem.sgld, lambda v: v.sum(1) * NAN, X2, steps=2, step_size=0.1, noise_std=0.01, generator=g(), match=r"energy_fn\(x\) must be finite"),
    bad("jem.sgld: generator", jem.sgld, QUAD, X2, steps=2, step_size=0.1, noise_std=0.01, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("jem.sgld: keep_trajectory", jem.sgld, QUAD, X2, steps=2, step_size=0.1, noise_std=0.01, generator=g(), keep_trajectory=1, exc=T, match="keep_trajectory must be a bool"),
    bad("jem.ReplayBuffer: reinit above 1", jem.ReplayBuffer, 8, 2, reinit_prob=1.5, generator=g(), match=r"reinit_prob must be in \[0, 1\], got 1.5"),
    bad("jem.ReplayBuffer: reinit negative", jem.ReplayBuffer, 8, 2, reinit_prob=-0.1, generator=g(), match=r"reinit_prob must be in \[0, 1\]"),
    bad("jem.ReplayBuffer: reinit NaN", jem.ReplayBuffer, 8, 2, reinit_prob=NAN, generator=g(), match=r"reinit_prob must be in \[0, 1\], got nan"),
    bad("jem.ReplayBuffer: size 0", jem.ReplayBuffer, 0, 2, generator=g(), match="size must be a positive int"),
    bad("jem.ReplayBuffer: dim 0", jem.ReplayBuffer, 8, 0, generator=g(), match="dim must be a positive int"),
    bad("jem.ReplayBuffer: empty box", jem.ReplayBuffer, 8, 2, low=1.0, high=1.0, generator=g(), match=r"high must be > low .* got low=1, high=1"),
    bad("jem.ReplayBuffer: generator", jem.ReplayBuffer, 8, 2, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("jem.ReplayBuffer.noise: n 0", BUF.noise, 0, generator=g(), match="n must be a positive int"),
    bad("jem.ReplayBuffer.noise: generator", BUF.noise, 3, generator=1, exc=T, match="generator must be a torch.Generator"),
    bad("jem.ReplayBuffer.draw: batch 0", BUF.draw, 0, generator=g(), match="batch_size must be a positive int"),
    bad("jem.ReplayBuffer.draw: generator", BUF.draw, 4, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("jem.ReplayBuffer.write: width", BUF.write, torch.tensor([0, 1]), torch.zeros(2, 3), match=r"x must have shape \(B, 2\), got \(2, 3\)"),
    bad("jem.ReplayBuffer.write: NaN samples", BUF.write, torch.tensor([0, 1]), poison(torch.zeros(2, 2)), match="x must be finite"),
    bad("jem.ReplayBuffer.write: index out of range", BUF.write, torch.tensor([0, 8]), torch.zeros(2, 2), match=r"index must lie in \[0, 7\], got values in \[0, 8\]"),
    bad("jem.ReplayBuffer.write: index length", BUF.write, torch.tensor([0]), torch.zeros(2, 2), match=r"index must have shape \(2,\)"),
    bad("jem.ReplayBuffer.write: float index", BUF.write, torch.tensor([0.0, 1.0]), torch.zeros(2, 2), exc=T, match="index must be an integer tensor"),
    bad("jem.jem_loss: labels out of range", jem.jem_loss, LOGITS, torch.tensor([0, 1, 3, 0]), LOGITS, match=r"labels must lie in \[0, 2\]"),
    bad("jem.jem_loss: sampled classes", jem.jem_loss, LOGITS, Y, torch.zeros(2, 4), match=r"logits_sampled must have shape \(M, 3\)"),
    bad("jem.jem_loss: no samples", jem.jem_loss, LOGITS, Y, torch.zeros(0, 3), match="logits_sampled must hold at least one row"),
    bad("jem.jem_loss: NaN sampled", jem.jem_loss, LOGITS, Y, poison(LOGITS), match="logits_sampled must be finite"),
    bad("jem.jem_loss: NaN data", jem.jem_loss, poison(LOGITS), Y, LOGITS, match="logits_data must be finite"),
    bad("jem.jem_loss: negative weight", jem.jem_loss, LOGITS, Y, LOGITS, px_weight=-1.0, match="px_weight must be a finite number >= 0"),
    bad("jem.jem_step: model", jem.jem_step, lambda v: v, OPT, X2, Y, BUF, generator=g(), exc=T, match="model must be a torch.nn.Module"),
    bad("jem.jem_step: optimizer", jem.jem_step, MODEL, None, X2, Y, BUF, generator=g(), exc=T, match="optimizer must be a torch.optim.Optimizer"),
    bad("jem.jem_step: buffer", jem.jem_step, MODEL, OPT, X2, Y, torch.zeros(8, 2), generator=g(), exc=T, match="buffer must be a paperlib.adversarial.jem.ReplayBuffer"),
    bad("jem.jem_step: x width", jem.jem_step, MODEL, OPT, torch.zeros(4, 3), Y, BUF, generator=g(), match=r"x must have shape \(B, 2\)"),
    bad("jem.jem_step: NaN x", jem.jem_step, MODEL, OPT, poison(X2), Y, BUF, generator=g(), match="x must be finite"),
    bad("jem.jem_step: steps 0", jem.jem_step, MODEL, OPT, X2, Y, BUF, steps=0, generator=g(), match="steps must be a positive int"),
    bad("jem.jem_step: NaN step size", jem.jem_step, MODEL, OPT, X2, Y, BUF, step_size=NAN, generator=g(), match="step_size must be a finite number >= 0"),
    bad("jem.jem_step: negative px weight", jem.jem_step, MODEL, OPT, X2, Y, BUF, px_weight=-0.5, generator=g(), match="px_weight must be a finite number >= 0"),
    bad("jem.jem_step: labels", jem.jem_step, MODEL, OPT, X2, torch.tensor([0, 1]), BUF, generator=g(), match=r"y must have shape \(4,\)"),
    bad("jem.jem_step: negative noise", jem.jem_step, MODEL, OPT, X2, Y, BUF, noise_std=-0.1, generator=g(), match="noise_std must be a finite number >= 0"),
    bad("jem.jem_step: generator", jem.jem_step, MODEL, OPT, X2, Y, BUF, generator=None, exc=T, match="generator must be a torch.Generator"),
]
# ruff: noqa: E501  (a table: one wrong call per line reads best unwrapped)
