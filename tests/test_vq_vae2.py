"""Tests for paperlib.vq_vae2 (Razavi, van den Oord & Vinyals 2019, arXiv 1906.00446)."""

from __future__ import annotations

import itertools
import math

import pytest
import torch

from paperlib import data, runtime, train
from paperlib.latent import vq
from paperlib.latent import vq_vae2 as V


def _model(seed=0, **kw):
    return V.VQVAE2(num_codes=8, embedding_dim=4, hidden=8, generator=runtime.make_generator(seed), **kw)


def test_shapes_codes_and_decode_roundtrip():
    x = torch.rand(3, 1, 16, 16, generator=runtime.make_generator(0))
    for ema in (True, False):
        m = _model(ema=ema)
        out = m(x)
        assert out.recon.shape == x.shape
        assert out.top.indices.shape == (3, 2, 2) and out.bottom.indices.shape == (3, 4, 4)
        codes = m.encode_codes(x)
        torch.testing.assert_close(m.decode_codes(codes.top, codes.bottom), m.eval()(x).recon)


def test_bottom_depends_on_top():
    """Algorithm 1: the bottom code is computed from the encoder features and the decoded top."""
    m = _model(ema=False).eval()
    x = torch.rand(2, 1, 16, 16, generator=runtime.make_generator(1))
    z_b, top, h_b = m._latents(x)
    alt = m.pre_bottom(torch.cat([h_b, m.dec_top(top.quantized * 0 + 1.0)], dim=1))
    assert not torch.allclose(z_b, alt)


def test_separate_bottom_codebook_and_constant_top():
    x = torch.rand(3, 1, 16, 16, generator=runtime.make_generator(7))
    m = V.VQVAE2(num_codes=1, num_bottom_codes=3, embedding_dim=4, hidden=8, ema=False, generator=runtime.make_generator(0))
    assert m.quantize_top.codebook.shape == (1, 4) and m.quantize_bottom.codebook.shape == (3, 4)
    codes = m.encode_codes(x)
    assert (codes.top == 0).all() and codes.bottom.max() < 3  # one top code: the top carries no information


@pytest.mark.parametrize("ema", [False, True])
def test_restart_dead_codes(ema):
    x = torch.rand(6, 1, 16, 16, generator=runtime.make_generator(8))
    m = _model(ema=ema).eval()
    with torch.no_grad():
        m.quantize_top.codebook[1:] = 1e3  # codes 1.. are far from every encoder output: dead
        z_t = m.enc_top(m.enc_bottom(x)).movedim(1, -1).reshape(-1, 4)  # (24, 4)
    n_top, n_bottom = V.restart_dead_codes(m, x)
    assert n_top == 7 and n_bottom >= 0
    restarted = m.quantize_top.codebook[1:]  # each is one of the encoder outputs (the worst served ones)
    assert all(((z_t - row).abs().amax(1) < 1e-6).any() for row in restarted)
    if ema:
        torch.testing.assert_close(m.quantize_top.embed_sum[1:], restarted)
        assert (m.quantize_top.cluster_size[1:] == 1).all()
    assert V.restart_dead_codes(m, x)[0] < 7  # restarted codes are now chosen
    one = vq.VQVAE(num_codes=4, embedding_dim=4, hidden=8, downsample=2, generator=runtime.make_generator(9))
    with torch.no_grad():
        one.quantizer.codebook[:] = 1e3
        one.quantizer.codebook[0] = 0.0
    assert V.restart_dead_codes(one, x) == (3,)


def test_ema_state_changes_only_in_training():
    m = _model()
    x = torch.rand(4, 1, 16, 16, generator=runtime.make_generator(2))
    before = m.quantize_bottom.codebook.clone()
    m.eval()(x)
    assert torch.equal(before, m.quantize_bottom.codebook)
    m.train()(x)
    assert not torch.equal(before, m.quantize_bottom.codebook)


def test_training_reduces_loss_and_is_seeded():
    x = torch.rand(32, 1, 16, 16, generator=runtime.make_generator(3))

    def run():
        g = runtime.make_generator(4)
        m = V.VQVAE2(num_codes=8, embedding_dim=4, hidden=8, ema=False, generator=g).init_codebooks(x, generator=g)
        return train.fit(m, V.vqvae2_step, (x,), epochs=10, batch_size=16, lr=1e-2, generator=g, progress=False).epoch_loss

    a, b = run(), run()
    assert a == b and a[-1] < a[0]


def test_rejection_sample_and_diversity_measures():
    probs = torch.tensor([[0.9, 0.1], [0.6, 0.4], [0.2, 0.8]])
    r = V.rejection_sample(probs, 0.7)
    assert r.accepted.tolist() == [True, False, True]
    assert math.isclose(r.acceptance_rate, 2 / 3, rel_tol=1e-6)
    assert r.predicted.tolist() == [0, 0, 1]
    assert V.rejection_sample(probs, 0.0).accepted.all()
    r = V.rejection_sample(probs, 0.5, labels=torch.tensor([1, 1, 1]))  # class-conditional: p(asked class)
    assert r.accepted.tolist() == [False, False, True]
    x = torch.randn(5, 3, generator=runtime.make_generator(5))
    naive = sum((x[i] - x[j]).norm().item() for i, j in itertools.combinations(range(5), 2)) / 10
    assert math.isclose(V.mean_pairwise_distance(x), naive, rel_tol=1e-6)
    assert math.isclose(V.class_entropy(torch.arange(10), 10), math.log(10), rel_tol=1e-9)
    assert V.class_entropy(torch.zeros(7, dtype=torch.long), 10) == 0.0


def test_upsample_digits():
    x = torch.rand(2, 64, generator=runtime.make_generator(6))
    up = data.upsample_digits(x, 16)
    assert up.shape == (2, 1, 16, 16) and up.min() >= 0 and up.max() <= 1
    torch.testing.assert_close(up.mean(dim=(1, 2, 3)), x.mean(1), atol=0.05, rtol=0)


def test_bad_input():
    with pytest.raises(ValueError, match="x"):
        _model()(torch.zeros(1, 1, 12, 12))
    with pytest.raises(ValueError, match="threshold"):
        V.rejection_sample(torch.tensor([[1.0, 0.0]]), 1.5)
    with pytest.raises(ValueError, match="probs"):
        V.rejection_sample(torch.tensor([[2.0, 0.0]]), 0.5)
    with pytest.raises(ValueError, match="x"):
        V.mean_pairwise_distance(torch.zeros(1, 3))
    with pytest.raises(ValueError, match="predicted"):
        V.class_entropy(torch.tensor([10]), 10)
    with pytest.raises(ValueError, match="size"):
        data.upsample_digits(torch.zeros(1, 64), 12)
    with pytest.raises(ValueError, match="bottom"):
        _model().decode_codes(torch.zeros(1, 2, 2, dtype=torch.long), torch.zeros(1, 2, 2, dtype=torch.long))
    with pytest.raises(ValueError, match="beta"):
        _model(beta=-1.0)
    with pytest.raises(ValueError, match="num_bottom_codes"):
        _model(num_bottom_codes=0)
    with pytest.raises(TypeError, match="model"):
        V.restart_dead_codes(torch.nn.Linear(2, 2), torch.zeros(1, 1, 16, 16))
    with pytest.raises(ValueError, match="x"):
        V.restart_dead_codes(_model(), torch.zeros(1, 1, 12, 12))
