"""Premise breaks for notebooks/jem.ipynb (see tests/test_claims_can_fail.py)."""

BREAKS = [
    # (b), (c), (d) SGLD without its gradient term (alpha = 0, noise only): the chains stay at their noise
    # start, so their energy does not fall and they come no closer to the data than the start or than the
    # CE classifier's equally frozen chains
    dict(
        name="sgld-without-gradient",
        line="SGLD_STEP = 0.1            # SGLD 걸음 크기 α (0이면 기울기 항이 사라지고 잡음만 남습니다)",
        broken="SGLD_STEP = 0.0            # premise break: 잡음만 남은 SGLD",
        fails={"(b)", "(c)", "(d)"},
    ),
    # (c), (d) training without the log p(x) term: the "JEM" is a cross-entropy classifier whose energy sends
    # SGLD chains away from the data; (b) still holds, since any energy falls along its own gradient
    dict(
        name="no-log-px-term",
        line="PX_WEIGHT = 1.0            # log p(x) 항의 가중치: 0이면 cross-entropy만 남습니다",
        broken="PX_WEIGHT = 0.0            # premise break: cross-entropy만",
        fails={"(c)", "(d)"},
    ),
    # (a) a class-dependent shift is not the softmax's free offset: p(y|x) moves
    dict(
        name="class-dependent-shift",
        line="shifted = logits64 + c[:, None]                                                  # 모든 클래스에 같은 c(x)",
        broken="shifted = logits64 + c[:, None] * torch.arange(logits64.shape[1])   # premise break: 클래스마다 다른 이동",
        fails={"(a)"},
    ),
]
