"""Tests for paperlib.vq (van den Oord, Vinyals & Kavukcuoglu 2017, arXiv 1711.00937)."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from paperlib import runtime, train
from paperlib.latent import vq


def _z(b=3, d=4, h=2, w=3, seed=0, dtype=torch.float32):
    return torch.randn(b, d, h, w, generator=runtime.make_generator(seed)).to(dtype)


def _quantizer(k=5, d=4, seed=0, **kw):
    q = vq.VectorQuantizer(k, d, generator=runtime.make_generator(seed), **kw)
    with torch.no_grad():
        q.codebook.copy_(torch.randn(k, d, generator=runtime.make_generator(seed + 100)))
    return q


# --------------------------------------------------------------------------- eq. (2)
def test_nearest_code_matches_naive_loop():
    g = runtime.make_generator(1)
    flat, book = torch.randn(20, 3, generator=g), torch.randn(7, 3, generator=g)
    naive = torch.tensor([min(range(7), key=lambda k: torch.sum((flat[n] - book[k]) ** 2).item()) for n in range(20)])
    assert torch.equal(vq.nearest_code(flat, book), naive)


def test_nearest_code_tie_goes_to_lower_index():
    book = torch.tensor([[1.0, 0.0], [-1.0, 0.0]])
    assert vq.nearest_code(torch.zeros(1, 2), book).item() == 0


def test_eval_output_equals_codebook_at_indices():
    q = _quantizer().eval()
    z = _z()
    out = q(z)
    assert out.indices.shape == (3, 2, 3) and out.indices.dtype == torch.int64
    expected = q.codebook[out.indices].permute(0, 3, 1, 2)  # (B, D, H, W)
    torch.testing.assert_close(out.quantized, expected)
    torch.testing.assert_close(q.lookup(out.indices), expected)


def test_losses_match_closed_form_and_beta():
    q = _quantizer(beta=0.7)
    z = _z()
    out = q(z)
    e = q.codebook[out.indices].permute(0, 3, 1, 2)
    d2 = ((z - e) ** 2).mean()
    torch.testing.assert_close(out.codebook_loss, d2)
    torch.testing.assert_close(out.commitment_loss, d2)
    torch.testing.assert_close(out.loss, d2 + 0.7 * d2)


def test_stop_gradients_route_each_loss_to_one_side():
    """eq. (3): the codebook loss moves only e, the commitment loss moves only z_e."""
    q = _quantizer()
    z = _z().requires_grad_(True)
    out = q(z)
    g_z, g_e = torch.autograd.grad(out.codebook_loss, [z, q.codebook], allow_unused=True)
    assert g_z is None or torch.all(g_z == 0)
    assert g_e.abs().sum() > 0
    out = q(z)
    g_z, g_e = torch.autograd.grad(out.commitment_loss, [z, q.codebook], allow_unused=True)
    assert g_z.abs().sum() > 0
    assert g_e is None or torch.all(g_e == 0)
    # the commitment gradient is the closed form 2 (z_e - e) / numel
    e = q.codebook[out.indices].permute(0, 3, 1, 2).detach()
    torch.testing.assert_close(g_z, 2 * (z - e).detach() / z.numel())


def test_straight_through_gradient_reaches_encoder_unchanged():
    """With a linear 'encoder' and an identity decoder, dL/dW equals the gradient of L(z_q) pushed back by hand."""
    g = runtime.make_generator(3)
    x = torch.randn(6, 5, generator=g, dtype=torch.float64)
    W = torch.randn(5, 4, generator=g, dtype=torch.float64, requires_grad=True)
    target = torch.randn(6, 4, generator=g, dtype=torch.float64)
    q = _quantizer(k=8, d=4).double()
    z_e = x @ W  # (B, D) : a grid with no spatial dims
    out = q(z_e)
    loss = ((out.quantized - target) ** 2).sum()  # identity decoder
    (g_W,) = torch.autograd.grad(loss, [W])
    z_q = q.codebook[out.indices].detach()
    dL_dzq = 2 * (z_q - target)  # closed form at the decoder input
    torch.testing.assert_close(g_W, x.t() @ dL_dzq)  # copied unchanged to z_e, then through W
    torch.testing.assert_close(out.quantized, z_q)  # while the forward value is z_q


def test_without_straight_through_the_reconstruction_gradient_stops_at_the_codebook():
    """The ablation (straight_through=False): same forward value and losses, but dL_rec/dz_e is absent."""
    q_st, q_off = _quantizer(), _quantizer(straight_through=False)
    assert q_st.straight_through and "straight_through=False" in repr(q_off)
    z = _z().requires_grad_(True)
    target = torch.randn(3, 4, 2, 3, generator=runtime.make_generator(9))
    on, off = q_st(z), q_off(z)
    torch.testing.assert_close(off.quantized, on.quantized)
    torch.testing.assert_close(off.loss, on.loss)
    g_on = torch.autograd.grad(((on.quantized - target) ** 2).sum(), [z])[0]
    g_off, g_book = torch.autograd.grad(((off.quantized - target) ** 2).sum(), [z, q_off.codebook], allow_unused=True)
    assert g_on.abs().sum() > 0 and g_off is None  # the encoder output gets nothing from the decoder
    assert g_book.abs().sum() > 0  # the reconstruction gradient now lands on the chosen codes
    g_commit = torch.autograd.grad(off.commitment_loss, [z])[0]  # the encoder still feels the commitment loss
    assert g_commit.abs().sum() > 0
    m = vq.VQVAE(num_codes=4, embedding_dim=2, hidden=4, straight_through=False, generator=runtime.make_generator(0))
    assert m.quantizer.straight_through is False
    with pytest.raises(TypeError, match="straight_through"):
        vq.VectorQuantizer(4, 2, straight_through=1, generator=runtime.make_generator(0))


def test_perplexity_and_usage():
    u = vq.codebook_usage(torch.tensor([0, 1, 2, 3]), 4)
    assert math.isclose(u.perplexity, 4.0, rel_tol=1e-6) and u.used_fraction == 1.0
    u = vq.codebook_usage(torch.tensor([[2, 2], [2, 2]]), 4)
    assert math.isclose(u.perplexity, 1.0, rel_tol=1e-6) and u.used_fraction == 0.25
    idx = torch.tensor([0, 0, 0, 1])
    p = torch.tensor([0.75, 0.25])
    assert math.isclose(vq.codebook_usage(idx, 3).perplexity, math.exp(-(p * p.log()).sum().item()), rel_tol=1e-6)
    assert vq.codebook_usage(idx, 3).counts.tolist() == [3, 1, 0]
    out = _quantizer()(_z())
    assert 1.0 <= out.perplexity.item() <= 5.0


# --------------------------------------------------------------------------- EMA (appendix A.1)
def test_ema_update_matches_formula_and_only_in_training():
    k, d, gamma = 3, 2, 0.9
    q = vq.EMAVectorQuantizer(k, d, decay=gamma, eps=1e-12, generator=runtime.make_generator(0))
    with torch.no_grad():
        q.codebook.copy_(torch.tensor([[0.0, 0.0], [5.0, 5.0], [-5.0, 5.0]]))
        q.embed_sum.copy_(q.codebook)
    z = torch.tensor([[0.1, 0.0], [-0.1, 0.2], [4.0, 6.0]])  # (B, D): codes 0, 0, 1
    before = q.codebook.clone()
    q.eval()
    q(z)
    assert torch.equal(q.codebook, before), "eval mode must not touch the EMA state"
    q.train()
    q(z)
    N = torch.tensor([gamma + (1 - gamma) * 2, gamma + (1 - gamma) * 1, gamma])
    m = gamma * before + (1 - gamma) * torch.stack([z[0] + z[1], z[2], torch.zeros(2)])
    torch.testing.assert_close(q.cluster_size, N)
    torch.testing.assert_close(q.codebook, m / N[:, None], rtol=1e-5, atol=1e-6)
    assert not any(p is q.codebook for p in q.parameters())


def test_ema_loss_is_beta_times_commitment():
    q = vq.EMAVectorQuantizer(4, 4, beta=0.5, generator=runtime.make_generator(0)).eval()
    out = q(_z())
    torch.testing.assert_close(out.loss, 0.5 * out.commitment_loss)


# --------------------------------------------------------------------------- model
def test_vqvae_shapes_and_continuous_twin():
    g = runtime.make_generator(0)
    x = torch.rand(4, 64, generator=g)
    m = vq.VQVAE(num_codes=8, embedding_dim=3, hidden=8, generator=g)
    out = m(x)
    assert out.recon.shape == (4, 1, 8, 8) and out.z_e.shape == (4, 3, 4, 4) and out.vq.indices.shape == (4, 4, 4)
    codes = m.encode(x)
    torch.testing.assert_close(m.decode(codes), m.eval()(x).recon)
    ae = vq.VQVAE(embedding_dim=3, hidden=8, quantize=False, generator=runtime.make_generator(0))
    assert sum(p.numel() for p in ae.parameters()) == sum(p.numel() for p in m.parameters()) - 8 * 3
    loss = vq.vqvae_loss(ae, x)
    torch.testing.assert_close(loss.total, F.mse_loss(ae(x).recon, vq.as_images(x)))


def test_vqvae_trains_and_is_seeded():
    g = runtime.make_generator(0)
    x = torch.rand(32, 64, generator=g)

    def run():
        gen = runtime.make_generator(5)
        m = vq.VQVAE(num_codes=8, embedding_dim=3, hidden=8, generator=gen).init_codebook(x, generator=gen)
        h = train.fit(m, vq.vqvae_step, (x,), epochs=15, batch_size=16, lr=1e-2, generator=gen, progress=False)
        return h.epoch_loss

    a, b = run(), run()
    assert a == b
    assert a[-1] < a[0]


# --------------------------------------------------------------------------- bad input
def test_bad_input():
    g = runtime.make_generator(0)
    with pytest.raises(ValueError, match="embedding_dim"):
        _quantizer(d=4)(_z(d=3))
    with pytest.raises(ValueError, match="beta"):
        vq.VectorQuantizer(4, 2, beta=-0.1, generator=g)
    with pytest.raises(ValueError, match="num_codes"):
        vq.VectorQuantizer(0, 2, generator=g)
    with pytest.raises(TypeError, match="num_codes"):
        vq.VectorQuantizer(2.5, 2, generator=g)
    with pytest.raises(ValueError, match="embedding_dim"):
        vq.VectorQuantizer(4, 0, generator=g)
    with pytest.raises(TypeError, match="generator"):
        vq.VectorQuantizer(4, 2, generator=0)
    with pytest.raises(ValueError, match="decay"):
        vq.EMAVectorQuantizer(4, 2, decay=1.0, generator=g)
    with pytest.raises(TypeError, match="z_e"):
        _quantizer()(torch.zeros(2, 4, dtype=torch.int64))
    with pytest.raises(ValueError, match="indices"):
        _quantizer().lookup(torch.tensor([5]))
    with pytest.raises(ValueError, match="indices"):
        vq.codebook_usage(torch.tensor([-1]), 3)
    with pytest.raises(ValueError, match="codebook"):
        vq.nearest_code(torch.zeros(2, 3), torch.zeros(3))
    with pytest.raises(ValueError, match="x"):
        vq.VQVAE(hidden=4, generator=g)(torch.zeros(2, 1, 7, 7))
    with pytest.raises(ValueError, match="num_codes"):
        _quantizer(k=50).init_from(_z(b=1, h=1, w=1), generator=g)
