"""Two recommendation domains that share users (the PCRec chapter's toy): a dense source, a sparse target.

Each user has a taste vector; each item of each domain has a profile vector. A user picks items with
probability proportional to exp(taste . profile / temperature) (without repeats), many in the source
and few in the target. When ``shared_tastes`` is True, the same taste vector drives both domains (what
transfers); when False, the target is driven by an independent taste vector (the control in which
pre-training on the source cannot help).
"""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import Tensor

from paperlib import checks


class Interactions(NamedTuple):
    """users: (E,) int64 user ids; items: (E,) int64 item ids; n_users, n_items: id ranges."""

    users: Tensor
    items: Tensor
    n_users: int
    n_items: int


class CrossDomain(NamedTuple):
    """source: all source interactions; target_train / target_test: the target's, split per user
    (every user keeps at least one training item and holds out ``test_per_user``)."""

    source: Interactions
    target_train: Interactions
    target_test: Interactions


def _pick(tastes: Tensor, profiles: Tensor, per_user: int, temperature: float, generator: torch.Generator) -> Tensor:
    """(U, per_user) distinct items per user, drawn by taste without replacement."""
    weights = torch.softmax(tastes @ profiles.T / temperature, dim=1)  # (U, I)
    return torch.multinomial(weights, per_user, replacement=False, generator=generator)


def cross_domain(users: int = 200, source_items: int = 150, target_items: int = 150, *, factors: int = 4,
                 source_per_user: int = 20, target_per_user: int = 4, test_per_user: int = 2,
                 temperature: float = 0.5, shared_tastes: bool = True, generator: torch.Generator) -> CrossDomain:
    """Interactions of ``users`` shared users with a dense source and a sparse target domain.

    Tastes and profiles are unit vectors in R^factors (drawn from Gaussians and normalised). Each user
    has ``source_per_user`` source items and ``target_per_user`` target items, of which ``test_per_user``
    are held out for testing. ``shared_tastes=False`` draws the target's tastes independently.
    """
    checks.integer(users, "users", low=2)
    checks.integer(source_items, "source_items", low=2)
    checks.integer(target_items, "target_items", low=2)
    checks.positive_int(factors, "factors")
    checks.integer(source_per_user, "source_per_user", low=1, high=source_items)
    checks.integer(target_per_user, "target_per_user", low=2, high=target_items)
    checks.integer(test_per_user, "test_per_user", low=1, high=target_per_user - 1)
    temperature = checks.scale(temperature, "temperature")
    checks.boolean(shared_tastes, "shared_tastes")
    checks.generator(generator)

    def unit(n: int) -> Tensor:
        v = torch.randn(n, factors, generator=generator)
        return v / v.norm(dim=1, keepdim=True)

    tastes, src_profiles, tgt_profiles = unit(users), unit(source_items), unit(target_items)
    target_tastes = tastes if shared_tastes else unit(users)
    src = _pick(tastes, src_profiles, source_per_user, temperature, generator)  # (U, S)
    tgt = _pick(target_tastes, tgt_profiles, target_per_user, temperature, generator)  # (U, T), random order
    uid = torch.arange(users)

    def pairs(items: Tensor, n_items: int) -> Interactions:
        return Interactions(uid[:, None].expand_as(items).reshape(-1), items.reshape(-1), users, n_items)

    return CrossDomain(pairs(src, source_items), pairs(tgt[:, test_per_user:], target_items), pairs(tgt[:, :test_per_user], target_items))
