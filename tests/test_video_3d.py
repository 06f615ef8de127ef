"""3-D video networks (paperlib.vision.video_3d) against second computations."""

import pytest
import torch
import torch.nn.functional as F

from paperlib import data, runtime
from paperlib.vision import video_3d as V


def g(seed=0):
    return runtime.make_generator(seed)


def _naive_conv3d_same(x, weight, bias):
    """A loop over output positions: replicate padding in time, zero padding in space ('same' size)."""
    b, cin, t, h, w = x.shape
    cout, _, kt, kh, kw = weight.shape
    out = torch.zeros(b, cout, t, h, w, dtype=x.dtype)
    for tt in range(t):
        for i in range(h):
            for j in range(w):
                acc = bias[None, :].clone().repeat(b, 1)
                for a in range(kt):
                    src_t = min(max(tt + a - (kt - 1) // 2, 0), t - 1)
                    for c in range(kh):
                        for d in range(kw):
                            si, sj = i + c - (kh - 1) // 2, j + d - (kw - 1) // 2
                            if 0 <= si < h and 0 <= sj < w:
                                acc += x[:, :, src_t, si, sj] @ weight[:, :, a, c, d].T
                out[:, :, tt, i, j] = acc
    return out


@pytest.mark.parametrize("kernel", [(3, 3, 3), (1, 3, 3), (3, 1, 1), (2, 2, 2)])
def test_conv3d_block_matches_a_naive_loop(kernel):
    block = V.conv3d_block(2, 3, kernel).double()
    x = torch.randn(2, 2, 4, 5, 5, generator=g(1), dtype=torch.float64)
    conv = block[0]
    assert torch.allclose(block(x), F.relu(_naive_conv3d_same(x, conv.weight, conv.bias)), atol=1e-10)


@pytest.mark.parametrize("cin, cout", [(64, 64), (64, 128), (3, 16), (8, 8)])
def test_2plus1d_matches_the_3d_parameter_count_by_the_papers_rule(cin, cout):
    mid = V.midplanes(cin, cout)
    assert mid == (3 * 9 * cin * cout) // (9 * cin + 3 * cout)
    factorised = V.Conv2Plus1d(cin, cout)
    weights = sum(p.numel() for n, p in factorised.named_parameters() if n.endswith("weight"))
    full = 27 * cin * cout
    assert 0 <= full - weights < 9 * cin + 3 * cout  # floor: at most one intermediate channel short
    if (cin, cout) == (64, 64):
        assert mid == 144 and weights == full  # the division is exact here


def test_inflated_net_on_a_boring_video_gives_the_2d_output():
    net = V.FrameNet(1, 4, (4, 8), generator=g())
    images = torch.rand(3, 1, 12, 12, generator=g(1))
    for t in (1, 3, 5):
        inflated = V.inflate(net, t)
        assert torch.allclose(inflated(data.boring_video(images, 6)), net(images), atol=1e-5)
    undivided = V.inflate(net, 3, divide=False)  # the ablation: no 1/t, so the first conv's response is 3x too large
    assert torch.allclose(undivided.features[0].weight, 3 * V.inflate(net, 3).features[0].weight)
    assert not torch.allclose(undivided(data.boring_video(images, 6)), net(images), atol=1e-3)
    moving = data.boring_video(images, 6).roll(1, dims=4).cumsum(dim=2) / 6  # not boring: differs
    assert not torch.allclose(V.inflate(net, 3)(moving), net(images), atol=1e-3)


def test_frame_model_ignores_frame_order_and_temporal_models_do_not():
    x = torch.rand(2, 1, 6, 8, 8, generator=g(2))
    shuffled = x[:, :, torch.tensor([3, 0, 5, 1, 4, 2])]
    frame = V.VideoNet(1, 4, kind="2d", generator=g())
    assert torch.allclose(frame(x), frame(shuffled), atol=1e-6)
    for kind in ("3d", "2plus1d", "s3d"):
        model = V.VideoNet(1, 4, kind=kind, generator=g())
        assert not torch.allclose(model(x), model(shuffled), atol=1e-6), kind


def test_flop_count_matches_a_hand_count():
    conv = torch.nn.Conv3d(2, 4, (3, 3, 3), padding=1)
    assert V.count_flops(conv, (1, 2, 5, 6, 6)) == 4 * 5 * 6 * 6 * (2 * 27)
    net = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3), torch.nn.Flatten(), torch.nn.Linear(8 * 4 * 4, 10))
    assert V.count_flops(net, (2, 3, 6, 6)) == 2 * 8 * 4 * 4 * 27 + 2 * 128 * 10
    assert V.count_params(net) == 8 * 27 + 8 + 128 * 10 + 10


def test_x3d_axes_scale_the_cost_as_expected():
    base = V.x3d_expand(generator=g())
    frames = V.x3d_expand(gamma_t=2, generator=g())
    size = V.x3d_expand(gamma_s=2, generator=g())
    width = V.x3d_expand(gamma_w=2, generator=g())
    head = base.model.head.in_features * base.model.head.out_features  # the head's multiply-adds do not scale with T or S
    assert frames.params == base.params and frames.flops - head == 2 * (base.flops - head)
    assert size.params == base.params and size.flops - head == 4 * (base.flops - head)
    assert 3.5 < width.params / base.params < 4.1  # conv weights grow with width^2
    assert V.x3d_expand(gamma_d=2, generator=g()).params > base.params


def test_slowfast_pathways_and_laterals():
    x = torch.rand(2, 1, 8, 8, 8, generator=g(3))
    sf = V.SlowFast(1, 4, alpha=4, beta=0.25, width=8, generator=g())
    assert sf(x).shape == (2, 4)
    assert sf.laterals[0].out_channels == 2 * 2 and sf.laterals[0].stride == (4, 1, 1)
    slow_only = V.SlowFast(1, 4, alpha=4, fast=False, generator=g())
    assert V.count_params(slow_only) < V.count_params(sf)
    # Slow-only sees every alpha-th frame only: changing the other frames changes nothing
    y = x.clone()
    y[:, :, 1::4] = 0
    assert torch.allclose(slow_only(x), slow_only(y)) and not torch.allclose(sf(x), sf(y))
