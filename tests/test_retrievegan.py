"""Tests for paperlib.adversarial.retrievegan (RetrieveGAN, arXiv 2007.08513) and paperlib.data.patch_scenes."""

from __future__ import annotations

import itertools
import math

import pytest
import torch
import torch.nn.functional as F

from paperlib import data, metrics, runtime
from paperlib.adversarial import retrievegan as rg
from paperlib.data.patch_scenes import BACKGROUND


def _g(seed=0):
    return runtime.make_generator(seed)


# --------------------------------------------------------------------------- Gumbel noise and Gumbel-softmax
def test_gumbel_noise_matches_the_gumbel_distribution():
    g = rg.gumbel_noise((200_000,), generator=_g(), dtype=torch.float64)
    # Gumbel(0, 1): mean = Euler-Mascheroni constant, variance = pi^2 / 6, CDF exp(-exp(-x))
    assert abs(g.mean().item() - 0.5772156649) < 0.01
    assert abs(g.var().item() - math.pi**2 / 6) < 0.03
    for x in (-1.0, 0.0, 1.0, 2.5):
        assert abs((g <= x).double().mean().item() - math.exp(-math.exp(-x))) < 0.005


def test_gumbel_softmax_equals_softmax_of_perturbed_logits():
    logits = torch.randn(5, 7, generator=_g(1), dtype=torch.float64)
    noise = rg.gumbel_noise((5, 7), generator=_g(2), dtype=torch.float64)
    for tau in (0.1, 1.0, 3.0):
        naive = torch.empty_like(logits)
        for b in range(5):
            e = [math.exp((logits[b, j].item() + noise[b, j].item()) / tau) for j in range(7)]
            for j in range(7):
                naive[b, j] = e[j] / sum(e)
        torch.testing.assert_close(rg.gumbel_softmax(logits, tau, noise=noise), naive)


def test_hard_sample_frequencies_match_softmax_probabilities():
    # Gumbel-max trick: argmax(logits + g) ~ Categorical(softmax(logits)); binomial std < 0.0025 at n = 40k
    logits = torch.tensor([2.0, 1.0, 0.0, -0.5, -3.0])
    y = rg.gumbel_softmax(logits.expand(40_000, 5), 0.7, hard=True, generator=_g(3))
    torch.testing.assert_close(y.mean(0), torch.softmax(logits, 0), atol=0.01, rtol=0)


def test_soft_sample_mean_tends_to_softmax_at_small_tau_and_uniform_at_large_tau():
    logits = torch.tensor([1.0, 0.0, -1.0])
    small = rg.gumbel_softmax(logits.expand(40_000, 3), 0.01, generator=_g(4)).mean(0)
    large = rg.gumbel_softmax(logits.expand(40_000, 3), 1e4, generator=_g(5)).mean(0)
    torch.testing.assert_close(small, torch.softmax(logits, 0), atol=0.01, rtol=0)
    torch.testing.assert_close(large, torch.full((3,), 1 / 3), atol=1e-3, rtol=0)


def test_hard_output_is_one_hot_with_the_soft_gradient():
    logits = torch.randn(6, 5, generator=_g(6), dtype=torch.float64)
    noise = rg.gumbel_noise((6, 5), generator=_g(7), dtype=torch.float64)
    w = torch.randn(6, 5, generator=_g(8), dtype=torch.float64)
    grads = []
    for hard in (True, False):
        z = logits.clone().requires_grad_(True)
        y = rg.gumbel_softmax(z, 0.5, hard=hard, noise=noise)
        if hard:
            assert ((y == 0) | (y == 1)).all() and (y.sum(-1) == 1).all()
            assert torch.equal(y.argmax(-1), (logits + noise).argmax(-1))
        (y * w).sum().backward()
        grads.append(z.grad)
    torch.testing.assert_close(grads[0], grads[1])


def test_gumbel_softmax_gradcheck_float64():
    noise = rg.gumbel_noise((3, 4), generator=_g(9), dtype=torch.float64)
    z = torch.randn(3, 4, generator=_g(10), dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda x: rg.gumbel_softmax(x, 0.7, noise=noise), (z,))


def test_gumbel_softmax_entropy_falls_with_tau():
    logits = torch.randn(64, 8, generator=_g(11))
    noise = rg.gumbel_noise((64, 8), generator=_g(12))
    ent = [metrics.entropy(rg.gumbel_softmax(logits, tau, noise=noise)).mean().item() for tau in (0.1, 0.5, 1, 2, 10)]
    assert all(a < b for a, b in zip(ent, ent[1:]))


def test_gumbel_softmax_with_minus_inf_never_selects_masked_items():
    logits = torch.tensor([[0.0, float("-inf"), 1.0, float("-inf")]]).expand(5000, 4)
    y = rg.gumbel_softmax(logits, 0.5, generator=_g(13))
    assert torch.isfinite(y).all() and (y[:, [1, 3]] == 0).all()


# --------------------------------------------------------------------------- iterative top-n
def _naive_top_n(logits, noise, n):
    """Loop over rows and steps: pick argmax of (logits + noise) among the items not chosen yet."""
    picks = []
    for b in range(logits.shape[0]):
        chosen = []
        for t in range(n):
            row = logits[b, t] if logits.dim() == 3 else logits[b]
            vals = [(row[j] + noise[b, t, j]).item() if j not in chosen else -math.inf for j in range(logits.shape[-1])]
            chosen.append(max(range(len(vals)), key=vals.__getitem__))
        picks.append(chosen)
    return torch.tensor(picks)


@pytest.mark.parametrize("per_step", [False, True])
def test_top_n_matches_a_naive_loop_and_never_picks_twice(per_step):
    b, n, k = 50, 4, 6
    logits = torch.randn(b, n, k, generator=_g(14)) if per_step else torch.randn(b, k, generator=_g(14))
    noise = rg.gumbel_noise((b, n, k), generator=_g(15))
    for mode in rg.MODES:
        sel = rg.select_top_n(logits, n, 0.5, mode=mode, noise=noise)
        assert torch.equal(sel.index, _naive_top_n(logits, noise, n))
        assert all(len(set(row)) == n for row in sel.index.tolist())
        assert sel.weights.shape == sel.soft.shape == (b, n, k)
        # a chosen item gets zero weight at every later step
        for t, u in itertools.combinations(range(n), 2):
            assert (sel.soft[torch.arange(b), u, sel.index[:, t]] == 0).all()


def test_top_n_with_n_equal_k_is_a_permutation():
    sel = rg.select_top_n(torch.randn(20, 5, generator=_g(16)), 5, 1.0, generator=_g(17))
    assert torch.equal(sel.index.sort(1).values, torch.arange(5).expand(20, 5))


def test_top_n_zero_noise_is_the_sorted_order_of_one_query():
    logits = torch.randn(10, 7, generator=_g(18))
    sel = rg.select_top_n(logits, 3, 1.0, mode="argmax", noise=torch.zeros(10, 3, 7))
    assert torch.equal(sel.index, logits.argsort(1, descending=True)[:, :3])


def test_top_n_modes_share_the_forward_but_only_argmax_blocks_the_gradient():
    logits = torch.randn(4, 6, generator=_g(19))
    noise = rg.gumbel_noise((4, 3, 6), generator=_g(20))
    w = torch.randn(4, 3, 6, generator=_g(21))
    out = {}
    for mode in rg.MODES:
        z = logits.clone().requires_grad_(True)
        sel = rg.select_top_n(z, 3, 0.5, mode=mode, noise=noise)
        loss = (sel.weights * w).sum()
        if loss.requires_grad:
            loss.backward()
        out[mode] = (sel, z.grad)
    assert torch.equal(out["hard"][0].weights.detach(), out["argmax"][0].weights)
    assert torch.equal(out["hard"][0].index, out["soft"][0].index)
    assert out["argmax"][1] is None  # no path from the plain argmax back to the scores
    torch.testing.assert_close(out["hard"][1], out["soft"][1])  # straight-through: the soft gradient
    assert out["soft"][1].abs().sum() > 0


def test_top_n_pick_frequencies_match_sampling_without_replacement():
    # P(first two picks = (i, j)) = p_i * p_j / (1 - p_i) for the Gumbel top-n of one score vector
    logits = torch.tensor([1.0, 0.5, 0.0, -1.0])
    p = torch.softmax(logits, 0)
    sel = rg.select_top_n(logits.expand(40_000, 4), 2, 1.0, mode="argmax", generator=_g(22))
    pairs = sel.index[:, 0] * 4 + sel.index[:, 1]
    freq = torch.bincount(pairs, minlength=16).float() / len(pairs)
    for i, j in itertools.permutations(range(4), 2):
        expected = (p[i] * p[j] / (1 - p[i])).item()
        assert abs(freq[i * 4 + j].item() - expected) < 0.01, (i, j)


def test_retrieve_matches_a_loop_and_one_hot_picks_exact_items():
    cand = torch.randn(3, 5, 2, 4, 4, generator=_g(23))
    w = torch.softmax(torch.randn(3, 2, 5, generator=_g(24)), -1)
    out = rg.retrieve(w, cand)
    for b, t in itertools.product(range(3), range(2)):
        torch.testing.assert_close(out[b, t], sum(w[b, t, j] * cand[b, j] for j in range(5)))
    one_hot = F.one_hot(torch.tensor([[1, 4], [0, 2], [3, 3]]), 5).float()
    assert torch.equal(rg.retrieve(one_hot, cand)[2, 1], cand[2, 3])


def test_entropy_matches_closed_forms():
    torch.testing.assert_close(metrics.entropy(torch.full((2, 8), 1 / 8)), torch.full((2,), math.log(8)))
    torch.testing.assert_close(metrics.entropy(F.one_hot(torch.tensor([2, 0]), 5).float()), torch.zeros(2))


# --------------------------------------------------------------------------- losses
def test_gt_selection_loss_matches_a_naive_loop():
    logits = torch.randn(4, 3, 6, generator=_g(25), dtype=torch.float64)
    gt = torch.tensor([[0, 1, 2], [5, 4, 3], [2, 0, 5], [1, 3, 0]])
    total = 0.0
    for b in range(4):
        for t in range(3):
            allowed = [j for j in range(6) if j not in gt[b, :t].tolist()]
            lse = math.log(sum(math.exp(logits[b, t, j].item()) for j in allowed))
            total += lse - logits[b, t, gt[b, t]].item()
    assert abs(rg.gt_selection_loss(logits, gt).item() - total / 12) < 1e-10
    # gradcheck in float64
    z = logits.clone().requires_grad_(True)
    assert torch.autograd.gradcheck(lambda x: rg.gt_selection_loss(x, gt), (z,))


def test_gt_selection_loss_is_small_when_gt_dominates():
    gt = torch.tensor([[2, 0]])
    logits = torch.zeros(1, 2, 4)
    logits[0, 0, 2] = logits[0, 1, 0] = 20.0
    assert rg.gt_selection_loss(logits, gt).item() < 1e-6


def test_triplet_loss_matches_a_naive_formula():
    a, p, n = (torch.randn(7, 3, generator=_g(s), dtype=torch.float64) for s in (26, 27, 28))
    naive = sum(max(0.0, ((a[i] - p[i]) ** 2).sum().item() - ((a[i] - n[i]) ** 2).sum().item() + 0.8) for i in range(7)) / 7
    assert abs(rg.triplet_loss(a, p, n, 0.8).item() - naive) < 1e-12
    assert rg.triplet_loss(a, a, a + 100, 1.0).item() == 0.0


def test_cooccurrence_loss_matches_pairwise_loop_and_vanishes_for_identical_embeddings():
    e = torch.randn(3, 4, 5, generator=_g(29), dtype=torch.float64)
    naive = sum(((e[b, t] - e[b, u]) ** 2).sum().item() for b in range(3) for t in range(4) for u in range(4) if t != u) / (3 * 4 * 3)
    assert abs(rg.cooccurrence_loss(e).item() - naive) < 1e-9
    assert rg.cooccurrence_loss(e[:, :1].expand(3, 4, 5)).item() < 1e-12


# --------------------------------------------------------------------------- models
def test_patch_selector_scores_are_scaled_inner_products():
    sel = rg.PatchSelector(4, 3, (3, 6, 6), dim=8, generator=_g(30))
    cand = torch.rand(2, 5, 3, 6, 6, generator=_g(31))
    shapes, palette = torch.tensor([[0, 3], [2, 1]]), torch.tensor([2, 0])
    scores = sel(cand, shapes, palette)
    assert scores.shape == (2, 2, 5)
    e = sel.embed_patches(cand)
    for b, t in itertools.product(range(2), range(2)):
        onehot = torch.cat([F.one_hot(shapes[b, t], 4), F.one_hot(palette[b], 3)]).float()
        q = sel.query(onehot)
        torch.testing.assert_close(scores[b, t], e[b] @ q / math.sqrt(8))


def test_scene_generator_starts_as_the_pasted_canvas_and_places_patches():
    gen = rg.SceneGenerator(3, generator=_g(32))
    patches = torch.rand(2, 2, 3, 4, 4, generator=_g(33))
    cells = torch.tensor([[0, 8], [4, 5]])
    out = gen(patches, cells)
    assert out.shape == (2, 3, 12, 12)
    torch.testing.assert_close(out[0, :, 0:4, 0:4], patches[0, 0])
    torch.testing.assert_close(out[0, :, 8:12, 8:12], patches[0, 1])
    torch.testing.assert_close(out[1, :, 4:8, 4:8], patches[1, 0])
    torch.testing.assert_close(out[1, :, 4:8, 8:12], patches[1, 1])
    torch.testing.assert_close(out[0, :, 4:8, 0:4], torch.full((3, 4, 4), BACKGROUND))


def test_downstream_gradient_reaches_the_selector_only_through_a_differentiable_selection():
    sel = rg.PatchSelector(4, 4, (3, 8, 8), generator=_g(34))
    gen = rg.SceneGenerator(3, generator=_g(35))
    scenes = data.patch_scenes(data.patch_bank(2, generator=_g(36)), 4, generator=_g(37))
    for mode in rg.MODES:
        sel.zero_grad()
        scores = sel(scenes.candidates, scenes.shapes, scenes.palette)
        picked = rg.select_top_n(scores, 3, 1.0, mode=mode, generator=_g(38))
        loss = (gen(rg.retrieve(picked.weights, scenes.candidates), scenes.cells) - scenes.images).abs().mean()
        loss.backward()
        grad = sum(p.grad.abs().sum().item() for p in sel.parameters() if p.grad is not None)
        assert (grad > 0) == (mode != "argmax"), mode


# --------------------------------------------------------------------------- data
def test_patch_bank_layout():
    bank = data.patch_bank(3, size=8, generator=_g(39))
    assert bank.patches.shape == (4 * 4 * 3, 3, 8, 8)
    assert bank.patches.min() >= 0 and bank.patches.max() <= 1
    assert torch.equal(bank.shape, torch.arange(4).repeat_interleave(12))
    assert torch.equal(bank.palette, torch.arange(4).repeat_interleave(3).repeat(4))


def test_patch_scenes_candidates_ground_truth_and_distractors():
    bank = data.patch_bank(6, generator=_g(40))
    s = data.patch_scenes(bank, 300, n_objects=3, k=8, grid=3, generator=_g(41))
    assert s.images.shape == (300, 3, 24, 24) and s.candidates.shape == (300, 8, 3, 8, 8)
    torch.testing.assert_close(s.candidates, bank.patches[s.candidate_ids])
    for b in range(300):
        ids = s.candidate_ids[b].tolist()
        assert len(set(ids)) == 8 and len(set(s.gt[b].tolist())) == 3 and len(set(s.cells[b].tolist())) == 3
        asked = set(s.shapes[b].tolist())
        assert len(asked) == 3
        for t in range(3):
            j = ids[s.gt[b, t]]
            assert bank.shape[j] == s.shapes[b, t] and bank.palette[j] == s.palette[b]
            r, c = divmod(s.cells[b, t].item(), 3)
            torch.testing.assert_close(s.images[b, :, 8 * r:8 * r + 8, 8 * c:8 * c + 8], bank.patches[j])
        for pos in set(range(8)) - set(s.gt[b].tolist()):
            j = ids[pos]
            assert (bank.shape[j].item() in asked) != (bank.palette[j] == s.palette[b]).item()
    # a uniformly random candidate is each object's ground truth with chance 1/k
    hit = (s.gt == torch.randint(8, (300, 3), generator=_g(42))).float().mean().item()
    assert abs(hit - 1 / 8) < 0.04


def test_paste_patches_is_linear_and_matches_slicing():
    p = torch.rand(2, 2, 3, 5, 5, generator=_g(43))
    cells = torch.tensor([[3, 1], [0, 2]])
    out = data.paste_patches(p, cells, 2, background=0.25)
    torch.testing.assert_close(out[0, :, 5:10, 5:10], p[0, 0])  # cell 3 = row 1, column 1
    torch.testing.assert_close(out[0, :, 0:5, 5:10], p[0, 1])
    torch.testing.assert_close(out[1, :, 5:10, 0:5], p[1, 1])
    torch.testing.assert_close(out[1, :, 0:5, 5:10], torch.full((3, 5, 5), 0.25))
    z = p.double().requires_grad_(True)
    assert torch.autograd.gradcheck(lambda x: data.paste_patches(x, cells, 2), (z,))


def test_same_seed_same_scenes():
    a = data.patch_scenes(data.patch_bank(2, generator=_g(44)), 5, generator=_g(45))
    b = data.patch_scenes(data.patch_bank(2, generator=_g(44)), 5, generator=_g(45))
    assert all(torch.equal(x, y) for x, y in zip(a, b))
