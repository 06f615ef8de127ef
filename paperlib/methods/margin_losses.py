"""Margin-based losses as functions of the agreement a = y * f(x) (JuliaML LossFunctions.jl).

Source: the margin-loss catalogue of LossFunctions.jl (docs "Margin-based Losses"); it is a
software reference, not a paper, so it has no arXiv id and its formulas are unnumbered. We
number them (M1)...(M11) in the order of ``LOSS_NAMES`` and the chapter uses those labels.
Background: Bartlett, Jordan & McAuliffe 2006 (classification calibration), Marron et al. 2007
(DWD), Zhang 2004 (modified Huber).

Every loss is elementwise: ``value(a)`` and ``deriv(a)`` take a float tensor of any shape
(e.g. ``(N,)`` agreements of a batch) and return a tensor of the same shape. Labels are
y in {-1, +1}; a > 0 means a correct sign, a >= 1 a correct sign with margin.

Each loss *declares* its properties (``loss.properties``, a ``Properties`` built with keywords);
the checkers below *measure* them on grids in float64, so tests and the chapter can compare the
two. ``LOSSFUNCTIONS_JL_TRAITS`` holds the traits LossFunctions.jl itself declares (transcribed
from its source), and ``trait_mismatches`` checks either table against the measurements.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import NamedTuple

import torch
from torch import Tensor, nn

from paperlib import checks, layers, metrics
from paperlib.data.planar import LabelledPoints
from paperlib.train import History, fit

# --------------------------------------------------------------------------------------------
# Declared properties
# --------------------------------------------------------------------------------------------

PROPERTY_NAMES = (
    "convex",
    "strictly_convex",
    "strongly_convex",
    "lipschitz",
    "locally_lipschitz",
    "differentiable",
    "twice_differentiable",
    "bounded",
    "calibrated",
    "clipable",
)

# Korean labels for tables and figures in the chapter.
PROPERTY_LABELS = {
    "convex": "볼록",
    "strictly_convex": "엄격 볼록",
    "strongly_convex": "강볼록",
    "lipschitz": "Lipschitz",
    "locally_lipschitz": "국소 Lipschitz",
    "differentiable": "미분 가능",
    "twice_differentiable": "두 번 미분 가능",
    "bounded": "유계",
    "calibrated": "분류-보정",
    "clipable": "clipable",
}


class Properties(NamedTuple):
    """Traits of a margin loss phi: R -> [0, inf) (all statements are about a in R).

    convex / strictly_convex / strongly_convex: phi'' >= 0 / > 0 without flat pieces / >= m > 0.
    lipschitz: |phi(a) - phi(b)| <= L |a - b| on all of R; locally_lipschitz: on every bounded set.
    differentiable / twice_differentiable: C^1 / C^2 on R (no kink, no jump of phi'').
    bounded: sup phi < inf. calibrated: classification-calibrated (Bartlett et al. 2006, Def. 1).
    clipable: phi(clip(a, -1, 1)) <= phi(a) for all a (clipping scores to [-1, 1] never hurts).

    Each loss states all ten with keywords, ``Properties(convex=True, strictly_convex=False, ...)``.
    The values follow the trait methods of LossFunctions.jl (src/losses/margin.jl, fallbacks in
    src/traits.jl) except four cells we measured otherwise (ZeroOne: lipschitz, locally_lipschitz,
    calibrated; DWDMargin: twice_differentiable); "bounded" is ours. See ``LOSSFUNCTIONS_JL_TRAITS``.
    """

    convex: bool
    strictly_convex: bool
    strongly_convex: bool
    lipschitz: bool
    locally_lipschitz: bool
    differentiable: bool
    twice_differentiable: bool
    bounded: bool
    calibrated: bool
    clipable: bool




# --------------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------------


def _check_agreement(a: Tensor) -> Tensor:
    return checks.tensor(a, "a (the agreement y*f(x))")


def _check_loss_parameter(value: object, name: str) -> float:
    """gamma and q lie in [1e-3, 100]: below, 1 / (2 gamma) is huge; above, DWD's q^q overflows a float
    (q > ~143) and the checkers' grids, which span the kink 1 - gamma, grow past their size limit."""
    return checks.real(value, name, low=checks.SCALE_MIN, high=100)


# grids of the checkers hold at most this many points (a finer one would exhaust memory)
_MAX_GRID = 10_000_000


def _check_grid(lo: object, hi: object, step: object) -> None:
    """lo < hi finite, and step in [(hi - lo) / 1e7, (hi - lo) / 2] (3 to 1e7 grid points)."""
    lo = checks.real(lo, "lo")
    hi = checks.real(hi, "hi", low=lo, low_open=True)
    checks.real(step, "step", low=(hi - lo) / _MAX_GRID, high=(hi - lo) / 2)


# --------------------------------------------------------------------------------------------
# The losses (M1)-(M11)
# --------------------------------------------------------------------------------------------


class MarginLoss:
    """A loss phi(a) of the agreement a = y * f(x) only (LossFunctions.jl, "MarginLoss").

    Subclasses implement ``_value`` and ``_deriv``; ``value``/``deriv`` validate the input.
    ``kinks``: the points where the formula switches branch (used for plots and grid windows).
    At a kink ``deriv`` returns one of the one-sided derivatives (stated per loss).
    """

    name: str = ""
    formula: str = ""  # LaTeX, for the chapter
    properties: Properties
    kinks: tuple[float, ...] = ()

    def value(self, a: Tensor) -> Tensor:
        """phi(a), elementwise; a: float tensor of any shape -> same shape."""
        return self._value(_check_agreement(a))

    def deriv(self, a: Tensor) -> Tensor:
        """phi'(a), elementwise (analytic); a: float tensor of any shape -> same shape."""
        return self._deriv(_check_agreement(a))

    __call__ = value

    def _value(self, a: Tensor) -> Tensor:  # pragma: no cover - abstract
        raise NotImplementedError

    def _deriv(self, a: Tensor) -> Tensor:  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class ZeroOneLoss(MarginLoss):
    """(M1) phi(a) = 1 if a < 0 else 0. Derivative 0 wherever it exists (a != 0)."""

    name = "ZeroOne"
    formula = r"\mathbb{1}[a < 0]"
    # Not calibrated with this tie rule: phi(0) = 0, so f = 0 scores a perfect loss (see chapter).
    # LossFunctions.jl declares islipschitzcont and isclasscalibrated true (and so locally Lipschitz).
    properties = Properties(
        convex=False, strictly_convex=False, strongly_convex=False, lipschitz=False,
        locally_lipschitz=False, differentiable=False, twice_differentiable=False, bounded=True,
        calibrated=False, clipable=True,
    )
    kinks = (0.0,)

    def _value(self, a):
        step = (a < 0).to(a.dtype)
        # A step has slope 0 wherever it has one. Keep a zero-gradient link to `a` so that
        # training with it runs (and shows that nothing moves); the value is unchanged.
        return step + 0.0 * a if a.requires_grad else step

    def _deriv(self, a):
        return torch.zeros_like(a)


class PerceptronLoss(MarginLoss):
    """(M2) phi(a) = max(0, -a). deriv: -1 for a < 0, 0 for a >= 0."""

    name = "Perceptron"
    formula = r"\max(0, -a)"
    properties = Properties(
        convex=True, strictly_convex=False, strongly_convex=False, lipschitz=True,
        locally_lipschitz=True, differentiable=False, twice_differentiable=False, bounded=False,
        calibrated=False, clipable=True,
    )
    kinks = (0.0,)

    def _value(self, a):
        return torch.clamp(-a, min=0)

    def _deriv(self, a):
        return torch.where(a < 0, -1.0, 0.0).to(a.dtype)


class L1HingeLoss(MarginLoss):
    """(M3) phi(a) = max(0, 1 - a). deriv: -1 for a < 1, 0 for a >= 1."""

    name = "L1Hinge"
    formula = r"\max(0, 1 - a)"
    properties = Properties(
        convex=True, strictly_convex=False, strongly_convex=False, lipschitz=True,
        locally_lipschitz=True, differentiable=False, twice_differentiable=False, bounded=False,
        calibrated=True, clipable=True,
    )
    kinks = (1.0,)

    def _value(self, a):
        return torch.clamp(1 - a, min=0)

    def _deriv(self, a):
        return torch.where(a < 1, -1.0, 0.0).to(a.dtype)


class SmoothedL1HingeLoss(MarginLoss):
    """(M4) phi(a) = max(0, 1 - a)^2 / (2 gamma) if a >= 1 - gamma, else 1 - gamma/2 - a.

    gamma > 0 is the width of the quadratic piece; gamma -> 0 recovers the L1 hinge.
    """

    name = "SmoothedL1Hinge"
    formula = r"\begin{cases}\frac{1}{2\gamma}\max(0, 1-a)^2 & a \ge 1-\gamma\\ 1-\frac{\gamma}{2}-a & \text{otherwise}\end{cases}"
    properties = Properties(
        convex=True, strictly_convex=False, strongly_convex=False, lipschitz=True,
        locally_lipschitz=True, differentiable=True, twice_differentiable=False, bounded=False,
        calibrated=True, clipable=True,
    )

    def __init__(self, gamma: float = 1.0):
        """gamma in [1e-3, 100]."""
        self.gamma = _check_loss_parameter(gamma, "gamma")
        self.kinks = (1.0 - self.gamma, 1.0)

    def _value(self, a):
        g = self.gamma
        quad = torch.clamp(1 - a, min=0) ** 2 / (2 * g)
        return torch.where(a >= 1 - g, quad, 1 - g / 2 - a)

    def _deriv(self, a):
        g = self.gamma
        return torch.where(a >= 1 - g, -torch.clamp(1 - a, min=0) / g, torch.full_like(a, -1.0))

    def __repr__(self) -> str:
        return f"SmoothedL1HingeLoss(gamma={self.gamma:g})"


class ModifiedHuberLoss(MarginLoss):
    """(M5) phi(a) = max(0, 1 - a)^2 if a >= -1, else -4a (Zhang 2004)."""

    name = "ModifiedHuber"
    formula = r"\begin{cases}\max(0, 1-a)^2 & a \ge -1\\ -4a & \text{otherwise}\end{cases}"
    properties = Properties(
        convex=True, strictly_convex=False, strongly_convex=False, lipschitz=True,
        locally_lipschitz=True, differentiable=True, twice_differentiable=False, bounded=False,
        calibrated=True, clipable=True,
    )
    kinks = (-1.0, 1.0)

    def _value(self, a):
        return torch.where(a >= -1, torch.clamp(1 - a, min=0) ** 2, -4 * a)

    def _deriv(self, a):
        return torch.where(a >= -1, -2 * torch.clamp(1 - a, min=0), torch.full_like(a, -4.0))


class DWDMarginLoss(MarginLoss):
    """(M6) phi(a) = 1 - a if a <= q/(q+1), else q^q / ((q+1)^(q+1) a^q) (Marron et al. 2007).

    q > 0. Both pieces meet with value 1/(q+1) and slope -1 at a* = q/(q+1); phi'' jumps there
    from 0 to (q+1)^2/q, so DWD is C^1 but not C^2.
    """

    name = "DWDMargin"
    formula = r"\begin{cases}1-a & a \le \frac{q}{q+1}\\ \frac{q^q}{(q+1)^{q+1}}\,a^{-q} & \text{otherwise}\end{cases}"
    # LossFunctions.jl declares istwicedifferentiable true; phi'' jumps at a* = q/(q+1), so not C^2.
    properties = Properties(
        convex=True, strictly_convex=False, strongly_convex=False, lipschitz=True,
        locally_lipschitz=True, differentiable=True, twice_differentiable=False, bounded=False,
        calibrated=True, clipable=False,
    )

    def __init__(self, q: float = 1.0):
        """q in [1e-3, 100] (q^q overflows above ~143)."""
        self.q = _check_loss_parameter(q, "q")
        self.kinks = (self.q / (self.q + 1),)

    def _value(self, a):
        q, t = self.q, self.kinks[0]
        safe = torch.clamp(a, min=t)  # the power branch never sees a <= 0 (no NaN in autograd)
        tail = q**q / (q + 1) ** (q + 1) * safe ** (-q)
        return torch.where(a <= t, 1 - a, tail)

    def _deriv(self, a):
        q, t = self.q, self.kinks[0]
        safe = torch.clamp(a, min=t)
        tail = -((q / (q + 1)) ** (q + 1)) * safe ** (-(q + 1))
        return torch.where(a <= t, torch.full_like(a, -1.0), tail)

    def __repr__(self) -> str:
        return f"DWDMarginLoss(q={self.q:g})"


class L2MarginLoss(MarginLoss):
    """(M7) phi(a) = (1 - a)^2: least squares on the margin; also punishes a > 1."""

    name = "L2Margin"
    formula = r"(1 - a)^2"
    properties = Properties(
        convex=True, strictly_convex=True, strongly_convex=True, lipschitz=False,
        locally_lipschitz=True, differentiable=True, twice_differentiable=True, bounded=False,
        calibrated=True, clipable=True,
    )

    def _value(self, a):
        return (1 - a) ** 2

    def _deriv(self, a):
        return 2 * (a - 1)


class L2HingeLoss(MarginLoss):
    """(M8) phi(a) = max(0, 1 - a)^2 (squared hinge)."""

    name = "L2Hinge"
    formula = r"\max(0, 1 - a)^2"
    properties = Properties(
        convex=True, strictly_convex=False, strongly_convex=False, lipschitz=False,
        locally_lipschitz=True, differentiable=True, twice_differentiable=False, bounded=False,
        calibrated=True, clipable=True,
    )
    kinks = (1.0,)

    def _value(self, a):
        return torch.clamp(1 - a, min=0) ** 2

    def _deriv(self, a):
        return -2 * torch.clamp(1 - a, min=0)


class SigmoidLoss(MarginLoss):
    """(M9) phi(a) = 1 - tanh(a), values in (0, 2); phi'(a) = -sech(a)^2 = tanh(a)^2 - 1."""

    name = "Sigmoid"
    formula = r"1 - \tanh(a)"
    properties = Properties(
        convex=False, strictly_convex=False, strongly_convex=False, lipschitz=True,
        locally_lipschitz=True, differentiable=True, twice_differentiable=True, bounded=True,
        calibrated=True, clipable=False,
    )

    def _value(self, a):
        return 1 - torch.tanh(a)

    def _deriv(self, a):
        return -1 / torch.cosh(a) ** 2


class LogitMarginLoss(MarginLoss):
    """(M10) phi(a) = log(1 + exp(-a)), computed as logaddexp(0, -a) (no overflow)."""

    name = "LogitMargin"
    formula = r"\log(1 + e^{-a})"
    properties = Properties(
        convex=True, strictly_convex=True, strongly_convex=False, lipschitz=True,
        locally_lipschitz=True, differentiable=True, twice_differentiable=True, bounded=False,
        calibrated=True, clipable=False,
    )

    def _value(self, a):
        return torch.logaddexp(torch.zeros_like(a), -a)

    def _deriv(self, a):
        return -torch.sigmoid(-a)  # = -1 / (1 + e^a)


class ExpLoss(MarginLoss):
    """(M11) phi(a) = exp(-a) (AdaBoost's loss); convex, but its slope is unbounded as a -> -inf."""

    name = "Exp"
    formula = r"e^{-a}"
    properties = Properties(
        convex=True, strictly_convex=True, strongly_convex=False, lipschitz=False,
        locally_lipschitz=True, differentiable=True, twice_differentiable=True, bounded=False,
        calibrated=True, clipable=False,
    )

    def _value(self, a):
        return torch.exp(-a)

    def _deriv(self, a):
        return -torch.exp(-a)


LOSSES: dict[str, type[MarginLoss]] = {
    cls.name: cls
    for cls in (
        ZeroOneLoss,
        PerceptronLoss,
        L1HingeLoss,
        SmoothedL1HingeLoss,
        ModifiedHuberLoss,
        DWDMarginLoss,
        L2MarginLoss,
        L2HingeLoss,
        SigmoidLoss,
        LogitMarginLoss,
        ExpLoss,
    )
}
LOSS_NAMES = tuple(LOSSES)


def make_loss(name: str, *, gamma: float = 1.0, q: float = 1.0) -> MarginLoss:
    """The registry: a loss by name (LossFunctions.jl names without the "Loss" suffix).

    gamma is used by SmoothedL1Hinge only, q by DWDMargin only; both must lie in [1e-3, 100] and
    are checked whatever the name.
    """
    checks.choice(name, "name", LOSS_NAMES)
    gamma = _check_loss_parameter(gamma, "gamma")
    q = _check_loss_parameter(q, "q")
    if name == "SmoothedL1Hinge":
        return SmoothedL1HingeLoss(gamma)
    if name == "DWDMargin":
        return DWDMarginLoss(q)
    return LOSSES[name]()


# --------------------------------------------------------------------------------------------
# Numerical property checkers (float64 grids)
# --------------------------------------------------------------------------------------------


def _check_loss(loss: object) -> MarginLoss:
    return checks.instance(loss, "loss", MarginLoss, "a MarginLoss (e.g. make_loss('Exp'))")


def _grid(lo: float, hi: float, step: float) -> Tensor:
    n = int(round((hi - lo) / step))
    return lo + step * torch.arange(n + 1, dtype=torch.float64)  # (n+1,)


def _window(loss: MarginLoss) -> tuple[float, float]:
    """[-5, 5] widened to hold every kink with 2 units to spare."""
    lo = min([-5.0] + [k - 2 for k in loss.kinks])
    hi = max([5.0] + [k + 2 for k in loss.kinks])
    return lo, hi


def second_differences(loss: MarginLoss, lo: float, hi: float, step: float) -> Tensor:
    """phi(a-h) - 2 phi(a) + phi(a+h) at the interior points of a grid on [lo, hi]: (n-1,).

    lo < hi; step in [(hi - lo) / 1e7, (hi - lo) / 2] (the grid holds 3 to 1e7 points).
    """
    _check_grid(lo, hi, step)
    v = _check_loss(loss).value(_grid(lo, hi, step))
    return v[:-2] - 2 * v[1:-1] + v[2:]


def is_convex(loss: MarginLoss) -> bool:
    """Convex iff every second difference is >= 0 (up to rounding) on a wide grid."""
    _check_loss(loss)
    lo, hi = _window(loss)
    a = _grid(2 * lo, 2 * hi, 1e-2)
    d2 = second_differences(loss, 2 * lo, 2 * hi, 1e-2)
    return bool((d2 >= -1e-10 * (1 + loss.value(a[1:-1]).abs())).all())


def is_strictly_convex(loss: MarginLoss) -> bool:
    """Strictly convex iff every second difference is > 0 (no straight or flat piece)."""
    _check_loss(loss)
    lo, hi = _window(loss)
    a = _grid(lo, hi, 1e-2)
    d2 = second_differences(loss, lo, hi, 1e-2)
    return bool((d2 > 1e-10 * (1 + loss.value(a[1:-1]).abs())).all())


def min_curvature(loss: MarginLoss, radius: float) -> float:
    """min over [-radius, radius] of the curvature estimate (phi(a-h) - 2phi(a) + phi(a+h)) / h^2.

    h = 1e-2, so radius must lie in [1e-2, 5e4] (the grid holds 3 to 1e7 points).
    """
    h = 1e-2
    _check_loss(loss)
    checks.real(radius, "radius", low=h, high=h * _MAX_GRID / 2)
    return (second_differences(loss, -radius, radius, h) / h**2).min().item()


def is_strongly_convex(loss: MarginLoss) -> bool:
    """Strongly convex iff the curvature stays >= m > 0 as the window grows 5x (10 -> 50)."""
    _check_loss(loss)
    m10, m50 = min_curvature(loss, 10.0), min_curvature(loss, 50.0)
    return m10 > 1e-6 and m50 > 0.5 * m10


def lipschitz_estimate(loss: MarginLoss, lo: float, hi: float, step: float) -> float:
    """max |phi(a + h) - phi(a)| / h over a grid on [lo, hi]: a lower bound of the Lipschitz constant.

    lo < hi; step in [(hi - lo) / 1e7, (hi - lo) / 2] (the grid holds 3 to 1e7 points).
    """
    _check_grid(lo, hi, step)
    v = _check_loss(loss).value(_grid(lo, hi, step))
    return ((v[1:] - v[:-1]).abs() / step).max().item()


def is_locally_lipschitz(loss: MarginLoss) -> bool:
    """Locally Lipschitz iff, on a bounded window, the slope estimate does not blow up as h -> h/100."""
    _check_loss(loss)
    lo, hi = _window(loss)
    coarse, fine = lipschitz_estimate(loss, lo, hi, 1e-2), lipschitz_estimate(loss, lo, hi, 1e-4)
    return fine <= 1.05 * coarse + 1e-9


def is_lipschitz(loss: MarginLoss) -> bool:
    """Lipschitz on R iff locally Lipschitz and the slope estimate does not grow when the window grows 10x."""
    _check_loss(loss)
    lo, hi = _window(loss)
    near, far = lipschitz_estimate(loss, lo, hi, 1e-2), lipschitz_estimate(loss, 10 * lo, 10 * hi, 1e-2)
    return is_locally_lipschitz(loss) and far <= 1.05 * near + 1e-9


def _derivative_jump(loss: MarginLoss, order: int, step: float) -> float:
    """Largest jump between difference quotients two grid cells apart (order 1: slopes, 2: curvatures)."""
    lo, hi = _window(loss)
    v = loss.value(_grid(lo, hi, step))
    d = (v[1:] - v[:-1]) / step  # slopes of the cells
    if order == 2:
        d = (d[1:] - d[:-1]) / step  # curvatures
    return (d[2:] - d[:-2]).abs().max().item()


def is_differentiable(loss: MarginLoss) -> bool:
    """C^1 iff left and right difference quotients agree: their largest jump shrinks with h.

    At a kink the left and right slopes differ by a fixed amount for every h (and a jump in
    phi makes the slope ~1/h), so the jump does not shrink; for a C^1 loss it is O(h).
    """
    _check_loss(loss)
    return _derivative_jump(loss, 1, 1e-4) <= 0.5 * _derivative_jump(loss, 1, 1e-3) + 1e-6


def is_twice_differentiable(loss: MarginLoss) -> bool:
    """C^2 iff the largest jump of second difference quotients shrinks with h (like ``is_differentiable``)."""
    _check_loss(loss)
    return _derivative_jump(loss, 2, 1e-4) <= 0.5 * _derivative_jump(loss, 2, 1e-3) + 1e-5


def is_bounded(loss: MarginLoss) -> bool:
    """Bounded iff the max over [-200, 200] is no larger than the max over [-20, 20]."""
    near = _check_loss(loss).value(_grid(-20, 20, 1e-2)).max().item()
    far = loss.value(_grid(-200, 200, 1e-2)).max().item()
    return far <= near * (1 + 1e-6) + 1e-9


class CalibrationGap(NamedTuple):
    """eta: (K,) class probabilities; gap: (K,) H^-(eta) - H(eta) (Bartlett et al. 2006, Def. 1)."""

    eta: Tensor
    gap: Tensor


def calibration_gap(loss: MarginLoss, eta: Tensor | None = None) -> CalibrationGap:
    """Bartlett, Jordan & McAuliffe 2006, Definition 1: H^-(eta) - H(eta) on a grid of alpha.

    C_eta(alpha) = eta phi(alpha) + (1 - eta) phi(-alpha); H = inf over all alpha, H^- = inf over
    the wrong sign alpha (2 eta - 1) <= 0 (alpha = 0 included). Calibrated iff gap > 0 for eta != 1/2.
    alpha grid: k * 1e-3 for k in [-10^4, 10^4] (holds alpha = 0 exactly).
    """
    _check_loss(loss)
    if eta is None:
        eta = torch.tensor([0.1, 0.2, 0.3, 0.4, 0.45, 0.55, 0.6, 0.7, 0.8, 0.9], dtype=torch.float64)
    checks.tensor(eta, "eta", shape=("K",))
    checks.values(eta, "eta", low=0, high=1, low_open=True, high_open=True)
    if (eta == 0.5).any():
        raise ValueError(f"eta must not hold 0.5 (every sign is right there), got {eta.tolist()}")
    eta = eta.to(torch.float64)
    alpha = torch.arange(-10_000, 10_001, dtype=torch.float64) * 1e-3  # (M,)
    c = eta[:, None] * loss.value(alpha)[None] + (1 - eta[:, None]) * loss.value(-alpha)[None]  # (K, M)
    wrong = alpha[None] * (2 * eta[:, None] - 1) <= 0  # (K, M)
    h_all = c.min(dim=1).values
    h_wrong = torch.where(wrong, c, torch.full_like(c, math.inf)).min(dim=1).values
    return CalibrationGap(eta, h_wrong - h_all)


def is_calibrated(loss: MarginLoss) -> bool:
    """Classification-calibrated iff the calibration gap is > 0 at every eta of the grid."""
    return bool((calibration_gap(loss).gap > 1e-6).all())


def is_clipable(loss: MarginLoss) -> bool:
    """phi(clip(a, -1, 1)) <= phi(a) on [-20, 20]: clipping the score to [-1, 1] never raises the loss."""
    _check_loss(loss)
    a = _grid(-20, 20, 1e-2)
    return bool((_check_loss(loss).value(a.clamp(-1, 1)) <= loss.value(a) + 1e-12).all())


CHECKERS: dict[str, Callable[[MarginLoss], bool]] = {
    "convex": is_convex,
    "strictly_convex": is_strictly_convex,
    "strongly_convex": is_strongly_convex,
    "lipschitz": is_lipschitz,
    "locally_lipschitz": is_locally_lipschitz,
    "differentiable": is_differentiable,
    "twice_differentiable": is_twice_differentiable,
    "bounded": is_bounded,
    "calibrated": is_calibrated,
    "clipable": is_clipable,
}


def measure_properties(loss: MarginLoss) -> Properties:
    """Every property of ``loss`` measured numerically (compare with ``loss.properties``)."""
    _check_loss(loss)
    return Properties(**{name: CHECKERS[name](loss) for name in PROPERTY_NAMES})


def property_mismatches(loss: MarginLoss) -> list[str]:
    """Names of the properties whose declared value disagrees with the measured one."""
    measured = measure_properties(loss)
    return [n for n in PROPERTY_NAMES if getattr(loss.properties, n) != getattr(measured, n)]


def trait_mismatches(loss: MarginLoss, declared: Mapping[str, bool]) -> list[str]:
    """Names of the traits in ``declared`` (trait name -> bool) that the numerical checks contradict.

    ``declared`` may hold any subset of PROPERTY_NAMES, e.g. a row of ``LOSSFUNCTIONS_JL_TRAITS``
    (which has no "bounded") or ``loss.properties._asdict()``.
    """
    _check_loss(loss)
    if not isinstance(declared, Mapping) or not set(declared) <= set(PROPERTY_NAMES):
        raise ValueError(f"declared must map trait names from {list(PROPERTY_NAMES)} to bools, got {declared!r}")
    return [n for n in PROPERTY_NAMES if n in declared and bool(declared[n]) != CHECKERS[n](loss)]


# --------------------------------------------------------------------------------------------
# The traits LossFunctions.jl itself declares (for comparison with ours)
# --------------------------------------------------------------------------------------------

# Julia trait function behind each of our property names. LossFunctions.jl has no boundedness
# trait, so "bounded" is ours alone and is missing from the upstream table below.
JULIA_TRAITS = {
    "convex": "isconvex", "strictly_convex": "isstrictlyconvex", "strongly_convex": "isstronglyconvex",
    "lipschitz": "islipschitzcont", "locally_lipschitz": "islocallylipschitzcont",
    "differentiable": "isdifferentiable", "twice_differentiable": "istwicedifferentiable",
    "calibrated": "isclasscalibrated", "clipable": "isclipable",
}
UPSTREAM_TRAIT_NAMES = tuple(JULIA_TRAITS)

# Source: JuliaML/LossFunctions.jl, src/losses/margin.jl (the trait methods written for each loss,
# e.g. `islipschitzcont(::ZeroOneLoss) = true`), with the fallbacks of src/traits.jl for the traits
# a loss does not define: isconvex -> isstrictlyconvex -> isstronglyconvex = false,
# isdifferentiable -> istwicedifferentiable = false, islipschitzcont = false,
# islocallylipschitzcont = isconvex || islipschitzcont, isclipable = false, and
# isclasscalibrated(::MarginLoss) = isconvex && isdifferentiable(loss, 0) && deriv(loss, 0) < 0.
# Read at commit e6865cd60af8978d73b7bb622dcf1d45262dff3b (June 2026). Where these differ from our
# ``properties`` (ZeroOne: lipschitz, locally_lipschitz, calibrated; DWDMargin: twice_differentiable),
# the chapter explains why we declare otherwise.
LOSSFUNCTIONS_JL_TRAITS: dict[str, dict[str, bool]] = {
    "ZeroOne": dict(
        convex=False, strictly_convex=False, strongly_convex=False, lipschitz=True,
        locally_lipschitz=True, differentiable=False, twice_differentiable=False,
        calibrated=True, clipable=True,
    ),
    "Perceptron": dict(
        convex=True, strictly_convex=False, strongly_convex=False, lipschitz=True,
        locally_lipschitz=True, differentiable=False, twice_differentiable=False,
        calibrated=False, clipable=True,
    ),
    "L1Hinge": dict(
        convex=True, strictly_convex=False, strongly_convex=False, lipschitz=True,
        locally_lipschitz=True, differentiable=False, twice_differentiable=False,
        calibrated=True, clipable=True,
    ),
    "SmoothedL1Hinge": dict(
        convex=True, strictly_convex=False, strongly_convex=False, lipschitz=True,
        locally_lipschitz=True, differentiable=True, twice_differentiable=False,
        calibrated=True, clipable=True,
    ),
    "ModifiedHuber": dict(
        convex=True, strictly_convex=False, strongly_convex=False, lipschitz=True,
        locally_lipschitz=True, differentiable=True, twice_differentiable=False,
        calibrated=True, clipable=True,
    ),
    "DWDMargin": dict(
        convex=True, strictly_convex=False, strongly_convex=False, lipschitz=True,
        locally_lipschitz=True, differentiable=True, twice_differentiable=True,
        calibrated=True, clipable=False,
    ),
    "L2Margin": dict(
        convex=True, strictly_convex=True, strongly_convex=True, lipschitz=False,
        locally_lipschitz=True, differentiable=True, twice_differentiable=True,
        calibrated=True, clipable=True,
    ),
    "L2Hinge": dict(
        convex=True, strictly_convex=False, strongly_convex=False, lipschitz=False,
        locally_lipschitz=True, differentiable=True, twice_differentiable=False,
        calibrated=True, clipable=True,
    ),
    "Sigmoid": dict(
        convex=False, strictly_convex=False, strongly_convex=False, lipschitz=True,
        locally_lipschitz=True, differentiable=True, twice_differentiable=True,
        calibrated=True, clipable=False,
    ),
    "LogitMargin": dict(
        convex=True, strictly_convex=True, strongly_convex=False, lipschitz=True,
        locally_lipschitz=True, differentiable=True, twice_differentiable=True,
        calibrated=True, clipable=False,
    ),
    "Exp": dict(
        convex=True, strictly_convex=True, strongly_convex=False, lipschitz=False,
        locally_lipschitz=True, differentiable=True, twice_differentiable=True,
        calibrated=True, clipable=False,
    ),
}


# --------------------------------------------------------------------------------------------
# Toy data and a linear classifier trained with paperlib.train.fit
# --------------------------------------------------------------------------------------------


class LinearScorer(nn.Module):
    """f(x) = w . x + b. x: (N, D) -> scores (N,). Weights start small, drawn from ``generator``."""

    def __init__(self, dim: int = 2, *, generator: torch.Generator):
        super().__init__()
        checks.positive_int(dim, "dim")
        self.linear = layers.small_linear(dim, 1, std=0.01, generator=generator)

    def forward(self, x: Tensor) -> Tensor:
        checks.tensor(x, "x", shape=("N", self.linear.in_features))
        return self.linear(x).squeeze(1)  # (N, 1) -> (N,)


def _check_points(data: object) -> LabelledPoints:
    return checks.instance(data, "data", LabelledPoints, "a LabelledPoints (from paperlib.data.outlier_blobs)")


def margin_step(loss: MarginLoss) -> Callable[[nn.Module, list[Tensor]], Tensor]:
    """step_fn for ``fit``: batch (x (B, D), y (B,) in {-1, +1}) -> mean phi(y * f(x))."""
    _check_loss(loss)

    def step(model: nn.Module, batch: list[Tensor]) -> Tensor:
        x, y = checks.batch(batch, 2, "(x, y)")[:2]
        return loss.value(y * model(x)).mean()

    return step


class Trained(NamedTuple):
    """A classifier trained by ``train_linear``: the model and its History."""

    model: LinearScorer
    history: History


def train_linear(
    loss: MarginLoss,
    data: LabelledPoints,
    *,
    generator: torch.Generator,
    epochs: int = 200,
    lr: float = 0.05,
    progress: bool = False,
    desc: str = "학습",
) -> Trained:
    """Full-batch Adam on mean phi(y f(x)) for a LinearScorer, via ``paperlib.train.fit``."""
    _check_loss(loss)
    _check_points(data)
    model = LinearScorer(data.x.shape[1], generator=generator)
    history = fit(
        model, margin_step(loss), (data.x, data.y), epochs=epochs, batch_size=len(data.x),
        generator=generator, lr=lr, progress=progress, desc=desc,
    )
    return Trained(model, history)


def sign_accuracy(model: nn.Module, data: LabelledPoints) -> float:
    """Fraction of points with sign(f(x)) == y, via ``metrics.accuracy`` on logits [-f, f]: (N, 2)."""
    checks.function(model, "model")
    _check_points(data)
    with torch.no_grad():
        f = model(data.x)  # (N,)
    return metrics.accuracy(torch.stack([-f, f], dim=1), (data.y > 0).long())
