"""Premise breaks for notebooks/margin_losses.ipynb: each removes one idea the chapter's claims rest on."""

BREAKS = [
    dict(
        name="upstream-trait-table",  # declare LossFunctions.jl's traits instead of ours (ZeroOne, DWD cells differ)
        line="declared = lambda loss: loss.properties._asdict()   # 이 책이 paperlib에 선언한 성질표",
        broken="declared = lambda loss: ml.LOSSFUNCTIONS_JL_TRAITS[loss.name]",
        fails={"(a)"},
    ),
    dict(
        name="identity-at-gamma-1",  # ModifiedHuber = 4 x SmoothedL1Hinge holds only at gamma = 2
        line="IDENTITY_GAMMA = 2.0",
        broken="IDENTITY_GAMMA = 1.0",
        fails={"(b)"},
    ),
    dict(
        name="no-outliers",  # without far outliers every trainable loss reaches the Bayes accuracy
        line="OUTLIER_FRACTION = 0.1   # 학습 데이터의 이상치 비율 (0이면 이상치 없음)",
        broken="OUTLIER_FRACTION = 0.0   # 학습 데이터의 이상치 비율 (0이면 이상치 없음)",
        fails={"(c)", "(d)"},
    ),
    dict(
        name="quadratic-piece-covers-0",  # gamma >= 1: the quadratic piece [1 - gamma, 1] gives curvature at a = 0
        line="GAMMA_LINEAR = 0.5",
        broken="GAMMA_LINEAR = 1.5",
        fails={"(d)"},
    ),
]
