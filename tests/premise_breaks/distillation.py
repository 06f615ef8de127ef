"""Premise breaks for notebooks/distillation.ipynb: each removes one idea of Hinton et al. 2015 (arXiv 1503.02531)."""

BREAKS = [
    dict(
        name="no-T-squared",  # the soft term without its T^2 factor: gradients shrink like 1/T^2 again
        line="    (g_scaled,) = torch.autograd.grad(out.soft, z2)",
        broken="    (g_scaled,) = torch.autograd.grad(out.soft / T**2, z2)",
        fails={"(a)"},
    ),
    dict(
        name="no-zero-mean-logits",  # eq. (4) needs zero-mean logits; without centring the error stays ~0.9
        line="    return logits - logits.mean(dim=1, keepdim=True)   # 논문 식 (4)의 가정: 예제마다 logit 평균 0",
        broken="    return logits",
        fails={"(b)"},
    ),
    dict(
        name="T-main-1",  # no temperature: the main student distils at T = 1
        line="ALPHA, T_MAIN = 0.5, 4",
        broken="ALPHA, T_MAIN = 0.5, 1",
        fails={"(c)", "(d)", "(e)"},
    ),
    dict(
        name="one-hot-teacher",  # the teacher's soft targets replaced by the labels' one-hot vectors
        line="        return teacher.soft_targets(x, T)",
        broken="        return F.one_hot(y, 10).float()",
        fails={"(c)", "(d)", "(e)"},
    ),
]
