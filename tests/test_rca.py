"""Tests for paperlib.rca (Valindria et al. 2017, arXiv 1702.03407)."""

from __future__ import annotations

import pytest
import torch

from paperlib import data, runtime
from paperlib.methods import rca


def _masks(n=4, seed=0, size=6):
    return (torch.rand(n, size, size, generator=runtime.make_generator(seed)) < 0.4).long()


def test_dice_matches_naive_loop():
    a, b = _masks(seed=0), _masks(seed=1)
    out = rca.dice(a, b)
    for i in range(len(a)):
        inter = sum(int(a[i, y, x] and b[i, y, x]) for y in range(6) for x in range(6))
        total = int(a[i].sum()) + int(b[i].sum())
        assert out[i].item() == pytest.approx(2 * inter / total)


def test_dice_properties():
    a, b = _masks(seed=0), _masks(seed=1)
    torch.testing.assert_close(rca.dice(a, b), rca.dice(b, a))  # symmetric
    torch.testing.assert_close(rca.dice(a, a), torch.ones(len(a)))  # identical -> 1
    disjoint = a * 0
    disjoint[:, :3] = 1
    other = 1 - disjoint
    torch.testing.assert_close(rca.dice(disjoint, other), torch.zeros(len(a)))  # disjoint -> 0
    empty = torch.zeros(2, 5, 5, dtype=torch.bool)
    torch.testing.assert_close(rca.dice(empty, empty), torch.ones(2))  # empty vs empty -> 1 (stated convention)
    torch.testing.assert_close(rca.dice(empty, torch.ones(2, 5, 5)), torch.zeros(2))
    assert ((rca.dice(a, b) >= 0) & (rca.dice(a, b) <= 1)).all()


def test_rca_picks_the_best_reference():
    scans = data.organ_scans(6, generator=runtime.make_generator(0))
    image, pred = scans.images[0], scans.masks[0]
    refs, ref_masks = scans.images[1:], scans.masks[1:]
    out = rca.rca(image, pred, refs, ref_masks)
    segs = rca.atlas_forward(image, pred, refs)
    per_ref = rca.dice(segs, ref_masks)
    torch.testing.assert_close(out.reference_dice, per_ref)
    assert out.best_reference == int(per_ref.argmax())
    assert out.predicted_dice == pytest.approx(per_ref.max().item())
    # the test image itself as a reference: atlas forwarding is exact there, so RCA predicts 1
    with_self = rca.rca(image, pred, scans.images, scans.masks)
    assert with_self.predicted_dice == pytest.approx(1.0) and with_self.best_reference == 0
    pix = rca.rca(image, pred, scans.images, scans.masks, method="pixel", generator=runtime.make_generator(1))
    assert 0.0 <= pix.predicted_dice <= 1.0 and pix.reference_segmentations.shape == scans.masks.shape


def test_atlas_forward_recovers_a_known_translation():
    scans = data.organ_scans(1, noise=0.0, generator=runtime.make_generator(3))
    img, mask = scans.images[0], scans.masks[0]

    def shift(x):  # move down 2 and left 3, zero-filled
        out = torch.zeros_like(x)
        out[2:, :-3] = x[:-2, 3:]
        return out

    warped = rca.atlas_forward(img, mask, shift(img)[None])
    torch.testing.assert_close(warped[0], shift(mask))


def test_degrade_strength_and_kinds():
    scans = data.organ_scans(12, generator=runtime.make_generator(2))
    same = data.degrade_masks(scans.masks, 0.0, generator=runtime.make_generator(0))
    torch.testing.assert_close(same, scans.masks)
    d = [rca.dice(data.degrade_masks(scans.masks, s, generator=runtime.make_generator(0)), scans.masks).mean().item() for s in (1, 2, 4)]
    assert d[0] > d[1] > d[2]  # stronger degradation, lower real Dice
    a = data.degrade_masks(scans.masks, 2.0, generator=runtime.make_generator(5))
    b = data.degrade_masks(scans.masks, 2.0, generator=runtime.make_generator(5))
    torch.testing.assert_close(a, b)


def test_pixel_features_are_local_means():
    img = torch.arange(25.0).reshape(1, 5, 5)
    f = rca.pixel_features(img, windows=(3,))
    assert f.shape == (1, 5, 5, 2)
    assert f[0, 2, 2, 1].item() == pytest.approx(img[0, 1:4, 1:4].mean().item())
    assert f[0, 0, 0, 1].item() == pytest.approx(img[0, :2, :2].mean().item())  # clipped at the border


def test_bad_input():
    a = _masks()
    with pytest.raises(ValueError, match="b"):
        rca.dice(a, _masks(size=5))
    with pytest.raises(ValueError, match="a"):
        rca.dice(a.float() * 0.5, a)
    with pytest.raises(ValueError, match="b"):
        rca.dice(a, a * 2)
    with pytest.raises(ValueError, match="a"):
        rca.dice(a[0], a[0])
    with pytest.raises(TypeError, match="a"):
        rca.dice([[0, 1]], a)
    scans = data.organ_scans(3, generator=runtime.make_generator(0))
    with pytest.raises(ValueError, match="ref_masks"):
        rca.rca(scans.images[0], scans.masks[0], scans.images, scans.masks[:2])
    with pytest.raises(ValueError, match="ref_masks"):
        rca.rca(scans.images[0], scans.masks[0], scans.images, scans.images)
    with pytest.raises(ValueError, match="image"):
        rca.rca(scans.images[0, :5], scans.masks[0], scans.images, scans.masks)
    with pytest.raises(ValueError, match="prediction"):
        rca.rca(scans.images[0], scans.masks[0, :5], scans.images, scans.masks)
    with pytest.raises(ValueError, match="prediction"):
        rca.rca(scans.images[0], scans.images[0], scans.images, scans.masks)
    with pytest.raises(ValueError, match="method"):
        rca.rca(scans.images[0], scans.masks[0], scans.images, scans.masks, method="rf")
    with pytest.raises(ValueError, match="strength"):
        data.degrade_masks(scans.masks, -1.0, generator=runtime.make_generator(0))
    with pytest.raises(ValueError, match="half_range"):
        data.organ_scans(2, half_range=(5.0, 20.0), generator=runtime.make_generator(0))
    with pytest.raises(TypeError, match="generator"):
        data.organ_scans(2, generator=None)
