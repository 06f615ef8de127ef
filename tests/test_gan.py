"""The shared GAN pieces (paperlib.adversarial.gan) against second computations."""

import torch
import torch.nn.functional as F

from paperlib import runtime
from paperlib.adversarial import gan


def g(seed=0):
    return runtime.make_generator(seed)


def test_losses_match_their_formulas():
    r, f = torch.randn(7, generator=g(1), dtype=torch.float64), torch.randn(7, generator=g(2), dtype=torch.float64)
    sig = torch.sigmoid
    assert torch.allclose(gan.discriminator_loss(r, f), -(sig(r).log().mean() + (1 - sig(f)).log().mean()))
    assert torch.allclose(gan.generator_loss(f), -sig(f).log().mean())
    assert torch.allclose(gan.discriminator_loss(r, f, "hinge"), torch.clamp(1 - r, min=0).mean() + torch.clamp(1 + f, min=0).mean())
    assert torch.allclose(gan.generator_loss(f, "hinge"), -f.mean())


def test_losses_average_over_patch_maps():
    r, f = torch.randn(2, 1, 3, 3, generator=g(1)), torch.randn(2, 1, 3, 3, generator=g(2))
    assert torch.allclose(gan.discriminator_loss(r, f, "hinge"), gan.discriminator_loss(r.flatten(), f.flatten(), "hinge"))


def test_projection_discriminator_is_psi_plus_inner_product():
    D = gan.MLPDiscriminator(2, (5,), cond_dim=3, conditioning="projection", generator=g())
    x, c = torch.randn(4, 2, generator=g(1)), F.one_hot(torch.tensor([0, 2, 1, 2]), 3).float()
    phi = D.features(x)
    manual = D.out(phi).squeeze(1) + (phi * D.embed.weight.T[[0, 2, 1, 2]]).sum(1)  # one-hot c picks row y of V^T
    assert torch.allclose(D(x, c), manual, atol=1e-6)


def test_concat_conditioning_reads_the_condition():
    G = gan.MLPGenerator(2, 2, (8,), cond_dim=3, generator=g())
    D = gan.MLPDiscriminator(2, (8,), cond_dim=3, generator=g())
    z, x = torch.randn(5, 2, generator=g(1)), torch.randn(5, 2, generator=g(2))
    c0, c1 = F.one_hot(torch.zeros(5, dtype=torch.long), 3).float(), F.one_hot(torch.ones(5, dtype=torch.long), 3).float()
    assert G.body[0].in_features == 5 and D.features[0].in_features == 5
    assert not torch.allclose(G(z, c0), G(z, c1)) and not torch.allclose(D(x, c0), D(x, c1))


def test_same_seed_same_weights():
    a, b = gan.MLPGenerator(2, 2, generator=g(4)), gan.MLPGenerator(2, 2, generator=g(4))
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))


def test_conv_discriminator_shapes_and_features():
    D = gan.ConvDiscriminator(3, (4, 8), generator=g())
    logits, feats = D(torch.rand(2, 3, 16, 16, generator=g(1)), features=True)
    assert logits.shape == (2, 1, 4, 4) and [f.shape for f in feats] == [(2, 4, 8, 8), (2, 8, 4, 4)]
    assert torch.equal(D(torch.ones(1, 3, 8, 8)), D(torch.ones(1, 3, 8, 8), features=True)[0])


def test_each_step_moves_only_its_own_player():
    G = gan.MLPGenerator(2, 2, (8,), generator=g())
    D = gan.MLPDiscriminator(2, (8,), generator=g(1))
    og, od = torch.optim.SGD(G.parameters(), 0.1), torch.optim.SGD(D.parameters(), 0.1)
    real = torch.randn(16, 2, generator=g(2))
    z = torch.randn(16, 2, generator=g(3))
    g0, d0 = [p.clone() for p in G.parameters()], [p.clone() for p in D.parameters()]
    fake = G(z)
    loss_d = gan.discriminator_step(D, od, real, fake)
    assert all(torch.equal(p, q) for p, q in zip(G.parameters(), g0))
    assert not all(torch.equal(p, q) for p, q in zip(D.parameters(), d0))
    # the D step went down its own gradient: the loss on the same batch is lower now
    assert gan.discriminator_loss(D(real), D(fake.detach())).item() < loss_d
    d1 = [p.clone() for p in D.parameters()]
    gan.generator_step(D, og, fake)
    assert all(torch.equal(p, q) for p, q in zip(D.parameters(), d1))
    assert not all(torch.equal(p, q) for p, q in zip(G.parameters(), g0))


def test_generator_step_adds_the_extra_loss():
    G = gan.MLPGenerator(2, 2, (8,), generator=g())
    D = gan.MLPDiscriminator(2, (8,), generator=g(1))
    z = torch.randn(4, 2, generator=g(2))
    fake = G(z)
    adv = gan.generator_loss(D(fake)).item()
    total = gan.generator_step(D, torch.optim.SGD(G.parameters(), 0.0), fake, extra_loss=fake.pow(2).mean())
    assert abs(total - (adv + fake.pow(2).mean().item())) < 1e-6


def test_a_small_gan_learns_the_ring():
    """End to end: 1500 alternating steps cover most of the 8-mode ring (mode_coverage, not by construction)."""
    from paperlib import data, metrics

    gen = runtime.make_generator(0)
    mix = data.gaussian_ring(2000, generator=gen)
    G, D = gan.MLPGenerator(2, 2, generator=gen), gan.MLPDiscriminator(2, generator=gen)
    og = torch.optim.Adam(G.parameters(), 1e-3, betas=(0.5, 0.999))
    od = torch.optim.Adam(D.parameters(), 1e-3, betas=(0.5, 0.999))
    before = metrics.mode_coverage(G(torch.randn(1000, 2, generator=gen)).detach(), mix.centers, mix.std)
    for _ in range(1500):
        fake = G(torch.randn(128, 2, generator=gen))
        gan.discriminator_step(D, od, mix.x[torch.randint(0, 2000, (128,), generator=gen)], fake)
        gan.generator_step(D, og, fake)
    after = metrics.mode_coverage(G(torch.randn(1000, 2, generator=gen)).detach(), mix.centers, mix.std)
    assert after.high_quality > before.high_quality + 0.1 and after.covered >= 4
