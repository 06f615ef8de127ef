"""Premise breaks for the PCRec chapter (see tests/test_claims_can_fail.py)."""

BREAKS = [
    dict(
        name="shared users cut: target users get other users' pre-trained embeddings",
        line="USER_MAP = torch.arange(USERS)         # 타깃 사용자 u ← 소스 사용자 u의 임베딩 (공유 사용자)",
        broken="USER_MAP = torch.randperm(USERS, generator=runtime.make_generator(1))",
        fails={"(a)", "(c)", "(d)"},
    ),
    dict(
        name="no contrastive pre-training: the encoder stays at its random initialisation",
        line="PRETRAIN_STEPS = 200                   # MoCo 사전학습 단계 수 (배치 32)",
        broken="PRETRAIN_STEPS = 0",
        fails={"(d)"},
    ),
    dict(
        name="temperature far too high: InfoNCE no longer asks the encoder to tell users apart",
        line="TAU = 0.1                              # InfoNCE 온도 τ",
        broken="TAU = 1000.0",
        fails={"(a)", "(d)"},
    ),
]
