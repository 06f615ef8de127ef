"""The one training loop of the book: ``fit(model, step_fn, data, ...)``.

A chapter supplies ``step_fn(model, batch) -> loss`` (a scalar tensor); ``fit`` handles
shuffling with an explicit generator, mini-batches, the optimiser and a progress bar.
Chapters whose subject *is* the loop (GANs, SGLD, active learning) write their outer loop
in the notebook and may still call ``fit`` for the inner steps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from paperlib import checks
from paperlib.progress import progress_bar

StepFn = Callable[[nn.Module, Sequence[Tensor]], Tensor]


class History(NamedTuple):
    """What ``fit`` returns: the mean training loss of each epoch."""

    epoch_loss: list[float]


def _check_data(data: Sequence[Tensor]) -> int:
    if not isinstance(data, (tuple, list)) or not data:
        raise TypeError("data must be a non-empty tuple of tensors sharing their first dimension")
    for i, t in enumerate(data):
        checks.tensor(t, f"data[{i}]", floating=False)  # float data must be finite
    n = len(data[0])
    if n == 0:
        raise ValueError("data must hold at least one example, got 0")
    sizes = [len(t) for t in data]
    if any(s != n for s in sizes):
        raise ValueError(f"every tensor in data must have the same first dimension, got {sizes}")
    return n


def fit(
    model: nn.Module,
    step_fn: StepFn,
    data: Sequence[Tensor],
    *,
    epochs: int,
    batch_size: int,
    generator: torch.Generator,
    lr: float = 1e-2,
    weight_decay: float = 0.0,
    optimizer: torch.optim.Optimizer | None = None,
    progress: bool = True,
    desc: str = "학습",
) -> History:
    """Train ``model`` by minimising ``step_fn(model, batch)`` with Adam (or ``optimizer``).

    data: tensors with a shared first (batch) dimension, e.g. ``(x, y)`` or ``(x, y, soft)``;
    each epoch visits them in a fresh order drawn from ``generator``. The batch is moved to the
    model's device before ``step_fn`` sees it. Returns the mean loss of each epoch.
    """
    checks.instance(model, "model", nn.Module, "a torch.nn.Module")
    checks.function(step_fn, "step_fn")
    n = _check_data(data)
    checks.positive_int(epochs, "epochs")
    checks.positive_int(batch_size, "batch_size")
    checks.generator(generator)
    checks.positive_real(lr, "lr")
    checks.real(weight_decay, "weight_decay", low=0)
    if optimizer is not None:
        checks.instance(optimizer, "optimizer", torch.optim.Optimizer, "a torch.optim.Optimizer or None")
    checks.boolean(progress, "progress")
    checks.string(desc, "desc")
    params = [p for p in model.parameters() if p.requires_grad]
    if optimizer is None:
        if not params:
            raise ValueError("model has no trainable parameters")
        optimizer = torch.optim.Adam(params, lr=lr, weight_decay=weight_decay)
    device = params[0].device if params else torch.device("cpu")

    model.train()
    history = History(epoch_loss=[])
    with progress_bar(total=epochs, desc=desc, disable=not progress) as bar:
        for _ in range(epochs):
            order = torch.randperm(n, generator=generator)
            total, seen = 0.0, 0
            for start in range(0, n, batch_size):
                idx = order[start : start + batch_size]
                batch = [t[idx].to(device) for t in data]
                loss = step_fn(model, batch)
                if loss.dim() != 0:
                    raise ValueError(f"step_fn must return a scalar loss, got shape {tuple(loss.shape)}")
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                total += loss.item() * len(idx)
                seen += len(idx)
            history.epoch_loss.append(total / seen)
            bar.set_postfix(loss=f"{history.epoch_loss[-1]:.4f}")
            bar.update(1)
    model.eval()
    return history


def classification_step(model: nn.Module, batch: Sequence[Tensor]) -> Tensor:
    """The plain supervised ``fit`` step: batch-mean cross-entropy of ``model(x)`` against integer labels y.

    batch = (x (B, ...), y (B,)) -> scalar. Every chapter's classifier (and baseline) trains with it.
    """
    checks.function(model, "model")
    x, y = checks.batch(batch, 2, "(x, y)")[:2]
    checks.labels(y, len(x), name="y")
    logits = model(x)  # (B, C)
    checks.labels(y, len(logits), logits.shape[1], name="y")  # a label >= C would fail deep inside torch
    return F.cross_entropy(logits, y)


@torch.no_grad()
def predict(model: nn.Module, x: Tensor, batch_size: int = 1024) -> Tensor:
    """``model(x)`` in eval mode, in batches, on the model's device; returns CPU outputs.

    x: a tensor with the batch first (floating-point values must be finite); batch_size >= 1.
    """
    checks.instance(model, "model", nn.Module, "a torch.nn.Module")
    if not any(True for _ in model.parameters()):
        raise ValueError("model must have parameters (predict runs it on their device)")
    checks.tensor(x, "x", floating=False)
    checks.positive_int(batch_size, "batch_size")
    model.eval()
    device = next(model.parameters()).device
    return torch.cat([model(x[i : i + batch_size].to(device)).cpu() for i in range(0, len(x), batch_size)])
