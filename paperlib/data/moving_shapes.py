"""Generated videos whose class lives in the motion, not in any single frame (the video chapters' toy).

A bright shape (square, disc or plus; random size, brightness and position) moves on a small dark
canvas that wraps around (a torus), so the position in any one frame is uniform whatever the class:
only the change between frames can tell the classes apart. Plus "boring" videos (one image repeated),
the I3D paper's test for inflated 2-D weights (arXiv 1705.07750, section 2.4).
"""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import Tensor

from paperlib import checks

TASKS = {
    "direction": ("오른쪽", "왼쪽", "아래", "위"),
    "speed": ("느림", "빠름"),
    "event": ("사건 없음", "잠깐 후진", "잠깐 사라짐"),
}
SHAPES = ("square", "disc", "plus")
_STEPS = torch.tensor([[0, 1], [0, -1], [1, 0], [-1, 0]])  # (dy, dx) for right, left, down, up


class Clips(NamedTuple):
    """video: (N, T, H, W) float32 in [0, 1]; y: (N,) int64 class index into ``classes``;
    event_start: (N,) int64 first frame of the event (-1 where the clip has none); classes: the class names."""

    video: Tensor
    y: Tensor
    event_start: Tensor
    classes: tuple[str, ...]


def _sprite(kind: int, radius: int) -> Tensor:
    """A (2r+1, 2r+1) binary mask of a square, disc or plus."""
    r = torch.arange(-radius, radius + 1)
    dy, dx = r[:, None], r[None, :]
    if kind == 0:
        return torch.ones(2 * radius + 1, 2 * radius + 1)
    if kind == 1:
        return ((dy**2 + dx**2) <= radius**2 + 0.5).float()
    return ((dy.abs() <= max(radius // 3, 0)) | (dx.abs() <= max(radius // 3, 0))).float()


def motion_clips(n: int, *, task: str = "direction", frames: int = 16, size: int = 16, event_frames: int = 2,
                 noise: float = 0.05, generator: torch.Generator) -> Clips:
    """n clips of ``frames`` frames of ``size`` x ``size`` pixels; the class is decided by motion only.

    task:
    - ``"direction"``: 4 classes, the shape moves 1 px/frame right, left, down or up.
    - ``"speed"``: 2 classes, 1 or 2 px/frame in a random direction (so direction carries no label).
    - ``"event"``: 3 classes; the shape drifts 1 px/frame in a random direction, and at a random frame
      (uniform, the whole event inside the clip) for ``event_frames`` frames it either keeps going
      (사건 없음), reverses (잠깐 후진) or vanishes (잠깐 사라짐). Short events are what TSN's sparse
      segments catch and one short snippet misses (arXiv 1608.00859).
    Shape (square/disc/plus), radius (1-3 px), brightness (0.6-1) and start position are random and
    independent of the class; the canvas wraps around, so every frame alone is label-free.
    Gaussian pixel noise of std ``noise`` is added, then values are clipped to [0, 1]. Classes are
    balanced (as evenly as possible) in a random order.
    """
    checks.positive_int(n, "n")
    task = checks.choice(task, "task", tuple(TASKS))
    checks.integer(frames, "frames", low=2)
    checks.integer(size, "size", low=8)
    checks.positive_int(event_frames, "event_frames")
    if task == "event" and event_frames > frames - 2:  # the event starts at frame >= 1 and ends inside the clip
        raise ValueError(f"event_frames must be at most frames - 2 = {frames - 2} for task 'event', got {event_frames}")
    noise = checks.real(noise, "noise", low=0, high=1)
    checks.generator(generator)
    classes = TASKS[task]
    y = torch.arange(n)[torch.randperm(n, generator=generator)] % len(classes)  # (N,)
    kind = torch.randint(0, len(SHAPES), (n,), generator=generator)
    radius = torch.randint(1, 4, (n,), generator=generator)
    bright = 0.6 + 0.4 * torch.rand(n, generator=generator)
    start = torch.randint(0, size, (n, 2), generator=generator)
    direction = y if task == "direction" else torch.randint(0, 4, (n,), generator=generator)
    speed = (1 + y) if task == "speed" else torch.ones(n, dtype=torch.long)
    event_start = torch.full((n,), -1)
    velocity = _STEPS[direction][:, None, :] * speed[:, None, None] * torch.ones(1, frames, 1, dtype=torch.long)  # (N, T, 2)
    visible = torch.ones(n, frames, dtype=torch.bool)
    if task == "event":
        t0 = 1 + torch.randint(0, frames - event_frames, (n,), generator=generator)  # the event's first frame, >= 1
        window = (torch.arange(frames)[None] >= t0[:, None]) & (torch.arange(frames)[None] < (t0 + event_frames)[:, None])
        velocity = torch.where((window & (y[:, None] == 1))[..., None], -velocity, velocity)
        visible = ~(window & (y[:, None] == 2))
        event_start = torch.where(y > 0, t0, event_start)
    steps = torch.cat([torch.zeros(n, 1, 2, dtype=torch.long), velocity[:, 1:]], dim=1)  # frame 0 at start
    position = start[:, None, :] + steps.cumsum(dim=1)  # (N, T, 2) top-left corner of the sprite, wrapped below
    video = torch.zeros(n, frames, size, size)
    for i in range(n):
        sprite = _sprite(int(kind[i]), int(radius[i])) * bright[i]
        h = sprite.shape[0]
        canvas = torch.zeros(size, size)
        canvas[:h, :h] = sprite
        for t in range(frames):
            if visible[i, t]:
                video[i, t] = torch.roll(canvas, shifts=(int(position[i, t, 0]), int(position[i, t, 1])), dims=(0, 1))
    video = (video + noise * torch.randn(video.shape, generator=generator)).clamp(0, 1)
    return Clips(video, y, event_start, classes)


def boring_video(images: Tensor, frames: int) -> Tensor:
    """Repeat each image over time: (N, H, W) or (N, C, H, W) -> (N, frames, H, W) or (N, C, frames, H, W).

    The I3D paper's "boring video" (arXiv 1705.07750, section 2.4): on it, a 2-D network inflated by
    repeating its kernels over time and dividing by their temporal length gives the 2-D network's output.
    """
    checks.tensor(images, "images")
    if images.dim() not in (3, 4):
        raise ValueError(f"images must have shape (N, H, W) or (N, C, H, W), got {tuple(images.shape)}")
    checks.positive_int(frames, "frames")
    time_axis = 1 if images.dim() == 3 else 2
    return images.unsqueeze(time_axis).repeat_interleave(frames, dim=time_axis)
