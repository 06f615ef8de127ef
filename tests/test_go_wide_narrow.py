"""Tests for paperlib.methods.go_wide_narrow (Zhou et al. 2020, arXiv 2007.00811), each against a second computation."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from paperlib import layers, runtime, train
from paperlib.methods import go_wide_narrow as GWN


def _g(seed=0):
    return runtime.make_generator(seed)


def _naive_mlp(net, x):
    """The net written out by hand: h = relu(W h + b) for the hidden layers, logits = W h + b."""
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]
    h = x
    for k, lin in enumerate(linears):
        h = h @ lin.weight.T + lin.bias
        if k < len(linears) - 1:
            h = h.clamp_min(0)
    return h


def _perturb(sbar, seed=5, scale=0.3):
    with torch.no_grad():
        for p in [*sbar.widen.parameters(), *sbar.narrow.parameters()]:
            p.add_(scale * torch.randn(p.shape, generator=_g(seed)))


# --------------------------------------------------------------------------- the nets and their blocks
def test_deep_mlp_is_layers_mlp_of_one_width():
    net = GWN.deep_mlp(7, 4, 3, 2, generator=_g(1))
    ref = layers.mlp((7, 4, 4, 4, 2), generator=_g(1))
    x = torch.rand(5, 7, generator=_g(2))
    torch.testing.assert_close(net(x), ref(x))
    assert [m.out_features for m in net if isinstance(m, torch.nn.Linear)] == [4, 4, 4, 2]


def test_blocks_compose_to_the_net_and_block_outputs_match_a_naive_pass():
    net = GWN.deep_mlp(7, 4, 3, 2, generator=_g(1))
    x = torch.rand(5, 7, generator=_g(2))
    blocks = GWN.mlp_blocks(net)
    assert len(blocks) == 4
    h = x
    for b in blocks:
        h = b(h)
    torch.testing.assert_close(h, net(x))
    torch.testing.assert_close(h, _naive_mlp(net, x))
    outs = GWN.block_outputs(net, x)
    # block i ends in Linear_i: its output is the pre-activation of the naive pass
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]
    z = x
    for k, lin in enumerate(linears):
        z = z @ lin.weight.T + lin.bias
        torch.testing.assert_close(outs[k], z)
        z = z.clamp_min(0)
    # blocks share the net's parameters: changing a block changes the net
    with torch.no_grad():
        blocks[1][1].bias.add_(1.0)
    assert not torch.allclose(net(x), h)


# --------------------------------------------------------------------------- widening / narrowing maps
def test_maps_preserve_the_thin_function_at_initialisation():
    for w, W, depth in [(3, 3, 1), (4, 9, 3), (6, 48, 8)]:
        thin = GWN.deep_mlp(10, w, depth, 5, generator=_g(w))
        x = torch.rand(32, 10, generator=_g(7))
        before = _naive_mlp(thin, x)
        sbar = GWN.WidenNarrow(thin, W, generator=_g(9))
        torch.testing.assert_close(sbar(x), before, atol=1e-5, rtol=1e-5)
        for p, q in zip(sbar.widen, sbar.narrow):
            torch.testing.assert_close(q.weight @ p.weight, torch.eye(w), atol=1e-5, rtol=0)  # Q P = I
            assert p.weight.shape == (W, w) and q.weight.shape == (w, W)
            assert p.bias.abs().max() == 0 and q.bias.abs().max() == 0


def test_sbar_forward_equals_the_explicit_composition():
    thin = GWN.deep_mlp(6, 3, 3, 4, generator=_g(1))
    sbar = GWN.WidenNarrow(thin, 7, generator=_g(2))
    _perturb(sbar)
    x = torch.rand(8, 6, generator=_g(3))
    lins = [m for m in thin if isinstance(m, torch.nn.Linear)]
    h = x
    for k, lin in enumerate(lins):
        if k > 0:  # S_i = ReLU then Linear_i, after Q_{i-1} P_{i-1}
            h = h.clamp_min(0)
        h = F.linear(h, lin.weight, lin.bias)
        if k < len(lins) - 1:
            h = F.linear(F.linear(h, sbar.widen[k].weight, sbar.widen[k].bias), sbar.narrow[k].weight, sbar.narrow[k].bias)
    torch.testing.assert_close(sbar(x), h)


def test_merge_equals_sbar_after_the_maps_changed_and_keeps_the_thin_shape():
    thin = GWN.deep_mlp(6, 3, 4, 4, generator=_g(1))
    sbar = GWN.WidenNarrow(thin, 11, generator=_g(2))
    _perturb(sbar, scale=0.5)
    x = torch.rand(16, 6, generator=_g(3))
    merged = sbar.merge()
    torch.testing.assert_close(merged(x), sbar(x), atol=1e-5, rtol=1e-4)
    assert [tuple(p.shape) for p in merged.parameters()] == [tuple(p.shape) for p in thin.parameters()]
    # the control: dropping P, Q instead of merging them is wrong once they moved
    assert (thin(x) - sbar(x)).abs().max() > 1e-2
    # merge copies: the thin net inside S-bar is left unchanged
    assert merged[0].weight.data_ptr() != thin[0].weight.data_ptr()


def test_merge_in_float64_is_exact_to_rounding():
    thin = GWN.deep_mlp(6, 3, 2, 4, generator=_g(1)).double()
    sbar = GWN.WidenNarrow(thin, 5, generator=_g(2)).double()
    _perturb(sbar)
    x = torch.rand(4, 6, generator=_g(3), dtype=torch.float64)
    torch.testing.assert_close(sbar.merge().double()(x), sbar(x), atol=1e-12, rtol=1e-12)


def test_stage_holds_exactly_its_blocks_parameters():
    thin = GWN.deep_mlp(6, 3, 2, 4, generator=_g(1))
    sbar = GWN.WidenNarrow(thin, 5, generator=_g(2))
    ids = lambda m: {id(p) for p in m.parameters()}  # noqa: E731
    assert ids(sbar.stage(1)) == ids(thin[0]) | ids(sbar.widen[0])
    assert ids(sbar.stage(2)) == ids(sbar.narrow[0]) | ids(thin[2]) | ids(sbar.widen[1])
    assert ids(sbar.stage(3)) == ids(sbar.narrow[1]) | ids(thin[4])


# --------------------------------------------------------------------------- stage 2
def test_imitation_targets_centre_and_scale_each_block():
    wide = GWN.deep_mlp(6, 5, 2, 3, generator=_g(1))
    x = torch.rand(40, 6, generator=_g(2))
    raw = GWN.block_outputs(wide, x)
    targets = GWN.imitation_targets(wide, x)
    for t, r in zip(targets[:-1], raw[:-1]):
        torch.testing.assert_close(t.mean(0), torch.zeros(5), atol=1e-5, rtol=0)
        torch.testing.assert_close(t.pow(2).mean(), torch.tensor(1.0))
        c = r - r.mean(0)  # one scale per block: the target is the centred output times a constant
        torch.testing.assert_close(t * (c.pow(2).mean().sqrt()), c, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(targets[-1].argmax(1), raw[-1].argmax(1))
    torch.testing.assert_close(targets[-1] * raw[-1].std(), raw[-1], atol=1e-5, rtol=1e-5)


def test_imitation_step_is_the_mean_squared_error():
    thin = GWN.deep_mlp(6, 3, 2, 4, generator=_g(1))
    sbar = GWN.WidenNarrow(thin, 5, generator=_g(2))
    h, target = torch.randn(7, 5, generator=_g(3)), torch.randn(7, 5, generator=_g(4))
    out = sbar.stage(2)(h)
    naive = sum(((out[b, u] - target[b, u]) ** 2).item() for b in range(7) for u in range(5)) / 35
    torch.testing.assert_close(GWN.imitation_step(sbar.stage(2), (h, target)).item(), naive, rtol=1e-5, atol=1e-7)


def test_layerwise_imitation_trains_block_by_block_and_counts_its_steps():
    g = runtime.seed_everything(0)
    wide = GWN.deep_mlp(6, 8, 2, 3, generator=g)
    thin = GWN.deep_mlp(6, 4, 2, 3, generator=_g(5))
    sbar = GWN.WidenNarrow(thin, 8, generator=_g(6))
    x = torch.rand(50, 6, generator=_g(7))
    targets = GWN.imitation_targets(wide, x)
    before = [F.mse_loss(o, t).item() for o, t in zip(_stage_outputs(sbar, x), targets)]
    result = GWN.layerwise_imitation(sbar, wide, x, epochs=30, batch_size=25, lr=3e-2, generator=_g(8), progress=False)
    after = [F.mse_loss(o, t).item() for o, t in zip(_stage_outputs(sbar, x), targets)]
    assert result.steps == 3 * 30 * 2
    assert len(result.block_loss) == 3
    assert all(a < 0.7 * b for a, b in zip(after, before)), (before, after)


def test_layerwise_imitation_changes_only_the_current_block():
    """Block i is trained with the blocks below frozen: after stage 2, re-training block 1 alone reproduces it."""
    wide = GWN.deep_mlp(6, 8, 2, 3, generator=_g(1))
    x = torch.rand(20, 6, generator=_g(2))
    a = GWN.WidenNarrow(GWN.deep_mlp(6, 4, 2, 3, generator=_g(5)), 8, generator=_g(6))
    b = GWN.WidenNarrow(GWN.deep_mlp(6, 4, 2, 3, generator=_g(5)), 8, generator=_g(6))
    GWN.layerwise_imitation(a, wide, x, epochs=2, batch_size=10, generator=_g(8), progress=False)
    # block 1 by hand with the same fit call: same parameters as stage 2's block 1
    train.fit(b.stage(1), GWN.imitation_step, (x, GWN.imitation_targets(wide, x)[0]), epochs=2, batch_size=10,
              generator=_g(8), progress=False)
    for p, q in zip(a.stage(1).parameters(), b.stage(1).parameters()):
        torch.testing.assert_close(p, q)


def _stage_outputs(sbar, x):
    outs, h = [], x
    with torch.no_grad():
        for i in range(1, sbar.n_blocks + 1):
            h = sbar.stage(i)(h)
            outs.append(h)
    return outs
