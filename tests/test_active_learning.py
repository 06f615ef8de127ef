"""Tests for paperlib.methods.active_learning (Munjal et al., CVPR 2022, arXiv 2002.09564)."""

from __future__ import annotations

import itertools
import math
from collections import Counter

import pytest
import torch
import torch.nn.functional as F

from paperlib import layers, metrics, runtime, train
from paperlib.methods import active_learning as al


def _gen(seed=0):
    return runtime.make_generator(seed)


def _probs(*shape, seed=0):
    return torch.softmax(3 * torch.randn(*shape, generator=_gen(seed), dtype=torch.float64), dim=-1)


# --------------------------------------------------------------------------- selection
def test_random_batch_is_distinct_in_range_and_seeded():
    idx = al.random_batch(50, 20, generator=_gen(1))
    assert idx.shape == (20,) and len(set(idx.tolist())) == 20 and idx.min() >= 0 and idx.max() < 50
    torch.testing.assert_close(idx, al.random_batch(50, 20, generator=_gen(1)))
    assert sorted(al.random_batch(7, 7, generator=_gen(2)).tolist()) == list(range(7))  # k = pool size: everything


def test_top_k_matches_torch_topk_and_breaks_ties_at_random():
    scores = torch.randn(30, generator=_gen(3))
    torch.testing.assert_close(al.top_k(scores, 5, generator=_gen(0)), torch.topk(scores, 5).indices)
    tied = torch.tensor([0.0, 1.0, 1.0, 1.0, 0.5])  # one of the three 1.0s is picked
    picks = Counter(al.top_k(tied, 1, generator=_gen(s)).item() for s in range(300))
    assert set(picks) == {1, 2, 3} and min(picks.values()) > 60  # roughly uniform among the tied
    assert set(al.top_k(tied, 3, generator=_gen(0)).tolist()) == {1, 2, 3}


# --------------------------------------------------------------------------- scores
def test_entropy_matches_naive_loop_and_its_extremes():
    p = _probs(6, 4)
    naive = [-sum(v * math.log(v) for v in row.tolist() if v > 0) for row in p]
    torch.testing.assert_close(metrics.entropy(p), torch.tensor(naive, dtype=torch.float64))
    torch.testing.assert_close(metrics.entropy(torch.full((2, 5), 0.2)), torch.full((2,), math.log(5)))
    torch.testing.assert_close(metrics.entropy(torch.eye(3)), torch.zeros(3))  # 0 log 0 = 0


def test_bald_equals_mutual_information_on_hand_made_samples():
    # two confident passes that disagree: I = log 2; two identical passes: I = 0
    disagree = torch.tensor([[[1.0, 0.0]], [[0.0, 1.0]]])  # (T=2, N=1, C=2)
    agree = torch.tensor([[[0.7, 0.3]], [[0.7, 0.3]]])
    torch.testing.assert_close(al.bald(disagree), torch.tensor([math.log(2)]))
    torch.testing.assert_close(al.bald(agree), torch.zeros(1), atol=1e-7, rtol=0)
    # second computation: I = mean_t KL(p_t || mean p), a double loop
    mc = _probs(7, 5, 3, seed=4)
    mean = mc.mean(0)
    naive = [sum(sum(mc[t, n, c] * math.log(mc[t, n, c] / mean[n, c]) for c in range(3)) for t in range(7)) / 7 for n in range(5)]
    torch.testing.assert_close(al.bald(mc), torch.tensor(naive, dtype=torch.float64))
    assert (al.bald(mc) <= metrics.entropy(mean) + 1e-12).all()  # I[y; w] <= H[y]


def test_variation_ratio_matches_vote_counting():
    committee = _probs(5, 40, 3, seed=5)
    out = al.variation_ratio(committee)
    votes = committee.argmax(2)
    naive = [1 - Counter(votes[:, n].tolist()).most_common(1)[0][1] / 5 for n in range(40)]
    torch.testing.assert_close(out, torch.tensor(naive, dtype=torch.float32))
    same = committee[:1].expand(4, -1, -1)
    torch.testing.assert_close(al.variation_ratio(same), torch.zeros(40))  # unanimous committee


def test_mc_dropout_probs_is_seeded_stochastic_and_leaves_rng_alone():
    model = layers.mlp((4, 16, 3), dropout=0.5, generator=_gen(0))
    x = torch.randn(10, 4, generator=_gen(1))
    state = torch.get_rng_state()
    a = al.mc_dropout_probs(model, x, 6, generator=_gen(7))
    assert torch.equal(state, torch.get_rng_state())
    b = al.mc_dropout_probs(model, x, 6, generator=_gen(7))
    assert a.shape == (6, 10, 3) and torch.equal(a, b)
    torch.testing.assert_close(a.sum(-1), torch.ones(6, 10))
    assert (a[0] - a[1]).abs().max() > 1e-3  # dropout masks differ between passes
    assert not model.training  # back in eval mode
    # with dropout p -> tiny the passes agree with the deterministic forward
    quiet = layers.mlp((4, 16, 3), dropout=1e-9, generator=_gen(0))
    torch.testing.assert_close(al.mc_dropout_probs(quiet, x, 3, generator=_gen(0))[0], torch.softmax(quiet.eval()(x), 1))


# --------------------------------------------------------------------------- Coreset
def _naive_greedy(pool, centres, k):
    chosen, cent = [], [c for c in centres]
    for _ in range(k):
        best, best_d = None, -1.0
        for u in range(len(pool)):
            d = min(math.dist(pool[u], c) for c in cent)
            if d > best_d:
                best, best_d = u, d
        chosen.append(best)
        cent.append(pool[best])
    return chosen


def test_k_center_greedy_matches_naive_loop():
    pool, centres = torch.randn(25, 3, generator=_gen(8)), torch.randn(2, 3, generator=_gen(9))
    got = al.k_center_greedy(pool, centres, 6)
    assert got.tolist() == _naive_greedy(pool.tolist(), centres.tolist(), 6)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_k_center_greedy_is_within_twice_the_brute_force_optimum(k):
    pool, centres = torch.randn(9, 2, generator=_gen(10 + k)), torch.randn(1, 2, generator=_gen(20 + k))
    greedy = al.cover_radius(pool, torch.cat([centres, pool[al.k_center_greedy(pool, centres, k)]]))
    best = min(al.cover_radius(pool, torch.cat([centres, pool[list(s)]])) for s in itertools.combinations(range(9), k))
    assert best <= greedy + 1e-12 and greedy <= 2 * best + 1e-12


def test_cover_radius_matches_naive_loop():
    pool, centres = torch.randn(12, 4, generator=_gen(11)), torch.randn(3, 4, generator=_gen(12))
    naive = max(min(math.dist(u, c) for c in centres.tolist()) for u in pool.tolist())
    assert al.cover_radius(pool, centres) == pytest.approx(naive)


def test_penultimate_is_the_forward_without_the_last_layer():
    model = layers.mlp((64, 32, 10), dropout=0.3, generator=_gen(0))
    x = torch.rand(5, 64, generator=_gen(1))
    with torch.no_grad():
        expected = torch.relu(model[0](x))
    torch.testing.assert_close(al.penultimate(model, x), expected)


# --------------------------------------------------------------------------- training
def test_shift_digits_matches_naive_loop():
    x = torch.rand(6, 64, generator=_gen(2))
    out = al.shift_digits(x, 2, generator=_gen(5))
    shifts = torch.randint(-2, 3, (6, 2), generator=_gen(5))  # the same draws
    for i in range(6):
        dy, dx = shifts[i].tolist()
        img = x[i].view(8, 8)
        for r in range(8):
            for c in range(8):
                inside = 0 <= r - dy < 8 and 0 <= c - dx < 8
                assert out[i].view(8, 8)[r, c] == (img[r - dy, c - dx] if inside else 0.0)
    torch.testing.assert_close(al.shift_digits(x, 0, generator=_gen(0)), x)


def test_steps_are_cross_entropy():
    model = layers.mlp((64, 8, 10), generator=_gen(0))
    x, y = torch.rand(7, 64, generator=_gen(1)), torch.arange(7)
    torch.testing.assert_close(train.classification_step(model, (x, y)), F.cross_entropy(model(x), y))
    torch.testing.assert_close(al.regularised_step(0.0, generator=_gen(0))(model, (x, y)), F.cross_entropy(model(x), y))
    noisy = x + 0.3 * torch.randn(x.shape, generator=_gen(4))  # the same draw as the step's
    torch.testing.assert_close(al.regularised_step(0.3, generator=_gen(4))(model, (x, y)), F.cross_entropy(model(noisy), y))


# --------------------------------------------------------------------------- query
@pytest.mark.parametrize("strategy", al.STRATEGIES)
def test_query_returns_distinct_pool_indices(strategy):
    models = [layers.mlp((64, 16, 10), dropout=0.3, generator=_gen(s)).eval() for s in range(3)]
    x_pool, x_lab = torch.rand(40, 64, generator=_gen(1)), torch.rand(5, 64, generator=_gen(2))
    idx = al.query(strategy, models, x_pool, 8, x_labelled=x_lab, generator=_gen(3))
    assert idx.shape == (8,) and len(set(idx.tolist())) == 8 and 0 <= idx.min() and idx.max() < 40
    torch.testing.assert_close(idx, al.query(strategy, models, x_pool, 8, x_labelled=x_lab, generator=_gen(3)))


def test_query_strategies_use_their_scores():
    model = layers.mlp((64, 16, 10), dropout=0.3, generator=_gen(0)).eval()
    x_pool, x_lab = torch.rand(40, 64, generator=_gen(1)), torch.rand(5, 64, generator=_gen(2))
    ent = metrics.entropy(torch.softmax(model(x_pool), 1))
    assert set(al.query("entropy", [model], x_pool, 5, generator=_gen(0)).tolist()) == set(ent.topk(5).indices.tolist())
    coreset = al.query("coreset", [model], x_pool, 5, x_labelled=x_lab, generator=_gen(0))
    torch.testing.assert_close(coreset, al.k_center_greedy(al.penultimate(model, x_pool), al.penultimate(model, x_lab), 5))


def test_oracle_query_takes_the_nearest_pool_point_of_each_mistake():
    model = layers.mlp((64, 16, 10), generator=_gen(0)).eval()
    x_ref = torch.rand(5, 64, generator=_gen(1))
    pred = model(x_ref).argmax(1)
    y_ref = pred.clone()
    y_ref[[1, 3]] = (pred[[1, 3]] + 1) % 10  # the model gets reference points 1 and 3 wrong
    x_pool = torch.rand(20, 64, generator=_gen(2))
    x_pool[7], x_pool[12] = x_ref[1] + 0.01, x_ref[3] - 0.01  # their near copies in the pool
    assert set(al.oracle_query(model, x_pool, x_ref, y_ref, 2, generator=_gen(0)).tolist()) == {7, 12}
    idx = al.oracle_query(model, x_pool, x_ref, y_ref, 6, generator=_gen(0))
    assert {7, 12} <= set(idx.tolist()) and len(set(idx.tolist())) == 6  # topped up at random
    right = al.oracle_query(model, x_pool, x_ref, pred, 4, generator=_gen(3))  # no mistakes: a random batch
    torch.testing.assert_close(right, torch.randperm(20, generator=_gen(3))[:4])
