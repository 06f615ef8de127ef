"""TSIT: two-stream image-to-image translation (Jiang et al., arXiv 2007.12072, section 3).

A content stream and a style stream (the same multi-scale residual encoder, two copies) turn the
content image x^c and the style image x^s into feature pyramids f^c_i, f^s_i. The generator goes
from coarse to fine; at every scale i it first applies FAdaIN (the style's per-channel statistics,
blended with the input by the stylisation strength alpha as in the official code's ``--alpha``) and
then a residual block whose normalisations are FADE (batch-normalised features modulated
element-wise by gamma, beta computed from f^c_i; the official code uses ``x_hat * (1 + gamma) + beta``).
Training (section 3.3): hinge adversarial loss, feature matching on the discriminator's features
against x^s, and a perceptual loss against x^c. The discriminator, the hinge losses and the D/G steps
are the shared ones of :mod:`paperlib.adversarial.gan`; the perceptual loss here uses a small *fixed*
random conv net instead of a pretrained VGG-19 (nothing is downloaded).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from paperlib import checks
from paperlib.layers import seeded_init_

__all__ = [
    "ChannelStats", "channel_stats", "fadain", "FADE", "FADEResBlock", "StreamResBlock", "Stream",
    "TSITGenerator", "TSIT", "FixedFeatures", "perceptual_loss", "feature_matching_loss",
    "edge_map", "edge_agreement", "style_distance",
]

EPS = 1e-5


class ChannelStats(NamedTuple):
    """Per-sample, per-channel mean and std over the spatial positions: each (B, C)."""

    mean: Tensor
    std: Tensor


def _feature(x: object, name: str, channels: int | None = None) -> Tensor:
    checks.tensor(x, name, dim=4, shape="(B, C, H, W)")
    if channels is not None and x.shape[1] != channels:
        raise ValueError(f"{name} must have {channels} channels (B, {channels}, H, W), got {tuple(x.shape)}")
    return x


def channel_stats(x: Tensor, eps: float = EPS) -> ChannelStats:
    """mean and sqrt(var + eps) of each channel over H x W, var unbiased (as the official AdaIN ``calc_mean_std``).

    x: (B, C, H, W) with H * W >= 2. Returns ChannelStats(mean (B, C), std (B, C)).
    """
    _feature(x, "x")
    if x.shape[2] * x.shape[3] < 2:
        raise ValueError(f"x must have at least 2 spatial positions (H * W >= 2) for a std, got {tuple(x.shape)}")
    eps = checks.real(eps, "eps", low=0.0)
    flat = x.flatten(2)  # (B, C, H*W)
    return ChannelStats(flat.mean(2), (flat.var(2) + eps).sqrt())


def _alpha(alpha: object) -> float:
    return checks.real(alpha, "alpha", low=0.0, high=1.0)


def fadain(z: Tensor, style: Tensor, alpha: float = 1.0, eps: float = EPS) -> Tensor:
    """FAdaIN (section 3.2), blended: alpha * (sigma(f^s) (z - mu(z)) / sigma(z) + mu(f^s)) + (1 - alpha) * z.

    z: (B, C, H, W) generator features; style: (B, C, h, w) style-stream features at the same scale
    (same batch and channels; spatial sizes may differ). Statistics per sample and channel over
    the spatial positions (:func:`channel_stats`). alpha in [0, 1]: 1 gives exactly the style's
    channel statistics, 0 returns z unchanged. Returns (B, C, H, W).
    """
    _feature(z, "z")
    _feature(style, "style")
    if style.shape[:2] != z.shape[:2]:
        raise ValueError(f"style must have the batch size and channels of z {tuple(z.shape[:2])}, got {tuple(style.shape[:2])}")
    alpha = _alpha(alpha)
    mu_z, sd_z = channel_stats(z, eps)
    mu_s, sd_s = channel_stats(style, eps)
    stylised = sd_s[..., None, None] * (z - mu_z[..., None, None]) / sd_z[..., None, None] + mu_s[..., None, None]
    return alpha * stylised + (1 - alpha) * z  # (B, C, H, W)


class FADE(nn.Module):
    """Feature adaptive denormalisation (section 3.2): BN(z) * (1 + gamma(f^c)) + beta(f^c), element-wise.

    BN has no affine parameters and always uses the batch statistics over (B, H, W) (the paper's
    formula; no running averages, so an output depends on the other images of its batch).
    gamma, beta: 3x3 convs of the content feature f^c (same H x W as z).
    The official code's ``1 + gamma`` (the paper writes gamma) makes a near-zero gamma the identity.
    """

    def __init__(self, channels: int, feature_channels: int, *, generator: torch.Generator):
        super().__init__()
        self.channels = checks.positive_int(channels, "channels")
        self.feature_channels = checks.positive_int(feature_channels, "feature_channels")
        checks.generator(generator)
        self.norm = nn.BatchNorm2d(channels, affine=False, track_running_stats=False)
        self.gamma = nn.Conv2d(feature_channels, channels, 3, padding=1)
        self.beta = nn.Conv2d(feature_channels, channels, 3, padding=1)
        seeded_init_(self, generator)

    def forward(self, z: Tensor, feature: Tensor) -> Tensor:
        _feature(z, "z", self.channels)
        _feature(feature, "feature", self.feature_channels)
        if feature.shape[0] != z.shape[0] or feature.shape[2:] != z.shape[2:]:
            raise ValueError(f"feature must match z in batch and H x W {(z.shape[0], *z.shape[2:])}, got {tuple(feature.shape)}")
        return self.norm(z) * (1 + self.gamma(feature)) + self.beta(feature)  # (B, C, H, W)


class FADEResBlock(nn.Module):
    """The generator's residual block: x_s + conv(act(FADE(conv(act(FADE(x, f)))), f)), as the official FADEResnetBlock.

    The shortcut x_s is x when the channel count stays, else conv1x1(FADE(x, f)). act = LeakyReLU(0.2).
    x: (B, in_channels, H, W), feature: (B, feature_channels, H, W) -> (B, out_channels, H, W).
    """

    def __init__(self, in_channels: int, out_channels: int, feature_channels: int, *, generator: torch.Generator):
        super().__init__()
        self.in_channels = checks.positive_int(in_channels, "in_channels")
        checks.positive_int(out_channels, "out_channels")
        checks.positive_int(feature_channels, "feature_channels")
        checks.generator(generator)
        middle = min(in_channels, out_channels)
        self.norm0 = FADE(in_channels, feature_channels, generator=generator)
        self.conv0 = nn.Conv2d(in_channels, middle, 3, padding=1)
        self.norm1 = FADE(middle, feature_channels, generator=generator)
        self.conv1 = nn.Conv2d(middle, out_channels, 3, padding=1)
        self.learned_shortcut = in_channels != out_channels
        if self.learned_shortcut:
            self.norm_s = FADE(in_channels, feature_channels, generator=generator)
            self.conv_s = nn.Conv2d(in_channels, out_channels, 1, bias=False)
        seeded_init_(self, generator)

    def forward(self, x: Tensor, feature: Tensor) -> Tensor:
        _feature(x, "x", self.in_channels)
        shortcut = self.conv_s(self.norm_s(x, feature)) if self.learned_shortcut else x
        dx = self.conv0(F.leaky_relu(self.norm0(x, feature), 0.2))
        dx = self.conv1(F.leaky_relu(self.norm1(dx, feature), 0.2))
        return shortcut + dx  # (B, out_channels, H, W)


class StreamResBlock(nn.Module):
    """A stream's residual block: conv(act(conv(act(x)))) + shortcut(x), then optional x0.5 average-pool downsampling.

    x: (B, in_channels, H, W) -> (B, out_channels, H / 2 or H, W / 2 or W).
    """

    def __init__(self, in_channels: int, out_channels: int, *, downsample: bool, generator: torch.Generator):
        super().__init__()
        self.in_channels = checks.positive_int(in_channels, "in_channels")
        checks.positive_int(out_channels, "out_channels")
        self.downsample = checks.boolean(downsample, "downsample")
        checks.generator(generator)
        self.conv0 = nn.Conv2d(in_channels, out_channels, 3, padding=1)
        self.conv1 = nn.Conv2d(out_channels, out_channels, 3, padding=1)
        self.shortcut = nn.Conv2d(in_channels, out_channels, 1, bias=False) if in_channels != out_channels else nn.Identity()
        seeded_init_(self, generator)

    def forward(self, x: Tensor) -> Tensor:
        _feature(x, "x", self.in_channels)
        if self.downsample:
            x = F.avg_pool2d(x, 2)  # (B, C, H/2, W/2)
        dx = self.conv1(F.leaky_relu(self.conv0(F.leaky_relu(x, 0.2)), 0.2))
        return self.shortcut(x) + dx


class Stream(nn.Module):
    """The content or style stream (section 3.1): residual blocks, each scale after the first halving H and W.

    x: (B, in_channels, S, S) with S divisible by 2^(L-1), L = len(widths). Returns L features,
    fine to coarse: features[i] is (B, widths[i], S / 2^i, S / 2^i).
    """

    def __init__(self, in_channels: int = 3, widths: Sequence[int] = (16, 32, 32), *, generator: torch.Generator):
        super().__init__()
        self.in_channels = checks.positive_int(in_channels, "in_channels")
        self.widths = tuple(checks.sequence(widths, "widths", checks.positive_int, min_length=1, what="positive ints"))
        checks.generator(generator)
        chans = (in_channels, *self.widths)
        self.blocks = nn.ModuleList(
            StreamResBlock(a, b, downsample=i > 0, generator=generator) for i, (a, b) in enumerate(zip(chans, chans[1:]))
        )

    def forward(self, x: Tensor) -> list[Tensor]:
        _feature(x, "x", self.in_channels)
        step = 2 ** (len(self.widths) - 1)
        if x.shape[2] % step or x.shape[3] % step:
            raise ValueError(f"x must have H and W divisible by {step} ({len(self.widths)} scales), got {tuple(x.shape[2:])}")
        features = []
        for block in self.blocks:
            x = block(x)
            features.append(x)
        return features


class TSITGenerator(nn.Module):
    """The generator (section 3.2): from a coarse noise map, at each scale coarse to fine FAdaIN then a FADE block.

    widths: the streams' widths (fine to coarse; the generator mirrors them). noise: (B, noise_channels,
    S / 2^(L-1), S / 2^(L-1)). content, style: the streams' outputs (lists as :meth:`Stream.forward`).
    At scale i: z <- alpha FAdaIN(z, style[i]) + (1 - alpha) z (skipped when ``use_fadain=False``),
    z <- FADEResBlock(z, content[i]), then x2 nearest upsampling (except at the finest scale).
    Output: sigmoid(conv3x3(act(z))), (B, out_channels, S, S) in (0, 1).
    """

    def __init__(self, out_channels: int = 3, widths: Sequence[int] = (16, 32, 32), *, noise_channels: int = 8,
                 use_fadain: bool = True, generator: torch.Generator):
        super().__init__()
        checks.positive_int(out_channels, "out_channels")
        self.widths = tuple(checks.sequence(widths, "widths", checks.positive_int, min_length=1, what="positive ints"))
        self.noise_channels = checks.positive_int(noise_channels, "noise_channels")
        self.use_fadain = checks.boolean(use_fadain, "use_fadain")
        checks.generator(generator)
        w = self.widths
        self.head = nn.Conv2d(noise_channels, w[-1], 3, padding=1)
        self.blocks = nn.ModuleList(FADEResBlock(w[i], w[max(i - 1, 0)], w[i], generator=generator) for i in range(len(w)))
        self.to_image = nn.Conv2d(w[0], out_channels, 3, padding=1)
        seeded_init_(self, generator)

    def _check_pyramid(self, feats: object, name: str, batch: int, coarse: tuple[int, int]) -> None:
        checks.sequence(feats, name, length=len(self.widths), what="feature maps (one per scale)")
        for i, f in enumerate(feats):
            size = (coarse[0] * 2 ** (len(self.widths) - 1 - i), coarse[1] * 2 ** (len(self.widths) - 1 - i))
            checks.tensor(f, f"{name}[{i}]", shape=(batch, self.widths[i], *size))

    def forward(self, noise: Tensor, content: Sequence[Tensor], style: Sequence[Tensor], alpha: float = 1.0) -> Tensor:
        _feature(noise, "noise", self.noise_channels)
        coarse = tuple(noise.shape[2:])
        self._check_pyramid(content, "content", len(noise), coarse)
        self._check_pyramid(style, "style", len(noise), coarse)
        alpha = _alpha(alpha)
        z = self.head(noise)  # (B, widths[-1], s, s)
        for i in reversed(range(len(self.widths))):
            if self.use_fadain:
                z = fadain(z, style[i], alpha)  # FAdaIN, alpha-blended
            z = self.blocks[i](z, content[i])  # FADE residual block
            if i > 0:
                z = F.interpolate(z, scale_factor=2, mode="nearest")
        return torch.sigmoid(self.to_image(F.leaky_relu(z, 0.2)))  # (B, out_channels, S, S)


class TSIT(nn.Module):
    """Content stream + style stream + generator: ``model(content, style, alpha=, noise=)`` -> (B, C, S, S).

    content, style: (B, channels, S, S) square images (S divisible by 2^(L-1)). noise: (B, noise_channels,
    S / 2^(L-1), S / 2^(L-1)); None uses zeros (the official code draws z ~ N(0, I) for style transfer:
    draw it with a seeded generator while training). alpha: the stylisation strength in [0, 1].
    """

    def __init__(self, channels: int = 3, widths: Sequence[int] = (16, 32, 32), *, noise_channels: int = 8,
                 use_fadain: bool = True, generator: torch.Generator):
        super().__init__()
        self.channels = checks.positive_int(channels, "channels")
        checks.generator(generator)
        self.content_stream = Stream(channels, widths, generator=generator)
        self.style_stream = Stream(channels, widths, generator=generator)
        self.generator = TSITGenerator(channels, widths, noise_channels=noise_channels, use_fadain=use_fadain,
                                       generator=generator)

    def noise_shape(self, batch: int, size: int) -> tuple[int, int, int, int]:
        """The noise map's shape for ``batch`` images of ``size`` x ``size`` pixels."""
        checks.positive_int(batch, "batch")
        step = 2 ** (len(self.generator.widths) - 1)
        checks.integer(size, "size", low=step, multiple_of=step, what=f"a positive multiple of {step}")
        return (batch, self.generator.noise_channels, size // step, size // step)

    def forward(self, content: Tensor, style: Tensor, alpha: float = 1.0, noise: Tensor | None = None) -> Tensor:
        _feature(content, "content", self.channels)
        _feature(style, "style", self.channels)
        if style.shape != content.shape:
            raise ValueError(f"style must have the shape of content {tuple(content.shape)}, got {tuple(style.shape)}")
        step = 2 ** (len(self.generator.widths) - 1)
        h, w = content.shape[2:]
        if h != w or h % step:
            raise ValueError(f"content must be square with a side divisible by {step} (B, {self.channels}, S, S), got {tuple(content.shape)}")
        shape = self.noise_shape(len(content), h)
        if noise is None:
            noise = torch.zeros(shape, device=content.device)
        else:
            checks.tensor(noise, "noise", shape=shape)
        return self.generator(noise, self.content_stream(content), self.style_stream(style), alpha)


class FixedFeatures(nn.Module):
    """A small *fixed* feature network for the perceptual loss: seeded random 3x3 convs + ReLU, avg-pool between.

    Stands in for the pretrained VGG-19 of the paper (nothing is downloaded). Parameters are
    frozen (requires_grad=False). x: (B, in_channels, H, W) -> list of len(widths) feature maps,
    the i-th (B, widths[i], H / 2^i, W / 2^i).
    """

    def __init__(self, in_channels: int = 3, widths: Sequence[int] = (16, 32, 64), *, generator: torch.Generator):
        super().__init__()
        self.in_channels = checks.positive_int(in_channels, "in_channels")
        widths = tuple(checks.sequence(widths, "widths", checks.positive_int, min_length=1, what="positive ints"))
        checks.generator(generator)
        chans = (in_channels, *widths)
        self.convs = nn.ModuleList(nn.Conv2d(a, b, 3, padding=1) for a, b in zip(chans, chans[1:]))
        seeded_init_(self, generator)
        self.requires_grad_(False)

    def forward(self, x: Tensor) -> list[Tensor]:
        _feature(x, "x", self.in_channels)
        feats = []
        for i, conv in enumerate(self.convs):
            if i > 0:
                x = F.avg_pool2d(x, 2)
            x = F.relu(conv(x))
            feats.append(x)
        return feats


def perceptual_loss(features: nn.Module, x: Tensor, target: Tensor, weights: Sequence[float] | None = None, *,
                    normalize: bool = False) -> Tensor:
    """sum_l w_l * mean |phi_l(x) - phi_l(target)| over the layers of a fixed feature net (official VGGLoss, L1).

    features: a module returning a list of feature maps (e.g. :class:`FixedFeatures`). x, target:
    (B, C, H, W) of equal shape; the target's features are detached. weights: one per layer,
    default 2^-(L-1-l) (the deepest layer 1, halving towards the input, as the official 1/32..1).
    normalize: instance-normalise every feature map first (each channel of each image to mean 0,
    std 1), so the loss compares where features respond, not their channel statistics (our toy's
    stand-in for the colour-tolerance of VGG's deep layers; the paper uses raw VGG features).
    Returns a scalar.
    """
    checks.instance(features, "features", nn.Module, "a torch.nn.Module returning a list of feature maps")
    checks.same_shape(x, target, "x", "target", dim=4, shape="(B, C, H, W)")
    checks.boolean(normalize, "normalize")
    fx, ft = features(x), features(target.detach())
    if weights is None:
        weights = [2.0 ** -(len(fx) - 1 - i) for i in range(len(fx))]
    weights = checks.sequence(weights, "weights", lambda v, n: checks.real(v, n, low=0.0), length=len(fx), what="non-negative weights")
    if normalize:
        fx, ft = [F.instance_norm(f, eps=EPS) for f in fx], [F.instance_norm(f, eps=EPS) for f in ft]
    return sum(w * (a - b.detach()).abs().mean() for w, a, b in zip(weights, fx, ft))


def feature_matching_loss(fake_features: Sequence[Tensor], real_features: Sequence[Tensor]) -> Tensor:
    """mean over layers of mean |D_l(fake) - D_l(real)| (pix2pixHD/TSIT feature matching, L1); real detached.

    fake_features, real_features: the discriminator's activations (``ConvDiscriminator(..., features=True)``),
    lists of equal length with equal shapes layer by layer. Returns a scalar.
    """
    checks.sequence(fake_features, "fake_features", what="feature maps")
    checks.sequence(real_features, "real_features", length=len(fake_features), what="feature maps (as many as fake_features)")
    for i, (a, b) in enumerate(zip(fake_features, real_features)):
        checks.same_shape(a, b, f"fake_features[{i}]", f"real_features[{i}]")
    return sum((a - b.detach()).abs().mean() for a, b in zip(fake_features, real_features)) / len(fake_features)


_SOBEL = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])


def edge_map(x: Tensor) -> Tensor:
    """Sobel gradient magnitude summed over channels (colour edges), replicate padding: (B, C, H, W) -> (B, H, W)."""
    _feature(x, "x")
    if min(x.shape[2:]) < 3:
        raise ValueError(f"x must be at least 3 x 3 pixels for a Sobel filter, got {tuple(x.shape[2:])}")
    b, c, h, w = x.shape
    k = torch.stack([_SOBEL, _SOBEL.T]).unsqueeze(1).to(x)  # (2, 1, 3, 3) d/dx, d/dy
    grad = F.conv2d(F.pad(x.reshape(b * c, 1, h, w), (1, 1, 1, 1), mode="replicate"), k)  # (B*C, 2, H, W)
    return grad.norm(dim=1).reshape(b, c, h, w).sum(1)  # (B, H, W)


def _pearson(a: Tensor, b: Tensor) -> Tensor:
    a, b = a - a.mean(1, keepdim=True), b - b.mean(1, keepdim=True)
    return (a * b).sum(1) / (a.norm(dim=1) * b.norm(dim=1)).clamp_min(1e-12)


def edge_agreement(x: Tensor, reference: Tensor) -> Tensor:
    """Pearson correlation, per image, between the edge maps (:func:`edge_map`) of x and reference: (B,) in [-1, 1].

    x, reference: (B, C, H, W) and (B, C', H, W) (channel counts may differ). The measure of "the
    output keeps the content's structure": compare with the reference = content image and = style image.
    """
    _feature(x, "x")
    _feature(reference, "reference")
    if reference.shape[0] != x.shape[0] or reference.shape[2:] != x.shape[2:]:
        raise ValueError(f"reference must match x in batch and H x W {(x.shape[0], *x.shape[2:])}, got {tuple(reference.shape)}")
    return _pearson(edge_map(x).flatten(1), edge_map(reference).flatten(1))  # (B,)


def style_distance(x: Tensor, style: Tensor) -> Tensor:
    """Per image ||mu(x) - mu(style)|| + ||sigma(x) - sigma(style)|| over channels (image-space channel statistics): (B,).

    x, style: (B, C, H, W) of equal shape. The statistics are those of :func:`channel_stats` (eps = 0).
    """
    checks.same_shape(x, style, "x", "style", dim=4, shape="(B, C, H, W)")
    (mx, sx), (ms, ss) = channel_stats(x, 0.0), channel_stats(style, 0.0)
    return (mx - ms).norm(dim=1) + (sx - ss).norm(dim=1)  # (B,)
