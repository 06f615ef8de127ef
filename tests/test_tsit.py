"""Tests for paperlib.adversarial.tsit (Jiang et al. 2020, arXiv 2007.12072) and data.styled_shapes."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from paperlib import data, runtime
from paperlib.adversarial import gan, tsit


def _randn(*shape, seed=0, dtype=torch.float64):
    return torch.randn(*shape, generator=runtime.make_generator(seed)).to(dtype)


# --------------------------------------------------------------------------- channel statistics
def test_channel_stats_naive_loop():
    x = _randn(2, 3, 4, 5)
    stats = tsit.channel_stats(x, eps=1e-5)
    for b in range(2):
        for c in range(3):
            v = [float(t) for t in x[b, c].flatten()]
            m = sum(v) / len(v)
            var = sum((t - m) ** 2 for t in v) / (len(v) - 1)  # unbiased, as the official calc_mean_std
            assert stats.mean[b, c].item() == pytest.approx(m, abs=1e-12)
            assert stats.std[b, c].item() == pytest.approx((var + 1e-5) ** 0.5, abs=1e-12)


# --------------------------------------------------------------------------- FAdaIN
def test_fadain_takes_the_style_statistics():
    z, s = _randn(3, 4, 6, 6, seed=1), 2.0 + 3.0 * _randn(3, 4, 5, 3, seed=2)  # spatial sizes may differ
    out = tsit.fadain(z, s, eps=0.0)
    torch.testing.assert_close(tsit.channel_stats(out, 0.0).mean, tsit.channel_stats(s, 0.0).mean)
    torch.testing.assert_close(tsit.channel_stats(out, 0.0).std, tsit.channel_stats(s, 0.0).std)
    # with eps the std is off only by the eps terms (relative ~ eps / var)
    out_eps = tsit.fadain(z, s)
    torch.testing.assert_close(tsit.channel_stats(out_eps).std, tsit.channel_stats(s).std, atol=1e-4, rtol=1e-4)


def test_fadain_matches_adain_via_instance_norm():
    """FAdaIN(z, s) = sigma(s) * instance_norm(z) + mu(s), with instance_norm using the same (unbiased + eps) std."""
    z, s = _randn(2, 3, 4, 4, seed=3), _randn(2, 3, 4, 4, seed=4)
    n = z.shape[2] * z.shape[3]
    eps = 1e-5
    # F.instance_norm divides by sqrt(biased var + eps'); choose eps' so that it equals sqrt(unbiased var + eps)
    var_b = z.var(dim=(2, 3), unbiased=False)
    var_u = var_b * n / (n - 1)
    normed = (z - z.mean(dim=(2, 3), keepdim=True)) / (var_u + eps).sqrt()[..., None, None]
    ref = tsit.channel_stats(s, eps).std[..., None, None] * normed + s.mean(dim=(2, 3), keepdim=True)
    torch.testing.assert_close(tsit.fadain(z, s, 1.0, eps), ref)
    # and torch's instance_norm gives the same normalised map up to the biased/unbiased factor
    torch.testing.assert_close(F.instance_norm(z, eps=0.0) * (var_b / var_u).sqrt()[..., None, None],
                               (z - z.mean(dim=(2, 3), keepdim=True)) / var_u.sqrt()[..., None, None])


@pytest.mark.parametrize("alpha", [0.0, 0.3, 1.0])
def test_fadain_alpha_blend(alpha):
    z, s = _randn(2, 3, 4, 4, seed=5), _randn(2, 3, 4, 4, seed=6)
    full = tsit.fadain(z, s, 1.0)
    torch.testing.assert_close(tsit.fadain(z, s, alpha), alpha * full + (1 - alpha) * z)
    if alpha == 0.0:
        torch.testing.assert_close(tsit.fadain(z, s, alpha), z)


def test_fadain_gradcheck():
    z = _randn(2, 2, 3, 3, seed=7).requires_grad_(True)
    s = _randn(2, 2, 3, 3, seed=8).requires_grad_(True)
    assert torch.autograd.gradcheck(lambda a, b: tsit.fadain(a, b, 0.7), (z, s))


# --------------------------------------------------------------------------- FADE
def test_fade_matches_manual_computation():
    fade = tsit.FADE(4, 3, generator=runtime.make_generator(0)).double()
    z, f = _randn(5, 4, 6, 6, seed=9), _randn(5, 3, 6, 6, seed=10)
    mu = z.mean(dim=(0, 2, 3), keepdim=True)
    var = z.var(dim=(0, 2, 3), unbiased=False, keepdim=True)
    gamma = F.conv2d(f, fade.gamma.weight, fade.gamma.bias, padding=1)
    beta = F.conv2d(f, fade.beta.weight, fade.beta.bias, padding=1)
    ref = (z - mu) / (var + 1e-5).sqrt() * (1 + gamma) + beta  # the official (1 + gamma)
    torch.testing.assert_close(fade(z, f), ref)
    fade.eval()  # batch statistics also in eval mode (no running averages)
    torch.testing.assert_close(fade(z, f), ref)


def test_fade_with_zero_convs_is_plain_batch_norm():
    fade = tsit.FADE(3, 2, generator=runtime.make_generator(0))
    for conv in (fade.gamma, fade.beta):
        torch.nn.init.zeros_(conv.weight)
        torch.nn.init.zeros_(conv.bias)
    z = torch.randn(4, 3, 5, 5, generator=runtime.make_generator(1))
    ref = F.batch_norm(z, None, None, training=True, eps=1e-5)
    torch.testing.assert_close(fade(z, torch.randn(4, 2, 5, 5)), ref)


def test_fade_gradcheck():
    fade = tsit.FADE(2, 2, generator=runtime.make_generator(0)).double()
    z, f = _randn(3, 2, 3, 3, seed=11).requires_grad_(True), _randn(3, 2, 3, 3, seed=12).requires_grad_(True)
    assert torch.autograd.gradcheck(fade, (z, f))


# --------------------------------------------------------------------------- blocks, streams, generator
def test_fade_resblock_naive():
    block = tsit.FADEResBlock(4, 2, 3, generator=runtime.make_generator(0))
    x, f = torch.randn(2, 4, 5, 5), torch.randn(2, 3, 5, 5)
    dx = block.conv0(F.leaky_relu(block.norm0(x, f), 0.2))
    dx = block.conv1(F.leaky_relu(block.norm1(dx, f), 0.2))
    torch.testing.assert_close(block(x, f), block.conv_s(block.norm_s(x, f)) + dx)
    same = tsit.FADEResBlock(3, 3, 2, generator=runtime.make_generator(0))
    assert not same.learned_shortcut
    y, h = torch.randn(2, 3, 4, 4), torch.randn(2, 2, 4, 4)
    dy = same.conv1(F.leaky_relu(same.norm1(same.conv0(F.leaky_relu(same.norm0(y, h), 0.2)), h), 0.2))
    torch.testing.assert_close(same(y, h), y + dy)


def test_stream_shapes_and_residual():
    stream = tsit.Stream(3, (4, 6, 6), generator=runtime.make_generator(0))
    feats = stream(torch.rand(2, 3, 16, 16))
    assert [tuple(f.shape) for f in feats] == [(2, 4, 16, 16), (2, 6, 8, 8), (2, 6, 4, 4)]
    blk = stream.blocks[2]  # 6 -> 6 with downsampling: identity shortcut on the pooled input
    x = torch.randn(1, 6, 8, 8)
    p = F.avg_pool2d(x, 2)
    torch.testing.assert_close(blk(x), p + blk.conv1(F.leaky_relu(blk.conv0(F.leaky_relu(p, 0.2)), 0.2)))


def _model(use_fadain=True):
    return tsit.TSIT(3, (4, 8, 8), noise_channels=3, use_fadain=use_fadain, generator=runtime.make_generator(0))


def test_tsit_output_and_alpha_zero_ignores_style():
    model = _model()
    c, s1, s2 = (torch.rand(4, 3, 16, 16, generator=runtime.make_generator(k)) for k in (1, 2, 3))
    out = model(c, s1)
    assert out.shape == (4, 3, 16, 16) and (out > 0).all() and (out < 1).all()
    torch.testing.assert_close(model(c, s1, 0.0), model(c, s2, 0.0))  # alpha = 0: no style enters
    assert not torch.allclose(model(c, s1, 1.0), model(c, s2, 1.0))
    torch.testing.assert_close(model(c, s1, 0.5), _model(use_fadain=True)(c, s1, 0.5))  # same seed, same weights
    no_fadain = _model(use_fadain=False)
    torch.testing.assert_close(no_fadain(c, s1), no_fadain(c, s2))  # FAdaIN off: style ignored at any alpha


def test_tsit_noise_default_is_zeros():
    model = _model()
    c, s = torch.rand(2, 3, 16, 16), torch.rand(2, 3, 16, 16)
    assert model.noise_shape(2, 16) == (2, 3, 4, 4)
    torch.testing.assert_close(model(c, s), model(c, s, 1.0, torch.zeros(2, 3, 4, 4)))


def test_generator_trains_with_the_shared_gan_steps():
    """One D step and one G step with extra_loss (feature matching + perceptual) change both nets."""
    g = runtime.make_generator(0)
    model, disc = _model(), gan.ConvDiscriminator(3, (8, 8), generator=g)
    feats = tsit.FixedFeatures(3, (4, 8), generator=g)
    c, s = torch.rand(4, 3, 16, 16, generator=g), torch.rand(4, 3, 16, 16, generator=g)
    opt_g, opt_d = torch.optim.Adam(model.parameters(), 1e-3), torch.optim.Adam(disc.parameters(), 1e-3)
    before = [p.clone() for p in model.parameters()]
    fake = model(c, s)
    gan.discriminator_step(disc, opt_d, s, fake, kind="hinge")
    _, ff = disc(fake, features=True)
    _, fr = disc(s, features=True)
    extra = tsit.feature_matching_loss(ff, fr) + tsit.perceptual_loss(feats, fake, c, normalize=True)
    gan.generator_step(disc, opt_g, fake, kind="hinge", extra_loss=extra)
    assert any(not torch.equal(a, b) for a, b in zip(before, model.parameters()))
    assert all(p.grad is None for p in feats.parameters())  # the feature net stays fixed


# --------------------------------------------------------------------------- losses
def test_fixed_features_frozen_and_shapes():
    net = tsit.FixedFeatures(3, (4, 5, 6), generator=runtime.make_generator(0))
    assert not any(p.requires_grad for p in net.parameters())
    out = net(torch.rand(2, 3, 16, 16))
    assert [tuple(f.shape) for f in out] == [(2, 4, 16, 16), (2, 5, 8, 8), (2, 6, 4, 4)]
    again = tsit.FixedFeatures(3, (4, 5, 6), generator=runtime.make_generator(0))
    assert all(torch.equal(a, b) for a, b in zip(net.parameters(), again.parameters()))


def test_perceptual_loss_naive():
    net = tsit.FixedFeatures(3, (4, 5), generator=runtime.make_generator(0))
    x, y = torch.rand(2, 3, 8, 8), torch.rand(2, 3, 8, 8)
    fx, fy = net(x), net(y)
    ref = 0.5 * (fx[0] - fy[0]).abs().mean() + 1.0 * (fx[1] - fy[1]).abs().mean()
    torch.testing.assert_close(tsit.perceptual_loss(net, x, y), ref)
    torch.testing.assert_close(tsit.perceptual_loss(net, x, y, [1.0, 0.0]), (fx[0] - fy[0]).abs().mean())
    normed = sum(w * (F.instance_norm(a) - F.instance_norm(b)).abs().mean() for w, a, b in zip((0.5, 1.0), fx, fy))
    torch.testing.assert_close(tsit.perceptual_loss(net, x, y, normalize=True), normed)
    assert tsit.perceptual_loss(net, x, x).item() == 0.0


def test_perceptual_loss_normalized_ignores_channel_statistics_of_features():
    """normalize=True compares instance-normalised feature maps: scaling every feature map (here: a contrast
    change 2x through a bias-free conv with positive weights on a positive image, so ReLU is the identity)
    leaves the loss at 0, while the raw loss sees the change."""
    net = tsit.FixedFeatures(1, (3,), generator=runtime.make_generator(0))
    with torch.no_grad():
        net.convs[0].weight.abs_()
        net.convs[0].bias.zero_()
    x = torch.rand(2, 1, 8, 8) + 1.0  # positive weights, positive input: ReLU is the identity
    assert tsit.perceptual_loss(net, 2.0 * x, x, normalize=True).item() == pytest.approx(0.0, abs=1e-4)
    assert tsit.perceptual_loss(net, 2.0 * x, x).item() > 0.1


def test_feature_matching_naive():
    a = [torch.randn(2, 3, 4, 4), torch.randn(2, 5, 2, 2)]
    b = [torch.randn(2, 3, 4, 4), torch.randn(2, 5, 2, 2)]
    ref = ((a[0] - b[0]).abs().mean() + (a[1] - b[1]).abs().mean()) / 2
    torch.testing.assert_close(tsit.feature_matching_loss(a, b), ref)
    real = b[0].clone().requires_grad_(True)
    fake = a[0].clone().requires_grad_(True)
    tsit.feature_matching_loss([fake], [real]).backward()
    assert real.grad is None and fake.grad is not None  # real features detached


# --------------------------------------------------------------------------- measures
def test_edge_map_naive_sobel():
    x = torch.rand(1, 2, 5, 6, generator=runtime.make_generator(0))
    p = F.pad(x, (1, 1, 1, 1), mode="replicate")[0]
    ref = torch.zeros(5, 6)
    for c in range(2):
        for i in range(5):
            for j in range(6):
                w = p[c, i:i + 3, j:j + 3]
                gx = (w[:, 2] - w[:, 0]) @ torch.tensor([1.0, 2.0, 1.0])
                gy = (w[2] - w[0]) @ torch.tensor([1.0, 2.0, 1.0])
                ref[i, j] += (gx**2 + gy**2).sqrt()
    torch.testing.assert_close(tsit.edge_map(x)[0], ref)


def test_edge_agreement_properties():
    shapes = data.styled_shapes(4, 16, styled=False, generator=runtime.make_generator(0))
    x = shapes.images
    torch.testing.assert_close(tsit.edge_agreement(x, x), torch.ones(4))
    torch.testing.assert_close(tsit.edge_agreement(0.3 * x + 0.2, x), torch.ones(4))  # affine brightness changes
    e = tsit.edge_map(x).flatten(1)
    f = tsit.edge_map(x.flip(0)).flatten(1)
    ref = torch.stack([torch.corrcoef(torch.stack([e[i], f[i]]))[0, 1] for i in range(4)])
    torch.testing.assert_close(tsit.edge_agreement(x, x.flip(0)), ref)


def test_style_distance_naive():
    x, s = torch.rand(3, 3, 4, 4), torch.rand(3, 3, 4, 4)
    ref = [(x[i].mean((1, 2)) - s[i].mean((1, 2))).norm() + (x[i].flatten(1).std(1) - s[i].flatten(1).std(1)).norm() for i in range(3)]
    torch.testing.assert_close(tsit.style_distance(x, s), torch.stack(ref))
    assert tsit.style_distance(x, x).abs().max().item() == 0.0


# --------------------------------------------------------------------------- toy data
def test_styled_shapes():
    a = data.styled_shapes(32, 16, generator=runtime.make_generator(0))
    b = data.styled_shapes(32, 16, generator=runtime.make_generator(0))
    assert torch.equal(a.images, b.images)
    assert a.images.shape == (32, 3, 16, 16) and a.masks.shape == (32, 1, 16, 16)
    assert a.images.min() >= 0 and a.images.max() <= 1
    assert set(a.masks.unique().tolist()) <= {0.0, 1.0} and (a.masks.flatten(1).sum(1) > 0).all()
    assert ((a.palettes[:, 1] - a.palettes[:, 0]) >= 0.2).all()  # foreground lighter by >= 0.2 per channel
    flat = a.textures == 0
    expected = a.masks * a.palettes[:, 1, :, None, None] + (1 - a.masks) * a.palettes[:, 0, :, None, None]
    torch.testing.assert_close(a.images[flat], expected[flat])
    plain = data.styled_shapes(8, 16, styled=False, generator=runtime.make_generator(1))
    torch.testing.assert_close(plain.images, (0.15 + 0.7 * plain.masks).expand(8, 3, 16, 16))
