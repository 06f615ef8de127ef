"""3-D convolutional video networks, small: C3D, R3D, R(2+1)D, I3D inflation, S3D, SlowFast, X3D's cost axes.

    conv3d_block        C3D (Tran et al., arXiv 1412.0767): homogeneous 3x3x3 conv + ReLU
    ResidualBlock3d     R3D (Hara et al., arXiv 1711.09577): two convs and an identity (or 1x1x1) shortcut,
                        with any of the conv factories below
    midplanes           R(2+1)D (Tran et al., arXiv 1711.11248, section 3.5): M = floor(t d^2 N_in N_out /
                        (d^2 N_in + t N_out)), so the (2+1)-D block has the 3-D block's parameter count
    Conv2Plus1d         the factorised block: 1 x d x d conv to M channels, ReLU, t x 1 x 1 conv
    SepConv3d           S3D (Xie et al., arXiv 1712.04851): 1 x k x k then k x 1 x 1, optional self-gating
    FrameNet, inflate   I3D (Carreira & Zisserman, arXiv 1705.07750, section 2.4): a 2-D net's k x k kernels
                        repeated t times over time and divided by t; on a "boring" video the inflated net
                        gives the 2-D net's output
    SlowFast            Feichtenhofer et al., arXiv 1812.03982: a Slow pathway (few frames, C channels) and
                        a Fast one (alpha times the frames, beta C channels), joined by time-strided conv laterals
    count_params, count_flops, x3d_expand
                        X3D (Feichtenhofer, arXiv 2004.04730): multiply-adds and parameters as functions of the
                        expansion factors (frames gamma_t, frame-rate gamma_tau, resolution gamma_s, width gamma_w,
                        depth gamma_d)

Clips are (B, C, T, H, W), batch first (torch's Conv3d layout). Temporal padding replicates the end frames
("same" size in time), so a static clip stays static through every layer (zero padding would break I3D's
boring-video equality at the clip's ends).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from paperlib import checks, layers

__all__ = [
    "conv3d_block", "midplanes", "Conv2Plus1d", "SepConv3d", "ResidualBlock3d", "VideoNet", "FrameNet",
    "inflate", "SlowFast", "count_params", "count_flops", "X3DCost", "x3d_expand",
]

ConvFactory = Callable[[int, int], nn.Module]


def _channels(cin: object, cout: object) -> tuple[int, int]:
    return checks.positive_int(cin, "in_channels"), checks.positive_int(cout, "out_channels")


def _clip(x: object, channels: int, name: str = "x") -> Tensor:
    checks.tensor(x, name, dim=5, shape=f"(B, {channels}, T, H, W)")
    if x.shape[1] != channels:
        raise ValueError(f"{name} must have {channels} channels (B, {channels}, T, H, W), got {tuple(x.shape)}")
    return x


class _Conv3dSame(nn.Conv3d):
    """A stride-1 Conv3d with 'same' output size: replicate padding in time, zero padding in space."""

    def __init__(self, cin: int, cout: int, kernel: tuple[int, int, int], bias: bool = True):
        super().__init__(cin, cout, kernel, bias=bias)
        self.kernel = kernel

    def forward(self, x: Tensor) -> Tensor:
        kt, kh, kw = self.kernel
        x = F.pad(x, (0, 0, 0, 0, (kt - 1) // 2, kt // 2), mode="replicate") if kt > 1 else x
        x = F.pad(x, ((kw - 1) // 2, kw // 2, (kh - 1) // 2, kh // 2))
        return super().forward(x)


def conv3d_block(in_channels: int, out_channels: int, kernel: Sequence[int] = (3, 3, 3)) -> nn.Module:
    """C3D's layer (arXiv 1412.0767, section 3): a t x d x d convolution ('same' size) followed by ReLU.

    kernel (t, d, d) = (3, 3, 3) is the paper's homogeneous choice; (1, 3, 3) is a per-frame (2-D) conv.
    """
    cin, cout = _channels(in_channels, out_channels)
    kernel = tuple(checks.sequence(kernel, "kernel", checks.positive_int, length=3, what="positive ints (t, h, w)"))
    return nn.Sequential(_Conv3dSame(cin, cout, kernel), nn.ReLU())


def midplanes(in_channels: int, out_channels: int, t: int = 3, d: int = 3) -> int:
    """R(2+1)D's intermediate width (arXiv 1711.11248, section 3.5): M = floor(t d^2 N_in N_out / (d^2 N_in + t N_out)).

    With it the factorised block's weights, d^2 N_in M + t M N_out, match the t x d x d block's t d^2 N_in N_out
    (exactly when the division is exact, else at most d^2 N_in + t N_out - 1 short; biases aside).
    """
    cin, cout = _channels(in_channels, out_channels)
    checks.positive_int(t, "t")
    checks.positive_int(d, "d")
    return (t * d * d * cin * cout) // (d * d * cin + t * cout)


class Conv2Plus1d(nn.Sequential):
    """R(2+1)D's factorised convolution: 1 x d x d (spatial) to M = midplanes(...) channels, ReLU, t x 1 x 1 (temporal).

    (B, N_in, T, H, W) -> (B, N_out, T, H, W). ``mid`` overrides M (for ablations).
    """

    def __init__(self, in_channels: int, out_channels: int, t: int = 3, d: int = 3, *, mid: int | None = None):
        cin, cout = _channels(in_channels, out_channels)
        mid = midplanes(cin, cout, t, d) if mid is None else checks.positive_int(mid, "mid")
        super().__init__(_Conv3dSame(cin, mid, (1, d, d)), nn.ReLU(), _Conv3dSame(mid, cout, (t, 1, 1)))
        self.mid = mid


class SepConv3d(nn.Module):
    """S3D's separable convolution (arXiv 1712.04851): 1 x k x k then k x 1 x 1, both to N_out channels.

    gate=True adds S3D-G's self-gating y = sigmoid(W pool_{T,H,W}(x) + b) * x on the output (per channel).
    """

    def __init__(self, in_channels: int, out_channels: int, k: int = 3, *, gate: bool = False):
        super().__init__()
        cin, cout = _channels(in_channels, out_channels)
        checks.positive_int(k, "k")
        self.in_channels = cin
        self.spatial = _Conv3dSame(cin, cout, (1, k, k))
        self.temporal = _Conv3dSame(cout, cout, (k, 1, 1))
        self.gate = nn.Linear(cout, cout) if checks.boolean(gate, "gate") else None

    def forward(self, x: Tensor) -> Tensor:
        _clip(x, self.in_channels)
        y = self.temporal(F.relu(self.spatial(x)))  # (B, N_out, T, H, W)
        if self.gate is not None:
            y = y * torch.sigmoid(self.gate(y.mean(dim=(2, 3, 4))))[:, :, None, None, None]
        return y


def _factory(kind: str) -> ConvFactory:
    return {
        "3d": lambda a, b: _Conv3dSame(a, b, (3, 3, 3)),
        "2d": lambda a, b: _Conv3dSame(a, b, (1, 3, 3)),
        "2plus1d": lambda a, b: Conv2Plus1d(a, b),
        "s3d": lambda a, b: SepConv3d(a, b),
    }[kind]


CONV_KINDS = ("3d", "2d", "2plus1d", "s3d")


class ResidualBlock3d(nn.Module):
    """R3D's basic block (arXiv 1711.09577, after He et al.): relu(x + bn(conv(relu(bn(conv(x)))))), any conv kind.

    kind: "3d" (3x3x3, R3D), "2d" (1x3x3 per frame), "2plus1d" (R(2+1)D), "s3d" (separable).
    A 1x1x1 projection shortcut when the channel count changes. norm: batch normalisation after each conv
    (as in R3D, R(2+1)D, S3D and SlowFast; without it our tiny nets often stall at chance).
    """

    def __init__(self, in_channels: int, out_channels: int, kind: str = "3d", *, norm: bool = True):
        super().__init__()
        cin, cout = _channels(in_channels, out_channels)
        make = _factory(checks.choice(kind, "kind", CONV_KINDS))
        norm = checks.boolean(norm, "norm")
        self.in_channels = cin
        self.conv1, self.conv2 = make(cin, cout), make(cout, cout)
        self.bn1, self.bn2 = (nn.BatchNorm3d(cout), nn.BatchNorm3d(cout)) if norm else (nn.Identity(), nn.Identity())
        self.shortcut = nn.Identity() if cin == cout else nn.Conv3d(cin, cout, 1)

    def forward(self, x: Tensor) -> Tensor:
        _clip(x, self.in_channels)
        return F.relu(self.shortcut(x) + self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))))


class VideoNet(nn.Module):
    """A small video classifier: a stem conv (+ batch norm, ReLU), one stage per width of ``depth`` residual blocks of one conv
    kind, 1x2x2 spatial max-pooling between stages, global average pooling over (T, H, W), a linear head.
    (B, C, T, H, W) -> (B, classes).

    kind "2d" makes the frame model (no temporal kernel anywhere: each frame is seen alone until the
    final average), the control every temporal model must beat.
    """

    def __init__(self, in_channels: int, classes: int, widths: Sequence[int] = (8, 16), *, kind: str = "3d",
                 depth: int = 1, generator: torch.Generator):
        super().__init__()
        self.in_channels = checks.positive_int(in_channels, "in_channels")
        checks.integer(classes, "classes", low=2)
        widths = tuple(checks.sequence(widths, "widths", checks.positive_int, min_length=1, what="positive ints"))
        kind = checks.choice(kind, "kind", CONV_KINDS)
        checks.positive_int(depth, "depth")
        checks.generator(generator)
        stages: list[nn.Module] = [_factory(kind)(in_channels, widths[0]), nn.BatchNorm3d(widths[0]), nn.ReLU()]
        for i, (a, b) in enumerate(zip((widths[0], *widths), widths)):
            if i:
                stages.append(nn.MaxPool3d((1, 2, 2)))
            stages += [ResidualBlock3d(a if j == 0 else b, b, kind) for j in range(depth)]
        self.features = nn.Sequential(*stages)
        self.head = nn.Linear(widths[-1], classes)
        layers.seeded_init_(self, generator)

    def forward(self, x: Tensor) -> Tensor:
        _clip(x, self.in_channels)
        return self.head(self.features(x).mean(dim=(2, 3, 4)))


class FrameNet(nn.Module):
    """A small 2-D CNN for single frames (the network I3D inflates): 3x3 convs + ReLU with 2x2 max-pooling
    between them, global average pooling, a linear head. (B, C, H, W) -> (B, classes)."""

    def __init__(self, in_channels: int, classes: int, widths: Sequence[int] = (8, 16), *, generator: torch.Generator):
        super().__init__()
        self.in_channels = checks.positive_int(in_channels, "in_channels")
        checks.integer(classes, "classes", low=2)
        widths = tuple(checks.sequence(widths, "widths", checks.positive_int, min_length=1, what="positive ints"))
        checks.generator(generator)
        body: list[nn.Module] = []
        for i, (a, b) in enumerate(zip((in_channels, *widths), widths)):
            if i:
                body.append(nn.MaxPool2d(2))
            body += [nn.Conv2d(a, b, 3, padding=1), nn.ReLU()]
        self.features = nn.Sequential(*body)
        self.head = nn.Linear(widths[-1], classes)
        layers.seeded_init_(self, generator)

    def forward(self, x: Tensor) -> Tensor:
        checks.tensor(x, "x", dim=4, shape=f"(B, {self.in_channels}, H, W)")
        return self.head(self.features(x).mean(dim=(2, 3)))


class _Inflated(nn.Module):
    def __init__(self, net2d: FrameNet, t: int, divide: bool):
        super().__init__()
        self.in_channels = net2d.in_channels
        body: list[nn.Module] = []
        for m in net2d.features:
            if isinstance(m, nn.Conv2d):
                conv = _Conv3dSame(m.in_channels, m.out_channels, (t, *m.kernel_size))
                with torch.no_grad():  # W_3D[:, :, tau] = W_2D / t for every tau (section 2.4)
                    conv.weight.copy_(m.weight.unsqueeze(2).repeat(1, 1, t, 1, 1) / (t if divide else 1))
                    conv.bias.copy_(m.bias)
                body.append(conv)
            elif isinstance(m, nn.MaxPool2d):
                body.append(nn.MaxPool3d((1, m.kernel_size, m.kernel_size)))  # no temporal pooling early (I3D)
            else:
                body.append(type(m)())
        self.features = nn.Sequential(*body)
        self.head = nn.Linear(net2d.head.in_features, net2d.head.out_features)
        self.head.load_state_dict(net2d.head.state_dict())

    def forward(self, x: Tensor) -> Tensor:
        _clip(x, self.in_channels)
        return self.head(self.features(x).mean(dim=(2, 3, 4)))


def inflate(net2d: FrameNet, t: int = 3, *, divide: bool = True) -> nn.Module:
    """I3D inflation (arXiv 1705.07750, section 2.4): every k x k conv of ``net2d`` becomes t x k x k with its
    weights repeated over time and divided by t; pools become 1 x 2 x 2; the head is copied.

    The result takes (B, C, T, H, W). On a boring video (one image repeated) each conv sums t equal
    frames times W / t, so every layer reproduces the 2-D activations and the logits equal ``net2d``'s.
    ``divide=False`` repeats the kernels without the 1/t (the ablation: every conv's response is t times
    too large on a boring video, so the output drifts away from the 2-D net's).
    """
    checks.instance(net2d, "net2d", FrameNet, "a paperlib FrameNet")
    checks.positive_int(t, "t")
    return _Inflated(net2d, t, checks.boolean(divide, "divide"))


class SlowFast(nn.Module):
    """SlowFast (arXiv 1812.03982), small: two pathways over the same clip, fused by time-strided conv laterals.

    Slow: every ``alpha``-th frame, ``width`` channels. Fast: every frame (alpha times the Slow frames),
    round(beta * width) channels, no temporal downsampling. After each stage a lateral Fast -> Slow conv
    (5 x 1 x 1 kernel, temporal stride alpha, 2 * beta * width channels, the paper's "time-strided
    convolution") is concatenated to the Slow features. Both pathways use 3x3x3 residual blocks except
    Slow's first stage (1x3x3, as the paper's res2-res3 use no temporal kernel). Heads: the two pathways'
    globally pooled features are concatenated and classified. T must be divisible by alpha.
    ``fast=False`` keeps the Slow pathway alone (the paper's "Slow-only" control).
    """

    def __init__(self, in_channels: int, classes: int, *, alpha: int = 4, beta: float = 0.25, width: int = 8,
                 stages: int = 2, fast: bool = True, generator: torch.Generator):
        super().__init__()
        self.in_channels = checks.positive_int(in_channels, "in_channels")
        checks.integer(classes, "classes", low=2)
        self.alpha = checks.positive_int(alpha, "alpha")
        beta = checks.real(beta, "beta", low=0, low_open=True, high=1)
        checks.positive_int(width, "width")
        checks.positive_int(stages, "stages")
        self.use_fast = checks.boolean(fast, "fast")
        checks.generator(generator)
        fw = max(1, round(beta * width))
        lateral = 2 * fw
        self.slow, self.fast, self.laterals = nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
        s_in, f_in = in_channels, in_channels
        for i in range(stages):
            self.slow.append(ResidualBlock3d(s_in, width, "2d" if i == 0 else "3d"))
            if fast:
                self.fast.append(ResidualBlock3d(f_in, fw, "3d"))
                self.laterals.append(nn.Conv3d(fw, lateral, (5, 1, 1), stride=(alpha, 1, 1), padding=(2, 0, 0)))
            s_in, f_in = width + (lateral if fast else 0), fw
        self.head = nn.Linear(s_in + (f_in if fast else 0), classes)
        layers.seeded_init_(self, generator)

    def forward(self, x: Tensor) -> Tensor:
        _clip(x, self.in_channels)
        if x.shape[2] % self.alpha:
            raise ValueError(f"x must have a number of frames divisible by alpha={self.alpha}, got T={x.shape[2]}")
        slow, fast = x[:, :, :: self.alpha], x  # (B, C, T/alpha, H, W), (B, C, T, H, W)
        for i, block in enumerate(self.slow):
            slow = block(slow)
            if self.use_fast:
                fast = self.fast[i](fast)
                slow = torch.cat([slow, self.laterals[i](fast)], dim=1)  # lateral: (B, 2 beta C, T/alpha, H, W)
            if i < len(self.slow) - 1:
                slow = F.max_pool3d(slow, (1, 2, 2))
                fast = F.max_pool3d(fast, (1, 2, 2)) if self.use_fast else fast
        pooled = [slow.mean(dim=(2, 3, 4))] + ([fast.mean(dim=(2, 3, 4))] if self.use_fast else [])
        return self.head(torch.cat(pooled, dim=1))


def count_params(model: nn.Module) -> int:
    """Number of trainable parameters (weights and biases)."""
    checks.instance(model, "model", nn.Module, "a torch.nn.Module")
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def count_flops(model: nn.Module, input_shape: Sequence[int]) -> int:
    """Multiply-adds of one forward pass on an input of ``input_shape`` (batch included), as papers count FLOPs.

    Counted: every Conv1d/2d/3d (output elements x in_channels / groups x kernel volume) and Linear
    (batch rows x in x out); activations, pooling, additions and biases are not counted (the usual
    convention, e.g. X3D's and SlowFast's tables).
    """
    checks.instance(model, "model", nn.Module, "a torch.nn.Module")
    shape = tuple(checks.sequence(input_shape, "input_shape", checks.positive_int, min_length=2, what="positive ints"))
    total = [0]

    def hook(module: nn.Module, _inputs: tuple, output: Tensor) -> None:
        if isinstance(module, nn.modules.conv._ConvNd):
            total[0] += output.numel() * module.in_channels // module.groups * math.prod(module.kernel_size)
        elif isinstance(module, nn.Linear):
            total[0] += output.numel() * module.in_features

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.modules.conv._ConvNd, nn.Linear))]
    try:
        with torch.no_grad():
            model(torch.zeros(shape, device=next(model.parameters()).device))
    finally:
        for h in handles:
            h.remove()
    return total[0]


class X3DCost(NamedTuple):
    """What :func:`x3d_expand` returns: the expanded model, its input shape, parameters and multiply-adds."""

    model: nn.Module
    input_shape: tuple[int, ...]
    params: int
    flops: int


def x3d_expand(base_frames: int = 4, base_size: int = 16, base_width: int = 8, classes: int = 4, *,
               gamma_t: float = 1.0, gamma_s: float = 1.0, gamma_w: float = 1.0, gamma_d: float = 1.0,
               generator: torch.Generator) -> X3DCost:
    """X3D's expansion axes (arXiv 2004.04730, section 3) applied to a tiny 3-D residual net, with its counted cost.

    frames x gamma_t, spatial size x gamma_s, width x gamma_w, residual blocks per stage x gamma_d (rounded
    up), starting from a base of ``base_frames`` x ``base_size``^2 inputs, two stages of widths (w, 2w) with
    one block each. (The frame-rate axis gamma_tau changes which frames are sampled, not the cost at fixed
    frames.) Returns the model, the input shape (1, 1, T, S, S) and its parameters and multiply-adds.
    """
    for name, value in (("base_frames", base_frames), ("base_size", base_size), ("base_width", base_width)):
        checks.positive_int(value, name)
    checks.integer(classes, "classes", low=2)
    g = {n: checks.real(v, n, low=1) for n, v in (("gamma_t", gamma_t), ("gamma_s", gamma_s), ("gamma_w", gamma_w), ("gamma_d", gamma_d))}
    checks.generator(generator)
    frames, size = round(base_frames * g["gamma_t"]), round(base_size * g["gamma_s"])
    width = round(base_width * g["gamma_w"])
    model = VideoNet(1, classes, (width, 2 * width), kind="3d", depth=math.ceil(g["gamma_d"]), generator=generator)
    shape = (1, 1, frames, size, size)
    return X3DCost(model, shape, count_params(model), count_flops(model, shape))
