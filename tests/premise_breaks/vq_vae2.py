"""Premise breaks of the vq_vae2 chapter (see tests/test_claims_can_fail.py)."""

BREAKS = [
    # The top code is one constant vector: no hierarchy. Swapping top codes changes nothing (a), the
    # two-level model is the bottom-only control (b), and the bottom prior has nothing to condition on (d).
    dict(
        name="constant-top-code",
        line="K_TOP = 32                      # top 코드북 크기 (1이면 top 코드가 상수: 계층이 없음)",
        broken="K_TOP = 1",
        fails={"(a)", "(b)", "(d)"},
    ),
    # A flat prior (temperature 100): samples are as good as uniform codes (c) and ignore the top (d).
    dict(
        name="flat-prior",
        line="TEMPERATURE = 1.0",
        broken="TEMPERATURE = 100.0",
        fails={"(c)", "(d)"},
    ),
    # Threshold 0 accepts every sample: the accepted set is the random subset (e, f).
    dict(
        name="accept-all",
        line="TAU = 0.9   # 주장 확인에 쓰는 임계값",
        broken="TAU = 0.0",
        fails={"(e)", "(f)"},
    ),
]
