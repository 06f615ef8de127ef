"""Input checks shared by paperlib's public functions.

Bad input gets a ``TypeError`` (wrong kind of object) or ``ValueError`` (wrong shape or
range) whose message names the argument, what was expected and what was given.
"""

from __future__ import annotations

import math
from numbers import Real

import torch
from torch import Tensor


def tensor(x: object, name: str, *, dim: int | None = None, shape: str | None = None, floating: bool = True) -> Tensor:
    """``x`` must be a (floating-point) tensor with ``dim`` dimensions (``shape`` names them, e.g. "(B, C)")."""
    if not isinstance(x, Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(x).__name__}")
    if floating and not x.is_floating_point():
        raise TypeError(f"{name} must be a floating-point tensor, got {x.dtype}")
    if dim is not None and x.dim() != dim:
        raise ValueError(f"{name} must have shape {shape or f'with {dim} dimensions'}, got {tuple(x.shape)}")
    return x


def same_shape(a: Tensor, b: Tensor, name_a: str, name_b: str, *, dim: int | None = None, shape: str | None = None) -> None:
    """Both tensors pass :func:`tensor` and have equal shapes."""
    tensor(a, name_a, dim=dim, shape=shape)
    tensor(b, name_b, dim=dim, shape=shape)
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
    above = value > low if low_open else value >= low
    below = value < high if high_open else value <= high
    if not (math.isfinite(value) and above and below):
        raise ValueError(f"{name} must be {_interval(low, high, low_open, high_open)}, got {value!r}")
    return value


def _interval(low: float, high: float, low_open: bool, high_open: bool) -> str:
    if math.isinf(low) and math.isinf(high):
        return "a finite number"
    if math.isinf(high):
        return f"a finite number {'>' if low_open else '>='} {low:g}"
    if math.isinf(low):
        return f"{'<' if high_open else '<='} {high:g}"
    return f"in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"


def positive_int(value: object, name: str) -> int:
    """An int >= 1 (bools rejected)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be a positive int, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name} must be a positive int (>= 1), got {value!r}")
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
    """Integer class labels of shape (n,), each in [0, n_classes)."""
    if not isinstance(y, Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(y).__name__}")
    if y.dtype not in (torch.int64, torch.int32):
        raise TypeError(f"{name} must be an integer tensor, got {y.dtype}")
    if y.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got {tuple(y.shape)}")
    if n_classes is not None and len(y) and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"{name} must lie in [0, {n_classes - 1}], got values in [{y.min().item()}, {y.max().item()}]")
    return y


def binary_mask(mask: object, name: str, *, dim: int = 3, shape: str = "(B, H, W)") -> Tensor:
    """A tensor of 0s and 1s (any dtype) with ``dim`` dimensions."""
    if not isinstance(mask, Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(mask).__name__}")
    if mask.dim() != dim:
        raise ValueError(f"{name} must have shape {shape}, got {tuple(mask.shape)}")
    if mask.numel() and not ((mask == 0) | (mask == 1)).all():
        raise ValueError(f"{name} must be a binary mask (only 0 and 1), got values in [{mask.min().item()}, {mask.max().item()}]")
    return mask


def probabilities(p: Tensor, name: str) -> Tensor:
    """Rows of non-negative numbers summing to 1 (softmax outputs), shape (N, C)."""
    tensor(p, name, dim=2, shape="(N, C)")
    if (p < 0).any() or not torch.allclose(p.sum(1), torch.ones(len(p), dtype=p.dtype), atol=1e-4):
        raise ValueError(f"{name} must be probabilities: non-negative rows summing to 1 (pass softmax outputs)")
    return p
