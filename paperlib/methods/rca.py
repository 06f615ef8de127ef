"""Reverse Classification Accuracy (Valindria et al. 2017, IEEE TMI, arXiv 1702.03407).

    dice                   the accuracy measure rho (Dice similarity coefficient, DSC)
    pixel_features         per-pixel features for the reverse classifier (intensity + local means)
    ReverseClassifier      section II-B: a simple per-pixel classifier F_{I,S_I} (logistic regression)
    atlas_forward          section II-B: atlas forwarding, I (with S_I) registered to each reference J_k
    fit_reverse_classifier train F_{I,S_I} on the single image I with its predicted segmentation S_I as labels
    rca                    section II-A: rho_bar(S_I) = max_k rho(F_{I,S_I}(J_k), S_{J_k}^GT) over a reference set
    shape_only_dice        the control (not in the paper): an image-free guess, S_I slid onto each reference mask

Toy data (scans with an organ-like shape, predictions of controlled quality): paperlib.data.organ_scans, degrade_masks.

Masks are (B, H, W) tensors holding only 0 and 1 (bool, int or float); images are (B, H, W)
floats; batch first. Dice convention: two empty masks agree perfectly, Dice = 1.
"""

from __future__ import annotations

from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from paperlib import checks, layers, train

__all__ = [
    "dice",
    "pixel_features",
    "ReverseClassifier",
    "reverse_step",
    "fit_reverse_classifier",
    "atlas_forward",
    "RCAResult",
    "rca",
    "shape_only_dice",
]


# --------------------------------------------------------------------------- checks
def _check_images(images: object, name: str) -> Tensor:
    return checks.tensor(images, name, dim=3, shape="(B, H, W)")


def _check_prediction(prediction: object, size: tuple[int, ...]) -> Tensor:
    """The predicted segmentation S_I: an (H, W) binary mask of the given size."""
    checks.tensor(prediction, "prediction", shape=tuple(size), floating=False)
    return checks.binary_mask(prediction, "prediction", dim=2, shape="(H, W)")


# --------------------------------------------------------------------------- rho
def dice(a: Tensor, b: Tensor) -> Tensor:
    """Dice similarity coefficient, the accuracy rho of arXiv 1702.03407: 2|A n B| / (|A| + |B|).

    a, b: binary masks (B, H, W) of the same shape. Returns (B,) float in [0, 1].
    Convention: if both masks are empty the prediction is perfect, Dice = 1; if exactly one is
    empty, Dice = 0. Symmetric in a and b.
    """
    checks.binary_mask(a, "a")
    checks.binary_mask(b, "b")
    checks.same_shape(a, b, "a", "b", floating=False)
    a, b = a.flatten(1).float(), b.flatten(1).float()  # (B, HW)
    inter = (a * b).sum(1)
    total = a.sum(1) + b.sum(1)
    return torch.where(total > 0, 2 * inter / total.clamp(min=1), torch.ones_like(total))


# --------------------------------------------------------------------------- the reverse classifier
FEATURE_WINDOWS = (3, 5, 9)


def pixel_features(images: Tensor, windows: tuple[int, ...] = FEATURE_WINDOWS) -> Tensor:
    """Per-pixel features: the intensity and its local means over k x k windows (odd k).

    images: (B, H, W) -> (B, H, W, 1 + len(windows)). Windows are clipped at the border
    (the mean of the pixels inside the image). These are the simple intensity features of
    our learned reverse classifier (the paper's learned classifiers use richer features).
    """
    _check_images(images, "images")
    checks.sequence(windows, "windows", checks.odd_int, what="odd positive ints")
    x = images.unsqueeze(1)  # (B, 1, H, W)
    feats = [x] + [F.avg_pool2d(x, k, stride=1, padding=k // 2, count_include_pad=False) for k in windows]
    return torch.cat(feats, dim=1).permute(0, 2, 3, 1)  # (B, H, W, F)


class ReverseClassifier(nn.Module):
    """The reverse classifier F_{I,S_I} of arXiv 1702.03407 section II-B, as logistic regression on pixel features.

    forward: images (B, H, W) -> foreground logits (B, H, W); ``segment`` thresholds at p = 1/2.
    """

    def __init__(self, n_features: int = 1 + len(FEATURE_WINDOWS), *, generator: torch.Generator):
        super().__init__()
        checks.positive_int(n_features, "n_features")
        self.linear = layers.small_linear(n_features, 1, std=0.1, generator=generator)

    def forward(self, features: Tensor) -> Tensor:
        checks.tensor(features, "features", shape=("*batch", self.linear.in_features))
        return self.linear(features).squeeze(-1)  # (..., F) -> (...)

    @torch.no_grad()
    def segment(self, images: Tensor) -> Tensor:
        """Binary segmentation (B, H, W) int64 of images (B, H, W)."""
        _check_images(images, "images")
        return (self(pixel_features(images)) > 0).long()


def reverse_step(model: nn.Module, batch) -> Tensor:
    """``fit`` step: binary cross-entropy of the pixel logits against the pseudo ground truth S_I.

    batch = (features (..., F), labels (...) in [0, 1])."""
    checks.function(model, "model")
    feats, labels = checks.batch(batch, 2, "(features, labels)")[:2]
    checks.tensor(labels, "labels", shape=tuple(feats.shape[:-1]))
    checks.values(labels, "labels", low=0, high=1)
    return F.binary_cross_entropy_with_logits(model(feats), labels)


def fit_reverse_classifier(
    image: Tensor, prediction: Tensor, *, generator: torch.Generator, epochs: int = 60, lr: float = 0.1
) -> ReverseClassifier:
    """Train F_{I,S_I} (arXiv 1702.03407 section II-A, step 1): the predicted S_I is used as if it were ground truth.

    image: (H, W); prediction: (H, W) binary. Full-batch Adam on the image's pixels via ``train.fit``.
    """
    checks.tensor(image, "image", dim=2, shape="(H, W)")
    _check_prediction(prediction, image.shape)
    feats = pixel_features(image.unsqueeze(0)).reshape(-1, 1 + len(FEATURE_WINDOWS))  # (HW, F)
    labels = prediction.reshape(-1).float()  # (HW,)
    model = ReverseClassifier(feats.shape[1], generator=generator)
    train.fit(model, reverse_step, (feats, labels), epochs=epochs, batch_size=len(feats), lr=lr, generator=generator, progress=False)
    return model


def _shifted_stack(x: Tensor, max_shift: int) -> Tensor:
    """All integer translations of x (H, W) by (dy, dx) in [-max_shift, max_shift]^2, zero-filled.

    Returns (S, H, W) with S = (2 max_shift + 1)^2, ordered row-major over (dy, dx).
    """
    h, w = x.shape
    padded = F.pad(x[None, None], (max_shift,) * 4)  # (1, 1, H + 2s, W + 2s)
    k = 2 * max_shift + 1
    windows = padded.unfold(2, h, 1).unfold(3, w, 1)  # (1, 1, k, k, H, W): window (a, b) = x moved by (s - a, s - b)
    return windows.reshape(k * k, h, w).flip(0)  # flip so that index 0 is (dy, dx) = (-s, -s)


def atlas_forward(image: Tensor, prediction: Tensor, ref_images: Tensor, *, max_shift: int = 10) -> Tensor:
    """Atlas forwarding, the registration-based reverse classifier of arXiv 1702.03407 section II-B.

    The test image I with its predicted S_I acts as a single atlas: I is registered to every
    reference J_k (here by the integer translation in [-max_shift, max_shift]^2 that maximises the
    normalised cross-correlation of the intensities), and S_I is carried along the same translation.
    image: (H, W); prediction: (H, W) binary; ref_images: (m, H, W). Returns F_{I,S_I}(J_k): (m, H, W) int64.
    """
    checks.tensor(image, "image", dim=2, shape="(H, W)")
    checks.tensor(ref_images, "ref_images (the size of image)", shape=("m", *image.shape))
    _check_prediction(prediction, image.shape)
    checks.positive_int(max_shift, "max_shift")
    moved = _shifted_stack(image.float(), max_shift).flatten(1)  # (S, HW)
    refs = ref_images.float().flatten(1)  # (m, HW)
    z = lambda v: (v - v.mean(1, keepdim=True)) / v.std(1, keepdim=True).clamp(min=1e-8)  # noqa: E731
    ncc = z(refs) @ z(moved).T / refs.shape[1]  # (m, S) normalised cross-correlation
    best = ncc.argmax(1)  # (m,) best translation per reference
    masks = _shifted_stack(prediction.float(), max_shift)  # (S, H, W)
    return masks[best].round().long()


class RCAResult(NamedTuple):
    """Output of :func:`rca`: the predicted Dice rho_bar, the index k of the best reference,
    every reference's Dice (m,), and the reverse classifier's segmentations of the references (m, H, W)."""

    predicted_dice: float
    best_reference: int
    reference_dice: Tensor
    reference_segmentations: Tensor


def rca(
    image: Tensor,
    prediction: Tensor,
    ref_images: Tensor,
    ref_masks: Tensor,
    *,
    method: str = "atlas",
    generator: torch.Generator | None = None,
    epochs: int = 60,
) -> RCAResult:
    """Reverse Classification Accuracy, arXiv 1702.03407 section II-A (Fig. 1):

    1. build a reverse classifier F_{I,S_I} from the test image I and its prediction S_I (no ground truth):
       method="atlas": atlas forwarding (:func:`atlas_forward`, deterministic);
       method="pixel": a per-pixel logistic regression (:func:`fit_reverse_classifier`, needs ``generator``);
    2. segment every reference image J_k (which has ground truth S_{J_k}^GT) with it;
    3. predicted accuracy rho_bar(S_I) = max_k Dice(F_{I,S_I}(J_k), S_{J_k}^GT).
    image: (H, W); prediction: (H, W) binary; ref_images: (m, H, W); ref_masks: (m, H, W) binary.
    """
    checks.choice(method, "method", ("atlas", "pixel"))
    _check_images(ref_images, "ref_images")
    checks.binary_mask(ref_masks, "ref_masks")
    checks.same_shape(ref_images, ref_masks, "ref_images", "ref_masks", floating=False)
    if len(ref_images) == 0:
        raise ValueError("ref_images must hold at least one reference (m >= 1), got 0")
    checks.tensor(image, "image (the size of the references)", shape=tuple(ref_images.shape[1:]))
    checks.generator(generator, optional=True)
    checks.positive_int(epochs, "epochs")
    if method == "atlas":
        segs = atlas_forward(image, prediction, ref_images)  # (m, H, W)
    elif method == "pixel":
        checks.generator(generator)
        segs = fit_reverse_classifier(image, prediction, generator=generator, epochs=epochs).segment(ref_images)
    else:
        raise ValueError(f"method must be 'atlas' or 'pixel', got {method!r}")
    scores = dice(segs, ref_masks)  # (m,)
    best = int(scores.argmax())
    return RCAResult(float(scores[best]), best, scores, segs)


def shape_only_dice(prediction: Tensor, ref_masks: Tensor, *, max_shift: int = 10) -> float:
    """The image-free control for RCA (arXiv 1702.03407 eq. for rho_bar, with the images taken out; not in the paper).

    It never looks at an image, neither the test image I nor the references J_k: the predicted
    S_I is moved by the integer translation in [-max_shift, max_shift]^2 that best fits each
    reference mask S_{J_k}^GT (highest Dice), and the best Dice over translations and references
    is the guess, max_k max_d Dice(S_I(. - d), S_{J_k}^GT). It rewards a prediction whose *shape*
    looks like some organ, so it scores eroded or dilated masks but cannot see a shifted one.
    prediction: (H, W) binary; ref_masks: (m, H, W) binary. Returns a float in [0, 1].
    """
    checks.binary_mask(ref_masks, "ref_masks")
    _check_prediction(prediction, ref_masks.shape[1:])
    checks.positive_int(max_shift, "max_shift")
    moved = _shifted_stack(prediction.float(), max_shift).flatten(1)  # (S, HW), every translation of S_I
    refs = ref_masks.float().flatten(1)  # (m, HW)
    inter = refs @ moved.T  # (m, S) overlap counts
    total = refs.sum(1, keepdim=True) + moved.sum(1)  # (m, S)
    scores = torch.where(total > 0, 2 * inter / total.clamp(min=1), torch.ones_like(total))  # Dice, empty-empty = 1
    return float(scores.max())
