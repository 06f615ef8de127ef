"""Knowledge distillation (Hinton, Vinyals & Dean 2015, arXiv 1503.02531).

    softmax_t                 eq. (1): q_i = exp(z_i / T) / sum_j exp(z_j / T)
    distillation_loss         section 2: alpha * T^2 * CE(p_T, q_T) + (1 - alpha) * CE(y, q_1)
    TeacherEnsemble           section 1/3: soft targets = mean of the members' T-softmax outputs
    soft_ce_grad              eq. (2): dC/dz_i = (1/T) (q_i - p_i)
    logit_matching_grad       eq. (4): dC/dz_i ~ (1 / (N T^2)) (z_i - v_i) for zero-mean logits
    shift_class_bias          section 3: raise the omitted class's bias (the paper's +3.5 for 3s)
    best_bias_shift           pick that constant by overall accuracy on a labelled split

Shapes: logits and probabilities are (B, C) with the batch first; labels are (B,) int64.
Cross-entropies are averaged over the batch (reduction "mean").
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from paperlib import checks

__all__ = [
    "softmax_t",
    "soft_cross_entropy",
    "DistillLoss",
    "distillation_loss",
    "TeacherEnsemble",
    "soft_ce_grad",
    "logit_matching_grad",
    "distill_step",
    "shift_class_bias",
    "BiasSearch",
    "best_bias_shift",
]


# --------------------------------------------------------------------------- checks
def _check_temperature(T: float) -> float:
    """T in [1e-3, 1e6] (``checks.scale``): z / T overflows into NaN below, T^2 overflows above."""
    return checks.scale(T, "T (temperature)")


def _check_alpha(alpha: float) -> float:
    return checks.real(alpha, "alpha", low=0, high=1)


# --------------------------------------------------------------------------- eq. (1)
def softmax_t(logits: Tensor, T: float) -> Tensor:
    """Softmax with temperature, arXiv 1503.02531 eq. (1): q_i = exp(z_i/T) / sum_j exp(z_j/T).

    logits: (B, C) -> probabilities (B, C). T = 1 is the ordinary softmax; a larger T gives a
    softer distribution over the classes (T -> inf tends to uniform). T must lie in [1e-3, 1e6]:
    a smaller T overflows z / T into NaN (every temperature of this module has that range).
    """
    checks.tensor(logits, "logits", dim=2, shape="(B, C)")
    T = _check_temperature(T)
    return torch.softmax(logits / T, dim=1)


def soft_cross_entropy(student_logits: Tensor, soft_targets: Tensor, T: float) -> Tensor:
    """Cross-entropy with soft targets at temperature T, arXiv 1503.02531 section 2.

    C = -(1/B) sum_b sum_i p_bi log q_bi, with q = softmax_t(student_logits, T) and p the
    teacher's soft targets (already computed at the same T). Shapes: both (B, C) -> scalar.
    Note: its gradient w.r.t. the logits is eq. (2), so it shrinks like 1/T^2 at high T.
    """
    checks.same_shape(student_logits, soft_targets, "student_logits", "soft_targets", dim=2, shape="(B, C)")
    T = _check_temperature(T)
    checks.probabilities(soft_targets, "soft_targets")
    log_q = torch.log_softmax(student_logits / T, dim=1)  # (B, C)
    return -(soft_targets * log_q).sum(dim=1).mean()


# --------------------------------------------------------------------------- section 2 objective
class DistillLoss(NamedTuple):
    """The distillation objective of arXiv 1503.02531 section 2: ``total = alpha * soft + (1 - alpha) * hard``.

    soft: T^2 * CE(teacher soft targets at T, student at T) (already multiplied by T^2);
    hard: CE(true labels, student at T = 1). All three are scalars (batch means).
    """

    total: Tensor
    soft: Tensor
    hard: Tensor


def distillation_loss(
    student_logits: Tensor,
    soft_targets: Tensor,
    labels: Tensor,
    *,
    T: float,
    alpha: float,
) -> DistillLoss:
    """The distillation objective of arXiv 1503.02531 section 2 (soft term scaled by T^2).

    total = alpha * T^2 * CE(p_T, q_T) + (1 - alpha) * CE(y, q_1)

    student_logits: (B, C) logits z of the small model; soft_targets: (B, C) the teacher's
    probabilities p_T at temperature T (e.g. ``TeacherEnsemble.soft_targets(x, T)``);
    labels: (B,) int64 true classes. alpha in [0, 1] weights the soft term (alpha = 1: soft
    targets only; alpha = 0: ordinary training on hard labels). The factor T^2 keeps the soft
    term's gradients the same size when T changes, because eq. (2) scales them by 1/T^2.
    """
    checks.same_shape(student_logits, soft_targets, "student_logits", "soft_targets", dim=2, shape="(B, C)")
    T = _check_temperature(T)
    alpha = _check_alpha(alpha)
    checks.labels(labels, *student_logits.shape)
    soft = T**2 * soft_cross_entropy(student_logits, soft_targets, T)  # scaled soft term
    hard = F.cross_entropy(student_logits, labels.long())  # student at T = 1
    return DistillLoss(alpha * soft + (1.0 - alpha) * hard, soft, hard)


# --------------------------------------------------------------------------- teacher ensemble
class TeacherEnsemble(nn.Module):
    """The cumbersome model of arXiv 1503.02531 section 1: an ensemble of independently trained nets.

    ``soft_targets(x, T)`` is the arithmetic mean of the members' T-softmax outputs (the
    paper's "arithmetic or geometric mean"; we use the arithmetic one): (B, D) -> (B, C).
    ``forward(x)`` returns the log of the members' mean T=1 probabilities, so ``argmax`` is the
    ensemble's prediction and ``softmax(forward(x))`` equals ``soft_targets(x, 1)``.
    """

    def __init__(self, members: Sequence[nn.Module]):
        super().__init__()
        members = checks.sequence(
            members, "members", lambda m, name: checks.instance(m, name, nn.Module, "a torch.nn.Module"), what="nn.Modules"
        )
        self.members = nn.ModuleList(members)

    def member_logits(self, x: Tensor) -> Tensor:
        """Every member's logits, stacked: (M, B, C). x: the members' input, batch first."""
        checks.tensor(x, "x", shape=("B", "*features"))
        return torch.stack([m(x) for m in self.members])  # (M, B, C)

    def soft_targets(self, x: Tensor, T: float) -> Tensor:
        """Mean of the members' softmax_t outputs at temperature T: (B, C)."""
        T = _check_temperature(T)
        return torch.softmax(self.member_logits(x) / T, dim=2).mean(dim=0)  # (B, C)

    def forward(self, x: Tensor) -> Tensor:
        return torch.log(self.soft_targets(x, 1.0).clamp_min(1e-30))  # (B, C)


# --------------------------------------------------------------------------- eqs. (2) and (4)
def soft_ce_grad(student_logits: Tensor, teacher_logits: Tensor, T: float) -> Tensor:
    """Analytic gradient of the soft cross-entropy, arXiv 1503.02531 eq. (2).

    dC/dz_i = (1/T) (q_i - p_i), q = softmax_t(z, T), p = softmax_t(v, T), for each example's
    own loss C_b = -sum_i p_bi log q_bi (no batch mean, no T^2 factor).
    student_logits z: (B, C); teacher_logits v: (B, C) -> gradient (B, C).
    """
    checks.same_shape(student_logits, teacher_logits, "student_logits", "teacher_logits", dim=2, shape="(B, C)")
    T = _check_temperature(T)
    return (softmax_t(student_logits, T) - softmax_t(teacher_logits, T)) / T


def logit_matching_grad(student_logits: Tensor, teacher_logits: Tensor, T: float) -> Tensor:
    """High-temperature approximation of eq. (2), arXiv 1503.02531 eq. (4).

    dC/dz_i ~ (1 / (N T^2)) (z_i - v_i), N = number of classes. Valid when T is large compared
    with the logits *and* each row of z and v has zero mean (the paper's assumption; this
    function does not centre them, so pass centred logits). It is the gradient of
    (1 / (2 N T^2)) sum_i (z_i - v_i)^2: distillation at high T is logit matching (Caruana's
    method). Shapes: (B, C), (B, C) -> (B, C).
    """
    checks.same_shape(student_logits, teacher_logits, "student_logits", "teacher_logits", dim=2, shape="(B, C)")
    T = _check_temperature(T)
    n_classes = student_logits.shape[1]
    return (student_logits - teacher_logits) / (n_classes * T**2)


# --------------------------------------------------------------------------- models and steps for fit
def distill_step(T: float, alpha: float) -> Callable[[nn.Module, Sequence[Tensor]], Tensor]:
    """A ``fit`` step for the distillation objective of arXiv 1503.02531 section 2.

    batch = (x (B, D), y (B,), soft_targets (B, C)).

    The soft targets are precomputed once from the teacher at the same T (they do not change
    during training); the step returns ``distillation_loss(...).total``.
    """
    T = _check_temperature(T)
    alpha = _check_alpha(alpha)

    def step(model: nn.Module, batch: Sequence[Tensor]) -> Tensor:
        x, y, soft = checks.batch(batch, 3, "(x, y, soft_targets)")[:3]
        return distillation_loss(model(x), soft, y, T=T, alpha=alpha).total

    return step


# --------------------------------------------------------------------------- omitted class (section 3)
def shift_class_bias(model: nn.Module, cls: int, delta: float) -> nn.Module:
    """Omitted-class bias fix, arXiv 1503.02531 section 3: copy ``model``, raise class ``cls``'s bias by ``delta``.

    The paper's student never saw a 3; its bias for class 3 came out too low, and raising it by
    3.5 fixed most errors on 3s. The model's last ``nn.Linear`` (with a bias) must be its output
    layer; the original model is left unchanged. Adds ``delta`` to logit ``cls`` for every input.
    """
    checks.instance(model, "model", nn.Module, "a torch.nn.Module")
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    if not linears or linears[-1].bias is None:
        raise ValueError("model must end in an nn.Linear with a bias (its output layer)")
    n_classes = linears[-1].out_features
    checks.integer(cls, "cls (a class index)", low=0, high=n_classes - 1)
    delta = checks.real(delta, "delta")
    fixed = copy.deepcopy(model)
    out = [m for m in fixed.modules() if isinstance(m, nn.Linear)][-1]
    with torch.no_grad():
        out.bias[cls] += delta
    return fixed


class BiasSearch(NamedTuple):
    """What ``best_bias_shift`` returns: the chosen shift and the accuracy of every candidate."""

    delta: float
    accuracies: Tensor  # (K,) overall accuracy for each candidate shift


def best_bias_shift(logits: Tensor, labels: Tensor, cls: int, deltas: Sequence[float]) -> BiasSearch:
    """Bias shift for the omitted class (arXiv 1503.02531 section 3) that maximises overall accuracy.

    Tries every shift in ``deltas`` on class ``cls``'s logit.

    The paper picked +3.5 on MNIST as the value that "optimizes overall performance"; pick it
    on a labelled split that is not the test set. logits: (B, C); labels: (B,); deltas: K
    candidates. Ties go to the smallest shift.
    """
    checks.tensor(logits, "logits", dim=2, shape="(B, C)")
    checks.labels(labels, *logits.shape)
    n_classes = logits.shape[1]
    checks.integer(cls, "cls (a class index)", low=0, high=n_classes - 1)
    deltas = checks.sequence(deltas, "deltas", checks.real, what="numbers")
    accs = []
    for d in deltas:
        shifted = logits.clone()
        shifted[:, cls] += d
        accs.append((shifted.argmax(dim=1) == labels).float().mean())
    accs_t = torch.stack(accs)  # (K,)
    best = max(range(len(deltas)), key=lambda k: (accs_t[k].item(), -deltas[k]))
    return BiasSearch(deltas[best], accs_t)
