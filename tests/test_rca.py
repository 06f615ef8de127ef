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


def test_shape_only_dice_matches_naive_search():
    """The image-free control: max over references and integer translations of Dice(S_I moved, S_J^GT), by brute force."""
    scans = data.organ_scans(4, generator=runtime.make_generator(4))
    pred = data.degrade_masks(scans.masks[:1], 2.0, generator=runtime.make_generator(1))[0]
    refs, s = scans.masks[1:], 3
    h, w = pred.shape
    best = 0.0
    for dy in range(-s, s + 1):
        for dx in range(-s, s + 1):
            moved = torch.zeros_like(pred)  # S_I moved by (dy, dx), zero-filled
            moved[max(dy, 0) : h + min(dy, 0), max(dx, 0) : w + min(dx, 0)] = pred[max(-dy, 0) : h - max(dy, 0), max(-dx, 0) : w - max(dx, 0)]
            best = max(best, rca.dice(moved.expand_as(refs), refs).max().item())
    assert rca.shape_only_dice(pred, refs, max_shift=s) == pytest.approx(best)


def test_shape_only_dice_ignores_position_and_images():
    scans = data.organ_scans(5, generator=runtime.make_generator(6))
    refs = scans.masks[1:]
    moved = torch.roll(refs[0], shifts=(2, -1), dims=(0, 1))  # a reference mask, misplaced (it stays inside the image)
    assert rca.shape_only_dice(moved, refs) == pytest.approx(1.0)  # blind to where the mask sits
    empty = torch.zeros_like(refs[0])
    assert rca.shape_only_dice(empty, refs) == pytest.approx(0.0)  # no organ-like shape at all
    with pytest.raises(ValueError, match="prediction"):
        rca.shape_only_dice(refs[0, :5], refs)
    with pytest.raises(ValueError, match="prediction"):
        rca.shape_only_dice(scans.images[0], refs)
    with pytest.raises(ValueError, match="ref_masks"):
        rca.shape_only_dice(refs[0], scans.images[1:])


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
