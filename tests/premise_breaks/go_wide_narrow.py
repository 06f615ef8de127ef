"""Premise breaks for notebooks/go_wide_narrow.ipynb: each removes one idea of Zhou et al. 2020 (arXiv 2007.00811)."""

BREAKS = [
    dict(
        name="random-wide-teacher",  # stage 2 imitates an untrained wide net: same imitation, merge and fine-tuning, no learned teacher
        line="IMITATION_TEACHER = wide                      # 2단계에서 가는 망이 따라 할 넓은 망",
        broken="IMITATION_TEACHER = GWN.deep_mlp(D_IN, W_WIDE, DEPTH, N_CLASSES, generator=runtime.make_generator(1))",
        fails={"(a)", "(b)"},
    ),
]
