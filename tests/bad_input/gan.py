# ruff: noqa: E501  (a table: one wrong call per line reads best unwrapped)
"""Bad-input rows for paperlib.adversarial.gan."""

import torch

from bad_input import NAN, V_, T, bad, g, poison
from paperlib.adversarial import gan

G = gan.MLPGenerator(2, 2, (4,), generator=g())
G_C = gan.MLPGenerator(2, 2, (4,), cond_dim=3, generator=g())
D = gan.MLPDiscriminator(2, (4,), generator=g())
D_P = gan.MLPDiscriminator(2, (4,), cond_dim=3, conditioning="projection", generator=g())
CD = gan.ConvDiscriminator(3, (4,), generator=g())
OPT = torch.optim.SGD(D.parameters(), 0.1)
Z, X, C = torch.zeros(4, 2), torch.zeros(4, 2), torch.zeros(4, 3)
R, F_ = torch.zeros(4), torch.zeros(4)

ROWS = [
    bad("gan.MLPGenerator: noise_dim 0", gan.MLPGenerator, 0, 2, generator=g(), match="noise_dim must be a positive int"),
    bad("gan.MLPGenerator: out_dim str", gan.MLPGenerator, 2, "2", generator=g(), exc=T, match="out_dim must be a positive int"),
    bad("gan.MLPGenerator: cond_dim -1", gan.MLPGenerator, 2, 2, cond_dim=-1, generator=g(), match="cond_dim must be a non-negative int"),
    bad("gan.MLPGenerator: hidden empty", gan.MLPGenerator, 2, 2, (), generator=g(), match="hidden must"),
    bad("gan.MLPGenerator: generator", gan.MLPGenerator, 2, 2, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("gan.MLPGenerator.forward: z width", G, torch.zeros(4, 3), match=r"z must have shape \(B, 2\)"),
    bad("gan.MLPGenerator.forward: z NaN", G, poison(Z), match="z must be finite"),
    bad("gan.MLPGenerator.forward: cond given to unconditional", G, Z, C, match="cond must be None for an unconditional generator"),
    bad("gan.MLPGenerator.forward: cond missing", G_C, Z, match="cond is required"),
    bad("gan.MLPGenerator.forward: cond rows", G_C, Z, torch.zeros(3, 3), match=r"cond must have shape \(4, 3\)"),
    bad("gan.MLPDiscriminator: in_dim 0", gan.MLPDiscriminator, 0, generator=g(), match="in_dim must be a positive int"),
    bad("gan.MLPDiscriminator: conditioning", gan.MLPDiscriminator, 2, conditioning="sum", generator=g(), match="conditioning must be one of"),
    bad("gan.MLPDiscriminator: hidden 0", gan.MLPDiscriminator, 2, (0,), generator=g(), match="hidden"),
    bad("gan.MLPDiscriminator.forward: x width", D, torch.zeros(4, 3), match=r"x must have shape \(B, 2\)"),
    bad("gan.MLPDiscriminator.forward: cond NaN", D_P, X, poison(C), match="cond must be finite"),
    bad("gan.MLPDiscriminator.forward: cond missing", D_P, X, match="cond is required"),
    bad("gan.ConvDiscriminator: in_channels 0", gan.ConvDiscriminator, 0, generator=g(), match="in_channels must be a positive int"),
    bad("gan.ConvDiscriminator: widths empty", gan.ConvDiscriminator, 3, (), generator=g(), match="widths must"),
    bad("gan.ConvDiscriminator.forward: channels", CD, torch.zeros(1, 1, 8, 8), match="x must have 3 channels"),
    bad("gan.ConvDiscriminator.forward: rank", CD, torch.zeros(3, 8, 8), match=r"x must have shape \(B, 3, H, W\)"),
    bad("gan.ConvDiscriminator.forward: too small", CD, torch.zeros(1, 3, 1, 1), match="x must be at least 2 x 2 pixels"),
    bad("gan.ConvDiscriminator.forward: features str", CD, torch.zeros(1, 3, 8, 8), features="yes", exc=T, match="features must be a bool"),
    bad("gan.discriminator_loss: kind", gan.discriminator_loss, R, F_, "wasserstein", match="kind must be one of"),
    bad("gan.discriminator_loss: NaN real", gan.discriminator_loss, poison(R), F_, match="real_logits must be finite"),
    bad("gan.discriminator_loss: empty fake", gan.discriminator_loss, R, torch.zeros(0), match="fake_logits must hold at least one logit"),
    bad("gan.discriminator_loss: ints", gan.discriminator_loss, torch.zeros(4, dtype=torch.long), F_, exc=T, match="real_logits must be a floating-point tensor"),
    bad("gan.generator_loss: kind", gan.generator_loss, F_, "minimax", match="kind must be one of"),
    bad("gan.generator_loss: inf", gan.generator_loss, poison(F_, float("inf")), match="fake_logits must be finite"),
    bad("gan.discriminator_step: discriminator", gan.discriminator_step, "D", OPT, X, X, exc=T, match="discriminator must be a torch.nn.Module"),
    bad("gan.discriminator_step: optimizer", gan.discriminator_step, D, None, X, X, exc=T, match="optimizer must be a torch.optim.Optimizer"),
    bad("gan.discriminator_step: NaN fake", gan.discriminator_step, D, OPT, X, poison(X), match="fake must be finite"),
    bad("gan.discriminator_step: kind", gan.discriminator_step, D, OPT, X, X, kind="ls", match="kind must be one of"),
    bad("gan.generator_step: detached fake", gan.generator_step, D, OPT, X, match="fake must carry the generator's graph"),
    bad("gan.generator_step: NaN fake", gan.generator_step, D, OPT, torch.full((4, 2), NAN, requires_grad=True), match="fake must be finite"),
    bad("gan.generator_step: extra_loss shape", gan.generator_step, D, OPT, torch.zeros(4, 2, requires_grad=True), extra_loss=torch.zeros(2), match=r"extra_loss must have shape \(\)"),
    bad("gan.generator_step: optimizer", gan.generator_step, D, "adam", torch.zeros(4, 2, requires_grad=True), exc=T, match="optimizer must be a torch.optim.Optimizer"),
]
assert V_ is ValueError
