"""Premise breaks for notebooks/stn.ipynb (see tests/test_claims_can_fail.py)."""

BREAKS = [
    # (a), (b) no distortion: digits are already centred and upright, so the ST has nothing to undo; the
    # parameter-matched CNN is as good or better, and the ST output is no tidier than one fixed theta
    dict(
        name="no-distortion",
        line="STRENGTH = 1.0          # 왜곡 강도: 0이면 왜곡 없음, 1이면 최대 60° 회전 + 확대/축소 + 이동",
        broken="STRENGTH = 0.0          # 왜곡 없음 (premise break)",
        fails={"(a)", "(b)"},
    ),
    # (a), (b) theta no longer depends on the image (the localisation net's last weights stay at zero, theta = its bias):
    # the ST-CNN is the small CNN behind one learned global transform, and its output equals the mean-theta control
    dict(
        name="theta-ignores-input",
        line="ST_SEES_INPUT = True         # False: localisation net의 마지막 가중치를 0에 묶어 θ가 그림과 무관한 하나의 변환이 됩니다",
        broken="ST_SEES_INPUT = False",
        fails={"(a)", "(b)"},
    ),
]
