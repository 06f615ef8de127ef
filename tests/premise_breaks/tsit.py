"""Premise breaks for notebooks/tsit.ipynb (see tests/test_claims_can_fail.py)."""

BREAKS = [
    # (a), (c) the generator skips FAdaIN: the features keep their own channel statistics (the measured gap equals
    # the control's), and alpha has nothing to blend, so the style distance stays flat over alpha; (b) still holds
    dict(
        name="no-fadain",
        line="USE_FADAIN = True          # False: 생성자가 FAdaIN을 건너뜁니다 (스타일 통계가 들어올 길이 없음)",
        broken="USE_FADAIN = False",
        fails={"(a)", "(c)"},
    ),
    # (b) the content stream sees a blank image, so FADE's gamma and beta carry no shapes: the output's edges
    # no longer follow the content image's; FAdaIN still moves the statistics, so (a) and (c) hold
    dict(
        name="fade-without-content",
        line="FADE_SEES_CONTENT = True   # False: content stream에 0 이미지를 넣어 FADE가 내용을 받지 못합니다",
        broken="FADE_SEES_CONTENT = False",
        fails={"(b)"},
    ),
]
