"""A tiny two-stage detector: Faster R-CNN (Ren, He, Girshick & Sun 2015, arXiv 1506.01497).

    RPNHead               section 3.1: 3x3 conv, then per anchor 1 objectness logit + 4 deltas
    roi_pool              Fast R-CNN (arXiv 1504.08083) section 2.1: max pooling into a fixed grid
    FasterRCNN            backbone -> RPN -> RoI pooling -> classifier + class-specific box regression
    detector_loss         eq. (1) for the RPN plus the Fast R-CNN multi-task loss, summed
                          ("approximate joint training", section 3.2)
    propose / detect      section 3.3: decode, clip, NMS, top-N proposals; per-class NMS detections
    anchor_recall         best-anchor IoU recall of the ground-truth boxes (anchor coverage)
    proposal_recall       fraction of ground-truth boxes hit by one of the top-N proposals
    mean_average_precision  VOC-style AP per class at IoU 0.5 (all-point interpolation), averaged

Images are (B, 1, S, S) floats in [0, 1]. Ground truth is padded to a fixed number of objects so
that it can travel through ``paperlib.train.fit``: boxes (B, M, 4) xyxy and classes (B, M) int64
with -1 marking padding. Class c in 0..C-1 is the c-th shape; the detector's class 0 is background
and shape c is its class c + 1.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from paperlib import checks
from paperlib.layers import seeded_init_
from paperlib.vision import detection as det

__all__ = [
    "RPNHead",
    "roi_pool",
    "FasterRCNN",
    "DetectorLoss",
    "detector_loss",
    "detector_step",
    "Detections",
    "propose",
    "detect",
    "anchor_recall",
    "proposal_recall",
    "MeanAP",
    "average_precision",
    "mean_average_precision",
]



# --------------------------------------------------------------------------- ground truth checks
def _check_ground_truth(gt_boxes: object, gt_classes: object, *, n_images: int | None = None, num_classes: int | None = None) -> None:
    """Padded ground truth: boxes (N, M, 4) (valid xyxy where not padding), classes (N, M) in [-1, C-1]."""
    checks.tensor(gt_boxes, "gt_boxes", shape=("N" if n_images is None else n_images, "M", 4))
    top = None if num_classes is None else num_classes - 1
    checks.integer_tensor(gt_classes, "gt_classes (-1 = padding)", shape=tuple(gt_boxes.shape[:2]), low=-1, high=top)
    checks.boxes(gt_boxes[gt_classes >= 0], "gt_boxes")


def _check_images(model: FasterRCNN, images: object) -> Tensor:
    S = model.image_size
    return checks.tensor(images, "images", shape=("B", 1, S, S))


def _check_loss_options(rpn_batch: int = 64, roi_batch: int = 32, n_train_proposals: int = 32, lam: float = 1.0) -> None:
    checks.positive_int(rpn_batch, "rpn_batch")
    checks.positive_int(roi_batch, "roi_batch")
    checks.positive_int(n_train_proposals, "n_train_proposals")
    checks.real(lam, "lam", low=0)


def _check_recall_iou(iou: object) -> float:
    """A hit needs IoU >= iou, so iou in (0, 1] (iou <= 0 would count boxes that overlap nothing)."""
    return checks.real(iou, "iou", low=0, high=1, low_open=True)


def _gt(boxes: Tensor, classes: Tensor, i: int) -> tuple[Tensor, Tensor]:
    """Unpadded ground truth of image i: (G, 4) boxes and (G,) classes."""
    valid = classes[i] >= 0
    return boxes[i][valid], classes[i][valid]


# --------------------------------------------------------------------------- RPN (3.1)
class RPNHead(nn.Module):
    """The Region Proposal Network head, arXiv 1506.01497 section 3.1 (Figure 3).

    A 3x3 conv slides over the shared feature map (the "mini-network"), then two sibling 1x1
    convs give, for each of the K anchors of a position, one objectness logit (the paper's 2K
    softmax scores written as K logistic ones, as the paper's footnote allows) and 4 box deltas.
    features (B, C, H, W) -> (objectness (B, H*W*K), deltas (B, H*W*K, 4)), ordered like
    ``detection.make_anchors``.
    """

    def __init__(self, channels: int, num_anchors: int, hidden: int = 32) -> None:
        super().__init__()
        checks.positive_int(channels, "channels")
        checks.positive_int(num_anchors, "num_anchors")
        checks.positive_int(hidden, "hidden")
        self.num_anchors = num_anchors
        self.conv = nn.Conv2d(channels, hidden, 3, padding=1)
        self.cls = nn.Conv2d(hidden, num_anchors, 1)
        self.reg = nn.Conv2d(hidden, 4 * num_anchors, 1)

    def forward(self, features: Tensor) -> tuple[Tensor, Tensor]:
        checks.tensor(features, "features", shape=("B", self.conv.in_channels, "H", "W"))
        B, _, H, W = features.shape
        h = F.relu(self.conv(features))
        obj = self.cls(h).permute(0, 2, 3, 1).reshape(B, -1)  # (B, H*W*K)
        deltas = self.reg(h).view(B, self.num_anchors, 4, H, W).permute(0, 3, 4, 1, 2).reshape(B, -1, 4)  # (B, H*W*K, 4)
        return obj, deltas


# --------------------------------------------------------------------------- RoI pooling
def roi_pool(features: Tensor, rois: Tensor, output_size: int, spatial_scale: float) -> Tensor:
    """RoI max pooling, Fast R-CNN (arXiv 1504.08083) section 2.1.

    Each RoI, projected onto the feature map (coordinates times ``spatial_scale``), is divided into an
    output_size x output_size grid of sub-windows and each sub-window is max-pooled. Sub-window
    (p, q) of a RoI spanning feature cells [x1, x2) covers cells floor(x1 + q * bw) .. ceil(x1 + (q+1) * bw)
    (at least one cell), bw = (x2 - x1) / output_size; cells outside the map are ignored.
    features: (B, C, H, W); rois: (R, 5) = (batch index, x1, y1, x2, y2) in image pixels
    -> (R, C, output_size, output_size). Gradients flow to the max cell (like max pooling).
    features and rois must be finite (a NaN or inf maximum is an error, not a 0).
    """
    checks.tensor(features, "features", dim=4, shape="(B, C, H, W)")
    checks.tensor(rois, "rois (batch index, x1, y1, x2, y2)", shape=("R", 5))
    checks.values(rois[:, 0], "rois[:, 0] (batch indices)", low=0, high=len(features) - 1, integral=True)
    checks.boxes(rois[:, 1:], "rois[:, 1:]")
    checks.positive_int(output_size, "output_size")
    spatial_scale = checks.real(spatial_scale, "spatial_scale", low=0, low_open=True)
    B, C, H, W = features.shape
    R, P = len(rois), output_size
    if R == 0:
        return features.new_zeros(0, C, P, P)
    b = rois[:, 0].long()
    r = rois[:, 1:].detach() * spatial_scale  # (R, 4) in feature cells
    bins = torch.arange(P, dtype=r.dtype)

    def cell_mask(lo: Tensor, hi: Tensor, n: int) -> Tensor:
        """(R, P, n): which of the n cells fall in each of the P sub-windows along one axis."""
        step = (hi - lo).clamp(min=1e-6)[:, None] / P  # (R, 1)
        start = torch.floor(lo[:, None] + bins * step)  # (R, P)
        end = torch.maximum(torch.ceil(lo[:, None] + (bins + 1) * step), start + 1)
        cells = torch.arange(n, dtype=r.dtype)
        return (cells >= start[..., None]) & (cells < end[..., None])  # (R, P, n)

    my = cell_mask(r[:, 1], r[:, 3], H)  # (R, P, H)
    mx = cell_mask(r[:, 0], r[:, 2], W)  # (R, P, W)
    # Find each sub-window's max cell without autograd (the max over a rectangle is the max over
    # its rows of the max over its columns), then gather it: the gradient goes to that cell only.
    f = features[b]  # (R, C, H, W)
    with torch.no_grad():
        col_val, col_idx = f[:, :, :, None, :].masked_fill(~mx[:, None, None], float("-inf")).max(-1)  # (R, C, H, P)
        val, row = col_val[:, :, None, :, :].masked_fill(~my[:, None, :, :, None], float("-inf")).max(-2)  # (R, C, P, P)
        col = col_idx.gather(2, row)  # (R, C, P, P): column of the max in that row
        flat = (row * W + col).reshape(R, C, P * P)
    pooled = f.reshape(R, C, H * W).gather(2, flat).reshape(R, C, P, P)
    return torch.where(torch.isfinite(val), pooled, torch.zeros_like(pooled))  # sub-windows off the map -> 0

# --------------------------------------------------------------------------- the detector
class FasterRCNN(nn.Module):
    """A tiny Faster R-CNN (arXiv 1506.01497 Figure 2): one backbone shared by the RPN and the head.

    backbone: two 3x3 conv + ReLU + 2x2 max-pool blocks (stride 4). RPN: ``RPNHead`` over the
    anchors ``make_anchors((S/4, S/4), 4, scales, ratios)``. Head (Fast R-CNN): ``roi_pool`` to
    pool x pool, a hidden FC layer, then class scores (num_classes + 1, 0 = background) and
    class-specific box deltas (num_classes + 1, 4). Weights are drawn with ``generator``.
    ``forward(images)`` returns the backbone features (B, C, S/4, S/4).
    """

    def __init__(
        self,
        num_classes: int = 3,
        *,
        image_size: int = 48,
        scales: Sequence[float] = (12.0, 24.0),
        ratios: Sequence[float] = (0.5, 1.0, 2.0),
        channels: int = 32,
        pool: int = 4,
        hidden: int = 128,
        generator: torch.Generator,
    ) -> None:
        super().__init__()
        checks.positive_int(num_classes, "num_classes")
        checks.integer(image_size, "image_size (a multiple of the stride 4)", low=4, multiple_of=4)
        checks.positive_int(channels, "channels")
        checks.positive_int(pool, "pool")
        checks.positive_int(hidden, "hidden")
        checks.generator(generator)
        self.num_classes, self.image_size, self.stride, self.pool = num_classes, image_size, 4, pool
        self.register_buffer("anchors", det.make_anchors((image_size // 4, image_size // 4), 4, scales, ratios))
        K = len(scales) * len(ratios)
        self.backbone = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, channels, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.rpn = RPNHead(channels, K)
        self.fc = nn.Linear(channels * pool * pool, hidden)
        self.cls_score = nn.Linear(hidden, num_classes + 1)
        self.bbox_pred = nn.Linear(hidden, 4 * (num_classes + 1))
        seeded_init_(self, generator, zero_bias=True)
        with torch.no_grad():  # small box outputs at the start
            self.bbox_pred.weight.mul_(0.1)

    def forward(self, images: Tensor) -> Tensor:
        _check_images(self, images)
        return self.backbone(images)

    def head(self, features: Tensor, rois: Tensor) -> tuple[Tensor, Tensor]:
        """RoI head: features (B, C, S/4, S/4) from ``forward``, rois (R, 5) -> (class logits (R, C+1), box deltas (R, C+1, 4))."""
        side = self.image_size // self.stride
        checks.tensor(features, "features", shape=("B", self.rpn.conv.in_channels, side, side))
        x = roi_pool(features, rois, self.pool, 1.0 / self.stride).flatten(1)  # (R, C*P*P)
        x = F.relu(self.fc(x))
        return self.cls_score(x), self.bbox_pred(x).view(-1, self.num_classes + 1, 4)


def _proposals_from(
    model: FasterRCNN, obj: Tensor, deltas: Tensor, n: int, nms_iou: float, pre_nms: int, regress: bool = True
) -> list[Tensor]:
    """Section 3.3: per image, decode the top ``pre_nms`` anchors, clip, NMS, keep the top n. -> list of (n_i, 4).

    ``regress=False`` skips the decoding: the proposals are the anchors themselves (the "reg removed"
    ablation of arXiv 1506.01497 Table 2).
    """
    S = model.image_size
    out = []
    for i in range(len(obj)):
        top = obj[i].detach().topk(min(pre_nms, len(obj[i]))).indices
        raw = det.decode_boxes(deltas[i, top].detach(), model.anchors[top]) if regress else model.anchors[top]
        boxes = det.clip_boxes(raw, (S, S))
        ok = ((boxes[:, 2] - boxes[:, 0]) >= 1) & ((boxes[:, 3] - boxes[:, 1]) >= 1)  # drop degenerate boxes
        boxes, scores = boxes[ok], obj[i, top][ok].detach()
        keep = det.nms(boxes, scores, nms_iou)[:n]
        out.append(boxes[keep])
    return out  # on the model's device


class DetectorLoss(NamedTuple):
    """The four terms of the joint loss (each a scalar) and their sum ``total``."""

    total: Tensor
    rpn_cls: Tensor
    rpn_box: Tensor
    head_cls: Tensor
    head_box: Tensor


def detector_loss(
    model: FasterRCNN,
    images: Tensor,
    gt_boxes: Tensor,
    gt_classes: Tensor,
    *,
    generator: torch.Generator,
    rpn_batch: int = 64,
    roi_batch: int = 32,
    n_train_proposals: int = 32,
    lam: float = 1.0,
) -> DetectorLoss:
    """Approximate joint training, arXiv 1506.01497 section 3.2 with the RPN loss of eq. (1).

    RPN, eq. (1): L = (1/N_cls) sum_i L_cls(p_i, p*_i) + lam (1/N_reg) sum_i p*_i L_reg(t_i, t*_i),
    over a balanced mini-batch of ``rpn_batch`` anchors per image (``sample_labels``), L_cls a
    logistic loss, L_reg smooth L1 on eq. (2) targets; both terms are averaged over the sampled
    anchors (the paper's normalisations differ by a constant that lam absorbs).
    Head (Fast R-CNN section 2.3): proposals from the current RPN (not back-propagated, as in the
    approximate scheme) plus the ground-truth boxes; IoU >= 0.5 foreground (class of the box), < 0.5
    background; ``roi_batch`` RoIs per image with up to 25 % foreground; softmax cross-entropy plus
    smooth L1 on the true class's deltas for foreground RoIs.
    images (B, 1, S, S), gt_boxes (B, M, 4), gt_classes (B, M) with -1 padding.
    """
    checks.instance(model, "model", FasterRCNN)
    _check_images(model, images)
    _check_ground_truth(gt_boxes, gt_classes, n_images=len(images), num_classes=model.num_classes)
    checks.generator(generator)
    _check_loss_options(rpn_batch, roi_batch, n_train_proposals, lam)
    feats = model(images)
    obj, deltas = model.rpn(feats)  # (B, A), (B, A, 4)
    B = len(images)
    rpn_cls, rpn_box, rois, roi_cls, roi_tgt = [], [], [], [], []
    proposals = _proposals_from(model, obj, deltas, n_train_proposals, 0.7, 200)
    for i in range(B):
        boxes, cls = _gt(gt_boxes, gt_classes, i)
        # --- RPN: label (3.1.2), sample (3.1.3), eq. (1)
        lab = det.label_anchors(model.anchors, boxes)
        s = det.sample_labels(lab.labels, rpn_batch, 0.5, generator=generator)
        used = s >= 0
        rpn_cls.append(F.binary_cross_entropy_with_logits(obj[i, used], s[used].float(), reduction="sum"))
        pos = s == 1
        if pos.any():
            t = det.encode_boxes(boxes[lab.matched[pos]], model.anchors[pos])
            rpn_box.append(F.smooth_l1_loss(deltas[i, pos], t, beta=1 / 9, reduction="sum"))
        # --- head: proposals + ground truth, labelled by IoU 0.5 and sampled 1:3
        cand = torch.cat([proposals[i], boxes])
        iou = det.box_iou(cand, boxes)  # (P, G)
        best, match = iou.max(1)
        fg = torch.where(best >= 0.5)[0]
        bg = torch.where(best < 0.5)[0]
        n_fg = min(len(fg), roi_batch // 4)
        fg = fg[torch.randperm(len(fg), generator=generator)[:n_fg].to(fg.device)]
        bg = bg[torch.randperm(len(bg), generator=generator)[: roi_batch - n_fg].to(bg.device)]
        keep = torch.cat([fg, bg])
        labels = torch.cat([cls[match[fg]] + 1, torch.zeros(len(bg), dtype=torch.int64, device=bg.device)])
        rois.append(torch.cat([torch.full((len(keep), 1), float(i), device=cand.device), cand[keep]], 1))
        roi_cls.append(labels)
        roi_tgt.append(det.encode_boxes(boxes[match[keep]], cand[keep]))
    n_used = sum(min(rpn_batch, len(model.anchors)) for _ in range(B))
    rpn_cls_loss = torch.stack(rpn_cls).sum() / n_used
    rpn_box_loss = torch.stack(rpn_box).sum() / n_used if rpn_box else obj.sum() * 0
    rois_t, labels_t, tgt_t = torch.cat(rois), torch.cat(roi_cls), torch.cat(roi_tgt)
    logits, box_deltas = model.head(feats, rois_t)
    head_cls = F.cross_entropy(logits, labels_t)
    fgm = labels_t > 0
    if fgm.any():
        pred = box_deltas[fgm, labels_t[fgm]]  # (F, 4): the deltas of the true class
        head_box = F.smooth_l1_loss(pred, tgt_t[fgm], beta=1.0, reduction="sum") / len(labels_t)
    else:
        head_box = logits.sum() * 0
    total = rpn_cls_loss + lam * rpn_box_loss + head_cls + lam * head_box
    return DetectorLoss(total, rpn_cls_loss, rpn_box_loss, head_cls, head_box)


def detector_step(generator: torch.Generator, **kwargs) -> Callable[[nn.Module, Sequence[Tensor]], Tensor]:
    """Approximate joint training step (arXiv 1506.01497 section 3.2) for ``train.fit``.

    Returns step(model, batch) with batch = (images (B, 1, S, S), gt_boxes (B, M, 4), gt_classes (B, M))
    -> ``detector_loss(...).total``; anchor and RoI sampling draw from ``generator``.
    kwargs: rpn_batch, roi_batch, n_train_proposals, lam of ``detector_loss`` (checked now).
    """
    checks.generator(generator)
    _check_loss_options(**kwargs)

    def step(model: nn.Module, batch: Sequence[Tensor]) -> Tensor:
        images, boxes, classes = checks.batch(batch, 3, "(images, gt_boxes, gt_classes)")[:3]
        return detector_loss(model, images, boxes, classes, generator=generator, **kwargs).total

    return step


# --------------------------------------------------------------------------- inference (3.3)
class Detections(NamedTuple):
    """Detections of one image (arXiv 1506.01497 section 3.3 output): boxes (D, 4) xyxy, scores (D,), classes (D,) int64 in 0..C-1."""

    boxes: Tensor
    scores: Tensor
    classes: Tensor


@torch.no_grad()
def propose(
    model: FasterRCNN, images: Tensor, *, n: int = 20, nms_iou: float = 0.7, pre_nms: int = 200, regress: bool = True
) -> list[Tensor]:
    """RPN proposals, arXiv 1506.01497 section 3.3: decode, clip, NMS (IoU 0.7), top-n per image.

    The ``pre_nms`` anchors of highest objectness are decoded (``regress=False``: kept as anchors, the
    "reg removed" ablation of Table 2), clipped, NMS'd at ``nms_iou`` (1.0: no NMS) and cut to n.
    images (B, 1, S, S) -> list of B tensors (n_i <= n, 4) xyxy, by decreasing objectness.
    """
    checks.instance(model, "model", FasterRCNN)
    _check_images(model, images)
    checks.positive_int(n, "n")
    checks.real(nms_iou, "nms_iou", low=0, high=1)
    checks.positive_int(pre_nms, "pre_nms")
    checks.boolean(regress, "regress")
    model.eval()
    obj, deltas = model.rpn(model(images.to(model.anchors.device)))
    return [p.cpu() for p in _proposals_from(model, obj, deltas, n, nms_iou, pre_nms, regress)]


@torch.no_grad()
def detect(
    model: FasterRCNN,
    images: Tensor,
    *,
    n_proposals: int = 20,
    nms_iou: float = 0.5,
    score_threshold: float = 0.05,
    use_nms: bool = True,
    proposal_nms_iou: float = 0.7,
    pre_nms: int = 200,
    regress: bool = True,
    proposals: Sequence[Tensor] | None = None,
) -> list[Detections]:
    """Two-stage inference, arXiv 1506.01497 section 3.3: proposals -> RoI head -> per-class boxes -> per-class NMS.

    Proposals are made as in ``propose`` (top ``pre_nms`` by objectness, NMS at ``proposal_nms_iou``,
    top ``n_proposals``; ``regress=False`` keeps the anchors), or given: ``proposals``, one (P_i, 4)
    xyxy tensor per image, replaces the RPN. For every proposal and every non-background class c with
    probability >= score_threshold, the box is the proposal refined by class c's deltas (eq. 2
    inverted). ``use_nms=False`` skips the final per-class NMS at ``nms_iou``.
    images (B, 1, S, S) -> list of B ``Detections``.
    """
    checks.instance(model, "model", FasterRCNN)
    _check_images(model, images)
    checks.positive_int(n_proposals, "n_proposals")
    checks.real(nms_iou, "nms_iou", low=0, high=1)
    checks.real(score_threshold, "score_threshold", low=0, high=1)
    checks.boolean(use_nms, "use_nms")
    checks.real(proposal_nms_iou, "proposal_nms_iou", low=0, high=1)
    checks.positive_int(pre_nms, "pre_nms")
    checks.boolean(regress, "regress")
    model.eval()
    images = images.to(model.anchors.device)
    feats = model(images)
    if proposals is None:
        obj, deltas = model.rpn(feats)
        props = _proposals_from(model, obj, deltas, n_proposals, proposal_nms_iou, pre_nms, regress)
    else:
        given = checks.sequence(proposals, "proposals", checks.boxes, length=len(images), min_length=0, what="(P_i, 4) box tensors, one per image")
        props = [p.to(images.device).float() for p in given]
    rois = torch.cat([torch.cat([torch.full((len(p), 1), float(i), device=p.device), p], 1) for i, p in enumerate(props)])
    logits, box_deltas = model.head(feats, rois)  # (R, C+1), (R, C+1, 4)
    probs = logits.softmax(1)
    S = model.image_size
    out, start = [], 0
    C = model.num_classes
    for _i, p in enumerate(props):
        sl = slice(start, start + len(p))
        start += len(p)
        pr = probs[sl, 1:].reshape(-1)  # (P*C,) ordered (proposal, class)
        cls = torch.arange(C, device=p.device).repeat(len(p))
        anchors = p.repeat_interleave(C, 0)  # (P*C, 4)
        boxes = det.clip_boxes(det.decode_boxes(box_deltas[sl, 1:].reshape(-1, 4), anchors), (S, S))
        ok = (pr >= score_threshold) & ((boxes[:, 2] - boxes[:, 0]) > 0) & ((boxes[:, 3] - boxes[:, 1]) > 0)
        boxes, pr, cls = boxes[ok], pr[ok], cls[ok]
        keep = det.batched_nms(boxes, pr, cls, nms_iou) if use_nms else torch.sort(pr, descending=True, stable=True).indices
        out.append(Detections(boxes[keep].cpu(), pr[keep].cpu(), cls[keep].cpu()))
    return out


# --------------------------------------------------------------------------- evaluation
def anchor_recall(anchors: Tensor, gt_boxes: Tensor, gt_classes: Tensor, iou: float) -> float:
    """Anchor coverage (arXiv 1506.01497 section 3.1.1): fraction of ground-truth boxes whose best anchor has IoU >= ``iou``.

    (The quantity behind arXiv 1506.01497 section 3.1.1 and Table 8: more scales x ratios cover
    more box shapes.) anchors (A, 4); gt_boxes (N, M, 4), gt_classes (N, M) with -1 padding. iou in (0, 1].
    """
    _check_recall_iou(iou)
    checks.boxes(anchors, "anchors")
    _check_ground_truth(gt_boxes, gt_classes)
    boxes = gt_boxes[gt_classes >= 0]  # (G, 4)
    if len(boxes) == 0:
        raise ValueError("gt_classes must mark at least one ground-truth box (all are padding)")
    best = det.box_iou(boxes, anchors).max(1).values  # (G,)
    return (best >= iou).float().mean().item()


def proposal_recall(proposals: Sequence[Tensor], gt_boxes: Tensor, gt_classes: Tensor, iou: float = 0.5) -> float:
    """Proposal recall (arXiv 1506.01497 Figure 4): fraction of ground-truth boxes hit (IoU >= ``iou``) by a proposal.

    The recall-vs-proposals measure of arXiv 1506.01497 section 4.1 (Figure 4). proposals: list of
    (n_i, 4) per image; gt_boxes (N, M, 4), gt_classes (N, M). iou in (0, 1].
    """
    _check_recall_iou(iou)
    _check_ground_truth(gt_boxes, gt_classes)
    checks.sequence(proposals, "proposals", checks.boxes, length=len(gt_boxes), min_length=0, what="(n_i, 4) box tensors, one per image")
    hit, total = 0, 0
    for i, p in enumerate(proposals):
        boxes, _ = _gt(gt_boxes, gt_classes, i)
        total += len(boxes)
        if len(boxes) and len(p):
            hit += int((det.box_iou(boxes, p).max(1).values >= iou).sum())
    return hit / max(total, 1)


def average_precision(scores: Tensor, matched: Tensor, n_gt: int) -> float:
    """Average precision as in PASCAL VOC 2010+ (all-point interpolation), the metric of arXiv 1506.01497 section 4.1.

    scores: (D,) detection scores; matched: (D,) bool, True for a true positive; n_gt: number of
    ground-truth boxes. AP = sum over recall steps of the interpolated precision (the running max of
    precision from the right). Ties in score: lower index first. n_gt = 0 -> nan.
    matched can hold at most n_gt true positives (each ground-truth box is matched once).
    """
    checks.tensor(scores, "scores", shape=("D",))
    checks.tensor(matched, "matched", shape=(len(scores),), dtype=torch.bool)
    checks.nonnegative_int(n_gt, "n_gt")
    if int(matched.sum()) > n_gt:
        raise ValueError(f"matched must hold at most n_gt = {n_gt} true positives (one per ground-truth box), got {int(matched.sum())}")
    if n_gt == 0:
        return float("nan")
    if len(scores) == 0:
        return 0.0
    order = torch.sort(scores, descending=True, stable=True).indices
    tp = matched[order].double().cumsum(0)
    fp = (~matched[order]).double().cumsum(0)
    recall = torch.cat([torch.zeros(1, dtype=torch.float64), tp / n_gt])
    precision = torch.cat([torch.ones(1, dtype=torch.float64), tp / (tp + fp)])
    precision = precision.flip(0).cummax(0).values.flip(0)  # interpolated: max precision at recall >= r
    return float(((recall[1:] - recall[:-1]) * precision[1:]).sum())


class MeanAP(NamedTuple):
    """mAP (the mean over classes with at least one ground-truth box) and the AP of each class."""

    map: float
    per_class: list[float]


def mean_average_precision(
    detections: Sequence[Detections], gt_boxes: Tensor, gt_classes: Tensor, *, num_classes: int, iou: float = 0.5
) -> MeanAP:
    """mAP@iou as in PASCAL VOC (the metric of arXiv 1506.01497 Tables 2-6).

    Per class, detections of all images are visited by decreasing score; a detection is a true
    positive if its IoU with a not-yet-matched ground-truth box of that class and image is >= iou
    (the best-overlapping box is the candidate), else a false positive (duplicates are false positives).
    iou in (0, 1]: iou <= 0 would count detections that overlap nothing as true positives.
    """
    checks.positive_int(num_classes, "num_classes")
    _check_recall_iou(iou)
    _check_ground_truth(gt_boxes, gt_classes, num_classes=num_classes)

    def detection(d: object, name: str) -> Detections:
        checks.instance(d, name, Detections, "a Detections (from detect)")
        checks.boxes(d.boxes, f"{name}.boxes")
        checks.tensor(d.scores, f"{name}.scores", shape=(len(d.boxes),))
        checks.integer_tensor(d.classes, f"{name}.classes", shape=(len(d.boxes),), low=0, high=num_classes - 1)
        return d

    checks.sequence(detections, "detections", detection, length=len(gt_boxes), min_length=0, what="Detections, one per image")
    aps = []
    for c in range(num_classes):
        recs = []  # (score, image, box)
        n_gt = int((gt_classes == c).sum())
        for i, d in enumerate(detections):
            for j in torch.where(d.classes == c)[0].tolist():
                recs.append((float(d.scores[j]), i, d.boxes[j]))
        recs.sort(key=lambda r: -r[0])  # stable: ties keep image order
        used = {i: torch.zeros(int((gt_classes[i] == c).sum()), dtype=torch.bool) for i in range(len(detections))}
        matched = []
        for _score, i, box in recs:
            g = gt_boxes[i][gt_classes[i] == c]
            ok = False
            if len(g):
                ious = det.box_iou(box[None], g)[0]
                j = int(ious.argmax())
                if ious[j] >= iou and not used[i][j]:
                    used[i][j] = True
                    ok = True
            matched.append(ok)
        aps.append(average_precision(torch.tensor([r[0] for r in recs]), torch.tensor(matched, dtype=torch.bool), n_gt))
    valid = [a for a in aps if not math.isnan(a)]
    return MeanAP(sum(valid) / len(valid) if valid else float("nan"), aps)
