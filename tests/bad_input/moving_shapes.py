# ruff: noqa: E501  (a table: one wrong call per line reads best unwrapped)
"""Bad-input rows for paperlib.data.moving_shapes."""

import torch

from bad_input import NAN, T, bad, g, poison
from paperlib import data as D

ROWS = [
    bad("data.motion_clips: n 0", D.motion_clips, 0, generator=g(), match="n must be a positive int"),
    bad("data.motion_clips: task", D.motion_clips, 4, task="colour", generator=g(), match="task must be one of"),
    bad("data.motion_clips: frames 1", D.motion_clips, 4, frames=1, generator=g(), match=r"frames must be an int \(>= 2\)"),
    bad("data.motion_clips: size 4", D.motion_clips, 4, size=4, generator=g(), match=r"size must be an int \(>= 8\)"),
    bad("data.motion_clips: event_frames too long", D.motion_clips, 4, task="event", frames=6, event_frames=5, generator=g(), match="event_frames must be at most frames - 2 = 4"),
    bad("data.motion_clips: event_frames 0", D.motion_clips, 4, event_frames=0, generator=g(), match="event_frames must be a positive int"),
    bad("data.motion_clips: noise NaN", D.motion_clips, 4, noise=NAN, generator=g(), match="noise must be"),
    bad("data.motion_clips: generator", D.motion_clips, 4, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("data.boring_video: rank 2", D.boring_video, torch.zeros(4, 4), 3, match=r"images must have shape \(N, H, W\) or \(N, C, H, W\)"),
    bad("data.boring_video: NaN", D.boring_video, poison(torch.zeros(1, 4, 4)), 3, match="images must be finite"),
    bad("data.boring_video: frames 0", D.boring_video, torch.zeros(1, 4, 4), 0, match="frames must be a positive int"),
]
