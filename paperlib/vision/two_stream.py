"""The two-stream family's building blocks: dense optical flow, flow stacking, TSN sampling and consensus.

    horn_schunck         Horn & Schunck, Determining Optical Flow (1981), sections 7-12: the brightness-
                         constancy + smoothness energy, minimised by the paper's Jacobi-style iteration
    stack_flows          Simonyan & Zisserman, arXiv 1406.2199, eq. (1): L consecutive flow fields as
                         2L channels, d^x and d^y interleaved, with optional mean-flow subtraction
    segment_snippets     Wang et al., TSN, arXiv 1608.00859, section 3.1: K equal segments, one snippet
                         start drawn at random inside each (training) or at its centre (testing)
    segmental_consensus  TSN eq. (1): G(F(T_1), ..., F(T_K)), average (the paper's default) or max
    late_fusion          arXiv 1406.2199, section 3 / TSN section 3.2: a weighted average of the streams'
                         class scores
    gather_snippets      cut K snippets of L consecutive flows out of a clip's flows and stack each as eq. (1)
    StreamNet, TSN       one (much shrunk) stream ConvNet, and TSN eq. (1): that shared net on K snippets + consensus
    warp, charbonnier, MotionNet, motionnet_loss
                         hidden two-stream (Zhu et al., arXiv 1704.00389): a small CNN predicts flow and learns
                         it without flow labels, by backward-warping frame 2 to rebuild frame 1 (Charbonnier
                         photometric loss + Charbonnier smoothness of the flow)

Videos are (B, T, H, W) grey-level clips, batch first; flow fields are (B, 2, H, W) holding (u, v):
u along x (columns, to the right), v along y (rows, downwards), in pixels per frame.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from paperlib import checks, layers

__all__ = [
    "horn_schunck", "stack_flows", "segment_snippets", "segmental_consensus", "late_fusion",
    "warp", "charbonnier", "MotionNet", "motionnet_loss", "gather_snippets", "StreamNet", "TSN",
]

PADDINGS = ("replicate", "circular")

# Horn & Schunck section 7: each derivative is the mean of four first differences over the 2x2x2 cube.
_DX = torch.tensor([[-1.0, 1.0], [-1.0, 1.0]]) / 4  # along columns, summed over two rows (x2 frames below)
_DY = torch.tensor([[-1.0, -1.0], [1.0, 1.0]]) / 4
_ONES = torch.ones(2, 2) / 4
# Section 8: the local average u_bar = 1/6 (edge neighbours) + 1/12 (corner neighbours).
_AVERAGE = torch.tensor([[1 / 12, 1 / 6, 1 / 12], [1 / 6, 0.0, 1 / 6], [1 / 12, 1 / 6, 1 / 12]])


def _check_frames(x: Tensor, name: str, shape: tuple | None = None) -> Tensor:
    checks.tensor(x, name, dim=3, shape="(B, H, W)")
    if shape is not None and x.shape != shape:
        raise ValueError(f"{name} must have the shape of frame1 {tuple(shape)}, got {tuple(x.shape)}")
    if min(x.shape[1:]) < 2:
        raise ValueError(f"{name} must be at least 2 x 2 pixels, got {tuple(x.shape[1:])}")
    return x


def _conv(x: Tensor, kernel: Tensor, padding: str) -> Tensor:
    """Correlate (B, H, W) with a small kernel; output pixel (i, j) reads x[i:i+k, j:j+k] of the padded image."""
    k = kernel.shape[0]
    pad = (0, k - 1, 0, k - 1) if k == 2 else (1, 1, 1, 1)
    xp = F.pad(x[:, None], pad, mode=padding)
    return F.conv2d(xp, kernel.to(x)[None, None])[:, 0]


def horn_schunck(frame1: Tensor, frame2: Tensor, *, alpha: float = 1.0, iterations: int = 200,
                 padding: str = "replicate") -> Tensor:
    """Dense optical flow from frame1 to frame2 by Horn & Schunck (1981).

    Minimises sum (E_x u + E_y v + E_t)^2 + alpha^2 (|grad u|^2 + |grad v|^2) with the paper's iteration
    (section 12): u <- u_bar - E_x (E_x u_bar + E_y v_bar + E_t) / (alpha^2 + E_x^2 + E_y^2), likewise v,
    starting from zero flow; E_x, E_y, E_t are the 2x2x2-cube derivative estimates of section 7 and
    u_bar, v_bar the weighted neighbour averages of section 8. Intensities should be in [0, 1] (alpha is
    in their units). frame1, frame2: (B, H, W). Returns (B, 2, H, W) flow (u, v) in pixels per frame,
    estimated at pixel corners (the cube centres) and stored at the top-left pixel of each cube.
    padding: how images and flows continue past the border, "replicate" or "circular" (a wrap-around canvas).
    """
    _check_frames(frame1, "frame1")
    _check_frames(frame2, "frame2", frame1.shape)
    alpha = checks.real(alpha, "alpha", low=0, low_open=True)
    checks.positive_int(iterations, "iterations")
    padding = checks.choice(padding, "padding", PADDINGS)
    ex = _conv(frame1, _DX, padding) + _conv(frame2, _DX, padding)  # (B, H, W)
    ey = _conv(frame1, _DY, padding) + _conv(frame2, _DY, padding)
    et = _conv(frame2 - frame1, _ONES, padding)
    denom = alpha**2 + ex**2 + ey**2
    u = torch.zeros_like(frame1)
    v = torch.zeros_like(frame1)
    for _ in range(iterations):
        u_bar, v_bar = _conv(u, _AVERAGE, padding), _conv(v, _AVERAGE, padding)
        step = (ex * u_bar + ey * v_bar + et) / denom
        u, v = u_bar - ex * step, v_bar - ey * step
    return torch.stack([u, v], dim=1)  # (B, 2, H, W)


def stack_flows(flows: Tensor, *, subtract_mean: bool = False) -> Tensor:
    """Eq. (1) of arXiv 1406.2199: L consecutive flows (B, L, 2, H, W) -> (B, 2L, H, W) input of the temporal net.

    Channel 2k holds d^x of flow k and channel 2k + 1 its d^y (k = 0..L-1, zero-based). subtract_mean:
    remove each field's mean displacement vector first (section 3.1, "mean flow subtraction"), which
    cancels a global (camera) translation.
    """
    checks.tensor(flows, "flows", dim=5, shape="(B, L, 2, H, W)")
    if flows.shape[2] != 2:
        raise ValueError(f"flows must have shape (B, L, 2, H, W) with 2 = (u, v), got {tuple(flows.shape)}")
    checks.boolean(subtract_mean, "subtract_mean")
    if subtract_mean:
        flows = flows - flows.mean(dim=(3, 4), keepdim=True)
    b, n, _, h, w = flows.shape
    return flows.reshape(b, 2 * n, h, w)  # (B, 2L, H, W): (u_0, v_0, u_1, v_1, ...)


def segment_snippets(frames: int, segments: int, snippet: int = 1, *, generator: torch.Generator | None = None) -> Tensor:
    """TSN's sparse sampling (arXiv 1608.00859, section 3.1): the start frame of one snippet in each of K segments.

    The possible starts 0..frames-snippet are split into ``segments`` consecutive groups of (nearly)
    equal size, group k = [k S // K, (k+1) S // K) with S = frames - snippet + 1; a start is drawn
    uniformly inside each group when ``generator`` is given (training), else the group's middle start
    is taken (testing). Returns (K,) int64 starts, increasing; a snippet covers [start, start + snippet).
    """
    checks.positive_int(frames, "frames")
    checks.positive_int(segments, "segments")
    checks.positive_int(snippet, "snippet")
    checks.generator(generator, optional=True)
    starts = frames - snippet + 1
    if snippet > frames:
        raise ValueError(f"snippet must be at most frames ({frames}), got {snippet}")
    if segments > starts:
        raise ValueError(f"segments must be at most the number of snippet starts ({starts} = frames - snippet + 1), got {segments}")
    bounds = torch.arange(segments + 1) * starts // segments  # (K + 1,) segment k = [bounds[k], bounds[k+1])
    width = bounds[1:] - bounds[:-1]  # >= 1
    if generator is None:
        return bounds[:-1] + width // 2
    return bounds[:-1] + (torch.rand(segments, generator=generator) * width).long()


def segmental_consensus(scores: Tensor, kind: str = "average") -> Tensor:
    """TSN eq. (1): the segmental consensus G over the K snippets' class scores, (B, K, C) -> (B, C).

    ``"average"``: g_i = (1/K) sum_k f_i^k (the paper's choice, applied to scores before the softmax);
    ``"max"``: g_i = max_k f_i^k.
    """
    checks.tensor(scores, "scores", dim=3, shape="(B, K, C)")
    kind = checks.choice(kind, "kind", ("average", "max"))
    return scores.mean(dim=1) if kind == "average" else scores.amax(dim=1)


def late_fusion(scores: Sequence[Tensor], weights: Sequence[float] | None = None) -> Tensor:
    """Late fusion of the streams' class scores: sum_s w_s * scores_s / sum_s w_s, each (B, C).

    weights: one non-negative weight per stream (not all 0); None averages (arXiv 1406.2199's "by
    averaging"; TSN weights RGB : flow as 1 : 1.5).
    """
    scores = checks.sequence(scores, "scores", min_length=1, what="(B, C) tensors")
    for i, s in enumerate(scores):
        checks.tensor(s, f"scores[{i}]", shape=scores[0].shape if i else ("B", "C"))
    if weights is None:
        weights = [1.0] * len(scores)
    weights = checks.sequence(weights, "weights", length=len(scores), what="non-negative weights")
    weights = [checks.real(w, f"weights[{i}]", low=0) for i, w in enumerate(weights)]
    if sum(weights) == 0:
        raise ValueError("weights must not all be 0")
    return sum(w * s for w, s in zip(weights, scores)) / sum(weights)


def warp(image: Tensor, flow: Tensor) -> Tensor:
    """Backward warping: out(x, y) = image(x + u(x, y), y + v(x, y)), bilinear, borders clamped.

    image: (B, H, W); flow: (B, 2, H, W) in pixels. With the flow from frame 1 to frame 2,
    ``warp(frame2, flow)`` rebuilds frame 1 (the hidden two-stream's training signal).
    """
    checks.tensor(image, "image", dim=3, shape="(B, H, W)")
    checks.tensor(flow, "flow", shape=(len(image), 2, *image.shape[1:]))
    b, h, w = image.shape
    ys, xs = torch.meshgrid(torch.arange(h, dtype=flow.dtype), torch.arange(w, dtype=flow.dtype), indexing="ij")
    x = (xs + flow[:, 0]) / max(w - 1, 1) * 2 - 1  # (B, H, W) in [-1, 1], align_corners=True
    y = (ys + flow[:, 1]) / max(h - 1, 1) * 2 - 1
    grid = torch.stack([x, y], dim=-1)  # (B, H, W, 2)
    return F.grid_sample(image[:, None], grid, mode="bilinear", padding_mode="border", align_corners=True)[:, 0]


def charbonnier(x: Tensor, alpha: float = 0.4, eps: float = 1e-3) -> Tensor:
    """The generalised Charbonnier penalty (x^2 + eps^2)^alpha, elementwise (alpha 0.4 photometric, 0.3 smoothness
    in the hidden two-stream code); a robust, differentiable stand-in for |x|."""
    checks.tensor(x, "x")
    alpha = checks.real(alpha, "alpha", low=0, low_open=True, high=1)
    eps = checks.real(eps, "eps", low=0, low_open=True)
    return (x * x + eps * eps) ** alpha


def motionnet_loss(frame1: Tensor, frame2: Tensor, flow: Tensor, *, smoothness: float = 0.01) -> Tensor:
    """Unsupervised flow loss: mean charbonnier(frame1 - warp(frame2, flow), 0.4)
    + smoothness * mean charbonnier(finite differences of u and v, 0.3). frames (B, H, W), flow (B, 2, H, W)."""
    _check_frames(frame1, "frame1")
    _check_frames(frame2, "frame2", frame1.shape)
    smoothness = checks.real(smoothness, "smoothness", low=0)
    photometric = charbonnier(frame1 - warp(frame2, flow), 0.4).mean()
    dx, dy = flow[..., :, 1:] - flow[..., :, :-1], flow[..., 1:, :] - flow[..., :-1, :]
    smooth = charbonnier(dx, 0.3).mean() + charbonnier(dy, 0.3).mean()
    return photometric + smoothness * smooth


class MotionNet(nn.Module):
    """A small MotionNet: two frames (B, 2, H, W) stacked as channels -> flow (B, 2, H, W) in pixels.

    3x3 convs with LeakyReLU(0.1) as in FlowNet (``widths`` channels, 'same' size, no down-sampling: the toy's motions are a pixel
    or two) and a final 3x3 conv to (u, v) starting at zero (zero flow at initialisation).
    """

    def __init__(self, widths: tuple[int, ...] = (16, 16, 16), *, generator: torch.Generator):
        super().__init__()
        widths = tuple(checks.sequence(widths, "widths", checks.positive_int, min_length=1, what="positive ints"))
        checks.generator(generator)
        body: list[nn.Module] = []
        for a, b in zip((2, *widths), widths):
            body += [nn.Conv2d(a, b, 3, padding=1), nn.LeakyReLU(0.1)]
        self.body = nn.Sequential(*body)
        self.out = nn.Conv2d(widths[-1], 2, 3, padding=1)
        layers.seeded_init_(self, generator)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, frames: Tensor) -> Tensor:
        checks.tensor(frames, "frames", dim=4, shape="(B, 2, H, W)")
        if frames.shape[1] != 2:
            raise ValueError(f"frames must have shape (B, 2, H, W) (two frames as channels), got {tuple(frames.shape)}")
        return self.out(self.body(frames))


def gather_snippets(flows: Tensor, starts: Tensor, length: int) -> Tensor:
    """Cut snippets out of each clip's flows and stack each one as eq. (1) of arXiv 1406.2199.

    flows: (B, N, 2, H, W), the N flow fields of each clip; starts: (B, K) int, snippet k of clip b
    covers flows[b, starts[b, k] : starts[b, k] + length]. Returns (B, K, 2 * length, H, W).
    """
    checks.tensor(flows, "flows", dim=5, shape="(B, N, 2, H, W)")
    if flows.shape[2] != 2:
        raise ValueError(f"flows must have shape (B, N, 2, H, W) with 2 = (u, v), got {tuple(flows.shape)}")
    checks.positive_int(length, "length")
    checks.tensor(starts, "starts", shape=(len(flows), "K"), floating=False)
    if starts.dtype.is_floating_point:
        raise TypeError(f"starts must be an integer tensor, got {starts.dtype}")
    b, n = flows.shape[:2]
    if len(starts[0]) == 0 or starts.min() < 0 or starts.max() + length > n:
        raise ValueError(f"starts must lie in [0, {n - length}] (N - length) with K >= 1, got {starts.tolist()[:2]}...")
    idx = starts[:, :, None] + torch.arange(length)  # (B, K, L)
    picked = flows[torch.arange(b)[:, None, None], idx]  # (B, K, L, 2, H, W)
    k = starts.shape[1]
    return stack_flows(picked.flatten(0, 1)).unflatten(0, (b, k))  # (B, K, 2L, H, W)


class StreamNet(nn.Module):
    """One stream of the two-stream ConvNet (arXiv 1406.2199, figure 1), shrunk for 12-16 px toys.

    Conv3x3-ReLU-MaxPool2 blocks (``widths``), global average pooling, a linear layer to class scores.
    in_channels: 1 for the spatial stream (one grey frame), 2L for the temporal stream (an eq. (1) flow
    stack). The real streams are 5 conv + 2 FC layers (CNN-M-2048) on 224 x 224 inputs.
    """

    def __init__(self, in_channels: int, classes: int, widths: tuple[int, ...] = (16, 32), *, generator: torch.Generator):
        super().__init__()
        checks.positive_int(in_channels, "in_channels")
        checks.integer(classes, "classes", low=2)
        widths = tuple(checks.sequence(widths, "widths", checks.positive_int, min_length=1, what="positive ints"))
        checks.generator(generator)
        body: list[nn.Module] = []
        for a, b in zip((in_channels, *widths), widths):
            body += [nn.Conv2d(a, b, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, ceil_mode=True)]
        self.body = nn.Sequential(*body)
        self.head = nn.Linear(widths[-1], classes)
        self.in_channels = in_channels
        layers.seeded_init_(self, generator)

    def forward(self, x: Tensor) -> Tensor:
        checks.tensor(x, "x", dim=4, shape="(B, C, H, W)")
        if x.shape[1] != self.in_channels:
            raise ValueError(f"x must have {self.in_channels} channels (B, {self.in_channels}, H, W), got {tuple(x.shape)}")
        return self.head(self.body(x).mean(dim=(2, 3)))  # (B, classes)


class TSN(nn.Module):
    """TSN eq. (1) (arXiv 1608.00859) before the softmax: G(F(T_1; W), ..., F(T_K; W)) with one shared net F.

    stream: F, maps (B, C, H, W) to class scores (B, classes). forward: snippets (B, K, C, H, W) -> (B, classes),
    the segmental consensus (``"average"``, the paper's default, or ``"max"``) of the K snippets' scores;
    the softmax H sits in the loss (cross-entropy), so the gradient of eq. (3) flows to every snippet.
    """

    def __init__(self, stream: nn.Module, consensus: str = "average"):
        super().__init__()
        checks.instance(stream, "stream", nn.Module, "a torch.nn.Module")
        self.consensus = checks.choice(consensus, "consensus", ("average", "max"))
        self.stream = stream

    def forward(self, snippets: Tensor) -> Tensor:
        checks.tensor(snippets, "snippets", dim=5, shape="(B, K, C, H, W)")
        b, k = snippets.shape[:2]
        scores = self.stream(snippets.flatten(0, 1)).unflatten(0, (b, k))  # (B, K, classes)
        return segmental_consensus(scores, self.consensus)
