"""Premise breaks for notebooks/rca.ipynb (see tests/test_claims_can_fail.py)."""

BREAKS = [
    # (a), (b), (c) RCA gets another test image than the one S_I was predicted on (mismatched image-prediction pairs):
    # the reverse classifier is built from a wrong pair, while the image-free control does not change
    dict(
        name="mismatched-image-prediction",
        line="    image_of = np.arange(n)     # RCA가 S_I와 함께 받는 영상: S_I를 낸 바로 그 영상 I (논문의 전제)",
        broken="    image_of = (np.arange(n) + 1) % n",
        fails={"(a)", "(b)", "(c)"},
    ),
]
