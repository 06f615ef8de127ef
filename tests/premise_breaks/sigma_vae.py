"""Premise breaks for notebooks/sigma_vae.ipynb (see tests/test_claims_can_fail.py)."""

BREAKS = [
    # (a) a mismatched beta: beta = sigma^2 instead of 2 sigma^2, the gradients no longer agree
    dict(
        name="beta-equals-sigma-squared",
        line="BETA_OF = sigma_vae.equivalent_beta              # σ → β = 2σ²",
        broken="BETA_OF = lambda s: s**2                         # β = σ² (2를 빠뜨림)",
        fails={"(a)"},
    ),
    # (b), (c) no calibration: every sigma-VAE keeps its decoder sigma fixed at 1 (a hidden beta = 2)
    dict(
        name="sigma-fixed-at-one",
        line="    return sigma_vae.SigmaVAE(64, HIDDEN, LATENT, sigma_mode=kind, generator=g_init)",
        broken='    return sigma_vae.SigmaVAE(64, HIDDEN, LATENT, sigma_mode="fixed", generator=g_init)',
        fails={"(b)", "(c)"},
    ),
]
