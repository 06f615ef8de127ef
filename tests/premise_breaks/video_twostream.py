"""Premise breaks for notebooks/video_twostream.ipynb (see tests/test_claims_can_fail.py)."""

BREAKS = [
    # (a)-(d) no motion estimate: every Horn-Schunck and MotionNet flow is replaced by zeros. The temporal stream
    # falls to chance, fusion is the spatial stream alone, TSN and the contiguous clip both see nothing, and
    # MotionNet's warping error equals the zero-flow control.
    dict(
        name="flow-zeros",
        line="USE_FLOW = True             # False: Horn–Schunck·MotionNet flow를 모두 0으로 바꿉니다 (움직임 정보를 지우는 premise break)",
        broken="USE_FLOW = False",
        fails={"(a)", "(b)", "(c)", "(d)"},
    ),
    # (c) all K snippets drawn from one segment (one contiguous clip): TSN becomes its own control
    dict(
        name="snippets-from-one-segment",
        line="SPARSE = True                                     # False: K개 snippet을 모두 한 segment(한 구간)에서 뽑습니다 (premise break)",
        broken="SPARSE = False",
        fails={"(c)"},
    ),
]
