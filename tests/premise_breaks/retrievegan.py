"""Premise breaks for notebooks/retrievegan.ipynb (see tests/test_claims_can_fail.py)."""

BREAKS = [
    # (a) the retrieval is a plain argmax (same forward picks, no gradient): the downstream loss can no longer
    # reach the selector, so the "gumbel" runs stay at chance like the control. (b) still holds: the GT loss
    # acts on the scores directly, not through the Gumbel path.
    dict(
        name="argmax-retrieval",
        line='SELECTION = "hard"    # 학습 때의 선택: "hard" = straight-through Gumbel-softmax, "argmax" = 기울기 없는 보통의 검색',
        broken='SELECTION = "argmax"  # premise break: 기울기 없는 검색',
        fails={"(a)"},
    ),
    # (b) without the ground-truth selection loss the "gt" runs are the downstream-only runs
    dict(
        name="no-gt-selection-loss",
        line='GT_WEIGHT = 1.0       # ground-truth selection loss의 가중치 ("gt" 조건에서만 씀)',
        broken="GT_WEIGHT = 0.0       # premise break: GT 선택 손실 없음",
        fails={"(b)"},
    ),
    # (c) without Gumbel noise the relaxation is a deterministic tempered softmax: lowering tau still sharpens it,
    # but the gradient no longer varies between draws, so there is no variance price to measure
    dict(
        name="no-gumbel-noise",
        line="noise = rg.gumbel_noise((R_DRAWS * N_SCENES, N_OBJ, K), generator=runtime.make_generator(7))   # 모든 τ에 같은 잡음",
        broken="noise = torch.zeros(R_DRAWS * N_SCENES, N_OBJ, K)   # premise break: Gumbel 잡음 없음",
        fails={"(c)"},
    ),
]
