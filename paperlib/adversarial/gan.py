"""The GAN pieces Part B shares: small generators and discriminators, the two losses, one D/G step pair.

Goodfellow et al., Generative Adversarial Nets, arXiv 1406.2661 (eq. 1 and the non-saturating
generator loss of section 3); the hinge loss of Lim & Ye, Geometric GAN, arXiv 1705.02894, as used
by SAGAN/BigGAN and hence IC-GAN and TSIT; projection conditioning of Miyato & Koyama,
cGANs with Projection Discriminator, arXiv 1802.05637 (eq. 3).

The chapters write their own outer loop (the alternation is their subject) and call
:func:`discriminator_step` then :func:`generator_step` inside it.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from paperlib import checks
from paperlib.layers import seeded_init_

__all__ = [
    "LOSSES", "MLPGenerator", "MLPDiscriminator", "ConvDiscriminator",
    "discriminator_loss", "generator_loss", "discriminator_step", "generator_step",
]

LOSSES = ("nonsaturating", "hinge")
CONDITIONINGS = ("concat", "projection")


def _hidden(hidden: object) -> tuple[int, ...]:
    return tuple(checks.sequence(hidden, "hidden", checks.positive_int, min_length=1, what="positive ints"))


def _stack(sizes: Sequence[int], activation: nn.Module) -> nn.Sequential:
    """Linear layers sizes[0] -> ... -> sizes[-1], each followed by ``activation``."""
    layers: list[nn.Module] = []
    for a, b in zip(sizes, sizes[1:]):
        layers += [nn.Linear(a, b), activation]
    return nn.Sequential(*layers)


def _check_cond(cond: Tensor | None, cond_dim: int, n: int, owner: str) -> None:
    if cond_dim == 0:
        if cond is not None:
            raise ValueError(f"cond must be None for an unconditional {owner} (cond_dim=0), got a tensor")
        return
    if cond is None:
        raise ValueError(f"cond is required: this {owner} was built with cond_dim={cond_dim}")
    checks.tensor(cond, "cond", shape=(n, cond_dim))


class MLPGenerator(nn.Module):
    """G(z | c): an MLP from noise (and a condition, concatenated as cGAN's joint input, arXiv 1411.1784) to R^out_dim.

    z: (B, noise_dim); cond: (B, cond_dim) (a one-hot label, an instance feature, ...) or None when
    cond_dim = 0. Hidden layers use ReLU; the output is linear. Weights from ``generator`` (seeded_init_).
    """

    def __init__(self, noise_dim: int, out_dim: int, hidden: Sequence[int] = (64, 64), *, cond_dim: int = 0,
                 generator: torch.Generator):
        super().__init__()
        self.noise_dim = checks.positive_int(noise_dim, "noise_dim")
        checks.positive_int(out_dim, "out_dim")
        self.cond_dim = checks.nonnegative_int(cond_dim, "cond_dim")
        hidden = _hidden(hidden)
        checks.generator(generator)
        self.body = _stack((noise_dim + cond_dim, *hidden), nn.ReLU())
        self.out = nn.Linear(hidden[-1], out_dim)
        seeded_init_(self, generator)

    def forward(self, z: Tensor, cond: Tensor | None = None) -> Tensor:
        checks.tensor(z, "z", shape=("B", self.noise_dim))
        _check_cond(cond, self.cond_dim, len(z), "generator")
        h = z if cond is None else torch.cat([z, cond], dim=1)  # (B, noise_dim + cond_dim)
        return self.out(self.body(h))  # (B, out_dim)


class MLPDiscriminator(nn.Module):
    """D(x | c) -> one logit per row; unconditional, concatenation (cGAN) or projection conditioning.

    features phi(x) = MLP(x) with LeakyReLU(0.2); output psi(phi) = w^T phi + b.
    - ``conditioning="concat"``: the condition joins the input, phi([x, c]) (Mirza & Osindero, arXiv 1411.1784).
    - ``conditioning="projection"``: D(x, c) = psi(phi(x)) + c^T V phi(x) (arXiv 1802.05637, eq. 3), where
      V (cond_dim x features) is learned; with a one-hot c it picks one embedding row, with an instance
      feature c (IC-GAN) it projects it.
    x: (B, in_dim); cond: (B, cond_dim) or None when cond_dim = 0. Returns (B,) logits (no sigmoid).
    """

    def __init__(self, in_dim: int, hidden: Sequence[int] = (64, 64), *, cond_dim: int = 0,
                 conditioning: str = "concat", generator: torch.Generator):
        super().__init__()
        self.in_dim = checks.positive_int(in_dim, "in_dim")
        self.cond_dim = checks.nonnegative_int(cond_dim, "cond_dim")
        self.conditioning = checks.choice(conditioning, "conditioning", CONDITIONINGS)
        hidden = _hidden(hidden)
        checks.generator(generator)
        joint = in_dim + (cond_dim if conditioning == "concat" else 0)
        self.features = _stack((joint, *hidden), nn.LeakyReLU(0.2))
        self.out = nn.Linear(hidden[-1], 1)
        self.embed = nn.Linear(cond_dim, hidden[-1], bias=False) if conditioning == "projection" and cond_dim else None
        seeded_init_(self, generator)

    def forward(self, x: Tensor, cond: Tensor | None = None) -> Tensor:
        checks.tensor(x, "x", shape=("B", self.in_dim))
        _check_cond(cond, self.cond_dim, len(x), "discriminator")
        if cond is not None and self.embed is None:  # concatenation
            x = torch.cat([x, cond], dim=1)
        phi = self.features(x)  # (B, hidden[-1])
        logit = self.out(phi).squeeze(1)  # (B,)
        if self.embed is not None:
            logit = logit + (self.embed(cond) * phi).sum(dim=1)  # c^T V phi(x)
        return logit


class ConvDiscriminator(nn.Module):
    """A small patch discriminator for images: stride-2 4x4 convs with LeakyReLU(0.2), then a 3x3 conv to one logit map.

    x: (B, in_channels, H, W) -> (B, 1, H / 2^L, W / 2^L) logits, L = len(widths). ``forward(x, features=True)``
    also returns the activation after each stride-2 block (for feature matching, e.g. pix2pixHD/TSIT).
    """

    def __init__(self, in_channels: int, widths: Sequence[int] = (32, 64), *, generator: torch.Generator):
        super().__init__()
        self.in_channels = checks.positive_int(in_channels, "in_channels")
        widths = tuple(checks.sequence(widths, "widths", checks.positive_int, min_length=1, what="positive ints"))
        checks.generator(generator)
        chans = (in_channels, *widths)
        self.blocks = nn.ModuleList(
            nn.Sequential(nn.Conv2d(a, b, 4, stride=2, padding=1), nn.LeakyReLU(0.2)) for a, b in zip(chans, chans[1:])
        )
        self.out = nn.Conv2d(widths[-1], 1, 3, padding=1)
        self.min_size = 2 ** len(widths)
        seeded_init_(self, generator)

    def forward(self, x: Tensor, features: bool = False) -> Tensor | tuple[Tensor, list[Tensor]]:
        checks.tensor(x, "x", dim=4, shape=f"(B, {self.in_channels}, H, W)")
        if x.shape[1] != self.in_channels:
            raise ValueError(f"x must have {self.in_channels} channels (B, {self.in_channels}, H, W), got {tuple(x.shape)}")
        if min(x.shape[2:]) < self.min_size:
            raise ValueError(f"x must be at least {self.min_size} x {self.min_size} pixels, got {tuple(x.shape[2:])}")
        checks.boolean(features, "features")
        acts = []
        for block in self.blocks:
            x = block(x)
            acts.append(x)
        logits = self.out(x)  # (B, 1, h, w)
        return (logits, acts) if features else logits


def _check_logits(t: Tensor, name: str) -> None:
    checks.tensor(t, name)
    if t.numel() == 0:
        raise ValueError(f"{name} must hold at least one logit, got shape {tuple(t.shape)}")


def discriminator_loss(real_logits: Tensor, fake_logits: Tensor, kind: str = "nonsaturating") -> Tensor:
    """The discriminator's loss, averaged over every logit (any shape; patch maps included).

    - ``"nonsaturating"``: -log sigmoid(D(x)) - log(1 - sigmoid(D(G(z)))) = softplus(-D(x)) + softplus(D(G(z)))
      (the negative of eq. 1's value, arXiv 1406.2661).
    - ``"hinge"``: max(0, 1 - D(x)) + max(0, 1 + D(G(z))) (arXiv 1705.02894; IC-GAN, TSIT).
    """
    _check_logits(real_logits, "real_logits")
    _check_logits(fake_logits, "fake_logits")
    kind = checks.choice(kind, "kind", LOSSES)
    if kind == "hinge":
        return F.relu(1 - real_logits).mean() + F.relu(1 + fake_logits).mean()
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()


def generator_loss(fake_logits: Tensor, kind: str = "nonsaturating") -> Tensor:
    """The generator's loss on D's logits for its samples, averaged over every logit.

    - ``"nonsaturating"``: -log sigmoid(D(G(z))) = softplus(-D(G(z))) (section 3 of arXiv 1406.2661:
      maximise log D(G(z)) instead of minimising log(1 - D(G(z))), which saturates early in training).
    - ``"hinge"``: -D(G(z)) (the generator side of the hinge GAN).
    """
    _check_logits(fake_logits, "fake_logits")
    kind = checks.choice(kind, "kind", LOSSES)
    return -fake_logits.mean() if kind == "hinge" else F.softplus(-fake_logits).mean()


def _call(discriminator: nn.Module, x: Tensor, cond: Tensor | None) -> Tensor:
    return discriminator(x) if cond is None else discriminator(x, cond)


def _check_step(discriminator: object, optimizer: object) -> None:
    checks.instance(discriminator, "discriminator", nn.Module, "a torch.nn.Module")
    checks.instance(optimizer, "optimizer", torch.optim.Optimizer, "a torch.optim.Optimizer")


def discriminator_step(discriminator: nn.Module, optimizer: torch.optim.Optimizer, real: Tensor, fake: Tensor, *,
                       kind: str = "nonsaturating", real_cond: Tensor | None = None,
                       fake_cond: Tensor | None = None) -> float:
    """One update of D: minimise :func:`discriminator_loss` on a real and a fake batch; returns the loss.

    ``fake`` is detached (the generator is not updated here). Conditions, when given, are passed
    as D's second argument. ``optimizer`` must hold D's parameters.
    """
    _check_step(discriminator, optimizer)
    checks.tensor(real, "real")
    checks.tensor(fake, "fake")
    loss = discriminator_loss(_call(discriminator, real, real_cond), _call(discriminator, fake.detach(), fake_cond), kind)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return loss.item()


def generator_step(discriminator: nn.Module, optimizer: torch.optim.Optimizer, fake: Tensor, *,
                   kind: str = "nonsaturating", cond: Tensor | None = None, extra_loss: Tensor | None = None) -> float:
    """One update of G: minimise :func:`generator_loss` (plus ``extra_loss``, e.g. feature matching); returns the total.

    ``fake`` must carry the generator's graph; ``optimizer`` must hold G's parameters. D's parameters
    receive gradients too but are not stepped (:func:`discriminator_step` clears them before its update).
    """
    _check_step(discriminator, optimizer)
    checks.tensor(fake, "fake")
    if not fake.requires_grad:
        raise ValueError("fake must carry the generator's graph (requires_grad=True); do not detach it for the G step")
    loss = generator_loss(_call(discriminator, fake, cond), kind)
    if extra_loss is not None:
        checks.tensor(extra_loss, "extra_loss", shape=())
        loss = loss + extra_loss
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    return loss.item()
