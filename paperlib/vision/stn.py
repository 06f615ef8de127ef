"""Spatial Transformer Networks (Jaderberg, Simonyan, Zisserman & Kavukcuoglu 2015, arXiv 1506.02025).

    affine_grid          section 3.2, eq. (1): (x_s, y_s) = theta @ (x_t, y_t, 1) on a normalised grid
    attention_theta      section 3.2, eq. (2): theta = [[s, 0, tx], [0, s, ty]] (scale + translation)
    bilinear_sample      section 3.3, eq. (5): V = sum_nm U_nm max(0, 1-|x_s-m|) max(0, 1-|y_s-n|);
                         its gradients, eqs. (6)-(7), come from autograd
    spatial_transform    grid generator + sampler: V = sample(U, T_theta(G))
    LocalisationNet      section 3.1: theta = f_loc(U), initialised to the identity transform
    SpatialTransformer   section 3: localisation net -> grid generator -> sampler
    SmallCNN, STCNN      section 4.1: a CNN with two max-pooling layers, and the same CNN behind an ST

Conventions. Images are (B, C, H, W), batch first. Coordinates are normalised to [-1, 1]
(x left -> right, y top -> bottom), and pixel centres follow ``align_corners=False``: pixel j of
W sits at x = (2j + 1)/W - 1, exactly like ``torch.nn.functional.affine_grid/grid_sample``
with ``align_corners=False`` (the default here; ``align_corners=True`` is also supported, where
the corner pixels' centres sit at -1 and +1). Samples outside the image read zeros.
Grids are (B, H_out, W_out, 2) holding (x_s, y_s) in the last dimension.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import Tensor, nn

from paperlib import checks, layers

__all__ = [
    "affine_grid",
    "attention_theta",
    "bilinear_sample",
    "spatial_transform",
    "LocalisationNet",
    "SpatialTransformer",
    "SmallCNN",
    "STCNN",
    "centre_of_mass",
    "class_spread",
]


# --------------------------------------------------------------------------- checks
def _check_theta(theta: object, name: str = "theta") -> Tensor:
    return checks.tensor(theta, name, shape=("B", 2, 3))


def _check_images(images: object, name: str) -> Tensor:
    return checks.tensor(images, name, dim=4, shape="(B, C, H, W)")


def _check_size(size: object, name: str, n: int = 2, what: str = "positive ints (H, W)") -> tuple[int, ...]:
    return tuple(checks.sequence(size, name, checks.positive_int, length=n, what=what))


def _check_in_shape(in_shape: object) -> tuple[int, int, int]:
    """(C, H, W) of the input images; H, W >= 4 (the CNN pools twice by 2)."""
    c, h, w = _check_size(in_shape, "in_shape", 3, "positive ints (C, H, W)")
    checks.integer(h, "in_shape[1] (H)", low=4)
    checks.integer(w, "in_shape[2] (W)", low=4)
    return c, h, w


def _pixel_centres(n: int, align_corners: bool, dtype, device) -> Tensor:
    """Normalised coordinates of the n pixel centres along one axis."""
    if align_corners:
        return torch.linspace(-1.0, 1.0, n, dtype=dtype, device=device) if n > 1 else torch.zeros(1, dtype=dtype, device=device)
    return (2 * torch.arange(n, dtype=dtype, device=device) + 1) / n - 1


# --------------------------------------------------------------------------- eq. (1), (2)
def affine_grid(theta: Tensor, out_size: Sequence[int], *, align_corners: bool = False) -> Tensor:
    """Grid generator of arXiv 1506.02025 eq. (1): source points T_theta(G) for an affine theta.

    For every output pixel centre (x_t, y_t) of the regular grid G (normalised to [-1, 1]),
    (x_s, y_s)^T = theta @ (x_t, y_t, 1)^T gives where to read the input.
    theta: (B, 2, 3); out_size: (H_out, W_out). Returns (B, H_out, W_out, 2) with (x_s, y_s) last,
    equal to ``F.affine_grid(theta, (B, C, H_out, W_out), align_corners=align_corners)``.
    """
    _check_theta(theta)
    h, w = _check_size(out_size, "out_size")
    checks.boolean(align_corners, "align_corners")
    ys = _pixel_centres(h, align_corners, theta.dtype, theta.device)  # (H,)
    xs = _pixel_centres(w, align_corners, theta.dtype, theta.device)  # (W,)
    yy, xx = torch.meshgrid(ys, xs, indexing="ij")  # (H, W) each
    target = torch.stack([xx, yy, torch.ones_like(xx)], dim=-1).reshape(1, h * w, 3)  # (1, HW, 3) homogeneous G
    source = target @ theta.transpose(1, 2)  # (B, HW, 2): row form of theta @ (x_t, y_t, 1)
    return source.reshape(len(theta), h, w, 2)


def attention_theta(params: Tensor) -> Tensor:
    """The attention transform of arXiv 1506.02025 eq. (2): theta = [[s, 0, tx], [0, s, ty]].

    params: (B, 3) holding (s, tx, ty): isotropic scale s (s < 1 zooms in, i.e. crops a window of
    half-width s) and the window centre (tx, ty) in normalised coordinates. Returns theta (B, 2, 3).
    """
    checks.tensor(params, "params (s, tx, ty)", shape=("B", 3))
    s, tx, ty = params.unbind(dim=1)  # (B,) each
    zero = torch.zeros_like(s)
    return torch.stack([torch.stack([s, zero, tx], 1), torch.stack([zero, s, ty], 1)], dim=1)  # (B, 2, 3)


# --------------------------------------------------------------------------- eq. (5)-(7)
def bilinear_sample(images: Tensor, grid: Tensor, *, align_corners: bool = False) -> Tensor:
    """Bilinear sampler of arXiv 1506.02025 eq. (5); gradients eqs. (6)-(7) via autograd.

    V_i^c = sum_n sum_m U_nm^c max(0, 1 - |x_i^s - m|) max(0, 1 - |y_i^s - n|), where (x_i^s, y_i^s)
    are the grid's source points converted to pixel units. Only the four pixels around a point have
    a non-zero kernel, so the sum is computed from those four (pixels outside the image are zero).
    The kernel is piecewise linear, so dV/dx_s is the paper's sub-gradient (eq. 7) and dV/dU is eq. (6).
    images: (B, C, H, W); grid: (B, H_out, W_out, 2) of (x_s, y_s). Returns (B, C, H_out, W_out), equal to
    ``F.grid_sample(images, grid, mode="bilinear", padding_mode="zeros", align_corners=align_corners)``.
    """
    _check_images(images, "images")
    checks.tensor(grid, "grid (one per image)", shape=(len(images), "H_out", "W_out", 2))
    checks.boolean(align_corners, "align_corners")
    b, c, h, w = images.shape
    _, ho, wo, _ = grid.shape
    # normalised -> pixel units (m along W, n along H)
    if align_corners:
        x = (grid[..., 0] + 1) / 2 * (w - 1)  # (B, Ho, Wo)
        y = (grid[..., 1] + 1) / 2 * (h - 1)
    else:
        x = ((grid[..., 0] + 1) * w - 1) / 2
        y = ((grid[..., 1] + 1) * h - 1) / 2
    x0, y0 = x.detach().floor(), y.detach().floor()  # integer neighbours (no gradient through floor)
    flat = images.reshape(b, c, h * w)  # (B, C, HW)
    out = images.new_zeros(b, c, ho * wo)
    for m, n in ((x0, y0), (x0 + 1, y0), (x0, y0 + 1), (x0 + 1, y0 + 1)):
        k = (1 - (x - m).abs()).clamp(min=0) * (1 - (y - n).abs()).clamp(min=0)  # eq. (5) kernel, (B, Ho, Wo)
        inside = (m >= 0) & (m <= w - 1) & (n >= 0) & (n <= h - 1)
        idx = (n.clamp(0, h - 1) * w + m.clamp(0, w - 1)).long().reshape(b, 1, ho * wo).expand(b, c, ho * wo)
        u = flat.gather(2, idx)  # (B, C, HoWo): U_nm at this neighbour
        out = out + u * (k * inside).reshape(b, 1, ho * wo)
    return out.reshape(b, c, ho, wo)


def spatial_transform(
    images: Tensor, theta: Tensor, out_size: Sequence[int] | None = None, *, align_corners: bool = False
) -> Tensor:
    """Grid generator + sampler (arXiv 1506.02025 sections 3.2-3.3): V = sample(U, T_theta(G)).

    images: (B, C, H, W); theta: (B, 2, 3); out_size: (H_out, W_out), default the input's (H, W).
    Returns (B, C, H_out, W_out). The identity theta [[1, 0, 0], [0, 1, 0]] returns the input.
    """
    _check_images(images, "images")
    checks.tensor(theta, "theta (one per image)", shape=(len(images), 2, 3))
    size = tuple(images.shape[2:]) if out_size is None else out_size
    return bilinear_sample(images, affine_grid(theta, size, align_corners=align_corners), align_corners=align_corners)


# --------------------------------------------------------------------------- section 3.1, 3.4
_IDENTITY = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)


class LocalisationNet(nn.Module):
    """Localisation network of arXiv 1506.02025 section 3.1: theta = f_loc(U).

    A ReLU MLP on the flattened image (the paper's FCN localisation nets). Its final regression
    layer starts with zero weights and the identity transform as bias, so training starts from
    theta = identity (the usual practice for spatial transformers). kind="affine": 6 outputs -> theta (B, 2, 3);
    kind="attention": 3 outputs (s, tx, ty) -> eq. (2). (B, C, H, W) -> theta (B, 2, 3).
    """

    def __init__(self, in_shape: Sequence[int], hidden: int = 32, *, kind: str = "affine", generator: torch.Generator):
        super().__init__()
        self.in_shape = _check_size(in_shape, "in_shape", 3, "positive ints (C, H, W)")
        checks.choice(kind, "kind", ("affine", "attention"))
        checks.positive_int(hidden, "hidden")
        self.kind = kind
        n_out = 6 if kind == "affine" else 3
        self.net = layers.mlp((math.prod(in_shape), hidden, n_out), generator=generator)
        last = self.net[-1]
        with torch.no_grad():  # start at the identity transform
            last.weight.zero_()
            last.bias.copy_(torch.tensor(_IDENTITY if kind == "affine" else (1.0, 0.0, 0.0)))

    def forward(self, images: Tensor) -> Tensor:
        checks.tensor(images, "images", shape=("B", *self.in_shape))
        out = self.net(images.flatten(1))  # (B, 6) or (B, 3)
        if self.kind == "affine":
            return out.reshape(-1, 2, 3)  # (B, 2, 3)
        return attention_theta(out)


class SpatialTransformer(nn.Module):
    """Spatial transformer module of arXiv 1506.02025 section 3 (Fig. 2): U -> theta -> T_theta(G) -> V.

    forward returns V (B, C, H_out, W_out); the last theta (B, 2, 3) is kept in ``self.last_theta``
    (a plain attribute, for plotting the sampling windows).
    """

    def __init__(
        self,
        in_shape: Sequence[int],
        out_size: Sequence[int] | None = None,
        *,
        hidden: int = 32,
        kind: str = "affine",
        generator: torch.Generator,
    ):
        super().__init__()
        self.loc = LocalisationNet(in_shape, hidden, kind=kind, generator=generator)
        self.out_size = tuple(in_shape[1:]) if out_size is None else _check_size(out_size, "out_size")
        self.last_theta: Tensor | None = None

    def forward(self, images: Tensor) -> Tensor:
        _check_images(images, "images")
        theta = self.loc(images)  # (B, 2, 3)
        self.last_theta = theta.detach()
        return spatial_transform(images, theta, self.out_size)


class SmallCNN(nn.Module):
    """The baseline CNN of arXiv 1506.02025 section 4.1, scaled down: two conv + max-pool blocks, then a linear layer.

    conv3x3(C->c1) -> ReLU -> maxpool2 -> conv3x3(c1->c2) -> ReLU -> maxpool2 -> linear(-> n_classes).
    in_shape: (C, H, W). (B, C, H, W) -> logits (B, n_classes).
    """

    def __init__(
        self, in_shape: Sequence[int], n_classes: int = 10, channels: Sequence[int] = (8, 16), *, generator: torch.Generator
    ):
        super().__init__()
        c, h, w = self.in_shape = _check_in_shape(in_shape)
        checks.positive_int(n_classes, "n_classes")
        c1, c2 = _check_size(channels, "channels", 2, "positive ints (c1, c2)")
        checks.generator(generator)
        self.features = nn.Sequential(
            layers.seeded_init_(nn.Conv2d(c, c1, 3, padding=1), generator),
            nn.ReLU(),
            nn.MaxPool2d(2),
            layers.seeded_init_(nn.Conv2d(c1, c2, 3, padding=1), generator),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.head = layers.seeded_init_(nn.Linear(c2 * (h // 4) * (w // 4), n_classes), generator)

    def forward(self, images: Tensor) -> Tensor:
        checks.tensor(images, "images", shape=("B", *self.in_shape))
        return self.head(self.features(images).flatten(1))  # (B, n_classes)


class STCNN(nn.Module):
    """ST-CNN of arXiv 1506.02025 section 4.1: a spatial transformer in front of the same CNN.

    (B, C, H, W) -> logits (B, n_classes); ``self.st`` is the transformer, ``self.cnn`` the classifier.
    """

    def __init__(
        self,
        in_shape: Sequence[int],
        n_classes: int = 10,
        channels: Sequence[int] = (8, 16),
        *,
        hidden: int = 32,
        kind: str = "affine",
        generator: torch.Generator,
    ):
        super().__init__()
        self.st = SpatialTransformer(in_shape, hidden=hidden, kind=kind, generator=generator)
        self.cnn = SmallCNN(in_shape, n_classes, channels, generator=generator)

    def forward(self, images: Tensor) -> Tensor:
        return self.cnn(self.st(images))

    @torch.no_grad()
    def transformed(self, images: Tensor) -> Tensor:
        """The ST output V that the CNN sees, (B, C, H, W)."""
        self.eval()
        return self.st(images)


# --------------------------------------------------------------------------- how canonical are the outputs
def centre_of_mass(images: Tensor) -> Tensor:
    """Intensity-weighted centre (x, y) of each image in normalised coordinates; (B, C, H, W) -> (B, 2)."""
    _check_images(images, "images")
    b, _, h, w = images.shape
    mass = images.sum(dim=1).clamp(min=0)  # (B, H, W)
    total = mass.sum(dim=(1, 2)).clamp(min=1e-8)  # (B,)
    ys = _pixel_centres(h, False, images.dtype, images.device)
    xs = _pixel_centres(w, False, images.dtype, images.device)
    cx = (mass.sum(dim=1) * xs).sum(dim=1) / total
    cy = (mass.sum(dim=2) * ys).sum(dim=1) / total
    return torch.stack([cx, cy], dim=1)


def class_spread(images: Tensor, labels: Tensor) -> float:
    """How far images sit from their class mean: mean over images of ||u - mean_class(u)||^2,
    with each image first scaled to unit L2 norm (so zooming in or out does not count).

    A lower value means more canonical (same-class images look more alike). images: (N, C, H, W).
    """
    _check_images(images, "images")
    checks.labels(labels, len(images), name="labels")
    u = images.flatten(1)
    u = u / u.norm(dim=1, keepdim=True).clamp(min=1e-8)  # (N, D)
    total = 0.0
    for c in labels.unique():
        group = u[labels == c]
        total += ((group - group.mean(0)) ** 2).sum().item()
    return total / len(u)
