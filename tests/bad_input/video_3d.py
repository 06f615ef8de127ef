# ruff: noqa: E501  (a table: one wrong call per line reads best unwrapped)
"""Bad-input rows for paperlib.vision.video_3d."""

import torch

from bad_input import NAN, T, bad, g, poison
from paperlib.vision import video_3d as V

CLIP = torch.zeros(1, 1, 4, 8, 8)
FRAME = V.FrameNet(1, 2, (2,), generator=g())
NET = V.VideoNet(1, 2, (2,), generator=g())
SEP = V.SepConv3d(1, 2)
BLOCK = V.ResidualBlock3d(1, 2)
SF = V.SlowFast(1, 2, alpha=4, width=4, generator=g())

ROWS = [
    bad("video_3d.conv3d_block: in_channels 0", V.conv3d_block, 0, 2, match="in_channels must be a positive int"),
    bad("video_3d.conv3d_block: kernel length", V.conv3d_block, 1, 2, (3, 3), match="kernel must hold 3"),
    bad("video_3d.midplanes: out_channels str", V.midplanes, 4, "4", exc=T, match="out_channels must be a positive int"),
    bad("video_3d.midplanes: t 0", V.midplanes, 4, 4, 0, match="t must be a positive int"),
    bad("video_3d.Conv2Plus1d: mid 0", V.Conv2Plus1d, 4, 4, mid=0, match="mid must be a positive int"),
    bad("video_3d.Conv2Plus1d: in_channels -1", V.Conv2Plus1d, -1, 4, match="in_channels must be a positive int"),
    bad("video_3d.SepConv3d: k 0", V.SepConv3d, 1, 2, 0, match="k must be a positive int"),
    bad("video_3d.SepConv3d: gate str", V.SepConv3d, 1, 2, gate="yes", exc=T, match="gate must be a bool"),
    bad("video_3d.SepConv3d.forward: rank 4", SEP, torch.zeros(1, 1, 8, 8), match=r"x must have shape \(B, 1, T, H, W\)"),
    bad("video_3d.ResidualBlock3d: kind", V.ResidualBlock3d, 1, 2, "4d", match="kind must be one of"),
    bad("video_3d.ResidualBlock3d.forward: channels", BLOCK, torch.zeros(1, 3, 4, 8, 8), match="x must have 1 channels"),
    bad("video_3d.ResidualBlock3d.forward: NaN", BLOCK, poison(CLIP), match="x must be finite"),
    bad("video_3d.VideoNet: classes 1", V.VideoNet, 1, 1, generator=g(), match=r"classes must be an int \(>= 2\)"),
    bad("video_3d.VideoNet: depth 0", V.VideoNet, 1, 2, depth=0, generator=g(), match="depth must be a positive int"),
    bad("video_3d.VideoNet: kind", V.VideoNet, 1, 2, kind="lstm", generator=g(), match="kind must be one of"),
    bad("video_3d.VideoNet: generator", V.VideoNet, 1, 2, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("video_3d.VideoNet.forward: wrong rank (a frame, not a clip)", NET, torch.zeros(1, 1, 8, 8), match=r"x must have shape \(B, 1, T, H, W\)"),
    bad("video_3d.FrameNet: widths empty", V.FrameNet, 1, 2, (), generator=g(), match="widths must"),
    bad("video_3d.FrameNet.forward: a clip instead of a frame", FRAME, CLIP, match=r"x must have shape \(B, 1, H, W\)"),
    bad("video_3d.inflate: not a FrameNet", V.inflate, torch.nn.Conv2d(1, 1, 3), 3, exc=T, match="net2d must be a paperlib FrameNet"),
    bad("video_3d.inflate: t 0", V.inflate, FRAME, 0, match="t must be a positive int"),
    bad("video_3d.SlowFast: alpha 0", V.SlowFast, 1, 2, alpha=0, generator=g(), match="alpha must be a positive int"),
    bad("video_3d.SlowFast: beta 2", V.SlowFast, 1, 2, beta=2.0, generator=g(), match=r"beta must be in \(0, 1\]"),
    bad("video_3d.SlowFast: beta NaN", V.SlowFast, 1, 2, beta=NAN, generator=g(), match="beta must be"),
    bad("video_3d.SlowFast.forward: T not divisible by alpha", SF, torch.zeros(1, 1, 6, 8, 8), match="divisible by alpha=4"),
    bad("video_3d.SlowFast.forward: rank", SF, torch.zeros(1, 6, 8, 8), match=r"x must have shape \(B, 1, T, H, W\)"),
    bad("video_3d.count_params: not a module", V.count_params, "net", exc=T, match="model must be a torch.nn.Module"),
    bad("video_3d.count_flops: input_shape", V.count_flops, NET, (1, 0, 4), match="input_shape"),
    bad("video_3d.count_flops: model", V.count_flops, None, (1, 1), exc=T, match="model must be a torch.nn.Module"),
    bad("video_3d.x3d_expand: gamma_t 0.5", V.x3d_expand, gamma_t=0.5, generator=g(), match=r"gamma_t must be in \[1, inf\)|gamma_t must be a finite number >= 1"),
    bad("video_3d.x3d_expand: base_size 0", V.x3d_expand, base_size=0, generator=g(), match="base_size must be a positive int"),
    bad("video_3d.x3d_expand: generator", V.x3d_expand, generator=None, exc=T, match="generator must be a torch.Generator"),
]
ROWS += [
    bad("video_3d.inflate: divide str", V.inflate, FRAME, 3, divide="no", exc=T, match="divide must be a bool"),
    bad("video_3d.ResidualBlock3d: norm str", V.ResidualBlock3d, 1, 2, norm="yes", exc=T, match="norm must be a bool"),
]
