"""Conditional GAN (Mirza & Osindero, arXiv 1411.1784) and Instance-Conditioned GAN (Casanova et al., arXiv 2109.05070).

The generator, the discriminator (concatenation or projection conditioning) and the D/G steps
are the shared ones of :mod:`paperlib.adversarial.gan`; this module adds what is specific to the
two papers:

    one_hot              cGAN, eq. (2): the label y as an extra input of G and D
    instance_features    h_i = f(x_i) / ||f(x_i)|| with f(x) = (x, lift): our 2-D stand-in for the SwAV ResNet-50 (section 3)
    cosine_knn           A_i: the k nearest neighbours of each instance by cosine similarity, without x_i itself
    neighbour_pairs      IC-GAN's training pairs (h_i, x_n) with i uniform and x_n ~ U(A_i)
    sample_around        x ~ G(z, h) for one chosen instance h (a seen one, or an unseen one: transfer)
    sample_mixture       x ~ G(z, h_i) with i uniform: the mixture p(x) ~ 1/M sum_i p(x | h_i)
    neighbourhood_rate   share of samples whose nearest data point lies in a given neighbourhood

Conventions: features are (N, D) rows, batch first; neighbour lists are (N, k) int64 indices into
the data, nearest first. Ties in similarity go to the lower index.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from paperlib import checks

__all__ = [
    "one_hot",
    "instance_features",
    "cosine_knn",
    "Pairs",
    "neighbour_pairs",
    "sample_around",
    "sample_mixture",
    "neighbourhood_rate",
]


def one_hot(labels: Tensor, n_classes: int) -> Tensor:
    """cGAN's condition y (arXiv 1411.1784, eq. 2) as a float one-hot code: labels (N,) int -> (N, n_classes)."""
    checks.integer(n_classes, "n_classes", low=2)
    checks.tensor(labels, "labels", dim=1, shape="(N,)", floating=False)
    checks.labels(labels, len(labels), n_classes)
    return F.one_hot(labels, n_classes).float()  # (N, n_classes)


def instance_features(x: Tensor, lift: float = 0.0) -> Tensor:
    """IC-GAN's instance features h_i = f(x_i), L2-normalised (arXiv 2109.05070 section 3; the code normalises too).

    The paper's f is a self-supervised ResNet-50 (SwAV); our 2-D stand-in is the point itself, lifted
    by one constant coordinate: f(x) = (x, lift). Without a lift (lift = 0) the cosine similarity of
    two points is the cosine of the angle between them (on a ring around the origin: neighbours along
    the ring). With a lift c >> |x|, cos(f(x), f(x')) = 1 - ||x - x'||^2 / (2 c^2) + O(|x / c|^4), so
    cosine neighbours are Euclidean neighbours (e.g. on a grid). x: (N, d) -> (N, d + 1) unit rows
    (or (N, d) when lift = 0), so a dot product is a cosine similarity.
    """
    checks.tensor(x, "x", dim=2, shape="(N, d)")
    lift = checks.real(lift, "lift", low=0)
    h = x if lift == 0 else torch.cat([x, x.new_full((len(x), 1), lift)], dim=1)  # (N, d + 1)
    norms = h.norm(dim=1)
    if len(h) and norms.min() <= 1e-12:
        raise ValueError(f"x must not hold the origin when lift = 0 (its cosine similarity is undefined), got row {int(norms.argmin())}")
    return h / norms[:, None]  # (N, D)


def cosine_knn(features: Tensor, k: int, query: Tensor | None = None) -> Tensor:
    """The neighbourhoods A_i of IC-GAN: the k rows of ``features`` most cosine-similar to each instance.

    arXiv 2109.05070 section 3 ("k nearest neighbours ... cosine similarity"). Without ``query``,
    row i lists the neighbours of instance i among the *other* instances (x_i itself is excluded,
    as in the official code: G should make variations, not copies), so k <= N - 1. With ``query``
    (Q, D) (unseen instances, for transfer), row q lists the k most similar rows of ``features``
    to query q, all N candidates allowed, so k <= N.
    features: (N, D); query: (Q, D). Returns (N, k) or (Q, k) int64 indices, most similar first;
    ties go to the lower index.
    """
    checks.tensor(features, "features", dim=2, shape="(N, D)")
    n = len(features)
    if query is not None:
        checks.tensor(query, "query", shape=("Q", features.shape[1]))
    limit = n if query is not None else n - 1
    what = "N" if query is not None else "N - 1 (the instance itself is excluded)"
    checks.integer(k, "k", low=1, what="a positive int")
    if k > limit:
        raise ValueError(f"k must be at most {what} = {limit} for {n} instances, got {k}")
    a = F.normalize(features.double(), dim=1)  # (N, D)
    q = a if query is None else F.normalize(query.double(), dim=1)  # (Q, D)
    sim = q @ a.T  # (Q, N) cosine similarities
    if query is None:
        sim.fill_diagonal_(-math.inf)  # never one's own neighbour
    # stable sort on -sim: equal similarities keep index order, so ties go to the lower index
    return torch.sort(-sim, dim=1, stable=True).indices[:, :k]  # (Q, k)


class Pairs(NamedTuple):
    """What :func:`neighbour_pairs` returns: instance (B,) indices i and neighbour (B,) indices n in A_i."""

    instance: Tensor
    neighbour: Tensor


def neighbour_pairs(neighbours: Tensor, batch_size: int, *, generator: torch.Generator) -> Pairs:
    """IC-GAN's training pairs (arXiv 2109.05070 section 3): i ~ U{1..N}, then a real neighbour n ~ U(A_i).

    D sees the real pair (x_n, h_i) and the fake pair (G(z, h_i), h_i); both share the instance i.
    neighbours: (N, k) int64 from :func:`cosine_knn`. Returns :class:`Pairs` of (B,) int64 indices.
    """
    checks.integer_tensor(neighbours, "neighbours", shape=("N", "k"), low=0)
    checks.positive_int(batch_size, "batch_size")
    checks.generator(generator)
    n, k = neighbours.shape
    if n == 0 or k == 0:
        raise ValueError(f"neighbours must be a non-empty (N, k) table, got {tuple(neighbours.shape)}")
    i = torch.randint(n, (batch_size,), generator=generator)  # (B,)
    j = torch.randint(k, (batch_size,), generator=generator)  # (B,) which of the k neighbours
    return Pairs(i, neighbours[i, j])


def _check_net(net: object, name: str) -> nn.Module:
    checks.instance(net, name, nn.Module, "a torch.nn.Module (a conditional generator)")
    if not isinstance(getattr(net, "noise_dim", None), int):
        raise TypeError(f"{name} must have an int attribute noise_dim (e.g. gan.MLPGenerator), got {type(net).__name__}")
    return net


@torch.no_grad()
def sample_around(net: nn.Module, h: Tensor, n: int, *, generator: torch.Generator) -> Tensor:
    """n samples x = G(z, h), z ~ N(0, I), all for ONE instance feature h (arXiv 2109.05070 section 3).

    h: (D,) the feature of a chosen instance, seen in training or unseen (transfer: swap in a new h).
    net: a conditional generator with ``noise_dim`` (gan.MLPGenerator). Returns (n, out_dim).
    """
    _check_net(net, "net")
    checks.tensor(h, "h", dim=1, shape="(D,)")
    checks.positive_int(n, "n")
    checks.generator(generator)
    z = torch.randn(n, net.noise_dim, generator=generator)  # (n, noise_dim)
    return net(z, h[None].expand(n, -1))  # (n, out_dim)


@torch.no_grad()
def sample_mixture(net: nn.Module, features: Tensor, n: int, *, generator: torch.Generator) -> Tensor:
    """n samples of IC-GAN's mixture p(x) ~ (1/M) sum_i p(x | h_i): i uniform over the instances, then x = G(z, h_i).

    features: (M, D) instance features; returns (n, out_dim).
    """
    _check_net(net, "net")
    checks.tensor(features, "features", dim=2, shape="(M, D)")
    if len(features) == 0:
        raise ValueError("features must hold at least one instance, got 0 rows")
    checks.positive_int(n, "n")
    checks.generator(generator)
    i = torch.randint(len(features), (n,), generator=generator)  # (n,)
    z = torch.randn(n, net.noise_dim, generator=generator)  # (n, noise_dim)
    return net(z, features[i])  # (n, out_dim)


def neighbourhood_rate(samples: Tensor, data: Tensor, members: Tensor) -> float:
    """Share of samples whose nearest data point (Euclidean) is one of ``members`` (e.g. {i} and A_i).

    samples: (S, d); data: (N, d); members: (m,) int64 indices into data. A generator that ignores
    the instance scores about m / N (its samples land anywhere in the data); one that stays near
    the instance scores close to 1.
    """
    checks.tensor(samples, "samples", dim=2, shape="(S, d)")
    checks.tensor(data, "data", shape=("N", samples.shape[1]))
    checks.integer_tensor(members, "members", shape=("m",), low=0, high=len(data) - 1)
    if len(samples) == 0 or len(data) == 0 or len(members) == 0:
        raise ValueError(f"samples, data and members must be non-empty, got {len(samples)}, {len(data)}, {len(members)}")
    nearest = torch.cdist(samples.double(), data.double()).argmin(dim=1)  # (S,)
    inside = torch.zeros(len(data), dtype=torch.bool)
    inside[members] = True
    return inside[nearest].double().mean().item()
