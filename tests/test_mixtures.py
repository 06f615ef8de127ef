"""The labelled 2-D toy sets of Part B (paperlib.data.mixtures) against their definitions."""

import math

import pytest
import torch

from paperlib import data, runtime


def test_ring_centres_are_on_the_circle_and_equally_spaced():
    mix = data.gaussian_ring(1000, modes=8, radius=2.0, std=0.02, generator=runtime.make_generator(0))
    assert torch.allclose(mix.centers.norm(dim=1), torch.full((8,), 2.0))
    gaps = torch.linalg.norm(mix.centers - mix.centers.roll(1, 0), dim=1)
    assert torch.allclose(gaps, torch.full((8,), 2 * 2.0 * math.sin(math.pi / 8)))
    assert mix.centers[0].tolist() == pytest.approx([2.0, 0.0])


def test_points_scatter_around_their_own_mode_with_the_stated_std():
    for mix in (data.gaussian_ring(8000, std=0.1, generator=runtime.make_generator(1)),
                data.gaussian_grid(25000, std=0.1, generator=runtime.make_generator(2))):
        offset = mix.x - mix.centers[mix.y]
        assert offset.mean(0).abs().max() < 0.01
        assert offset.std(0).tolist() == pytest.approx([0.1, 0.1], rel=0.03)
        counts = torch.bincount(mix.y)
        assert counts.max() - counts.min() <= 1  # balanced


def test_grid_layout():
    mix = data.gaussian_grid(50, side=3, spacing=1.5, generator=runtime.make_generator(0))
    assert mix.centers.tolist() == [[x, y] for y in (-1.5, 0.0, 1.5) for x in (-1.5, 0.0, 1.5)]


def test_two_moons_lie_on_their_half_circles():
    moons = data.two_moons(400, noise=0.0, generator=runtime.make_generator(0))
    upper, lower = moons.x[moons.y == 0], moons.x[moons.y == 1]
    assert torch.allclose(upper.norm(dim=1), torch.ones(len(upper)), atol=1e-6) and (upper[:, 1] >= 0).all()
    assert torch.allclose((lower - torch.tensor([1.0, 0.5])).norm(dim=1), torch.ones(len(lower)), atol=1e-6)
    assert abs(len(upper) - len(lower)) <= 1


def test_same_seed_same_points():
    a = data.gaussian_ring(100, generator=runtime.make_generator(3))
    b = data.gaussian_ring(100, generator=runtime.make_generator(3))
    assert torch.equal(a.x, b.x) and torch.equal(a.y, b.y)
