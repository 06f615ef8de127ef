"""Object-detection ops of the R-CNN family (Faster R-CNN, Ren et al. 2015, arXiv 1506.01497).

    make_anchors           section 3.1.1: K = len(scales) * len(ratios) anchors per feature position
    box_iou                intersection over union, (N, 4) x (M, 4) -> (N, M)
    encode_boxes           eq. (2): t_x = (x - x_a) / w_a, t_y, t_w = log(w / w_a), t_h
    decode_boxes           the inverse of eq. (2)
    nms                    greedy non-maximum suppression (R-CNN section 2.2)
    batched_nms            the same, per class (boxes of different classes never suppress each other)
    label_anchors          section 3.1.2: IoU >= 0.7 positive, < 0.3 negative, best anchor per box positive
    sample_labels          section 3.1.3: balanced mini-batch of anchors (up to 1:1 positives:negatives)
    hard_negative_mining   R-CNN / Fast R-CNN background: keep the highest-scoring negatives

Boxes are (N, 4) float tensors in xyxy pixel coordinates (x1, y1, x2, y2) with x2 >= x1 and
y2 >= y1; width = x2 - x1 (continuous coordinates, no "+1"). Anchor labels are int64:
1 positive, 0 negative, -1 ignored.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import torch
from torch import Tensor

from paperlib import checks

__all__ = [
    "anchor_shapes",
    "make_anchors",
    "box_iou",
    "encode_boxes",
    "decode_boxes",
    "clip_boxes",
    "nms",
    "batched_nms",
    "AnchorLabels",
    "label_anchors",
    "sample_labels",
    "hard_negative_mining",
]

BBOX_CLIP = math.log(1000.0 / 16)  # cap on t_w, t_h before exp (as in the reference code)


# --------------------------------------------------------------------------- checks
def _check_scores(scores: object, n: int, name: str = "scores") -> Tensor:
    return checks.tensor(scores, f"{name} (one per box)", shape=(n,))


def _positive_list(values: Sequence[float], name: str) -> list[float]:
    return checks.sequence(values, name, checks.positive_real, what="positive numbers")


# --------------------------------------------------------------------------- anchors (3.1.1)
def anchor_shapes(scales: Sequence[float], ratios: Sequence[float]) -> Tensor:
    """Anchor widths and heights, arXiv 1506.01497 section 3.1.1: K = len(scales) * len(ratios).

    scales: anchor side lengths sqrt(w * h) in pixels (the paper: 128, 256, 512).
    ratios: aspect ratios h / w (the paper: 0.5, 1, 2); each keeps the area scale**2.
    Returns (K, 2) = (w, h), ordered scale-major (all ratios of scales[0] first).
    """
    scales = _positive_list(scales, "scales")
    ratios = _positive_list(ratios, "ratios")
    s = torch.tensor(scales, dtype=torch.float32)[:, None]  # (S, 1)
    r = torch.tensor(ratios, dtype=torch.float32)[None, :]  # (1, R)
    w = s / r.sqrt()  # w * h = s^2, h / w = r
    h = s * r.sqrt()
    return torch.stack([w.reshape(-1), h.reshape(-1)], dim=1)  # (K, 2)


def make_anchors(feature_size: tuple[int, int], stride: float, scales: Sequence[float], ratios: Sequence[float]) -> Tensor:
    """All anchors over a feature grid, arXiv 1506.01497 section 3.1.1 ("translation-invariant anchors").

    feature_size: (H, W) of the feature map; stride: image pixels per feature cell. Anchor k at
    cell (i, j) is centred at ((j + 0.5) * stride, (i + 0.5) * stride) with shape anchor_shapes()[k].
    Returns (H * W * K, 4) xyxy, ordered (i, j, k), i.e. the layout of a (H, W, K) tensor.
    """
    H, W = checks.sequence(feature_size, "feature_size", checks.positive_int, length=2, what="positive ints (H, W)")
    stride = checks.real(stride, "stride", low=0, low_open=True)
    wh = anchor_shapes(scales, ratios)  # (K, 2)
    cy = (torch.arange(H, dtype=torch.float32) + 0.5) * stride
    cx = (torch.arange(W, dtype=torch.float32) + 0.5) * stride
    cy, cx = torch.meshgrid(cy, cx, indexing="ij")  # (H, W)
    ctr = torch.stack([cx, cy], dim=-1)[:, :, None, :]  # (H, W, 1, 2)
    half = wh[None, None] / 2  # (1, 1, K, 2)
    return torch.cat([ctr - half, ctr + half], dim=-1).reshape(-1, 4)  # (H*W*K, 4)


# --------------------------------------------------------------------------- IoU
def _area(b: Tensor) -> Tensor:
    return (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])


def _iou(a: Tensor, b: Tensor) -> Tensor:
    """IoU with broadcasting over leading dims: a (..., N, 4), b (..., M, 4) -> (..., N, M)."""
    lt = torch.maximum(a[..., :, None, :2], b[..., None, :, :2])  # (..., N, M, 2)
    rb = torch.minimum(a[..., :, None, 2:], b[..., None, :, 2:])
    inter = (rb - lt).clamp(min=0).prod(-1)  # (..., N, M)
    union = _area(a)[..., :, None] + _area(b)[..., None, :] - inter
    return torch.where(union > 0, inter / union.clamp(min=1e-12), torch.zeros_like(inter))


def box_iou(boxes1: Tensor, boxes2: Tensor) -> Tensor:
    """Intersection over union (R-CNN section 2; the overlap used throughout arXiv 1506.01497).

    boxes1: (N, 4) xyxy, boxes2: (M, 4) xyxy -> (N, M) in [0, 1]. Two empty (zero-area) boxes
    have IoU 0. N or M may be 0 (the result is then empty).
    """
    checks.boxes(boxes1, "boxes1")
    checks.boxes(boxes2, "boxes2")
    return _iou(boxes1, boxes2)


# --------------------------------------------------------------------------- eq. (2)
def encode_boxes(boxes: Tensor, anchors: Tensor) -> Tensor:
    """Box-regression targets, arXiv 1506.01497 eq. (2) (from R-CNN appendix C).

    t_x = (x - x_a) / w_a,  t_y = (y - y_a) / h_a,  t_w = log(w / w_a),  t_h = log(h / h_a),
    with (x, y) the box centre and (w, h) its size. boxes, anchors: (N, 4) xyxy, paired row by
    row, positive widths and heights -> (N, 4) = (t_x, t_y, t_w, t_h).
    """
    checks.boxes(boxes, "boxes", positive=True)  # log(w / w_a) needs w, h, w_a, h_a > 0
    checks.boxes(anchors, "anchors", positive=True)
    checks.same_shape(boxes, anchors, "boxes", "anchors")
    wa, ha = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    w, h = boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]
    xa, ya = anchors[:, 0] + 0.5 * wa, anchors[:, 1] + 0.5 * ha
    x, y = boxes[:, 0] + 0.5 * w, boxes[:, 1] + 0.5 * h
    return torch.stack([(x - xa) / wa, (y - ya) / ha, torch.log(w / wa), torch.log(h / ha)], dim=1)


def decode_boxes(deltas: Tensor, anchors: Tensor) -> Tensor:
    """Inverse of arXiv 1506.01497 eq. (2): x = t_x w_a + x_a, w = w_a exp(t_w), etc.

    deltas: (N, 4) = (t_x, t_y, t_w, t_h); anchors: (N, 4) xyxy -> boxes (N, 4) xyxy.
    t_w, t_h are clipped at log(1000/16) before exp, so a wild prediction cannot overflow.
    Differentiable in deltas.
    """
    checks.tensor(deltas, "deltas", shape=("N", 4))
    checks.boxes(anchors, "anchors")
    checks.same_shape(anchors, deltas, "anchors", "deltas")
    wa, ha = anchors[:, 2] - anchors[:, 0], anchors[:, 3] - anchors[:, 1]
    xa, ya = anchors[:, 0] + 0.5 * wa, anchors[:, 1] + 0.5 * ha
    x = deltas[:, 0] * wa + xa
    y = deltas[:, 1] * ha + ya
    w = wa * deltas[:, 2].clamp(max=BBOX_CLIP).exp()
    h = ha * deltas[:, 3].clamp(max=BBOX_CLIP).exp()
    return torch.stack([x - w / 2, y - h / 2, x + w / 2, y + h / 2], dim=1)


def clip_boxes(boxes: Tensor, size: tuple[int, int]) -> Tensor:
    """Clip boxes to the image, arXiv 1506.01497 section 3.3 (proposals are clipped to the image boundary).

    boxes: (N, 4) xyxy; size: (H, W) positive numbers -> (N, 4) with x in [0, W] and y in [0, H].
    """
    checks.boxes(boxes, "boxes")
    H, W = checks.sequence(size, "size", checks.positive_real, length=2, what="positive numbers (H, W)")
    x = boxes[:, 0::2].clamp(0, W)
    y = boxes[:, 1::2].clamp(0, H)
    return torch.stack([x[:, 0], y[:, 0], x[:, 1], y[:, 1]], dim=1)


# --------------------------------------------------------------------------- NMS
def nms(boxes: Tensor, scores: Tensor, iou_threshold: float) -> Tensor:
    """Greedy non-maximum suppression (R-CNN section 2.2; arXiv 1506.01497 section 3.3).

    Visit boxes from the highest score down; keep a box unless it overlaps an already kept
    box with IoU **strictly greater** than ``iou_threshold`` (a box exactly at the threshold
    survives). Ties in score are broken by index: the lower index is visited (and kept) first.
    boxes: (N, 4) xyxy, scores: (N,) -> int64 indices (n_kept,) of kept boxes, by decreasing
    score. N = 0 gives an empty result. iou_threshold = 1 keeps every box.
    """
    checks.boxes(boxes, "boxes")
    _check_scores(scores, len(boxes))
    iou_threshold = checks.real(iou_threshold, "iou_threshold", low=0, high=1)
    if len(boxes) == 0:
        return torch.zeros(0, dtype=torch.int64)
    order = torch.sort(scores.detach(), descending=True, stable=True).indices  # ties: lower index first
    iou = _iou(boxes.detach()[order], boxes.detach()[order]).cpu().numpy()  # (N, N), sorted order
    suppressed = np.zeros(len(order), dtype=bool)
    keep = []
    for i in range(len(order)):  # greedy: each kept box silences its overlaps further down
        if suppressed[i]:
            continue
        keep.append(i)
        suppressed |= iou[i] > iou_threshold
    return order[torch.tensor(keep, dtype=torch.int64, device=order.device)]


def batched_nms(boxes: Tensor, scores: Tensor, classes: Tensor, iou_threshold: float) -> Tensor:
    """NMS run independently per class (Fast R-CNN section 4 / arXiv 1506.01497 detection output).

    classes: (N,) int64. Boxes of different classes never suppress each other. Returns kept
    indices (n_kept,) sorted by decreasing score (ties by index).
    """
    checks.boxes(boxes, "boxes")
    _check_scores(scores, len(boxes))
    checks.labels(classes, len(boxes), name="classes")
    checks.real(iou_threshold, "iou_threshold", low=0, high=1)
    if len(boxes) == 0:
        return torch.zeros(0, dtype=torch.int64)
    keep = []
    for c in classes.unique():
        idx = torch.where(classes == c)[0]
        keep.append(idx[nms(boxes[idx], scores[idx], iou_threshold)])
    keep = torch.cat(keep).sort().values  # ascending index, so the stable sort breaks ties by index
    return keep[torch.sort(scores.detach()[keep], descending=True, stable=True).indices]


# --------------------------------------------------------------------------- labelling (3.1.2)
class AnchorLabels(NamedTuple):
    """What ``label_anchors`` returns.

    labels: (A,) int64, 1 positive, 0 negative, -1 ignored.
    matched: (A,) int64 index of the ground-truth box with the highest IoU (0 when there is none).
    max_iou: (A,) that highest IoU (0 when there are no ground-truth boxes).
    """

    labels: Tensor
    matched: Tensor
    max_iou: Tensor


def label_anchors(anchors: Tensor, gt_boxes: Tensor, *, pos_iou: float = 0.7, neg_iou: float = 0.3) -> AnchorLabels:
    """Anchor labels for RPN training, arXiv 1506.01497 section 3.1.2.

    Positive (1): (i) the anchor(s) with the highest IoU for each ground-truth box (ties: every
    anchor reaching that maximum), or (ii) IoU >= pos_iou (0.7) with any ground-truth box.
    Negative (0): IoU < neg_iou (0.3) with every ground-truth box, and not positive.
    Ignored (-1): everything else. anchors: (A, 4), gt_boxes: (G, 4) xyxy; G = 0 makes all negative.
    A ground-truth box overlapping no anchor at all (best IoU 0) adds no positive.
    """
    checks.boxes(anchors, "anchors")
    checks.boxes(gt_boxes, "gt_boxes")
    neg_iou = checks.real(neg_iou, "neg_iou", low=0, high=1)
    pos_iou = checks.real(pos_iou, "pos_iou", low=neg_iou, high=1)
    A = len(anchors)
    if len(gt_boxes) == 0:
        zeros = torch.zeros(A, dtype=torch.int64, device=anchors.device)
        return AnchorLabels(zeros.clone(), zeros, torch.zeros(A, device=anchors.device))
    iou = _iou(anchors, gt_boxes)  # (A, G)
    max_iou, matched = iou.max(dim=1)  # (A,)
    labels = torch.full((A,), -1, dtype=torch.int64, device=anchors.device)
    labels[max_iou < neg_iou] = 0
    labels[max_iou >= pos_iou] = 1  # condition (ii)
    best_for_gt = iou.max(dim=0).values  # (G,)
    is_best = (iou == best_for_gt[None, :]) & (best_for_gt[None, :] > 0)  # (A, G), condition (i)
    anchor_idx, gt_idx = torch.where(is_best)
    labels[anchor_idx] = 1
    matched[anchor_idx] = gt_idx  # a best anchor regresses towards the box it is best for
    return AnchorLabels(labels, matched, max_iou)


def _check_labels(labels: object) -> Tensor:
    """Anchor labels (A,): 1 positive, 0 negative, -1 ignored."""
    return checks.integer_tensor(labels, "labels (1 positive, 0 negative, -1 ignored)", shape=("A",), low=-1, high=1)


def sample_labels(labels: Tensor, batch_size: int = 256, positive_fraction: float = 0.5, *, generator: torch.Generator) -> Tensor:
    """Balanced anchor mini-batch, arXiv 1506.01497 section 3.1.3.

    Draw up to ``batch_size * positive_fraction`` positives uniformly at random and fill the rest of
    the ``batch_size`` with random negatives (the paper: 256 anchors, up to 1:1). labels: (A,) of
    1/0/-1 -> a copy where anchors left out of the mini-batch are set to -1.
    """
    _check_labels(labels)
    checks.positive_int(batch_size, "batch_size")
    positive_fraction = checks.real(positive_fraction, "positive_fraction", low=0, high=1)
    checks.generator(generator)
    out = torch.full_like(labels, -1)
    pos = torch.where(labels == 1)[0]
    neg = torch.where(labels == 0)[0]
    n_pos = min(len(pos), int(batch_size * positive_fraction))
    n_neg = min(len(neg), batch_size - n_pos)
    out[pos[torch.randperm(len(pos), generator=generator)[:n_pos].to(pos.device)]] = 1  # draws on CPU, then moved
    out[neg[torch.randperm(len(neg), generator=generator)[:n_neg].to(neg.device)]] = 0
    return out


def hard_negative_mining(labels: Tensor, scores: Tensor, n_negatives: int) -> Tensor:
    """Hard-negative mining (R-CNN section 2.3; the bootstrapping idea Fast R-CNN section 3.1 revisits).

    Keep every positive and the ``n_negatives`` negatives with the **highest** scores (the ones the
    model currently gets most wrong); other negatives become ignored (-1). labels: (A,) of 1/0/-1,
    scores: (A,) objectness (logit or probability) -> (A,) labels. Ties: lower index first.
    """
    _check_labels(labels)
    _check_scores(scores, len(labels))
    checks.nonnegative_int(n_negatives, "n_negatives")
    out = labels.clone()
    neg = torch.where(labels == 0)[0]
    order = torch.sort(scores.detach()[neg], descending=True, stable=True).indices
    out[neg[order[n_negatives:]]] = -1
    return out
