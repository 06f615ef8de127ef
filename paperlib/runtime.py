"""Seeding and device selection shared by every chapter."""

from __future__ import annotations

import random

import numpy as np
import torch

from paperlib import checks


def _check_seed(seed: object) -> int:
    """torch accepts seeds in [-2**63, 2**64 - 1]."""
    return checks.integer(seed, "seed", low=-(2**63), high=2**64 - 1)


def seed_everything(seed: int, *, threads: int | None = 1) -> torch.Generator:
    """Seed Python, NumPy and torch, and return a fresh CPU ``torch.Generator`` seeded the same.

    Stochastic paperlib functions take ``generator=``; pass the returned one (or one made by
    :func:`make_generator`) so that the same seed gives the same numbers on the same machine.
    threads: torch's CPU threads. The book's models are tiny, so one thread is both faster
    (no OpenMP hand-offs, no slowdown when another process shares the cores) and independent
    of the machine's core count; ``None`` keeps torch's default.
    """
    _check_seed(seed)
    if threads is not None:
        checks.positive_int(threads, "threads")
        torch.set_num_threads(threads)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    return make_generator(seed)


def make_generator(seed: int) -> torch.Generator:
    """A CPU ``torch.Generator`` seeded with ``seed`` (draws are made on CPU, then moved)."""
    _check_seed(seed)
    return torch.Generator().manual_seed(seed)


def get_device() -> torch.device:
    """CUDA when present (Colab GPUs), otherwise CPU."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")
