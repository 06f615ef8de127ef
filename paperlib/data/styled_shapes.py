"""Small images whose content is shapes (their edges) and whose style is a palette and a texture (TSIT's toy).

The same random shape masks can be drawn in the plain *content* look (light grey shapes on a dark
grey ground, no texture) or in a random *style*: a background and a foreground colour far apart in
every channel, plus a faint texture (flat, stripes, checks or noise) over the whole image. An
image-to-image translator must keep the first and take the second.
"""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import Tensor

from paperlib import checks

TEXTURES = ("flat", "stripes", "checks", "noise")


class StyledShapes(NamedTuple):
    """images: (N, 3, S, S) in [0, 1]; masks: (N, 1, S, S) float 0/1 shapes (the content);
    palettes: (N, 2, 3) background and foreground colours; textures: (N,) int64 index into TEXTURES."""

    images: Tensor
    masks: Tensor
    palettes: Tensor
    textures: Tensor


def _masks(n: int, size: int, generator: torch.Generator) -> Tensor:
    """One or two random shapes (box, disc or diamond) per image, union as a (N, 1, S, S) 0/1 mask."""
    r = torch.arange(size, dtype=torch.float32) + 0.5
    yy, xx = torch.meshgrid(r, r, indexing="ij")  # (S, S) pixel centres
    masks = torch.zeros(n, 1, size, size)
    count = 1 + torch.randint(0, 2, (n,), generator=generator)  # (N,) shapes per image
    for k in range(2):
        kind = torch.randint(0, 3, (n,), generator=generator)  # (N,) 0 box, 1 disc, 2 diamond
        half = size * (0.15 + 0.15 * torch.rand(n, 2, generator=generator))  # (N, 2) half width, half height
        centre = half + (size - 2 * half) * torch.rand(n, 2, generator=generator)  # (N, 2) inside the canvas
        dx = (xx - centre[:, 0, None, None]).abs() / half[:, 0, None, None]  # (N, S, S)
        dy = (yy - centre[:, 1, None, None]).abs() / half[:, 1, None, None]
        inside = torch.where(kind[:, None, None] == 0, torch.maximum(dx, dy) <= 1,
                             torch.where(kind[:, None, None] == 1, dx**2 + dy**2 <= 1, dx + dy <= 1))
        inside &= (count > k)[:, None, None]
        masks[:, 0] = torch.maximum(masks[:, 0], inside.float())
    return masks


def _textures(kind: Tensor, size: int, generator: torch.Generator) -> Tensor:
    """(N, 1, S, S) texture in [-1, 1]: flat (0), stripes (period 4, random direction and phase), checks, noise."""
    n = len(kind)
    r = torch.arange(size, dtype=torch.float32)
    yy, xx = torch.meshgrid(r, r, indexing="ij")  # (S, S)
    phase = 2 * torch.pi * torch.rand(n, 1, 1, generator=generator)  # (N, 1, 1)
    horizontal = torch.rand(n, 1, 1, generator=generator) < 0.5
    stripes = torch.sin(torch.pi / 2 * torch.where(horizontal, yy, xx) + phase)  # (N, S, S) period 4
    checker = torch.sign(torch.sin(torch.pi / 2 * xx + phase) * torch.sin(torch.pi / 2 * yy + phase) + 1e-6)
    noise = 2 * torch.rand(n, size, size, generator=generator) - 1
    tex = torch.stack([torch.zeros(n, size, size), stripes, checker, noise], dim=1)  # (N, 4, S, S)
    return tex[torch.arange(n), kind].unsqueeze(1)  # (N, 1, S, S)


def styled_shapes(n: int, size: int = 16, *, styled: bool = True, texture_amplitude: float = 0.12,
                  generator: torch.Generator) -> StyledShapes:
    """``n`` images of random shapes; ``styled=False``: the plain content look, ``True``: a random style each.

    Content look: background 0.15 and foreground 0.85 grey in all three channels, no texture.
    Style: a background colour from U(0, 0.4)^3 and a foreground colour from U(0.6, 1)^3 (at least
    0.2 apart in every channel, the foreground lighter as in the content look); a texture from
    TEXTURES (uniform) is added with amplitude ``texture_amplitude`` and the image clipped to [0, 1].
    """
    checks.positive_int(n, "n")
    checks.integer(size, "size", low=8, what="an int >= 8")
    checks.boolean(styled, "styled")
    amp = checks.real(texture_amplitude, "texture_amplitude", low=0.0, high=0.5)
    checks.generator(generator)
    masks = _masks(n, size, generator)
    if not styled:
        palettes = torch.tensor([[0.15] * 3, [0.85] * 3]).expand(n, 2, 3).clone()
        kind = torch.zeros(n, dtype=torch.long)
        tex = torch.zeros(n, 1, size, size)
    else:
        dark, light = 0.4 * torch.rand(n, 3, generator=generator), 0.6 + 0.4 * torch.rand(n, 3, generator=generator)
        palettes = torch.stack([dark, light], dim=1)  # (N, 2, 3) background, foreground
        kind = torch.randint(0, len(TEXTURES), (n,), generator=generator)
        tex = _textures(kind, size, generator)
    bg, fg = palettes[:, 0, :, None, None], palettes[:, 1, :, None, None]  # (N, 3, 1, 1)
    images = (masks * fg + (1 - masks) * bg + amp * tex).clamp(0, 1)  # (N, 3, S, S)
    return StyledShapes(images, masks, palettes, kind)
