"""Adversarially robust sources and their transfer (Salman et al. 2020, arXiv 2007.08489).

    project               the ε-ball projection Π of PGD: L∞ clamps each coordinate, L2 shrinks the norm to ≤ ε
    random_start          PGD's random start: uniform in the L∞ box, uniform on the L2 sphere
    pgd_attack            projected gradient ascent on the cross-entropy (the inner max of robust training)
    linear_worst_case     closed-form worst case of a two-class linear model (a check for PGD)
    adversarial_step      a ``fit`` step for adversarial training: min_θ E max_{‖δ‖ ≤ ε} L(f_θ(x + δ), y)
    robust_accuracy       accuracy on PGD examples (ε = 0: clean accuracy)
    transfer_model        fixed-feature (linear probe) or full-network transfer of a source model

Inputs are pixels in [0, 1] with the batch first, x: (B, *features); an attack keeps x + δ in
[0, 1] (``clip=True``), so ε is measured in pixel units (the paper's convention). Labels: (B,) int64.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from paperlib import checks, layers

__all__ = [
    "NORMS",
    "project",
    "random_start",
    "pgd_attack",
    "LinearWorstCase",
    "linear_worst_case",
    "adversarial_step",
    "robust_accuracy",
    "transfer_model",
]

NORMS = ("linf", "l2")


# --------------------------------------------------------------------------- checks
def _check_norm(norm: object) -> str:
    return checks.choice(norm, "norm", NORMS)


def _check_eps(eps: object) -> float:
    return checks.real(eps, "eps", low=0)


def _check_batch(t: object, name: str) -> Tensor:
    """A finite float tensor (B, *features) with at least one feature dimension."""
    checks.tensor(t, name, shape=("B", "*features"))
    if t.dim() < 2:
        raise ValueError(f"{name} must have shape (B, *features) with at least 2 dimensions, got {tuple(t.shape)}")
    return t


def _per_example_norm(t: Tensor) -> Tensor:
    """L2 norm of each example, shaped to broadcast against t: (B, 1, ..., 1)."""
    return t.flatten(1).norm(dim=1).view(-1, *[1] * (t.dim() - 1))


# --------------------------------------------------------------------------- PGD pieces
def project(delta: Tensor, eps: float, norm: str) -> Tensor:
    """The projection Π onto the ε-ball of PGD, arXiv 2007.08489 (the robustness library's steps).

    delta: (B, *features), one perturbation per example. "linf": clamp every coordinate to [-ε, ε];
    "l2": scale δ by min(1, ε / ‖δ‖₂) per example (a δ already inside the ball is unchanged).
    Returns a tensor of the same shape.
    """
    _check_batch(delta, "delta")
    return _project(delta, _check_eps(eps), _check_norm(norm))


def _project(delta: Tensor, eps: float, norm: str) -> Tensor:
    if norm == "linf":
        return delta.clamp(-eps, eps)
    size = _per_example_norm(delta)  # (B, 1, ...)
    return delta * torch.clamp(eps / size.clamp_min(1e-12), max=1.0)


def random_start(x: Tensor, eps: float, norm: str, *, generator: torch.Generator) -> Tensor:
    """PGD's random start δ₀ for inputs like x: (B, *features) -> (B, *features).

    "linf": uniform in the box [-ε, ε]^D; "l2": uniform on the sphere ‖δ‖₂ = ε (a normalised
    Gaussian, as the robustness library does). Drawn on CPU from ``generator``, then moved to x's device.
    """
    _check_batch(x, "x")
    eps, norm = _check_eps(eps), _check_norm(norm)
    checks.generator(generator)
    if norm == "linf":
        delta = (2 * torch.rand(x.shape, generator=generator) - 1) * eps
    else:
        noise = torch.randn(x.shape, generator=generator)
        delta = eps * noise / _per_example_norm(noise).clamp_min(1e-12)
    return delta.to(device=x.device, dtype=x.dtype)


def _check_attack(x: Tensor, y: Tensor, eps: float, norm: str, steps: int, step_size: float | None, clip: bool) -> tuple:
    _check_batch(x, "x")
    checks.labels(y, len(x), name="y")
    eps, norm = _check_eps(eps), _check_norm(norm)
    checks.nonnegative_int(steps, "steps")
    if step_size is not None:
        step_size = checks.positive_real(step_size, "step_size")
    checks.boolean(clip, "clip")
    if clip:
        checks.values(x, "x (pixels, with clip=True)", low=0, high=1)
    return eps, norm, step_size


def pgd_attack(
    model: Callable[[Tensor], Tensor],
    x: Tensor,
    y: Tensor,
    *,
    eps: float,
    norm: str,
    steps: int,
    step_size: float | None = None,
    start: bool = True,
    clip: bool = True,
    generator: torch.Generator,
) -> Tensor:
    """Projected gradient ascent on the cross-entropy inside the ε-ball (arXiv 2007.08489, robust training's inner max).

    Approximates the inner maximisation max_{‖δ‖ ≤ ε} L(f(x + δ), y) by ``steps`` updates
      linf: δ ← Π(δ + η sign ∇_δ L),   l2: δ ← Π(δ + η ∇_δ L / ‖∇_δ L‖₂),
    then x + δ is clipped to [0, 1] (``clip``: pixels; project, then clip, as the robustness library does).
    start: begin from :func:`random_start` (else δ₀ = 0). step_size η defaults to the common rule 2.5 ε / steps.
    x: (B, *features), y: (B,) -> x_adv (B, *features), detached. eps = 0 returns x unchanged; steps = 0
    returns the random start alone. The model's parameters get no gradients and its mode is left as is.
    """
    checks.function(model, "model")
    eps, norm, step_size = _check_attack(x, y, eps, norm, steps, step_size, clip)
    checks.boolean(start, "start")
    checks.generator(generator)
    if eps == 0:
        return x.detach().clone()
    eta = step_size if step_size is not None else 2.5 * eps / max(steps, 1)
    x = x.detach()
    delta = random_start(x, eps, norm, generator=generator) if start else torch.zeros_like(x)
    if clip:
        delta = (x + delta).clamp(0, 1) - x
    for _ in range(steps):
        delta.requires_grad_(True)
        with torch.enable_grad():
            loss = F.cross_entropy(model(x + delta), y, reduction="sum")  # sum: each example's own gradient
            (grad,) = torch.autograd.grad(loss, delta)
        with torch.no_grad():
            ascent = grad.sign() if norm == "linf" else grad / _per_example_norm(grad).clamp_min(1e-12)
            delta = _project(delta + eta * ascent, eps, norm)
            if clip:
                delta = (x + delta).clamp(0, 1) - x
    return (x + delta).detach()


# --------------------------------------------------------------------------- closed form for a linear model
class LinearWorstCase(NamedTuple):
    """Output of :func:`linear_worst_case`: delta (B, D) the optimal perturbation, margin (B,) the logit
    margin z_y − z_other after it, loss (B,) the cross-entropy after it (= softplus(−margin))."""

    delta: Tensor
    margin: Tensor
    loss: Tensor


def linear_worst_case(linear: nn.Linear, x: Tensor, y: Tensor, eps: float, norm: str) -> LinearWorstCase:
    """The exact worst case of a two-class linear model in the ε-ball, without pixel clipping.

    For logits z = W x + b with 2 classes, the cross-entropy is softplus(−m), decreasing in the margin
    m = w·x + c with w = W_y − W_other, c = b_y − b_other. The worst δ minimises w·δ over the ball:
      linf: δ* = −ε sign(w), margin drops by ε ‖w‖₁;   l2: δ* = −ε w / ‖w‖₂, margin drops by ε ‖w‖₂
    (Hölder: the dual norm). x: (B, D), y: (B,) in {0, 1}. The reference PGD must reach.
    """
    checks.instance(linear, "linear", nn.Linear, "a torch.nn.Linear")
    if linear.out_features != 2:
        raise ValueError(f"linear must have 2 outputs (a two-class model), got out_features={linear.out_features}")
    checks.tensor(x, "x", shape=("B", linear.in_features))
    checks.labels(y, len(x), 2, name="y")
    eps, norm = _check_eps(eps), _check_norm(norm)
    with torch.no_grad():
        weight = linear.weight.to(x.dtype)  # (2, D)
        bias = linear.bias.to(x.dtype) if linear.bias is not None else torch.zeros(2, dtype=x.dtype)
        w = weight[y] - weight[1 - y]  # (B, D)
        c = bias[y] - bias[1 - y]  # (B,)
        if norm == "linf":
            delta, drop = -eps * w.sign(), eps * w.abs().sum(1)  # (B, D), (B,)
        else:
            size = w.norm(dim=1, keepdim=True)  # (B, 1)
            delta, drop = -eps * w / size.clamp_min(1e-12), eps * size.squeeze(1)
        margin = (w * x).sum(1) + c - drop  # (B,)
        return LinearWorstCase(delta, margin, F.softplus(-margin))


# --------------------------------------------------------------------------- adversarial training
def adversarial_step(
    eps: float, norm: str, *, steps: int, step_size: float | None = None, generator: torch.Generator
) -> Callable[[nn.Module, Sequence[Tensor]], Tensor]:
    """A ``fit`` step for adversarial training, the robust objective of arXiv 2007.08489 (and arXiv 1706.06083):

      min_θ E_(x,y) max_{‖δ‖ ≤ ε} CE(f_θ(x + δ), y),

    the inner max by :func:`pgd_attack` (random start, ``steps`` steps, pixels clipped to [0, 1]),
    the outer min by the optimiser of ``fit``. eps = 0 is ordinary training (the standard source).
    batch = (x (B, *features), y (B,)) -> scalar batch-mean loss on the adversarial examples.
    """
    eps, norm = _check_eps(eps), _check_norm(norm)
    checks.nonnegative_int(steps, "steps")
    if step_size is not None:
        checks.positive_real(step_size, "step_size")
    checks.generator(generator)

    def step(model: nn.Module, batch: Sequence[Tensor]) -> Tensor:
        checks.function(model, "model")
        x, y = checks.batch(batch, 2, "(x, y)")[:2]
        x_adv = pgd_attack(model, x, y, eps=eps, norm=norm, steps=steps, step_size=step_size, generator=generator)
        return F.cross_entropy(model(x_adv), y)

    return step


def robust_accuracy(
    model: nn.Module,
    x: Tensor,
    y: Tensor,
    *,
    eps: float,
    norm: str,
    steps: int,
    step_size: float | None = None,
    generator: torch.Generator,
) -> float:
    """Accuracy of ``model`` on PGD examples at radius ε (random start, pixels clipped to [0, 1]).

    x: (B, *features) in [0, 1], y: (B,) -> fraction in [0, 1]. eps = 0 gives the clean accuracy.
    The model is put in eval mode.
    """
    checks.instance(model, "model", nn.Module, "a torch.nn.Module")
    _check_attack(x, y, eps, norm, steps, step_size, True)
    checks.generator(generator)
    model.eval()
    x_adv = pgd_attack(model, x, y, eps=eps, norm=norm, steps=steps, step_size=step_size, generator=generator)
    with torch.no_grad():
        return (model(x_adv).argmax(1) == y).float().mean().item()


# --------------------------------------------------------------------------- transfer (section 3)
def transfer_model(source: nn.Sequential, n_classes: int, *, mode: str, generator: torch.Generator) -> nn.Sequential:
    """A target model made from a trained source (arXiv 2007.08489: its two transfer modes).

    source: an ``nn.Sequential`` ending in its ``nn.Linear`` classifier (e.g. ``layers.mlp``). The copy keeps
    every layer but the last (the feature extractor) and adds a fresh linear head with ``n_classes`` outputs
    (drawn from ``generator`` like :func:`paperlib.layers.seeded_init_`).
      mode "fixed": the features are frozen (requires_grad False), so ``fit`` trains the head alone: a linear probe;
      mode "full":  every weight is fine-tuned. The source itself is left unchanged.
    Returns nn.Sequential(features, head): (B, D) -> (B, n_classes).
    """
    checks.instance(source, "source", nn.Sequential, "a torch.nn.Sequential ending in nn.Linear")
    if len(source) < 2 or not isinstance(source[-1], nn.Linear):
        last = type(source[-1]).__name__ if len(source) else "nothing"
        raise ValueError(f"source must be an nn.Sequential of at least 2 layers ending in nn.Linear, got {len(source)} ending in {last}")
    checks.positive_int(n_classes, "n_classes")
    checks.choice(mode, "mode", ("fixed", "full"))
    checks.generator(generator)
    features = copy.deepcopy(source[:-1])
    for p in features.parameters():
        p.requires_grad_(mode == "full")
    head = layers.seeded_init_(nn.Linear(source[-1].in_features, n_classes), generator)
    return nn.Sequential(features, head).to(next(source.parameters()).device)
