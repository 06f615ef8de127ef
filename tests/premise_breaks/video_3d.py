"""Premise breaks for notebooks/video_3d.ipynb (see tests/test_claims_can_fail.py)."""

BREAKS = [
    # (a) the intermediate width set naively to N_out instead of R(2+1)D's rule: the factorised block has 55% fewer
    # parameters than the 3-D block it should match
    dict(
        name="naive-midplanes",
        line="mid = V.midplanes(N_IN, N_OUT)          # R(2+1)D의 규칙: floor(t d² N_in N_out / (d² N_in + t N_out))",
        broken="mid = N_OUT",
        fails={"(a)"},
    ),
    # (b) I3D inflation without the 1/t: on a boring video every conv responds t times too strongly
    dict(
        name="inflate-without-dividing",
        line="i3d = V.inflate(frame_net, T_INFLATE)",
        broken="i3d = V.inflate(frame_net, T_INFLATE, divide=False)",
        fails={"(b)"},
    ),
    # (c) temporal kernel size 1: every VideoNet (the 3-D one included) is built as the frame model, which sees each
    # frame alone and cannot tell slow from fast motion on the wrap-around canvas
    dict(
        name="temporal-kernel-one",
        line="    return V.VideoNet(1, len(CLASSES), WIDTHS, kind=kind, generator=generator)",
        broken="    return V.VideoNet(1, len(CLASSES), WIDTHS, kind=\"2d\", generator=generator)",
        fails={"(c)"},
    ),
    # (d) alpha = 2: the Slow pathway samples every 2nd frame, where 2 px and 4 px steps stay distinct on the
    # 12-px torus (at alpha = 4, 4 px and 8 px = -4 px alias), so Slow-only resolves the speed and Fast adds nothing
    dict(
        name="alpha-two",
        line="ALPHA = 4                     # SlowFast의 프레임 속도 비: Slow는 매 α번째 프레임만 봅니다",
        broken="ALPHA = 2",
        fails={"(d)"},
    ),
]
