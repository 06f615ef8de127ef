"""Premise breaks for notebooks/faster_rcnn.ipynb (see tests/test_claims_can_fail.py)."""

BREAKS = [
    # (a) the "paper" anchors lose their ratios: 3 scales of square anchors (K = 9 with repeats) cover no more
    # than 9 square scales, so the mixed design no longer beats the best one-kind design of equal K
    dict(
        name="anchors-of-one-shape",
        line="PAPER_SCALES, PAPER_RATIOS = (10, 16, 26), (0.5, 1.0, 2.0)      # 논문의 설계: scale 3개 × ratio 3개",
        broken="PAPER_SCALES, PAPER_RATIOS = (10, 16, 26), (1.0, 1.0, 1.0)      # premise break: 모양이 하나",
        fails={"(a)"},
    ),
    # (b) the proposals measured come from the RPN before training: no learned objectness, no learned regression
    dict(
        name="untrained-rpn",
        line="learned = faster_rcnn.propose(model, X_TEST, n=max(N_GRID))",
        broken="learned = faster_rcnn.propose(untrained, X_TEST, n=max(N_GRID))",
        fails={"(b)"},
    ),
    # (c) the RPN's box regression is switched off: the detector sees the anchors themselves as proposals
    dict(
        name="no-rpn-regression",
        line="RPN_REGRESSION = True   # False: RPN의 상자 보정을 끄고 anchor를 그대로 proposal로 씀",
        broken="RPN_REGRESSION = False",
        fails={"(c)"},
    ),
    # (d) no proposal NMS (IoU threshold 1.0 keeps every box): the top 10 are no more varied than without NMS
    dict(
        name="no-proposal-nms",
        line="PROPOSAL_NMS_IOU = 0.7   # 논문 3.3절: proposal의 NMS 임계값 (1.0이면 NMS 없음)",
        broken="PROPOSAL_NMS_IOU = 1.0",
        fails={"(d)"},
    ),
]
