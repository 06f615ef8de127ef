"""cGAN / IC-GAN pieces (paperlib.adversarial.cgan_icgan) against second computations."""

from __future__ import annotations

import math

import pytest
import torch

from paperlib import data, metrics, runtime
from paperlib.adversarial import cgan_icgan as ic
from paperlib.adversarial import gan


def _g(seed: int = 0) -> torch.Generator:
    return runtime.make_generator(seed)


def test_one_hot_matches_identity_rows():
    y = torch.tensor([2, 0, 1, 2])
    expected = torch.stack([torch.eye(3)[int(v)] for v in y])
    assert torch.equal(ic.one_hot(y, 3), expected)
    assert ic.one_hot(y, 3).dtype == torch.float32


def test_instance_features_are_unit_rows_and_lift_zero_is_the_direction():
    x = torch.randn(20, 2, generator=_g())
    for lift in (0.0, 3.0):
        h = ic.instance_features(x, lift)
        torch.testing.assert_close(h.norm(dim=1), torch.ones(20))
    torch.testing.assert_close(ic.instance_features(x), x / x.norm(dim=1, keepdim=True))
    lifted = ic.instance_features(x, 3.0)
    manual = torch.tensor([[a, b, 3.0] for a, b in x.tolist()])
    torch.testing.assert_close(lifted, manual / manual.norm(dim=1, keepdim=True))


def test_lifted_cosine_is_local_distance():
    """1 - cos(f(x), f(x')) = ||x - x'||^2 / (2 c^2) up to O(|x / c|^4) for a large lift c."""
    x = 0.1 * torch.randn(30, 2, generator=_g(1), dtype=torch.float64)
    c = 50.0
    h = ic.instance_features(x, c)
    one_minus_cos = 1 - h @ h.T
    closed_form = torch.cdist(x, x) ** 2 / (2 * c**2)
    assert (one_minus_cos - closed_form).abs().max() < 1e-3 * closed_form.max()


def _brute_force_knn(features: torch.Tensor, k: int, query: torch.Tensor | None = None) -> list[list[int]]:
    """Python loop: cosine similarity from sums of products, sorted by (-similarity, index)."""
    rows = query if query is not None else features

    def cos(a, b):
        return sum(u * v for u, v in zip(a, b)) / math.sqrt(sum(u * u for u in a) * sum(v * v for v in b))

    out = []
    for qi, q in enumerate(rows.tolist()):
        cands = [(-cos(q, f), j) for j, f in enumerate(features.tolist()) if query is not None or j != qi]
        out.append([j for _, j in sorted(cands)[:k]])
    return out


@pytest.mark.parametrize("k", [1, 4, 11])
def test_cosine_knn_matches_brute_force_and_never_returns_self(k):
    f = torch.randn(12, 5, generator=_g(2))
    nb = ic.cosine_knn(f, k)
    assert nb.shape == (12, k) and nb.dtype == torch.int64
    assert nb.tolist() == _brute_force_knn(f, k)
    assert not (nb == torch.arange(12)[:, None]).any()
    assert all(len(set(row)) == k for row in nb.tolist())


def test_cosine_knn_query_mode_allows_every_row_and_matches_brute_force():
    f = torch.randn(10, 3, generator=_g(3))
    q = torch.cat([f[4:5], torch.randn(2, 3, generator=_g(4))])
    nb = ic.cosine_knn(f, 10, query=q)
    assert nb.tolist() == _brute_force_knn(f, 10, query=q)
    assert nb[0, 0].item() == 4  # an instance identical to row 4 has row 4 as its nearest neighbour


def test_cosine_knn_is_scale_invariant_and_ties_go_to_the_lower_index():
    f = torch.randn(9, 4, generator=_g(5))
    scale = torch.rand(9, 1, generator=_g(6)) + 0.5
    assert torch.equal(ic.cosine_knn(f, 3), ic.cosine_knn(f * scale, 3))
    tied = torch.tensor([[1.0, 0.0], [0.0, 1.0], [0.0, 2.0], [0.0, 3.0]])
    assert ic.cosine_knn(tied, 3)[0].tolist() == [1, 2, 3]


def test_lifted_cosine_knn_equals_euclidean_knn_on_a_grid():
    mix = data.gaussian_grid(500, generator=_g(7))
    nb = ic.cosine_knn(ic.instance_features(mix.x, 8.0), 10)
    d = torch.cdist(mix.x.double(), mix.x.double())
    d.fill_diagonal_(math.inf)
    euclid = d.argsort(dim=1)[:, :10]
    # the O(|x / c|^4) term reorders a few borderline neighbours: most of each set agrees, and every
    # neighbour lies in the point's own mode
    overlap = [len(set(a) & set(b)) / 10 for a, b in zip(nb.tolist(), euclid.tolist())]
    assert sum(overlap) / len(overlap) > 0.9
    assert (mix.y[nb] == mix.y[:, None]).all()


def test_neighbour_pairs_draw_real_neighbours_uniformly():
    f = torch.randn(6, 3, generator=_g(8))
    nb = ic.cosine_knn(f, 3)
    pairs = ic.neighbour_pairs(nb, 60_000, generator=_g(9))
    assert pairs.instance.shape == pairs.neighbour.shape == (60_000,)
    members = nb[pairs.instance]  # (B, k)
    assert (members == pairs.neighbour[:, None]).any(dim=1).all()
    assert not (pairs.instance == pairs.neighbour).any()
    # Monte Carlo: i uniform over 6 instances, then each of the 3 neighbours with probability 1/3
    freq_i = torch.bincount(pairs.instance, minlength=6).double() / 60_000
    assert (freq_i - 1 / 6).abs().max() < 0.01
    slot = (members == pairs.neighbour[:, None]).double().argmax(dim=1)
    freq_j = torch.bincount(slot, minlength=3).double() / 60_000
    assert (freq_j - 1 / 3).abs().max() < 0.01
    again = ic.neighbour_pairs(nb, 60_000, generator=_g(9))
    assert torch.equal(again.instance, pairs.instance) and torch.equal(again.neighbour, pairs.neighbour)


def _toy_generator(cond_dim: int) -> gan.MLPGenerator:
    return gan.MLPGenerator(2, 2, (8,), cond_dim=cond_dim, generator=_g(10))


def test_sample_around_is_g_of_noise_and_one_instance():
    net = _toy_generator(3)
    h = torch.randn(3, generator=_g(11))
    out = ic.sample_around(net, h, 7, generator=_g(12))
    z = torch.randn(7, 2, generator=_g(12))
    with torch.no_grad():
        torch.testing.assert_close(out, net(z, h.repeat(7, 1)))
    assert not out.requires_grad


def test_sample_mixture_draws_instances_uniformly_then_noise():
    net = _toy_generator(3)
    feats = torch.randn(5, 3, generator=_g(13))
    out = ic.sample_mixture(net, feats, 9, generator=_g(14))
    gen = _g(14)
    i = torch.randint(5, (9,), generator=gen)
    z = torch.randn(9, 2, generator=gen)
    with torch.no_grad():
        torch.testing.assert_close(out, net(z, feats[i]))


def test_neighbourhood_rate_matches_a_loop_and_mode_metric():
    gen = _g(15)
    dat = torch.randn(40, 2, generator=gen)
    samples = torch.randn(25, 2, generator=gen)
    members = torch.tensor([0, 3, 7, 8, 20])
    loop = 0
    for s in samples.tolist():
        dists = [(a - s[0]) ** 2 + (b - s[1]) ** 2 for a, b in dat.tolist()]
        loop += dists.index(min(dists)) in members.tolist()
    assert ic.neighbourhood_rate(samples, dat, members) == pytest.approx(loop / 25)
    # the data points themselves are their own nearest points: members score 1, non-members 0
    assert ic.neighbourhood_rate(dat[members], dat, members) == 1.0
    others = torch.tensor([i for i in range(40) if i not in members.tolist()])
    assert ic.neighbourhood_rate(dat[others], dat, members) == 0.0


def test_mode_metric_on_mixture_samples_of_a_perfect_instance_generator():
    """A 'generator' returning its instance (plus tiny noise) covers every mode of the grid: mode_coverage use."""
    mix = data.gaussian_grid(500, generator=_g(16))

    class Echo(torch.nn.Module):
        noise_dim = 2

        def forward(self, z, h):
            return h[:, :2] / h[:, 2:] * 8.0 + 1e-3 * z  # undo the lift of instance_features(x, 8)

    feats = ic.instance_features(mix.x, 8.0)
    samples = ic.sample_mixture(Echo(), feats, 2000, generator=_g(17))
    cov = metrics.mode_coverage(samples, mix.centers, mix.std)
    assert cov.covered == 25 and cov.high_quality > 0.99
