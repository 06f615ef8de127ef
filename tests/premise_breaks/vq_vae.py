"""Premise breaks for notebooks/vq_vae.ipynb (van den Oord et al. 2017, arXiv 1711.00937)."""

BREAKS = [
    dict(
        name="no-straight-through",
        line="USE_STRAIGHT_THROUGH = True   # 논문의 straight-through 추정량 (False: 디코더의 기울기가 인코더에 닿지 않는다)",
        broken="USE_STRAIGHT_THROUGH = False   # 논문의 straight-through 추정량 (False: 디코더의 기울기가 인코더에 닿지 않는다)",
        fails={"(a)", "(b)", "(c)"},
    ),
    dict(
        name="two-codes",
        line="K = 32",
        broken="K = 2",
        fails={"(b)", "(c)"},
    ),
]
