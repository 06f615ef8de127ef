"""Tests for paperlib.pixelcnn (gated PixelCNN, van den Oord et al. 2016, arXiv 1606.05328)."""

from __future__ import annotations

import pytest
import torch

from paperlib import runtime, train
from paperlib.latent import pixelcnn as P


def _receptive(conv_or_model, x, i, j, out_index=None):
    """Which input positions influence output (i, j): |d out[i, j] / d x| summed over channels."""
    x = x.clone().requires_grad_(True)
    out = conv_or_model(x)
    out[:, :, i, j].sum().backward()
    return x.grad.abs().sum(dim=(0, 1)) > 0  # (H, W)


@pytest.mark.parametrize("mask_type", ["A", "B"])
def test_masked_conv_receptive_field(mask_type):
    torch.manual_seed(0)
    conv = P.MaskedConv2d(2, 3, 3, mask_type)
    x = torch.randn(1, 2, 5, 5)
    i, j = 2, 2
    seen = _receptive(conv, x, i, j)
    future = torch.zeros(5, 5, dtype=torch.bool)
    for r in range(5):
        for c in range(5):
            future[r, c] = (r, c) > (i, j)  # raster order
    assert not (seen & future).any(), "a masked conv must not see the future"
    assert bool(seen[i, j]) == (mask_type == "B"), "type A hides the current position, type B sees it"
    assert seen[i - 1, j - 1] and seen[i, j - 1] and seen[i - 1, j + 1]  # the allowed past is used


def test_prior_logits_depend_only_on_the_past():
    """Stacked A then B layers: logits at (i, j) never depend on codes at or after (i, j)."""
    g = runtime.make_generator(0)
    prior = P.PixelCNNPrior(6, hidden=8, n_blocks=3, generator=g)
    codes = torch.randint(0, 6, (1, 4, 4), generator=g)
    base = prior(codes)
    for i in range(4):
        for j in range(4):
            changed = codes.clone()
            changed[0, i, j] = (changed[0, i, j] + 1) % 6
            diff = (prior(changed) - base).abs().sum(dim=1)[0]  # (H, W)
            for r in range(4):
                for c in range(4):
                    if (r, c) <= (i, j):
                        assert diff[r, c] == 0, f"logits at {(r, c)} saw the code at {(i, j)}"


def test_conditional_prior_uses_cond_and_gated_block_formula():
    g = runtime.make_generator(1)
    prior = P.PixelCNNPrior(5, hidden=8, n_blocks=2, cond_codes=3, generator=g)
    codes = torch.randint(0, 5, (2, 4, 4), generator=g)
    c1 = torch.zeros(2, 2, 2, dtype=torch.long)
    assert not torch.allclose(prior(codes, c1), prior(codes, c1 + 1))
    block = prior.blocks[0]
    x, s = torch.randn(2, 8, 4, 4, generator=g), torch.randn(2, 8, 4, 4, generator=g)
    h = block.conv(x) + block.cond(s)
    f, gg = h[:, :8], h[:, 8:]
    torch.testing.assert_close(block(x, s), x + block.out(torch.tanh(f) * torch.sigmoid(gg)))


def test_sampling_is_seeded_and_follows_a_peaked_prior():
    g = runtime.make_generator(2)
    prior = P.PixelCNNPrior(4, hidden=8, n_blocks=1, generator=g)
    a = P.sample_codes(prior, 5, (3, 3), generator=runtime.make_generator(7))
    b = P.sample_codes(prior, 5, (3, 3), generator=runtime.make_generator(7))
    assert torch.equal(a, b) and a.shape == (5, 3, 3) and a.dtype == torch.int64
    # train on a constant map: samples then reproduce it
    data = torch.full((64, 3, 3), 2, dtype=torch.long)
    train.fit(prior, P.prior_step, (data,), epochs=30, batch_size=64, lr=3e-2, generator=g, progress=False)
    s = P.sample_codes(prior, 20, (3, 3), generator=runtime.make_generator(8))
    assert (s == 2).float().mean() > 0.95
    assert P.prior_nll(prior, data).item() < 0.1


def test_bad_input():
    g = runtime.make_generator(0)
    with pytest.raises(ValueError, match="mask_type"):
        P.MaskedConv2d(1, 1, 3, "C")
    with pytest.raises(ValueError, match="kernel_size"):
        P.MaskedConv2d(1, 1, 4, "A")
    prior = P.PixelCNNPrior(4, hidden=4, n_blocks=1, generator=g)
    with pytest.raises(ValueError, match="codes"):
        prior(torch.full((1, 2, 2), 4))
    with pytest.raises(TypeError, match="codes"):
        prior(torch.zeros(1, 2, 2))
    with pytest.raises(ValueError, match="cond"):
        prior(torch.zeros(1, 2, 2, dtype=torch.long), torch.zeros(1, 1, 1, dtype=torch.long))
    cond_prior = P.PixelCNNPrior(4, hidden=4, n_blocks=1, cond_codes=2, generator=g)
    with pytest.raises(ValueError, match="cond"):
        cond_prior(torch.zeros(1, 2, 2, dtype=torch.long))
    with pytest.raises(ValueError, match="temperature"):
        P.sample_codes(prior, 2, (2, 2), generator=g, temperature=0)
    with pytest.raises(TypeError, match="generator"):
        P.sample_codes(prior, 2, (2, 2), generator=None)
    with pytest.raises(ValueError, match="num_codes"):
        P.PixelCNNPrior(0, generator=g)
