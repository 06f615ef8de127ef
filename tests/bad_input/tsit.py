# ruff: noqa: E501  (a table: one wrong call per line reads best unwrapped)
"""Bad-input rows for paperlib.adversarial.tsit and paperlib.data.styled_shapes."""

from __future__ import annotations

import torch

from bad_input import NAN, T, bad, g, poison
from paperlib import data as D
from paperlib.adversarial import tsit as TS

Z = torch.randn(2, 4, 4, 4, generator=g())
S4 = torch.randn(2, 4, 3, 3, generator=g())
F3 = torch.randn(2, 3, 4, 4, generator=g())
IMG = torch.rand(2, 3, 16, 16, generator=g())
IMG8 = torch.rand(2, 3, 8, 8, generator=g())
FADE = TS.FADE(4, 3, generator=g())
BLOCK = TS.FADEResBlock(4, 2, 3, generator=g())
SBLOCK = TS.StreamResBlock(3, 4, downsample=True, generator=g())
STREAM = TS.Stream(3, (4, 8, 8), generator=g())
GEN = TS.TSITGenerator(3, (4, 8, 8), noise_channels=2, generator=g())
MODEL = TS.TSIT(3, (4, 8, 8), noise_channels=2, generator=g())
FEATS = TS.FixedFeatures(3, (4, 8), generator=g())
NOISE = torch.zeros(2, 2, 4, 4)
PYR = STREAM(IMG)
FM = [torch.randn(2, 4, 8, 8, generator=g()), torch.randn(2, 8, 4, 4, generator=g())]

ROWS = [
    bad("tsit.channel_stats: 3-D x", TS.channel_stats, torch.rand(2, 3, 4), match=r"x must have shape \(B, C, H, W\)"),
    bad("tsit.channel_stats: one position", TS.channel_stats, torch.rand(2, 3, 1, 1), match=r"x must have at least 2 spatial positions"),
    bad("tsit.channel_stats: negative eps", TS.channel_stats, Z, -1.0, match=r"eps must be"),
    bad("tsit.channel_stats: NaN", TS.channel_stats, poison(Z), match=r"x must be finite"),
    bad("tsit.fadain: mismatched channels", TS.fadain, Z, F3, match=r"style must have the batch size and channels of z"),
    bad("tsit.fadain: mismatched batch", TS.fadain, Z, S4[:1], match=r"style must have the batch size and channels of z"),
    bad("tsit.fadain: alpha > 1", TS.fadain, Z, S4, 1.5, match=r"alpha must be in \[0, 1\]"),
    bad("tsit.fadain: alpha < 0", TS.fadain, Z, S4, -0.1, match=r"alpha must be in \[0, 1\]"),
    bad("tsit.fadain: alpha NaN", TS.fadain, Z, S4, NAN, match=r"alpha must be in \[0, 1\]"),
    bad("tsit.fadain: alpha str", TS.fadain, Z, S4, "1", exc=T, match=r"alpha must be a real number"),
    bad("tsit.fadain: z not a tensor", TS.fadain, [1.0], S4, exc=T, match=r"z must be a torch.Tensor"),
    bad("tsit.fadain: NaN style", TS.fadain, Z, poison(S4), match=r"style must be finite"),
    bad("tsit.FADE: channels 0", TS.FADE, 0, 3, generator=g(), match=r"channels must be a positive int"),
    bad("tsit.FADE: no generator", TS.FADE, 4, 3, generator=None, exc=T, match=r"generator must be a torch.Generator"),
    bad("tsit.FADE.forward: z channels", FADE, F3, F3, match=r"z must have 4 channels"),
    bad("tsit.FADE.forward: feature channels", FADE, Z, Z, match=r"feature must have 3 channels"),
    bad("tsit.FADE.forward: feature size", FADE, Z, torch.rand(2, 3, 2, 2), match=r"feature must match z in batch and H x W"),
    bad("tsit.FADEResBlock: out_channels 0", TS.FADEResBlock, 4, 0, 3, generator=g(), match=r"out_channels must be a positive int"),
    bad("tsit.FADEResBlock.forward: x channels", BLOCK, F3, F3, match=r"x must have 4 channels"),
    bad("tsit.StreamResBlock: downsample int", TS.StreamResBlock, 3, 4, downsample=1, generator=g(), exc=T, match=r"downsample must be a bool"),
    bad("tsit.StreamResBlock.forward: channels", SBLOCK, Z, match=r"x must have 3 channels"),
    bad("tsit.Stream: empty widths", TS.Stream, 3, (), generator=g(), match=r"widths must be a non-empty sequence"),
    bad("tsit.Stream.forward: size not divisible", STREAM, torch.rand(2, 3, 10, 10), match=r"x must have H and W divisible by 4"),
    bad("tsit.Stream.forward: channels", STREAM, torch.rand(2, 1, 16, 16), match=r"x must have 3 channels"),
    bad("tsit.TSITGenerator: use_fadain str", TS.TSITGenerator, 3, (4, 8), use_fadain="yes", generator=g(), exc=T, match=r"use_fadain must be a bool"),
    bad("tsit.TSITGenerator: noise_channels 0", TS.TSITGenerator, 3, (4, 8), noise_channels=0, generator=g(), match=r"noise_channels must be a positive int"),
    bad("tsit.TSITGenerator.forward: wrong pyramid length", GEN, NOISE, PYR[:2], PYR, match=r"content must hold 3 feature maps"),
    bad("tsit.TSITGenerator.forward: mismatched style channels", GEN, NOISE, PYR, [PYR[0], PYR[1], torch.rand(2, 5, 4, 4)], match=r"style\[2\] must have shape \(2, 8, 4, 4\)"),
    bad("tsit.TSITGenerator.forward: alpha > 1", GEN, NOISE, PYR, PYR, 2.0, match=r"alpha must be in \[0, 1\]"),
    bad("tsit.TSITGenerator.forward: noise channels", GEN, torch.zeros(2, 3, 4, 4), PYR, PYR, match=r"noise must have 2 channels"),
    bad("tsit.TSIT: channels 0", TS.TSIT, 0, generator=g(), match=r"channels must be a positive int"),
    bad("tsit.TSIT.forward: mismatched channel counts", MODEL, IMG, torch.rand(2, 1, 16, 16), match=r"style must have 3 channels"),
    bad("tsit.TSIT.forward: style shape", MODEL, IMG, IMG8, match=r"style must have the shape of content"),
    bad("tsit.TSIT.forward: alpha > 1", MODEL, IMG, IMG, 1.01, match=r"alpha must be in \[0, 1\]"),
    bad("tsit.TSIT.forward: noise shape", MODEL, IMG, IMG, 1.0, torch.zeros(2, 2, 8, 8), match=r"noise must have shape \(2, 2, 4, 4\)"),
    bad("tsit.TSIT.forward: size not divisible", MODEL, torch.rand(2, 3, 10, 10), torch.rand(2, 3, 10, 10), match=r"content must be square with a side divisible by 4"),
    bad("tsit.TSIT.forward: not square", MODEL, torch.rand(2, 3, 16, 8), torch.rand(2, 3, 16, 8), match=r"content must be square"),
    bad("tsit.TSIT.noise_shape: batch 0", MODEL.noise_shape, 0, 16, match=r"batch must be a positive int"),
    bad("tsit.TSIT.noise_shape: size 10", MODEL.noise_shape, 2, 10, match=r"size must be a multiple of 4"),
    bad("tsit.FixedFeatures: widths str", TS.FixedFeatures, 3, "abc", generator=g(), exc=T, match=r"widths must be a sequence"),
    bad("tsit.FixedFeatures.forward: channels", FEATS, torch.rand(2, 1, 8, 8), match=r"x must have 3 channels"),
    bad("tsit.perceptual_loss: shapes differ", TS.perceptual_loss, FEATS, IMG, IMG8, match=r"target must have the shape of x"),
    bad("tsit.perceptual_loss: features not a module", TS.perceptual_loss, lambda x: [x], IMG, IMG, exc=T, match=r"features must be a torch.nn.Module"),
    bad("tsit.perceptual_loss: weights length", TS.perceptual_loss, FEATS, IMG, IMG, [1.0], match=r"weights must hold 2"),
    bad("tsit.perceptual_loss: negative weight", TS.perceptual_loss, FEATS, IMG, IMG, [1.0, -1.0], match=r"weights\[1\] must be"),
    bad("tsit.perceptual_loss: normalize int", TS.perceptual_loss, FEATS, IMG, IMG, normalize=1, exc=T, match=r"normalize must be a bool"),
    bad("tsit.feature_matching_loss: lengths differ", TS.feature_matching_loss, FM, FM[:1], match=r"real_features must hold 2"),
    bad("tsit.feature_matching_loss: shapes differ", TS.feature_matching_loss, FM, [FM[0], FM[0]], match=r"real_features\[1\] must have the shape of fake_features\[1\]"),
    bad("tsit.feature_matching_loss: empty", TS.feature_matching_loss, [], [], match=r"fake_features must be a non-empty sequence"),
    bad("tsit.edge_map: too small", TS.edge_map, torch.rand(1, 3, 2, 2), match=r"x must be at least 3 x 3"),
    bad("tsit.edge_agreement: size differs", TS.edge_agreement, IMG, IMG8, match=r"reference must match x in batch and H x W"),
    bad("tsit.edge_agreement: NaN", TS.edge_agreement, poison(IMG), IMG, match=r"x must be finite"),
    bad("tsit.style_distance: shapes differ", TS.style_distance, IMG, IMG8, match=r"style must have the shape of x"),
    bad("data.styled_shapes: n 0", D.styled_shapes, 0, generator=g(), match=r"n must be a positive int"),
    bad("data.styled_shapes: size 4", D.styled_shapes, 4, 4, generator=g(), match=r"size must be an int >= 8"),
    bad("data.styled_shapes: styled int", D.styled_shapes, 4, styled=1, generator=g(), exc=T, match=r"styled must be a bool"),
    bad("data.styled_shapes: amplitude > 0.5", D.styled_shapes, 4, texture_amplitude=0.9, generator=g(), match=r"texture_amplitude must be in \[0, 0.5\]"),
    bad("data.styled_shapes: no generator", D.styled_shapes, 4, generator=None, exc=T, match=r"generator must be a torch.Generator"),
]
