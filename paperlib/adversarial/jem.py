"""JEM: a classifier read as an energy-based model (Grathwohl et al., arXiv 1912.03263).

    energy                eq. (7): E(x) = -LogSumExp_y f(x)[y]   (logits (B, C) -> (B,))
    class_log_probs       eq. (4): log p(y|x) = log softmax f(x)     (logits (B, C) -> (B, C))
    sgld                  eq. (3), as the official code runs it: x <- x - alpha dE/dx + sigma xi, K times
    ReplayBuffer          persistent chains: restart from U(low, high) with probability rho (Algorithm 1)
    jem_loss              eq. (8): -log p(y|x) - log p(x); the log p(x) gradient of eq. (2) as the
                          contrastive term E(x_data) - E(x_sgld) (code: ``l_p_x = -(fp - fq)``)
    jem_step              one JEM update: buffer draw, SGLD, write-back, loss, optimiser step

The chapter's outer loop calls :func:`jem_step` once per mini-batch (SGLD is its subject).
Shapes: inputs x are (B, D) with the batch first, logits (B, C), labels (B,) int64.
Losses are batch means; energies are per example (B,).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from paperlib import checks

__all__ = ["energy", "class_log_probs", "SGLDResult", "sgld", "BufferDraw", "ReplayBuffer", "JEMLoss", "jem_loss",
           "JEMStep", "jem_step"]

EnergyFn = Callable[[Tensor], Tensor]


# --------------------------------------------------------------------------- eq. (4), (7)
def energy(logits: Tensor) -> Tensor:
    """E(x) = -LogSumExp_y f(x)[y], arXiv 1912.03263 eq. (7): the classifier's logits as an energy.

    logits: (B, C) -> (B,). p(x) is proportional to exp(-E(x)) (eq. 6), so a lower energy means a
    more likely input. Adding c(x) to every logit of a row lowers its energy by c(x) (p(y|x) does not move).
    """
    checks.tensor(logits, "logits", dim=2, shape="(B, C)")
    return -torch.logsumexp(logits, dim=1)  # (B,)


def class_log_probs(logits: Tensor) -> Tensor:
    """log p(y|x) = log softmax_y f(x)[y], arXiv 1912.03263 eq. (4). logits: (B, C) -> (B, C).

    log p(y|x) = f(x)[y] + E(x): the same logits, with the energy as the normaliser.
    """
    checks.tensor(logits, "logits", dim=2, shape="(B, C)")
    return torch.log_softmax(logits, dim=1)  # (B, C)


# --------------------------------------------------------------------------- eq. (3)
class SGLDResult(NamedTuple):
    """What :func:`sgld` returns.

    x: (B, D) the final samples (detached); energy_start / energy_end: (B,) energies of the start and the
    end; trajectory: (K + 1, B, D) every iterate including the start (only with ``keep_trajectory=True``).
    """

    x: Tensor
    energy_start: Tensor
    energy_end: Tensor
    trajectory: Tensor | None


def _energies(energy_fn: EnergyFn, x: Tensor) -> Tensor:
    e = energy_fn(x)
    if not isinstance(e, Tensor) or e.shape != (len(x),):
        got = tuple(e.shape) if isinstance(e, Tensor) else type(e).__name__
        raise ValueError(f"energy_fn must return one energy per row, shape ({len(x)},), got {got}")
    checks.tensor(e, "energy_fn(x)")  # a diverged energy raises here instead of poisoning the chain
    return e


def sgld(energy_fn: EnergyFn, x0: Tensor, *, steps: int, step_size: float, noise_std: float,
         generator: torch.Generator, keep_trajectory: bool = False) -> SGLDResult:
    """K steps of stochastic gradient Langevin dynamics, arXiv 1912.03263 eq. (3) as the official code runs it.

        x_{t+1} = x_t - alpha * dE(x_t)/dx_t + sigma * xi_t,   xi_t ~ N(0, I)

    energy_fn: (B, D) -> (B,) energies (e.g. ``lambda x: energy(model(x))``); x0: (B, D) starts.
    step_size alpha >= 0, noise_std sigma >= 0, set independently as in the paper's experiments
    (code defaults alpha = 1, sigma = 0.01). With sigma = sqrt(2 alpha) this is the unadjusted Langevin
    algorithm for p(x) ~ exp(-E(x)) (eq. 3 writes alpha/2 and N(0, alpha)); for a Gaussian energy its
    stationary law is known in closed form (the unit tests use it). alpha = 0 leaves only the noise.
    Gradients flow to x only (the energy's parameters get none); the result is detached.
    """
    checks.function(energy_fn, "energy_fn")
    checks.tensor(x0, "x0", dim=2, shape="(B, D)")
    steps = checks.positive_int(steps, "steps")
    alpha = checks.real(step_size, "step_size", low=0)
    sigma = checks.real(noise_std, "noise_std", low=0)
    checks.generator(generator)
    checks.boolean(keep_trajectory, "keep_trajectory")
    x = x0.detach().clone()
    path = [x] if keep_trajectory else None
    e_start = None
    for _ in range(steps):
        leaf = x.detach().requires_grad_(True)  # a fresh leaf: the stored iterates never require grad
        with torch.enable_grad():
            e = _energies(energy_fn, leaf)  # (B,)
            (grad,) = torch.autograd.grad(e.sum(), leaf)  # (B, D) dE/dx per row
        if e_start is None:
            e_start = e.detach()
        noise = torch.randn(x.shape, generator=generator).to(x.device, x.dtype)  # (B, D)
        x = x - alpha * grad + sigma * noise  # eq. (3) with independent alpha and sigma
        if path is not None:
            path.append(x)
    with torch.no_grad():
        e_end = _energies(energy_fn, x).detach()
    return SGLDResult(x, e_start, e_end, torch.stack(path) if path is not None else None)


# --------------------------------------------------------------------------- Algorithm 1's replay buffer
class BufferDraw(NamedTuple):
    """What :meth:`ReplayBuffer.draw` returns: x (B, D) chain starts, index (B,) buffer rows, fresh (B,) bool (re-initialised)."""

    x: Tensor
    index: Tensor
    fresh: Tensor


class ReplayBuffer:
    """Persistent SGLD chains of JEM (arXiv 1912.03263, Algorithm 1; ``sample_q`` in the official code).

    Holds ``size`` samples (size, dim), first drawn from U(low, high)^dim. :meth:`draw` picks rows uniformly
    with replacement and replaces each by fresh U(low, high) noise with probability ``reinit_prob`` (rho);
    rho = 1 means short-run chains from noise every time, rho = 0 never forgets. The buffer changes only in
    :meth:`write` (the chapter's loop writes the SGLD results back to the rows it drew); :meth:`draw` does
    not change it. ``samples`` is the current (size, dim) tensor.
    """

    def __init__(self, size: int, dim: int, *, reinit_prob: float = 0.05, low: float = -1.0, high: float = 1.0,
                 generator: torch.Generator):
        self.size = checks.positive_int(size, "size")
        self.dim = checks.positive_int(dim, "dim")
        self.reinit_prob = checks.real(reinit_prob, "reinit_prob", low=0, high=1)
        self.low = checks.real(low, "low")
        self.high = checks.real(high, "high")
        if not self.high > self.low:
            raise ValueError(f"high must be > low for the uniform noise U(low, high), got low={self.low:g}, high={self.high:g}")
        checks.generator(generator)
        self.samples = self.noise(size, generator=generator)  # (size, dim)

    def noise(self, n: int, *, generator: torch.Generator) -> Tensor:
        """n fresh starts from U(low, high)^dim: (n, dim)."""
        checks.positive_int(n, "n")
        checks.generator(generator)
        return self.low + (self.high - self.low) * torch.rand(n, self.dim, generator=generator)  # (n, dim)

    def draw(self, batch_size: int, *, generator: torch.Generator) -> BufferDraw:
        """batch_size chain starts: buffer rows (uniform, with replacement), each re-initialised with prob. rho."""
        checks.positive_int(batch_size, "batch_size")
        checks.generator(generator)
        index = torch.randint(self.size, (batch_size,), generator=generator)  # (B,)
        fresh = torch.rand(batch_size, generator=generator) < self.reinit_prob  # (B,)
        x = torch.where(fresh[:, None], self.noise(batch_size, generator=generator), self.samples[index])  # (B, dim)
        return BufferDraw(x, index, fresh)

    def write(self, index: Tensor, x: Tensor) -> None:
        """Store x (B, dim) in rows ``index`` (B,) (detached copies); the one place the buffer changes."""
        checks.tensor(x, "x", shape=("B", self.dim))
        checks.integer_tensor(index, "index", shape=(len(x),), low=0, high=self.size - 1)
        self.samples = self.samples.clone()
        self.samples[index] = x.detach().to(self.samples.device, self.samples.dtype)


# --------------------------------------------------------------------------- eq. (2), (8)
class JEMLoss(NamedTuple):
    """What :func:`jem_loss` returns (scalars). total = ce + px_weight * px.

    ce: -mean log p(y|x) (cross-entropy); px: mean E(x_data) - mean E(x_sgld) (its gradient is minus
    the eq. (2) estimate of d log p(x) / d theta).
    """

    total: Tensor
    ce: Tensor
    px: Tensor


def jem_loss(logits_data: Tensor, labels: Tensor, logits_sampled: Tensor, *, px_weight: float = 1.0) -> JEMLoss:
    """The JEM objective, arXiv 1912.03263 eq. (8): minimise -log p(y|x) - log p(x) (batch means).

    logits_data: (B, C) f(x) on a labelled batch; labels: (B,); logits_sampled: (M, C) f(x_hat) on SGLD
    samples x_hat (detached inputs). log p(x) = -E(x) - log Z has the gradient of eq. (2),
    E_{p(x')}[dE(x')] - dE(x); with x' ~ SGLD that is the gradient of -(E(x) - E(x')), so the loss holds
    px = mean E(x_data) - mean E(x_hat) (it pushes data energy down and sample energy up).
    px_weight = 0 leaves the plain cross-entropy classifier.
    """
    checks.tensor(logits_data, "logits_data", dim=2, shape="(B, C)")
    checks.labels(labels, len(logits_data), logits_data.shape[1], name="labels")
    checks.tensor(logits_sampled, "logits_sampled", shape=("M", logits_data.shape[1]))
    if len(logits_sampled) == 0:
        raise ValueError("logits_sampled must hold at least one row (SGLD samples), got 0")
    w = checks.real(px_weight, "px_weight", low=0)
    ce = F.cross_entropy(logits_data, labels)
    px = energy(logits_data).mean() - energy(logits_sampled).mean()
    return JEMLoss(ce + w * px, ce, px)


class JEMStep(NamedTuple):
    """What :func:`jem_step` returns (floats): the loss parts and the mean energies of the data and the samples."""

    loss: float
    ce: float
    px: float
    energy_data: float
    energy_sampled: float


def jem_step(model: nn.Module, optimizer: torch.optim.Optimizer, x: Tensor, y: Tensor, buffer: ReplayBuffer, *,
             steps: int = 20, step_size: float = 1.0, noise_std: float = 0.01, px_weight: float = 1.0,
             generator: torch.Generator) -> JEMStep:
    """One JEM update (arXiv 1912.03263, Algorithm 1): the step the chapter's outer loop calls.

    1. draw B chain starts from ``buffer`` (re-initialised with its probability rho);
    2. run :func:`sgld` on E(x) = -LogSumExp f(x) (``steps``, ``step_size``, ``noise_std``);
    3. write the samples back to the buffer rows (the buffer's only update);
    4. minimise :func:`jem_loss` on (x, y) and the samples with ``optimizer`` (one step).
    model: (B, D) -> (B, C) logits; x: (B, D); y: (B,) labels. Defaults are the official code's.
    """
    checks.instance(model, "model", nn.Module, "a torch.nn.Module")
    checks.instance(optimizer, "optimizer", torch.optim.Optimizer, "a torch.optim.Optimizer")
    checks.instance(buffer, "buffer", ReplayBuffer, "a paperlib.adversarial.jem.ReplayBuffer")
    checks.tensor(x, "x", shape=("B", buffer.dim))
    checks.labels(y, len(x), name="y")
    checks.positive_int(steps, "steps")
    checks.real(step_size, "step_size", low=0)
    checks.real(noise_std, "noise_std", low=0)
    checks.real(px_weight, "px_weight", low=0)
    checks.generator(generator)  # every argument is checked before the buffer or the model changes
    start = buffer.draw(len(x), generator=generator)
    out = sgld(lambda v: energy(model(v)), start.x, steps=steps, step_size=step_size, noise_std=noise_std,
               generator=generator)
    buffer.write(start.index, out.x)
    logits = model(torch.cat([x, out.x.to(x.device)]))  # (2B, C): data and samples in one pass
    loss = jem_loss(logits[: len(x)], y, logits[len(x):], px_weight=px_weight)
    optimizer.zero_grad(set_to_none=True)
    loss.total.backward()
    optimizer.step()
    e_data, e_sampled = energy(logits.detach()).split(len(x))
    return JEMStep(loss.total.item(), loss.ce.item(), loss.px.item(), e_data.mean().item(), e_sampled.mean().item())
