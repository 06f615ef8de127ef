# ruff: noqa: E501  (a table: one wrong call per line reads best unwrapped)
"""Bad-input rows for paperlib.adversarial.cgan_icgan (run by tests/test_bad_input.py)."""

from __future__ import annotations

import torch
from torch import nn

from bad_input import NAN, T, bad, g, poison
from paperlib.adversarial import cgan_icgan as IC
from paperlib.adversarial import gan

X2 = torch.randn(10, 2, generator=g())
FEATS = IC.instance_features(X2, 4.0)
NB = IC.cosine_knn(FEATS, 3)
NET = gan.MLPGenerator(2, 2, (4,), cond_dim=3, generator=g())

ROWS = [
    bad("cgan_icgan.one_hot: float labels", IC.one_hot, torch.tensor([0.0, 1.0]), 3, exc=T, match="labels must be an integer tensor"),
    bad("cgan_icgan.one_hot: label out of range", IC.one_hot, torch.tensor([0, 3]), 3, match=r"labels must lie in \[0, 2\]"),
    bad("cgan_icgan.one_hot: 2-D labels", IC.one_hot, torch.zeros(2, 2, dtype=torch.long), 3, match=r"labels must have shape \(N,\)"),
    bad("cgan_icgan.one_hot: n_classes 1", IC.one_hot, torch.tensor([0]), 1, match=r"n_classes must be an int \(>= 2\)"),
    bad("cgan_icgan.instance_features: 1-D x", IC.instance_features, torch.randn(4), match=r"x must have shape \(N, d\)"),
    bad("cgan_icgan.instance_features: NaN x", IC.instance_features, poison(X2), match="x must be finite"),
    bad("cgan_icgan.instance_features: negative lift", IC.instance_features, X2, -1.0, match="lift must be a finite number >= 0"),
    bad("cgan_icgan.instance_features: origin without lift", IC.instance_features, torch.zeros(2, 2), match="x must not hold the origin when lift = 0"),
    bad("cgan_icgan.cosine_knn: k larger than the data", IC.cosine_knn, FEATS, 10, match=r"k must be at most N - 1 .* = 9 for 10 instances, got 10"),
    bad("cgan_icgan.cosine_knn: k > N with query", IC.cosine_knn, FEATS, 11, query=FEATS[:2], match=r"k must be at most N = 10 for 10 instances, got 11"),
    bad("cgan_icgan.cosine_knn: k 0", IC.cosine_knn, FEATS, 0, match=r"k must be a positive int \(>= 1\)"),
    bad("cgan_icgan.cosine_knn: k float", IC.cosine_knn, FEATS, 2.0, exc=T, match="k must be a positive int"),
    bad("cgan_icgan.cosine_knn: query width", IC.cosine_knn, FEATS, 2, query=torch.randn(2, 2), match=r"query must have shape \(Q, 3\)"),
    bad("cgan_icgan.cosine_knn: NaN features", IC.cosine_knn, poison(FEATS), 2, match="features must be finite"),
    bad("cgan_icgan.neighbour_pairs: float table", IC.neighbour_pairs, NB.float(), 4, generator=g(), exc=T, match="neighbours must be an integer tensor"),
    bad("cgan_icgan.neighbour_pairs: empty table", IC.neighbour_pairs, torch.zeros(0, 3, dtype=torch.long), 4, generator=g(), match="neighbours must be a non-empty"),
    bad("cgan_icgan.neighbour_pairs: batch_size 0", IC.neighbour_pairs, NB, 0, generator=g(), match="batch_size must be a positive int"),
    bad("cgan_icgan.neighbour_pairs: generator", IC.neighbour_pairs, NB, 4, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("cgan_icgan.sample_around: not a module", IC.sample_around, lambda z, h: z, FEATS[0], 4, generator=g(), exc=T, match="net must be a torch.nn.Module"),
    bad("cgan_icgan.sample_around: no noise_dim", IC.sample_around, nn.Linear(2, 2), FEATS[0], 4, generator=g(), exc=T, match="net must have an int attribute noise_dim"),
    bad("cgan_icgan.sample_around: h 2-D", IC.sample_around, NET, FEATS[:1], 4, generator=g(), match=r"h must have shape \(D,\)"),
    bad("cgan_icgan.sample_around: h NaN", IC.sample_around, NET, torch.tensor([NAN, 0.0, 1.0]), 4, generator=g(), match="h must be finite"),
    bad("cgan_icgan.sample_around: h width", IC.sample_around, NET, torch.zeros(2), 4, generator=g(), match=r"cond must have shape \(4, 3\)"),
    bad("cgan_icgan.sample_around: n 0", IC.sample_around, NET, FEATS[0], 0, generator=g(), match="n must be a positive int"),
    bad("cgan_icgan.sample_mixture: empty features", IC.sample_mixture, NET, torch.zeros(0, 3), 4, generator=g(), match="features must hold at least one instance"),
    bad("cgan_icgan.sample_mixture: 1-D features", IC.sample_mixture, NET, FEATS[0], 4, generator=g(), match=r"features must have shape \(M, D\)"),
    bad("cgan_icgan.sample_mixture: generator", IC.sample_mixture, NET, FEATS, 4, generator=0, exc=T, match="generator must be a torch.Generator"),
    bad("cgan_icgan.neighbourhood_rate: width mismatch", IC.neighbourhood_rate, X2, torch.randn(5, 3), torch.tensor([0]), match=r"data must have shape \(N, 2\)"),
    bad("cgan_icgan.neighbourhood_rate: member out of range", IC.neighbourhood_rate, X2, X2, torch.tensor([0, 10]), match=r"members must lie in \[0, 9\]"),
    bad("cgan_icgan.neighbourhood_rate: empty members", IC.neighbourhood_rate, X2, X2, torch.zeros(0, dtype=torch.long), match="must be non-empty"),
    bad("cgan_icgan.neighbourhood_rate: NaN samples", IC.neighbourhood_rate, poison(X2), X2, torch.tensor([0]), match="samples must be finite"),
]
