"""The generated videos (paperlib.data.moving_shapes): motion decides the class, single frames do not."""

import torch

from paperlib import data, runtime


def g(seed=0):
    return runtime.make_generator(seed)


def _centroid_steps(video):
    """Per-frame wrapped displacement of the brightest pixel mass between consecutive frames (noise-free clips)."""
    n, t, h, w = video.shape
    out = []
    for i in range(n):
        steps = []
        for k in range(t - 1):
            a, b = video[i, k], video[i, k + 1]
            best = min(((dy, dx) for dy in range(-3, 4) for dx in range(-3, 4)),
                       key=lambda s: (torch.roll(a, s, (0, 1)) - b).abs().sum().item())
            steps.append(best)
        out.append(steps)
    return out


def test_direction_clips_move_one_pixel_per_frame_in_their_class_direction():
    clips = data.motion_clips(8, task="direction", frames=5, size=12, noise=0.0, generator=g())
    expected = {0: (0, 1), 1: (0, -1), 2: (1, 0), 3: (-1, 0)}
    for label, steps in zip(clips.y.tolist(), _centroid_steps(clips.video)):
        assert steps == [expected[label]] * 4
    assert (clips.event_start == -1).all()


def test_speed_clips_move_one_or_two_pixels():
    clips = data.motion_clips(6, task="speed", frames=4, size=12, noise=0.0, generator=g(1))
    for label, steps in zip(clips.y.tolist(), _centroid_steps(clips.video)):
        assert {abs(dy) + abs(dx) for dy, dx in steps} == {label + 1}


def test_event_clips_reverse_or_vanish_for_event_frames_only():
    clips = data.motion_clips(30, task="event", frames=10, size=12, event_frames=2, noise=0.0, generator=g(2))
    for i in range(30):
        mass = clips.video[i].sum(dim=(1, 2))
        y, t0 = int(clips.y[i]), int(clips.event_start[i])
        if y == 0:
            assert t0 == -1 and (mass > 0).all()
        elif y == 2:
            assert 1 <= t0 <= 8 and (mass[t0:t0 + 2] == 0).all() and (mass[:t0] > 0).all() and (mass[t0 + 2:] > 0).all()
        else:
            steps = _centroid_steps(clips.video[i:i + 1])[0]
            forward = max(set(steps), key=steps.count)  # the drift (8 of 9 steps)
            back = (-forward[0], -forward[1])
            assert steps[t0 - 1:t0 + 1] == [back, back] and steps.count(back) == 2


def test_a_single_frame_carries_no_label():
    """Positions of the shape in one frame are uniform whatever the class (wrap-around canvas)."""
    clips = data.motion_clips(2000, task="direction", frames=6, size=8, noise=0.0, generator=g(3))
    for frame in (0, 5):
        per_class = torch.stack([clips.video[clips.y == c, frame].mean(0) for c in range(4)])  # (4, H, W) mean image
        assert (per_class - per_class.mean(0)).abs().max() < 0.06  # no class has a preferred place


def test_classes_are_balanced_and_seeded():
    a = data.motion_clips(10, generator=g(4))
    b = data.motion_clips(10, generator=g(4))
    assert torch.equal(a.video, b.video) and torch.bincount(a.y).tolist() == [3, 3, 2, 2]
    assert a.video.min() >= 0 and a.video.max() <= 1


def test_boring_video_repeats_each_image():
    images = torch.rand(2, 3, 5, 5, generator=g())
    video = data.boring_video(images, 4)
    assert video.shape == (2, 3, 4, 5, 5) and all(torch.equal(video[:, :, t], images) for t in range(4))
    assert data.boring_video(images[:, 0], 3).shape == (2, 3, 5, 5)


def test_two_frame_clips_need_no_event_length():
    clips = data.motion_clips(4, task="direction", frames=2, generator=g(5))
    assert clips.video.shape == (4, 2, 16, 16)
