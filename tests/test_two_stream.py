"""Two-stream building blocks (paperlib.vision.two_stream) against second computations."""

import math

import pytest
import torch

from paperlib import runtime
from paperlib.vision import two_stream as TS


def _pattern(shift_x, shift_y, size=32, period=16):
    yy, xx = torch.meshgrid(torch.arange(size, dtype=torch.float64), torch.arange(size, dtype=torch.float64), indexing="ij")
    return 0.5 + 0.25 * torch.sin(2 * math.pi * (xx - shift_x) / period) * torch.cos(2 * math.pi * (yy - shift_y) / period)


@pytest.mark.parametrize("u, v", [(0.5, -0.3), (-0.2, 0.4), (0.0, 0.0)])
def test_horn_schunck_recovers_a_known_translation(u, v):
    f1, f2 = _pattern(0, 0)[None], _pattern(u, v)[None]
    flow = TS.horn_schunck(f1, f2, alpha=0.1, iterations=500, padding="circular")
    assert flow[0, 0].mean().item() == pytest.approx(u, abs=0.02)
    assert flow[0, 1].mean().item() == pytest.approx(v, abs=0.02)
    assert flow.std(dim=(2, 3)).max() < 0.02  # the whole field, not only its mean


def _naive_horn_schunck(f1, f2, alpha, iterations):
    """The 1981 paper's formulas written pixel by pixel (replicate border)."""
    h, w = f1.shape
    E = [f1, f2]

    def at(img, i, j):
        return img[min(max(i, 0), h - 1), min(max(j, 0), w - 1)]

    ex, ey, et = torch.zeros(h, w, dtype=f1.dtype), torch.zeros(h, w, dtype=f1.dtype), torch.zeros(h, w, dtype=f1.dtype)
    for i in range(h):
        for j in range(w):
            ex[i, j] = sum(at(E[k], i + di, j + 1) - at(E[k], i + di, j) for k in (0, 1) for di in (0, 1)) / 4
            ey[i, j] = sum(at(E[k], i + 1, j + dj) - at(E[k], i, j + dj) for k in (0, 1) for dj in (0, 1)) / 4
            et[i, j] = sum(at(E[1], i + di, j + dj) - at(E[0], i + di, j + dj) for di in (0, 1) for dj in (0, 1)) / 4
    u, v = torch.zeros(h, w, dtype=f1.dtype), torch.zeros(h, w, dtype=f1.dtype)
    for _ in range(iterations):
        ub, vb = torch.zeros_like(u), torch.zeros_like(v)
        for i in range(h):
            for j in range(w):
                edge = [(i - 1, j), (i + 1, j), (i, j - 1), (i, j + 1)]
                corner = [(i - 1, j - 1), (i - 1, j + 1), (i + 1, j - 1), (i + 1, j + 1)]
                ub[i, j] = sum(at(u, *p) for p in edge) / 6 + sum(at(u, *p) for p in corner) / 12
                vb[i, j] = sum(at(v, *p) for p in edge) / 6 + sum(at(v, *p) for p in corner) / 12
        step = (ex * ub + ey * vb + et) / (alpha**2 + ex**2 + ey**2)
        u, v = ub - ex * step, vb - ey * step
    return torch.stack([u, v])


def test_horn_schunck_matches_the_papers_formulas_pixel_by_pixel():
    g = runtime.make_generator(0)
    f1, f2 = torch.rand(5, 6, generator=g, dtype=torch.float64), torch.rand(5, 6, generator=g, dtype=torch.float64)
    fast = TS.horn_schunck(f1[None], f2[None], alpha=0.5, iterations=3)[0]
    assert torch.allclose(fast, _naive_horn_schunck(f1, f2, 0.5, 3), atol=1e-12)


def test_stack_flows_interleaves_dx_and_dy_as_eq_1():
    flows = torch.arange(2 * 3 * 2 * 1 * 1, dtype=torch.float32).reshape(2, 3, 2, 1, 1)
    stacked = TS.stack_flows(flows)
    for k in range(3):
        assert torch.equal(stacked[:, 2 * k], flows[:, k, 0]) and torch.equal(stacked[:, 2 * k + 1], flows[:, k, 1])
    shifted = TS.stack_flows(flows + torch.tensor([3.0, -1.0])[None, None, :, None, None] * torch.ones(1, 1, 1, 4, 4), subtract_mean=True)
    assert shifted.abs().max() == 0  # a global translation is removed


def test_segment_snippets_fall_one_per_segment():
    g = runtime.make_generator(0)
    for _ in range(50):
        starts = TS.segment_snippets(20, 4, snippet=3, generator=g)  # 18 possible starts: groups of 4, 5, 4, 5
        for s, (lo, hi) in zip(starts.tolist(), [(0, 4), (4, 9), (9, 13), (13, 18)]):
            assert lo <= s < hi
    assert TS.segment_snippets(20, 4, snippet=3).tolist() == [2, 6, 11, 15]  # the groups' middle starts
    assert TS.segment_snippets(8, 8).tolist() == list(range(8))


def test_segment_snippets_cover_every_start_uniformly():
    g = runtime.make_generator(1)
    counts = torch.bincount(torch.cat([TS.segment_snippets(12, 3, generator=g) for _ in range(3000)]), minlength=12)
    assert counts.min() > 0.8 * counts.float().mean()


def test_consensus_and_fusion_against_their_formulas():
    s = torch.randn(3, 4, 5, generator=runtime.make_generator(2))
    assert torch.allclose(TS.segmental_consensus(s), sum(s[:, k] for k in range(4)) / 4)
    assert torch.equal(TS.segmental_consensus(s, "max"), torch.stack([s[:, k] for k in range(4)]).max(0).values)
    a, b = s[:, 0], s[:, 1]
    assert torch.allclose(TS.late_fusion([a, b]), (a + b) / 2)
    assert torch.allclose(TS.late_fusion([a, b], [1.0, 1.5]), (a + 1.5 * b) / 2.5)


def test_warp_with_an_integer_flow_shifts_the_image():
    image = torch.rand(2, 6, 7, generator=runtime.make_generator(3))
    assert torch.allclose(TS.warp(image, torch.zeros(2, 2, 6, 7)), image, atol=1e-6)
    flow = torch.zeros(2, 2, 6, 7)
    flow[:, 0] = 1.0  # u = +1: out(x, y) = image(x + 1, y)
    assert torch.allclose(TS.warp(image, flow)[:, :, :-1], image[:, :, 1:], atol=1e-6)
    half = flow / 2
    assert torch.allclose(TS.warp(image, half)[:, :, :-1], (image[:, :, :-1] + image[:, :, 1:]) / 2, atol=1e-6)


def test_charbonnier_and_the_unsupervised_loss_prefer_the_true_flow():
    x = torch.tensor([0.0, 0.5, -2.0])
    assert torch.allclose(TS.charbonnier(x, 0.5, 1e-3), (x**2 + 1e-6) ** 0.5)
    f1, f2 = _pattern(0, 0)[None].float(), _pattern(0.5, -0.3)[None].float()
    true = torch.tensor([0.5, -0.3])[None, :, None, None].expand(1, 2, 32, 32)
    assert TS.motionnet_loss(f1, f2, true) < 0.5 * TS.motionnet_loss(f1, f2, torch.zeros(1, 2, 32, 32))


def test_motionnet_starts_at_zero_flow_and_learns_directions_without_flow_labels():
    from paperlib import data

    gen = runtime.make_generator(0)
    clips = data.motion_clips(200, task="direction", frames=2, size=12, noise=0.0, generator=gen)
    f1, f2 = clips.video[:, 0], clips.video[:, 1]
    net = TS.MotionNet(generator=gen)
    assert net(torch.stack([f1, f2], 1)).abs().max() == 0
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    for _ in range(300):
        idx = torch.randint(0, 200, (32,), generator=gen)
        loss = TS.motionnet_loss(f1[idx], f2[idx], net(torch.stack([f1[idx], f2[idx]], 1)))
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        flow = net(torch.stack([f1, f2], 1))
    on = f1 > 0.3
    u = torch.stack([(flow[clips.y == k, 0] * on[clips.y == k]).sum() / on[clips.y == k].sum() for k in range(4)])
    v = torch.stack([(flow[clips.y == k, 1] * on[clips.y == k]).sum() / on[clips.y == k].sum() for k in range(4)])
    assert u[0] > 0.2 and u[1] < -0.2 and v[2] > 0.2 and v[3] < -0.2  # right, left, down, up


def test_gather_snippets_against_a_loop_and_eq_1():
    flows = torch.randn(3, 9, 2, 4, 5, generator=runtime.make_generator(4))
    starts = torch.tensor([[0, 3, 6], [1, 2, 7], [5, 5, 5]])
    out = TS.gather_snippets(flows, starts, 2)
    assert out.shape == (3, 3, 4, 4, 5)
    for b in range(3):
        for k in range(3):
            s = int(starts[b, k])
            assert torch.equal(out[b, k], TS.stack_flows(flows[b : b + 1, s : s + 2])[0])
            assert torch.equal(out[b, k, 2], flows[b, s + 1, 0]) and torch.equal(out[b, k, 3], flows[b, s + 1, 1])


def test_tsn_is_the_consensus_of_the_shared_stream_on_each_snippet():
    g = runtime.make_generator(5)
    stream = TS.StreamNet(4, 3, widths=(6,), generator=g)
    x = torch.randn(2, 5, 4, 8, 8, generator=g)
    for kind in ("average", "max"):
        net = TS.TSN(stream, kind)
        per = torch.stack([stream(x[:, k]) for k in range(5)], 1)  # (B, K, C), one snippet at a time
        expected = per.mean(1) if kind == "average" else per.amax(1)
        assert torch.allclose(net(x), expected, atol=1e-6)


def test_stream_net_is_translation_invariant_on_a_torus_up_to_pooling():
    """Global average pooling: the class scores do not depend on where a pattern sits (shift by the pool stride)."""
    g = runtime.make_generator(6)
    net = TS.StreamNet(1, 4, widths=(5,), generator=g)
    x = torch.zeros(1, 1, 12, 12)
    x[0, 0, 4:7, 4:7] = 1.0
    shifted = torch.roll(x, shifts=(2, 2), dims=(2, 3))
    assert torch.allclose(net(x), net(shifted), atol=1e-6)
    assert net(x).shape == (1, 4)
