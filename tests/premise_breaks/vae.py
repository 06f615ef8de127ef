"""Premise breaks for notebooks/vae.ipynb (see tests/test_claims_can_fail.py)."""

BREAKS = [
    # (a) the closed-form KL without its log-variance term: the comparison with Monte Carlo and torch must catch it
    dict(
        name="kl-without-log-var",
        line="kl_closed = vae.gaussian_kl(post_mean, post_log_var)",
        broken="kl_closed = kl_without_log_var(post_mean, post_log_var)",
        fails={"(a)"},
    ),
    # (b), (c) posterior collapse: with beta = 100 the encoder ignores x, so the latent variable explains nothing
    dict(
        name="posterior-collapse-beta-100",
        line="BETA = 1.0                          # β = 1: 논문의 VAE 그대로",
        broken="BETA = 100.0                        # β = 100: posterior collapse",
        fails={"(b)", "(c)"},
    ),
]
