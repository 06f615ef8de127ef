"""A patch bank of coloured shapes and scenes that ask for n compatible objects (the RetrieveGAN chapter).

A *patch* is a small RGB image: one shape (square, disk, triangle, cross) drawn in the foreground colour
of a *palette* on that palette's background tint, with random size, position and colour jitter.
A *scene* asks for ``n_objects`` distinct shapes in one palette (its colour theme) at given cells of a
``grid`` x ``grid`` canvas. Each scene comes with ``k`` candidate patches from the bank (the paper's
pre-filtered candidates): its ``n_objects`` ground-truth patches (the requested shapes in the scene's
palette) and ``k - n_objects`` distractors (a requested shape in another palette, or a shape the
scene did not ask for in the scene's palette), in a random order. The ground-truth image pastes the
ground-truth patches into their cells on a light grey canvas.
"""

from __future__ import annotations

from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor

from paperlib import checks

__all__ = ["PATCH_SHAPES", "PALETTES", "BACKGROUND", "PatchBank", "PatchScenes", "patch_bank", "patch_scenes", "paste_patches"]

PATCH_SHAPES = ("square", "disk", "triangle", "cross")
# (foreground RGB, background RGB) of each palette: red on pink, green on mint, blue on sky, orange on cream
PALETTES = (
    ((0.80, 0.10, 0.10), (0.98, 0.80, 0.80)),
    ((0.05, 0.55, 0.15), (0.80, 0.95, 0.80)),
    ((0.10, 0.20, 0.85), (0.80, 0.86, 0.98)),
    ((0.90, 0.55, 0.00), (0.98, 0.93, 0.75)),
)
BACKGROUND = 0.9  # grey level of the scene canvas outside the pasted patches


class PatchBank(NamedTuple):
    """patches: (N, 3, P, P) in [0, 1]; shape: (N,) int64 index into PATCH_SHAPES; palette: (N,) int64 index into PALETTES."""

    patches: Tensor
    shape: Tensor
    palette: Tensor


class PatchScenes(NamedTuple):
    """Scenes with their candidate patches (B scenes, n objects, K candidates, P-pixel patches, grid G).

    candidates: (B, K, 3, P, P) candidate patches; candidate_ids: (B, K) their indices into the bank;
    shapes: (B, n) the requested shapes; palette: (B,) the scene's palette; cells: (B, n) the cell
    (row * G + column) of each object; gt: (B, n) the position in ``candidates`` of each object's
    ground-truth patch (distinct within a scene); images: (B, 3, G * P, G * P) ground-truth scenes.
    """

    candidates: Tensor
    candidate_ids: Tensor
    shapes: Tensor
    palette: Tensor
    cells: Tensor
    gt: Tensor
    images: Tensor


def _mask(kind: int, size: int, generator: torch.Generator) -> Tensor:
    """A (P, P) boolean mask of one shape with a random half-size and centre offset."""
    r = size * (0.28 + 0.12 * torch.rand((), generator=generator).item())  # half-size in pixels
    cx, cy = (size / 2 + (torch.rand(2, generator=generator) - 0.5) * size * 0.2).tolist()
    ys, xs = torch.meshgrid(torch.arange(size) + 0.5, torch.arange(size) + 0.5, indexing="ij")  # pixel centres
    dx, dy = xs - cx, ys - cy
    if kind == 0:  # square
        return (dx.abs() <= r) & (dy.abs() <= r)
    if kind == 1:  # disk
        return dx**2 + dy**2 <= (1.1 * r) ** 2
    if kind == 2:  # triangle pointing up
        return (dy <= r) & (dy >= -r) & (dx.abs() <= (dy + r) / 2)
    return ((dx.abs() <= r / 2.5) & (dy.abs() <= r)) | ((dy.abs() <= r / 2.5) & (dx.abs() <= r))  # cross


def patch_bank(variants: int = 6, *, size: int = 8, jitter: float = 0.05, generator: torch.Generator) -> PatchBank:
    """Every (shape, palette) pair drawn ``variants`` times: (4 x 4 x variants) patches of size x size pixels.

    Each variant has its own half-size, centre offset and a colour jitter of +-``jitter`` per channel
    (clamped to [0, 1]). Order: shape-major, then palette, then variant.
    """
    checks.positive_int(variants, "variants")
    checks.integer(size, "size", low=6, what="an int >= 6")
    jitter = checks.real(jitter, "jitter", low=0, high=0.5)
    checks.generator(generator)
    patches, shapes, palettes = [], [], []
    for s in range(len(PATCH_SHAPES)):
        for p, (fg, bg) in enumerate(PALETTES):
            for _ in range(variants):
                m = _mask(s, size, generator).float()  # (P, P)
                shift = jitter * (2 * torch.rand(3, 1, 1, generator=generator) - 1)  # (3, 1, 1)
                img = torch.tensor(fg).view(3, 1, 1) * m + torch.tensor(bg).view(3, 1, 1) * (1 - m) + shift
                patches.append(img.clamp(0, 1))
                shapes.append(s)
                palettes.append(p)
    return PatchBank(torch.stack(patches), torch.tensor(shapes), torch.tensor(palettes))


def paste_patches(patches: Tensor, cells: Tensor, grid: int, *, background: float = BACKGROUND) -> Tensor:
    """Paste patch t of each scene into its cell of a grid x grid canvas (cells without a patch keep ``background``).

    patches: (B, n, C, P, P); cells: (B, n) int64 in [0, grid^2), distinct within a scene.
    Returns (B, C, grid * P, grid * P). Linear in ``patches`` (differentiable).
    """
    checks.tensor(patches, "patches", dim=5, shape="(B, n, C, P, P)")
    b, n, c, p, p2 = patches.shape
    if p != p2:
        raise ValueError(f"patches must be square (B, n, C, P, P), got {tuple(patches.shape)}")
    checks.positive_int(grid, "grid")
    checks.integer_tensor(cells, "cells", shape=(b, n), low=0, high=grid * grid - 1)
    background = checks.real(background, "background")
    place = F.one_hot(cells.long(), grid * grid).to(patches.dtype)  # (B, n, G*G)
    if (place.sum(1) > 1).any():
        raise ValueError("cells must be distinct within each scene (one patch per cell)")
    tiles = torch.einsum("bng,bnchw->bgchw", place, patches)  # (B, G*G, C, P, P)
    empty = 1 - place.sum(1)  # (B, G*G): 1 where no patch is pasted
    tiles = tiles + background * empty[:, :, None, None, None]
    tiles = tiles.view(b, grid, grid, c, p, p).permute(0, 3, 1, 4, 2, 5)  # (B, C, G, P, G, P)
    return tiles.reshape(b, c, grid * p, grid * p)  # (B, C, G*P, G*P)


def patch_scenes(bank: PatchBank, count: int, *, n_objects: int = 3, k: int = 8, grid: int = 3,
                 generator: torch.Generator) -> PatchScenes:
    """``count`` scenes, each asking for ``n_objects`` distinct shapes in one palette, with ``k`` candidates.

    Candidates: the n ground-truth patches (a random variant of (requested shape, scene palette)) and
    k - n distractors drawn without replacement from the bank's patches that share either the shape
    (another palette) or the palette (a shape not asked for), never both; shuffled. Cells: n distinct
    random cells of the grid. A random candidate has chance 1/k of being an object's ground truth.
    """
    checks.instance(bank, "bank", PatchBank, "a paperlib.data.PatchBank (from patch_bank)")
    checks.positive_int(count, "count")
    checks.integer(n_objects, "n_objects", low=1, high=len(PATCH_SHAPES), what=f"an int in [1, {len(PATCH_SHAPES)}]")
    checks.integer(k, "k", low=n_objects + 1, what=f"an int > n_objects = {n_objects}")
    checks.integer(grid, "grid", low=1, what="a positive int")
    if grid * grid < n_objects:
        raise ValueError(f"grid must have at least n_objects = {n_objects} cells (grid^2), got grid = {grid}")
    checks.generator(generator)
    n_shapes, n_pal, n_bank = len(PATCH_SHAPES), len(PALETTES), len(bank.shape)
    req = torch.rand(count, n_shapes, generator=generator).argsort(1)[:, :n_objects]  # (B, n) distinct shapes
    pal = torch.randint(n_pal, (count,), generator=generator)  # (B,)
    asked = F.one_hot(req, n_shapes).sum(1).bool()[:, bank.shape]  # (B, N): bank item has a requested shape
    in_pal = bank.palette[None, :] == pal[:, None]  # (B, N): bank item has the scene's palette
    # ground truth of object t: a random variant of (shape_t, palette)
    match = (bank.shape[None, None, :] == req[:, :, None]) & in_pal[:, None, :]  # (B, n, N)
    if not match.any(-1).all():
        raise ValueError("bank must hold every (shape, palette) pair (use patch_bank)")
    truth = torch.where(match, torch.rand(count, n_objects, n_bank, generator=generator), -1.0).argmax(-1)  # (B, n)
    # distractors: the shape is right or the palette is right, never both
    eligible = asked ^ in_pal  # (B, N)
    if (eligible.sum(1) < k - n_objects).any():
        raise ValueError(f"k = {k} needs {k - n_objects} distractors, but the bank holds only {int(eligible.sum(1).min())} (raise variants)")
    keys = torch.where(eligible, torch.rand(count, n_bank, generator=generator), -1.0)  # (B, N)
    distract = keys.topk(k - n_objects, dim=1).indices  # (B, k - n) without replacement
    order = torch.rand(count, k, generator=generator).argsort(1)  # (B, K): position of each item
    ids_t = torch.empty(count, k, dtype=torch.int64).scatter_(1, order, torch.cat([truth, distract], 1))  # (B, K)
    gt_t = order[:, :n_objects]  # (B, n)
    cells_t = torch.rand(count, grid * grid, generator=generator).argsort(1)[:, :n_objects]  # (B, n)
    candidates = bank.patches[ids_t]  # (B, K, 3, P, P)
    truth_patches = torch.gather(candidates, 1, gt_t[:, :, None, None, None].expand(-1, -1, *candidates.shape[2:]))  # (B, n, 3, P, P)
    images = paste_patches(truth_patches, cells_t, grid)
    return PatchScenes(candidates, ids_t, req, pal, cells_t, gt_t, images)
