"""Premise breaks for notebooks/active_learning.ipynb (Munjal et al., arXiv 2002.09564)."""

BREAKS = [
    dict(
        name="one-initial-set",  # a single run repeated: one L0 and one training seed, so the seeds cannot disagree
        line="SEEDS = [0, 1, 2]",
        broken="SEEDS = [0, 0, 0]",
        fails={"(c)"},
    ),
    dict(
        name="informed-strategy",  # the strategy peeks at labels (the oracle): a real gain does not flip with the seed
        line='STRATEGIES = ["entropy", "bald", "coreset", "qbc"]',
        broken='STRATEGIES = ["oracle"]',
        fails={"(c)"},
    ),
]
