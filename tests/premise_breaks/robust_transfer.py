"""Premise breaks for notebooks/robust_transfer.ipynb (see tests/test_claims_can_fail.py)."""

BREAKS = [
    # (a), (c), (e), (f), (g) "robust" sources trained at ε = 0: every ε of the grid gives the same ordinary source
    # (same seed, same data order), so it is no more robust, transfers no better and no worse, and loses no accuracy
    dict(
        name="eps-zero-robust-sources",
        line='ADV_TRAIN = True                        # False: 모든 ε에서 보통 학습 (ε = 0 "강건" 소스)',
        broken="ADV_TRAIN = False",
        fails={"(a)", "(c)", "(e)", "(f)", "(g)"},
    ),
    # (b) no gradient ascent: the "attack" is PGD's random start alone, far from the linear model's worst case
    dict(
        name="no-pgd-steps",
        line="PGD_CHECK_STEPS = 20          # 선형 모델 검산에 쓰는 PGD 단계 수 (0이면 무작위 시작점뿐)",
        broken="PGD_CHECK_STEPS = 0",
        fails={"(b)"},
    ),
]
