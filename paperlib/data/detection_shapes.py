"""Detection scenes: images with a few shapes and their boxes (the Faster R-CNN chapter's toy data)."""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import Tensor

from paperlib import checks
from paperlib.vision.detection import box_iou

SHAPE_NAMES = ("사각형", "원판", "삼각형")  # class 0, 1, 2


class DetectionScenes(NamedTuple):
    """Toy detection data. images (N, 1, S, S); boxes (N, M, 4) xyxy; classes (N, M), -1 = padding."""

    images: Tensor
    boxes: Tensor
    classes: Tensor


def detection_scenes(
    n: int,
    *,
    size: int = 48,
    max_objects: int = 3,
    min_side: float = 8.0,
    max_side: float = 26.0,
    noise: float = 0.05,
    generator: torch.Generator,
) -> DetectionScenes:
    """Generated images for the chapter (a stand-in for PASCAL VOC of arXiv 1506.01497 section 4.1).

    Each image holds 1..max_objects shapes (rectangle, disc/ellipse, triangle) with side lengths
    in [min_side, max_side] drawn independently for width and height (varied aspect ratio), with
    random brightness, placed so that two boxes overlap with IoU <= 0.2, plus Gaussian noise.
    Returns DetectionScenes(images (n, 1, size, size), boxes (n, max_objects, 4), classes (n, max_objects)).
    """
    checks.positive_int(n, "n")
    checks.positive_int(size, "size")
    checks.positive_int(max_objects, "max_objects")
    checks.real(min_side, "min_side", low=1, high=size)
    checks.real(max_side, "max_side", low=min_side, high=size)
    checks.real(noise, "noise", low=0)
    checks.generator(generator)
    g = generator

    def u(lo: float, hi: float) -> float:
        return lo + (hi - lo) * torch.rand((), generator=g).item()

    ys, xs = torch.meshgrid(torch.arange(size) + 0.5, torch.arange(size) + 0.5, indexing="ij")  # pixel centres
    images = torch.zeros(n, 1, size, size)
    boxes = torch.zeros(n, max_objects, 4)
    classes = torch.full((n, max_objects), -1, dtype=torch.int64)
    for i in range(n):
        count = int(torch.randint(1, max_objects + 1, (), generator=g))
        placed: list[Tensor] = []
        canvas = torch.zeros(size, size)
        for _ in range(50):  # rejection sampling of non-overlapping placements
            if len(placed) == count:
                break
            w, h = u(min_side, max_side), u(min_side, max_side)
            x1, y1 = u(0, size - w), u(0, size - h)
            box = torch.tensor([[x1, y1, x1 + w, y1 + h]])
            if placed and box_iou(box, torch.cat(placed)).max() > 0.2:
                continue
            c = int(torch.randint(0, 3, (), generator=g))
            if c == 0:  # rectangle
                mask = (xs >= x1) & (xs <= x1 + w) & (ys >= y1) & (ys <= y1 + h)
            elif c == 1:  # disc (an ellipse filling its box)
                mask = ((xs - x1 - w / 2) / (w / 2)) ** 2 + ((ys - y1 - h / 2) / (h / 2)) ** 2 <= 1
            else:  # triangle: apex at the top centre, base along the bottom edge
                t = (ys - y1) / h  # 0 at the top, 1 at the bottom
                mask = (t >= 0) & (t <= 1) & ((xs - x1 - w / 2).abs() <= t * w / 2)
            canvas = torch.where(mask, torch.full_like(canvas, u(0.5, 1.0)), canvas)
            boxes[i, len(placed)] = box[0]
            classes[i, len(placed)] = c
            placed.append(box)
        images[i, 0] = canvas + noise * torch.randn(size, size, generator=g)
    return DetectionScenes(images.clamp(0, 1), boxes, classes)

