"""Each chapter's claim check must be able to fail: break the paper's premise, and it does.

The chapter is executed as shipped except for one line (the premise), and the run must
stop with an AssertionError from the claim-check cell ("논문 주장 확인"), naming the claim.
As shipped, the same chapters pass (nbval runs them).
"""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"

BROKEN_PREMISES = {
    # A VAE whose KL term dominates (beta = 100) collapses: no ELBO progress, no class structure.
    "vae-posterior-collapse": (
        "vae",
        "BETA = 1.0                          # β = 1: 논문의 VAE 그대로",
        "BETA = 100.0                        # β = 1: 논문의 VAE 그대로",
        ["(b)", "(c)"],
    ),
    # A "sigma-VAE" whose decoder variance is fixed at 1 is an untuned beta-VAE again.
    "sigma-vae-fixed-sigma": (
        "sigma_vae",
        "    return sigma_vae.SigmaVAE(64, HIDDEN, LATENT, sigma_mode=kind, generator=g_init)",
        '    return sigma_vae.SigmaVAE(64, HIDDEN, LATENT, sigma_mode="fixed", generator=g_init)',
        ["(b)"],
    ),
    # A two-code codebook cannot reconstruct as well as a continuous code of the same size.
    "vq-vae-two-codes": ("vq_vae", "K = 32", "K = 2", ["(b)"]),
    # A prior sampled at a huge temperature is uniform noise over codes: no recognisable digits.
    "vq-vae2-flat-prior": ("vq_vae2", "TEMPERATURE = 1.0", "TEMPERATURE = 100.0", ["(b)"]),
    # Without NMS (threshold 1.0 keeps every box) duplicates stay and precision collapses.
    "faster-rcnn-no-nms": (
        "faster_rcnn",
        "NMS_IOU = 0.5   # 최종 검출의 클래스별 NMS 임계값",
        "NMS_IOU = 1.0   # 최종 검출의 클래스별 NMS 임계값",
        ["(c)", "(d)"],
    ),
    # Undistorted digits leave a spatial transformer nothing to undo.
    "stn-no-distortion": (
        "stn",
        "STRENGTH = 1.0          # 왜곡 강도: 0이면 왜곡 없음, 1이면 최대 60° 회전 + 확대/축소 + 이동",
        "STRENGTH = 0.0          # 왜곡 강도: 0이면 왜곡 없음, 1이면 최대 60° 회전 + 확대/축소 + 이동",
        ["(a)"],
    ),
    # RCA given another image's segmentation cannot predict this image's Dice.
    "rca-mismatched-prediction": (
        "rca",
        "results = [rca.rca(tests.images[i], predictions[i], refs.images, refs.masks) for i in range(len(predictions))]",
        "results = [rca.rca(tests.images[i], predictions[(i + 1) % len(predictions)], refs.images, refs.masks)"
        " for i in range(len(predictions))]",
        ["(a)"],
    ),
    # Distillation without dark knowledge: the "soft targets" are the one-hot labels.
    "distillation-one-hot-teacher": (
        "distillation",
        "        return teacher.soft_targets(x, T)",
        "        return torch.nn.functional.one_hot(y, 10).to(x.dtype)",
        ["(c)", "(d)"],
    ),
    # Margin losses without outliers: bounded losses have nothing to resist.
    "margin-losses-no-outliers": (
        "margin_losses",
        "OUTLIER_FRACTION = 0.1   # 학습 데이터의 이상치 비율 (0이면 이상치 없음)",
        "OUTLIER_FRACTION = 0.0   # 학습 데이터의 이상치 비율 (0이면 이상치 없음)",
        ["(c)"],
    ),
}


@pytest.mark.parametrize("case", BROKEN_PREMISES, ids=str)
def test_claim_check_fails_when_the_premise_is_broken(case):
    chapter, line, broken, claims = BROKEN_PREMISES[case]
    path = NOTEBOOKS / f"{chapter}.ipynb"
    nb = nbformat.read(path, as_version=4)
    hits = [cell for cell in nb.cells if cell.cell_type == "code" and line in cell.source.splitlines()]
    assert len(hits) == 1, f"the premise line {line!r} must be a whole line of exactly one code cell of {path.name}"
    hits[0].source = hits[0].source.replace(line, broken)

    with pytest.raises(CellExecutionError) as failure:
        NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    message = str(failure.value)
    assert "AssertionError" in message, message[-2000:]
    assert any(claim in message for claim in claims), f"expected a failing claim among {claims}: {message[-2000:]}"
