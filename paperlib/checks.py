"""Input checks shared by paperlib's public functions.

Bad input gets a ``TypeError`` (wrong kind of object) or ``ValueError`` (wrong shape or
range) whose message names the argument, what was expected and what was given.

Floating-point tensors must be finite: NaN and inf are rejected (``finite=False`` opts out),
so that a corrupt input or a diverged model raises here instead of becoming a plausible score.
Shapes are tuples: an int is an exact size, a str names a free dimension and one ``"*name"``
stands for any number of dimensions, e.g. ``("N", 4)`` or ``("B", 8, "*grid")``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from numbers import Real

import torch
from torch import Tensor

Shape = tuple[int | str, ...]

# Temperatures and standard deviations (``scale``) must lie in [SCALE_MIN, SCALE_MAX]: outside it
# float32 arithmetic such as z / T, T ** 2 or (x - mu) / sigma under- or overflows (1e-40 -> NaN).
SCALE_MIN, SCALE_MAX = 1e-3, 1e6


def _shape_text(spec: Shape) -> str:
    return "(" + ", ".join(map(str, spec)) + (",)" if len(spec) == 1 else ")")


def _fits(got: tuple[int, ...], spec: Shape) -> bool:
    stars = [i for i, s in enumerate(spec) if isinstance(s, str) and s.startswith("*")]
    if stars:
        head, tail = spec[: stars[0]], spec[stars[0] + 1 :]
        if len(got) < len(head) + len(tail):
            return False
        pairs = list(zip(head, got)) + list(zip(tail, got[len(got) - len(tail) :]))
    elif len(got) != len(spec):
        return False
    else:
        pairs = list(zip(spec, got))
    return all(isinstance(s, str) or s == n for s, n in pairs)


def tensor(
    x: object,
    name: str,
    *,
    dim: int | None = None,
    shape: str | Shape | None = None,
    floating: bool = True,
    finite: bool = True,
    dtype: torch.dtype | None = None,
) -> Tensor:
    """``x`` must be a (floating-point) tensor of the given shape, without NaN or inf.

    shape: a tuple such as ``("N", 4)`` (see the module docstring), or with ``dim`` a str naming
    the dimensions, e.g. ``dim=2, shape="(B, C)"``. finite: floating-point values must be finite
    (integer and bool tensors always are). floating=False also accepts integer and bool tensors;
    dtype: exactly this dtype (e.g. ``torch.bool``).
    """
    if not isinstance(x, Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(x).__name__}")
    if dtype is not None and x.dtype != dtype:
        raise TypeError(f"{name} must be a {dtype} tensor, got {x.dtype}")
    if floating and dtype is None and not x.is_floating_point():
        raise TypeError(f"{name} must be a floating-point tensor, got {x.dtype}")
    if isinstance(shape, tuple):
        if not _fits(tuple(x.shape), shape):
            raise ValueError(f"{name} must have shape {_shape_text(shape)}, got {tuple(x.shape)}")
    elif dim is not None and x.dim() != dim:
        raise ValueError(f"{name} must have shape {shape or f'with {dim} dimensions'}, got {tuple(x.shape)}")
    if finite and x.is_floating_point() and not _finite(x):
        bad = int((~torch.isfinite(x.detach())).sum())
        raise ValueError(f"{name} must be finite (no NaN or inf), got {bad} non-finite of {x.numel()} values")
    return x


def _extremes(x: Tensor) -> tuple[float, float]:
    """(min, max) of a non-empty tensor in one pass; a NaN anywhere makes both NaN."""
    lo, hi = torch.aminmax(x.detach())
    return lo.item(), hi.item()


def _finite(x: Tensor) -> bool:
    """No NaN or inf (min and max are finite; cheaper than ``isfinite(x).all()``)."""
    return x.numel() == 0 or all(math.isfinite(v) for v in _extremes(x))


def same_shape(
    a: Tensor,
    b: Tensor,
    name_a: str,
    name_b: str,
    *,
    dim: int | None = None,
    shape: str | Shape | None = None,
    floating: bool = True,
    finite: bool = True,
) -> None:
    """Both tensors pass :func:`tensor` and have equal shapes."""
    tensor(a, name_a, dim=dim, shape=shape, floating=floating, finite=finite)
    tensor(b, name_b, dim=dim, shape=shape, floating=floating, finite=finite)
    if a.shape != b.shape:
        raise ValueError(f"{name_b} must have the shape of {name_a} {tuple(a.shape)}, got {tuple(b.shape)}")


def real(
    value: object,
    name: str,
    *,
    low: float = -math.inf,
    high: float = math.inf,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """A finite real number in the interval given by ``low``/``high`` (closed unless ``*_open``)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not (math.isfinite(value) and _inside(value, value, low, high, low_open, high_open)):
        raise ValueError(f"{name} must be {_interval(low, high, low_open, high_open)}, got {value!r}")
    return value


def _num(v: float) -> str:
    return str(v) if isinstance(v, int) else f"{v:g}"


def _bounds(low: float | None, high: float | None, low_open: bool = False, high_open: bool = False) -> str:
    """ "in [0, 1]", ">= 0", "< 1" ... (None or an infinite bound means unbounded on that side)."""
    has_low, has_high = low is not None and not math.isinf(low), high is not None and not math.isinf(high)
    if has_low and has_high:
        return f"in {'(' if low_open else '['}{_num(low)}, {_num(high)}{')' if high_open else ']'}"
    if has_low:
        return f"{'>' if low_open else '>='} {_num(low)}"
    if has_high:
        return f"{'<' if high_open else '<='} {_num(high)}"
    return "any value"


def _inside(lo: object, hi: object, low: float, high: float, low_open: bool, high_open: bool) -> bool:
    """Whether [lo, hi] (a number: lo = hi) lies in the interval from low to high (closed unless ``*_open``)."""
    above = lo > low if low_open else lo >= low
    below = hi < high if high_open else hi <= high
    return bool(above and below)


def _interval(low: float, high: float, low_open: bool, high_open: bool) -> str:
    if math.isinf(low) and math.isinf(high):
        return "a finite number"
    if math.isinf(high):
        return f"a finite number {_bounds(low, high, low_open, high_open)}"
    return _bounds(low, high, low_open, high_open)


def positive_real(value: object, name: str) -> float:
    """A finite real number > 0."""
    return real(value, name, low=0, low_open=True)


def scale(value: object, name: str) -> float:
    """A temperature or standard deviation: a real number in [SCALE_MIN, SCALE_MAX] = [1e-3, 1e6].

    Smaller or larger values make float32 arithmetic such as ``z / T``, ``T ** 2`` or
    ``(x - mu) / sigma`` under- or overflow (T = 1e-40 turns a softmax into NaN).
    """
    return real(value, name, low=SCALE_MIN, high=SCALE_MAX)


def integer(
    value: object,
    name: str,
    *,
    low: int | None = None,
    high: int | None = None,
    multiple_of: int | None = None,
    what: str = "an int",
) -> int:
    """An int (bools rejected) in [low, high] (either bound optional), a multiple of ``multiple_of`` if given."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be {what}, got {type(value).__name__}")
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be {what} ({_bounds(low, high)}), got {value!r}")
    if multiple_of is not None and value % multiple_of:
        raise ValueError(f"{name} must be a multiple of {multiple_of}, got {value!r}")
    return value


def positive_int(value: object, name: str) -> int:
    """An int >= 1 (bools rejected)."""
    return integer(value, name, low=1, what="a positive int")


def nonnegative_int(value: object, name: str) -> int:
    """An int >= 0 (bools rejected)."""
    return integer(value, name, low=0, what="a non-negative int")


def odd_int(value: object, name: str) -> int:
    """An odd int >= 1 (a kernel or window size with a centre)."""
    integer(value, name, low=1, what="an odd positive int")
    if value % 2 == 0:
        raise ValueError(f"{name} must be an odd positive int, got {value!r}")
    return value


def generator(g: object, *, optional: bool = False) -> torch.Generator | None:
    """A ``torch.Generator`` (or None when ``optional``)."""
    if g is None and optional:
        return None
    if not isinstance(g, torch.Generator):
        expected = "a torch.Generator or None" if optional else "a torch.Generator"
        raise TypeError(f"generator must be {expected}, got {type(g).__name__}")
    return g


def labels(y: object, n: int, n_classes: int | None = None, name: str = "labels") -> Tensor:
    """Integer class labels of shape (n,), each in [0, n_classes) (>= 0 when n_classes is None)."""
    return integer_tensor(y, name, shape=(n,), low=0, high=None if n_classes is None else n_classes - 1)


def binary_mask(mask: object, name: str, *, dim: int = 3, shape: str = "(B, H, W)") -> Tensor:
    """A tensor of 0s and 1s (any dtype) with ``dim`` dimensions."""
    tensor(mask, name, dim=dim, shape=shape, floating=False, finite=False)
    if mask.numel() and not ((mask == 0) | (mask == 1)).all():
        raise ValueError(f"{name} must be a binary mask (only 0 and 1), got values in [{mask.min().item()}, {mask.max().item()}]")
    return mask


def probabilities(p: Tensor, name: str) -> Tensor:
    """Rows of non-negative numbers summing to 1 (softmax outputs), shape (N, C)."""
    tensor(p, name, dim=2, shape="(N, C)")
    if (p < 0).any() or not torch.allclose(p.sum(1), torch.ones(len(p), dtype=p.dtype), atol=1e-4):
        raise ValueError(f"{name} must be probabilities: non-negative rows summing to 1 (pass softmax outputs)")
    return p


def values(
    t: Tensor,
    name: str,
    *,
    low: float = -math.inf,
    high: float = math.inf,
    low_open: bool = False,
    high_open: bool = False,
    integral: bool = False,
) -> Tensor:
    """Every value of the tensor ``t`` lies in the interval (closed unless ``*_open``); whole numbers if ``integral``."""
    if t.numel() == 0:
        return t
    lo, hi = _extremes(t)
    if not _inside(lo, hi, low, high, low_open, high_open):
        raise ValueError(f"{name} must lie {_bounds(low, high, low_open, high_open)}, got values in [{_num(lo)}, {_num(hi)}]")
    if integral and not torch.equal(t, t.round()):
        raise ValueError(f"{name} must hold whole numbers, got {t[t != t.round()][0].item():g}")
    return t


def integer_tensor(t: object, name: str, *, shape: Shape | None = None, low: int | None = None, high: int | None = None) -> Tensor:
    """An int64/int32 tensor of the given shape whose values lie in [low, high] (either bound optional)."""
    tensor(t, name, floating=False)
    if t.dtype not in (torch.int64, torch.int32):
        raise TypeError(f"{name} must be an integer tensor, got {t.dtype}")
    tensor(t, name, shape=shape, floating=False)
    return values(t, name, low=-math.inf if low is None else low, high=math.inf if high is None else high)


def boxes(b: object, name: str, *, positive: bool = False) -> Tensor:
    """Finite (N, 4) xyxy boxes with x2 >= x1 and y2 >= y1 (``positive``: strictly, i.e. non-empty boxes)."""
    tensor(b, name, shape=("N", 4))
    if len(b):
        wh = b[:, 2:] - b[:, :2]  # (N, 2) widths and heights
        smallest = _extremes(wh)[0]
        if smallest <= 0 if positive else smallest < 0:
            bad = (wh <= 0) if positive else (wh < 0)
            i = int(bad.any(1).nonzero()[0, 0])
            rule = "x2 > x1 and y2 > y1 (positive widths and heights)" if positive else "x2 >= x1 and y2 >= y1"
            raise ValueError(f"{name} must be xyxy boxes with {rule}, got box {i} = {[round(v, 4) for v in b[i].tolist()]}")
    return b


def sequence(
    items: object,
    name: str,
    item: Callable[[object, str], object] | None = None,
    *,
    length: int | None = None,
    min_length: int = 1,
    what: str = "values",
) -> list:
    """A list or tuple of ``length`` (or at least ``min_length``) items, each passing ``item(v, name[i])``.

    A tensor or array counts as the sequence of its rows (a 1-D one as a list of numbers).
    """
    if isinstance(items, Tensor) or type(items).__module__ == "numpy":
        if items.ndim == 0:
            raise TypeError(f"{name} must be a sequence of {what}, got a 0-d {type(items).__name__}")
        items = items.tolist() if items.ndim == 1 else list(items)
    elif isinstance(items, (str, bytes)) or not isinstance(items, Sequence):
        raise TypeError(f"{name} must be a sequence (list or tuple) of {what}, got {type(items).__name__}")
    items = list(items)
    if length is not None and len(items) != length:
        raise ValueError(f"{name} must hold {length} {what}, got {len(items)}: {items!r}")
    if len(items) < min_length:
        at_least = "a non-empty sequence of" if min_length == 1 else f"at least {min_length}"
        raise ValueError(f"{name} must be {at_least} {what}, got {len(items)}: {items!r}")
    return [item(v, f"{name}[{i}]") for i, v in enumerate(items)] if item else items


def choice(value: object, name: str, options: Sequence[str]) -> str:
    """One of the strings ``options``."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, one of {list(options)}, got {type(value).__name__}")
    if value not in options:
        raise ValueError(f"{name} must be one of {list(options)}, got {value!r}")
    return value


def instance(value: object, name: str, cls: type | tuple[type, ...], what: str | None = None) -> object:
    """An instance of ``cls``; ``what`` describes it in the message (default "a module.Class")."""
    if not isinstance(value, cls):
        raise TypeError(f"{name} must be {what or f'a {cls.__module__}.{cls.__qualname__}'}, got {type(value).__name__}")
    return value


def boolean(value: object, name: str) -> bool:
    """True or False (not 0/1, not a string)."""
    return instance(value, name, bool, "a bool (True or False)")


def string(value: object, name: str, *, nonempty: bool = False) -> str:
    """A str (non-empty if asked)."""
    instance(value, name, str, "a non-empty str" if nonempty else "a str")
    if nonempty and not value:
        raise ValueError(f"{name} must be a non-empty str, got ''")
    return value


def function(value: object, name: str) -> Callable:
    """Something callable (a function, a lambda, a module...)."""
    if not callable(value):
        raise TypeError(f"{name} must be callable, got {type(value).__name__}")
    return value


def batch(b: object, n: int, what: str) -> Sequence[Tensor]:
    """A ``fit`` mini-batch: a tuple or list of at least ``n`` tensors, laid out as ``what`` (e.g. "(x, y)")."""
    if not isinstance(b, (tuple, list)) or not all(isinstance(t, Tensor) for t in b):
        raise TypeError(f"batch must be a tuple or list of tensors {what}, got {type(b).__name__}")
    if len(b) < n:
        raise ValueError(f"batch must hold {what}: at least {n} tensors, got {len(b)}")
    return b
