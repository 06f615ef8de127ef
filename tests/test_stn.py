"""Tests for paperlib.stn (Jaderberg et al. 2015, arXiv 1506.02025)."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from paperlib import data, runtime, train
from paperlib.vision import stn


def _theta(b=3, seed=0, dtype=torch.float64):
    g = runtime.make_generator(seed)
    eye = torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], dtype=dtype)
    return eye + 0.4 * torch.randn(b, 2, 3, generator=g).to(dtype)


def _images(b=3, c=2, h=6, w=5, seed=1, dtype=torch.float64):
    return torch.randn(b, c, h, w, generator=runtime.make_generator(seed)).to(dtype)


# --------------------------------------------------------------------------- eq. (1) grid generator
@pytest.mark.parametrize("align_corners", [False, True])
def test_affine_grid_matches_torch(align_corners):
    theta = _theta()
    ours = stn.affine_grid(theta, (5, 7), align_corners=align_corners)
    ref = F.affine_grid(theta, (3, 1, 5, 7), align_corners=align_corners)
    torch.testing.assert_close(ours, ref)


def test_affine_grid_naive_loop_eq1():
    theta = _theta(b=1)
    h, w = 4, 3
    grid = stn.affine_grid(theta, (h, w))
    for i in range(h):
        for j in range(w):
            xt, yt = (2 * j + 1) / w - 1, (2 * i + 1) / h - 1  # pixel centres, align_corners=False
            src = theta[0] @ torch.tensor([xt, yt, 1.0], dtype=theta.dtype)
            torch.testing.assert_close(grid[0, i, j], src)


# --------------------------------------------------------------------------- eq. (5) sampler
@pytest.mark.parametrize("align_corners", [False, True])
def test_bilinear_sample_matches_grid_sample_values_and_gradients(align_corners):
    u = _images().requires_grad_(True)
    theta = _theta().requires_grad_(True)
    grid = stn.affine_grid(theta, (4, 4), align_corners=align_corners)
    ours = stn.bilinear_sample(u, grid, align_corners=align_corners)
    ref = F.grid_sample(u, F.affine_grid(theta, (3, 2, 4, 4), align_corners=align_corners),
                        mode="bilinear", padding_mode="zeros", align_corners=align_corners)
    torch.testing.assert_close(ours, ref)
    w = torch.randn(ours.shape, generator=runtime.make_generator(5), dtype=ours.dtype)
    g_ours = torch.autograd.grad((ours * w).sum(), (u, theta))
    g_ref = torch.autograd.grad((ref * w).sum(), (u, theta))
    for a, b in zip(g_ours, g_ref):  # eqs. (6)-(7): dV/dU and dV/dtheta through the grid
        torch.testing.assert_close(a, b)


def test_bilinear_sample_naive_kernel_sum_eq5():
    u = _images(b=1, c=1, h=4, w=5)
    grid = torch.tensor([[[[0.13, -0.4], [0.9, 0.95], [-1.3, 0.2]]]], dtype=torch.float64)  # (1, 1, 3, 2)
    out = stn.bilinear_sample(u, grid)
    h, w = 4, 5
    for k in range(3):
        xs = ((grid[0, 0, k, 0] + 1) * w - 1) / 2
        ys = ((grid[0, 0, k, 1] + 1) * h - 1) / 2
        v = sum(u[0, 0, n, m] * max(0.0, 1 - abs(xs - m)) * max(0.0, 1 - abs(ys - n)) for n in range(h) for m in range(w))
        torch.testing.assert_close(out[0, 0, 0, k], torch.as_tensor(v, dtype=torch.float64))


def test_gradcheck_float64():
    u = _images(b=2, c=1, h=4, w=4).requires_grad_(True)
    theta = _theta(b=2, seed=3).requires_grad_(True)
    assert torch.autograd.gradcheck(lambda a, t: stn.spatial_transform(a, t, (3, 3)), (u, theta))


def test_identity_theta_returns_input():
    u = _images(dtype=torch.float32)
    eye = torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]).expand(3, 2, 3)
    torch.testing.assert_close(stn.spatial_transform(u, eye), u)
    torch.testing.assert_close(stn.spatial_transform(u.double(), eye.double(), align_corners=True), u.double())


def test_attention_theta_form_and_crop():
    p = torch.tensor([[0.5, 0.2, -0.1]])
    torch.testing.assert_close(stn.attention_theta(p), torch.tensor([[[0.5, 0.0, 0.2], [0.0, 0.5, -0.1]]]))
    # s = 0.5, centred: output is the central half of the image upsampled 2x
    u = torch.arange(16.0).reshape(1, 1, 4, 4)
    v = stn.spatial_transform(u, stn.attention_theta(torch.tensor([[0.5, 0.0, 0.0]])), (2, 2))
    torch.testing.assert_close(v, u[:, :, 1:3, 1:3])


# --------------------------------------------------------------------------- modules
def test_localisation_net_starts_at_identity_and_models_run():
    g = runtime.make_generator(0)
    x = torch.rand(5, 1, 12, 12, generator=g)
    for kind in ("affine", "attention"):
        loc = stn.LocalisationNet((1, 12, 12), kind=kind, generator=g)
        eye = torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]).expand(5, 2, 3)
        torch.testing.assert_close(loc(x), eye)
        model = stn.STCNN((1, 12, 12), kind=kind, generator=g)
        torch.testing.assert_close(model.transformed(x), x, atol=1e-6, rtol=0)
        assert model(x).shape == (5, 10)
        loss = train.classification_step(model, (x, torch.arange(5)))
        loss.backward()
        assert model.st.loc.net[-1].weight.grad.abs().sum() > 0  # the localisation net learns from the task loss


def test_seeded_models_are_reproducible():
    a = stn.STCNN((1, 8, 8), generator=runtime.make_generator(3))
    b = stn.STCNN((1, 8, 8), generator=runtime.make_generator(3))
    for p, q in zip(a.parameters(), b.parameters()):
        torch.testing.assert_close(p, q)


# --------------------------------------------------------------------------- toy data
def test_distorted_digits_strength_zero_is_canonical_and_seeded():
    x = torch.rand(6, 64, generator=runtime.make_generator(0))
    d0 = data.distorted_digits(x, 0.0, generator=runtime.make_generator(1))
    torch.testing.assert_close(d0.images, d0.canonical)
    d1 = data.distorted_digits(x, 1.0, generator=runtime.make_generator(1))
    d2 = data.distorted_digits(x, 1.0, generator=runtime.make_generator(1))
    torch.testing.assert_close(d1.images, d2.images)
    assert d1.images.shape == (6, 1, 20, 20)
    # theta maps output canvas to canonical canvas: resampling the distorted image with theta^-1 ... is lossy,
    # but sampling the canonical image with theta reproduces the distorted one where the digit is inside
    again = stn.spatial_transform(d1.canonical, d1.theta)
    assert (again - d1.images).abs().mean() < 0.05


def test_centre_of_mass_and_class_spread():
    img = torch.zeros(2, 1, 4, 4)
    img[0, 0, 0, 0] = 1.0
    img[1, 0, 3, 3] = 1.0
    torch.testing.assert_close(stn.centre_of_mass(img), torch.tensor([[-0.75, -0.75], [0.75, 0.75]]))
    same = torch.ones(4, 1, 3, 3)
    assert stn.class_spread(same, torch.tensor([0, 0, 1, 1])) == pytest.approx(0.0, abs=1e-12)
    assert stn.class_spread(img, torch.tensor([0, 0])) == pytest.approx(0.5)  # orthogonal unit vectors: each 1/2 from their mean


# --------------------------------------------------------------------------- bad input
def test_bad_input():
    u = _images(dtype=torch.float32)
    with pytest.raises(ValueError, match="theta"):
        stn.affine_grid(torch.zeros(3, 3, 3), (4, 4))
    with pytest.raises(ValueError, match="theta"):
        stn.spatial_transform(u, torch.zeros(3, 6))
    with pytest.raises(ValueError, match="theta"):
        stn.spatial_transform(u, torch.zeros(2, 2, 3))
    with pytest.raises(ValueError, match="images"):
        stn.spatial_transform(torch.zeros(2, 4, 4), torch.zeros(2, 2, 3))
    with pytest.raises(ValueError, match="images"):
        stn.bilinear_sample(torch.zeros(4, 4), torch.zeros(1, 2, 2, 2))
    with pytest.raises(ValueError, match="grid"):
        stn.bilinear_sample(u, torch.zeros(3, 2, 2, 3))
    with pytest.raises(TypeError, match="theta"):
        stn.affine_grid([[1, 0, 0], [0, 1, 0]], (4, 4))
    with pytest.raises(ValueError, match="out_size"):
        stn.affine_grid(torch.zeros(1, 2, 3), (4,))
    with pytest.raises(ValueError, match="params"):
        stn.attention_theta(torch.zeros(2, 4))
    with pytest.raises(ValueError, match="kind"):
        stn.LocalisationNet((1, 4, 4), kind="tps", generator=runtime.make_generator(0))
    with pytest.raises(ValueError, match="strength"):
        data.distorted_digits(torch.zeros(2, 64), -1.0, generator=runtime.make_generator(0))
    with pytest.raises(ValueError, match="x"):
        data.distorted_digits(torch.zeros(2, 63), 1.0, generator=runtime.make_generator(0))
    with pytest.raises(TypeError, match="generator"):
        data.distorted_digits(torch.zeros(2, 64), 1.0, generator=None)
    assert math.isfinite(stn.class_spread(u, torch.tensor([0, 1, 1])))
