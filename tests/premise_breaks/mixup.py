"""Premise breaks for notebooks/mixup.ipynb: each removes one idea of Carratino et al. (arXiv 2006.06049)."""

BREAKS = [
    dict(
        name="lambda-fixed-at-1",  # λ = 1: every example is mixed with nothing, mixup becomes plain ERM
        line="    return mixup.mixup_step(alpha, n_classes, generator=generator)",
        broken="    return mixup.mixup_step(alpha, n_classes, generator=generator, lam=1.0)",
        fails={"(a)", "(b)", "(d)"},
    ),
    dict(
        name="no-perturbations",  # ERM on the shrunk data only: drop delta and eps from the reformulation
        line="    return r.x_tilde + r.delta, r.y_tilde + r.eps",
        broken="    return r.x_tilde, r.y_tilde",
        fails={"(c)"},
    ),
    dict(
        name="no-test-time-transformation",  # predict on the raw test inputs, logits left as they are
        line="    return mixup.rescaled_logits(net, x, stats)",
        broken="    return net(x)",
        fails={"(d)"},
    ),
]
