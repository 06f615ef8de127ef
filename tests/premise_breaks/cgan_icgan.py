"""Premise breaks for notebooks/cgan_icgan.ipynb (see tests/test_claims_can_fail.py)."""

BREAKS = [
    # (a) the cGAN's labels are shuffled against the points: y carries no information about x, so G
    # cannot learn to follow it and the classifier agrees with the requested label at chance (~1/25)
    dict(
        name="labels-shuffled",
        line="LABELS = y_train                                                   # cGAN이 받는 라벨",
        broken="LABELS = y_train[torch.randperm(N_TRAIN, generator=runtime.make_generator(9))]",
        fails={"(a)"},
    ),
    # (b), (c) the instance features are permuted: the condition h still differs per instance but has nothing
    # to do with its neighbourhood A_i, so IC-GAN is an unconditional GAN with three more noise inputs;
    # its samples for i land anywhere (b) and it covers no more modes than the unconditional GAN (c)
    dict(
        name="features-permuted",
        line="H_COND = features                                                  # IC-GAN이 받는 instance 특징 (이웃 표는 features로 만듭니다)",
        broken="H_COND = features[torch.randperm(N_TRAIN, generator=runtime.make_generator(9))]",
        fails={"(b)", "(c)"},
    ),
]
