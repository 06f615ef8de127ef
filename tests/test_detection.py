"""paperlib.detection against naive Python-loop references (arXiv 1506.01497 ops)."""

import math

import pytest
import torch

from paperlib.vision import detection as det


def random_boxes(n, seed, size=50.0):
    g = torch.Generator().manual_seed(seed)
    xy = torch.rand(n, 2, generator=g) * size
    wh = torch.rand(n, 2, generator=g) * size / 2 + 1
    return torch.cat([xy, xy + wh], 1)


def naive_iou(a, b):
    out = torch.zeros(len(a), len(b))
    for i, (ax1, ay1, ax2, ay2) in enumerate(a.tolist()):
        for j, (bx1, by1, bx2, by2) in enumerate(b.tolist()):
            iw = max(0.0, min(ax2, bx2) - max(ax1, bx1))
            ih = max(0.0, min(ay2, by2) - max(ay1, by1))
            inter = iw * ih
            union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter
            out[i, j] = inter / union if union > 0 else 0.0
    return out


def naive_nms(boxes, scores, thr):
    order = sorted(range(len(boxes)), key=lambda i: (-float(scores[i]), i))
    keep = []
    for i in order:
        if all(naive_iou(boxes[i : i + 1], boxes[k : k + 1])[0, 0] <= thr for k in keep):
            keep.append(i)
    return keep


# --------------------------------------------------------------------------- anchors
def test_anchor_shapes_keep_area_and_ratio():
    wh = det.anchor_shapes([8, 16], [0.5, 1, 2])
    assert wh.shape == (6, 2)
    for k, (s, r) in enumerate([(s, r) for s in (8, 16) for r in (0.5, 1, 2)]):
        w, h = wh[k].tolist()
        assert w * h == pytest.approx(s * s, rel=1e-5)
        assert h / w == pytest.approx(r, rel=1e-5)


def test_make_anchors_layout_matches_loop():
    H, W, stride = 3, 4, 4.0
    scales, ratios = [6, 12], [0.5, 2]
    anchors = det.make_anchors((H, W), stride, scales, ratios)
    wh = det.anchor_shapes(scales, ratios)
    assert anchors.shape == (H * W * 4, 4)
    n = 0
    for i in range(H):
        for j in range(W):
            for k in range(4):
                cx, cy = (j + 0.5) * stride, (i + 0.5) * stride
                w, h = wh[k].tolist()
                assert anchors[n].tolist() == pytest.approx([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
                n += 1


# --------------------------------------------------------------------------- IoU
def test_box_iou_matches_loop_and_properties():
    a, b = random_boxes(7, 0), random_boxes(5, 1)
    iou = det.box_iou(a, b)
    assert torch.allclose(iou, naive_iou(a, b), atol=1e-6)
    assert torch.allclose(det.box_iou(b, a), iou.T)
    assert torch.allclose(det.box_iou(a, a).diag(), torch.ones(7))
    assert (iou >= 0).all() and (iou <= 1).all()


def test_box_iou_known_value_and_empty():
    a = torch.tensor([[0.0, 0, 2, 2]])
    b = torch.tensor([[1.0, 0, 3, 2], [5.0, 5, 6, 6]])
    assert det.box_iou(a, b)[0].tolist() == pytest.approx([2 / 6, 0.0])
    assert det.box_iou(torch.zeros(0, 4), b).shape == (0, 2)
    assert det.box_iou(a, torch.zeros(0, 4)).shape == (1, 0)


# --------------------------------------------------------------------------- eq. (2)
def test_encode_matches_formula_and_round_trips():
    boxes, anchors = random_boxes(20, 2), random_boxes(20, 3)
    t = det.encode_boxes(boxes, anchors)
    for n in range(20):
        x1, y1, x2, y2 = boxes[n].tolist()
        a1, b1, a2, b2 = anchors[n].tolist()
        w, h, wa, ha = x2 - x1, y2 - y1, a2 - a1, b2 - b1
        ref = [((x1 + x2) / 2 - (a1 + a2) / 2) / wa, ((y1 + y2) / 2 - (b1 + b2) / 2) / ha, math.log(w / wa), math.log(h / ha)]
        assert t[n].tolist() == pytest.approx(ref, rel=1e-5, abs=1e-5)
    assert torch.allclose(det.decode_boxes(t, anchors), boxes, atol=1e-4)
    assert torch.allclose(det.encode_boxes(anchors, anchors), torch.zeros(20, 4), atol=1e-6)


def test_decode_is_differentiable_and_empty_ok():
    anchors = random_boxes(4, 4).double()
    deltas = torch.randn(4, 4, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda d: det.decode_boxes(d, anchors), (deltas,))
    assert det.decode_boxes(torch.zeros(0, 4), torch.zeros(0, 4)).shape == (0, 4)
    assert det.encode_boxes(torch.zeros(0, 4), torch.zeros(0, 4)).shape == (0, 4)


# --------------------------------------------------------------------------- NMS
def test_nms_matches_naive_loop():
    for seed in range(5):
        boxes = random_boxes(40, seed, size=20)
        scores = torch.rand(40, generator=torch.Generator().manual_seed(100 + seed))
        for thr in (0.3, 0.5, 0.7):
            assert det.nms(boxes, scores, thr).tolist() == naive_nms(boxes, scores, thr)


def test_nms_box_exactly_at_threshold_survives():
    boxes = torch.tensor([[0.0, 0, 2, 2], [1.0, 0, 3, 2]])  # IoU exactly 1/3
    scores = torch.tensor([0.9, 0.8])
    assert det.nms(boxes, scores, 1 / 3).tolist() == [0, 1]
    assert det.nms(boxes, scores, 0.33).tolist() == [0]


def test_nms_ties_broken_by_index():
    boxes = torch.tensor([[0.0, 0, 2, 2], [0.0, 0, 2, 2.1], [10.0, 10, 12, 12]])
    scores = torch.tensor([0.5, 0.5, 0.5])
    assert det.nms(boxes, scores, 0.5).tolist() == [0, 2]
    assert det.nms(boxes.flip(0), scores, 0.5).tolist() == [0, 1]
    assert det.nms(torch.zeros(0, 4), torch.zeros(0), 0.5).tolist() == []
    assert det.nms(boxes, scores, 1.0).tolist() == [0, 1, 2]


def test_batched_nms_is_per_class():
    boxes = torch.tensor([[0.0, 0, 2, 2], [0.0, 0, 2, 2], [0.1, 0, 2, 2]])
    scores = torch.tensor([0.9, 0.8, 0.7])
    classes = torch.tensor([0, 1, 0])
    assert det.batched_nms(boxes, scores, classes, 0.5).tolist() == [0, 1]
    boxes2, scores2 = random_boxes(30, 9, size=15), torch.rand(30, generator=torch.Generator().manual_seed(9))
    classes2 = torch.randint(0, 3, (30,), generator=torch.Generator().manual_seed(10))
    ref = []
    for c in range(3):
        idx = torch.where(classes2 == c)[0]
        ref += [int(idx[k]) for k in naive_nms(boxes2[idx], scores2[idx], 0.4)]
    ref.sort(key=lambda i: (-float(scores2[i]), i))
    assert det.batched_nms(boxes2, scores2, classes2, 0.4).tolist() == ref
    assert det.batched_nms(torch.zeros(0, 4), torch.zeros(0), torch.zeros(0, dtype=torch.int64), 0.5).tolist() == []


# --------------------------------------------------------------------------- labelling
def naive_labels(anchors, gt, pos=0.7, neg=0.3):
    iou = naive_iou(anchors, gt)
    labels = []
    for a in range(len(anchors)):
        m = max(iou[a].tolist())
        labels.append(1 if m >= pos else (0 if m < neg else -1))
    for g in range(len(gt)):
        best = max(iou[:, g].tolist())
        for a in range(len(anchors)):
            if best > 0 and iou[a, g] == best:
                labels[a] = 1
    return labels


def test_label_anchors_matches_loop_including_best_anchor_rule():
    anchors = det.make_anchors((6, 6), 4, [6, 12], [0.5, 1, 2])
    gt = torch.tensor([[3.0, 3, 9, 21], [10, 12, 22, 18], [0.5, 0.5, 2.5, 2.5]])  # the last one is small: rule (i) only
    lab = det.label_anchors(anchors, gt)
    assert lab.labels.tolist() == naive_labels(anchors, gt)
    iou = naive_iou(anchors, gt)
    best_small = iou[:, 2].max()
    assert best_small < 0.7
    assert (lab.labels[iou[:, 2] == best_small] == 1).all()
    assert lab.matched[int(iou[:, 2].argmax())] == 2
    assert {-1, 0, 1} <= set(lab.labels.tolist())


def test_label_anchors_no_gt_all_negative():
    anchors = det.make_anchors((2, 2), 4, [4], [1])
    lab = det.label_anchors(anchors, torch.zeros(0, 4))
    assert lab.labels.tolist() == [0, 0, 0, 0]


def test_sample_labels_balanced_and_subset():
    labels = torch.tensor([1] * 10 + [0] * 300 + [-1] * 20)
    s = det.sample_labels(labels, 64, 0.5, generator=torch.Generator().manual_seed(0))
    assert (s == 1).sum() == 10 and (s == 0).sum() == 54
    assert ((s == -1) | (s == labels)).all()
    many = torch.tensor([1] * 100 + [0] * 100)
    s = det.sample_labels(many, 64, 0.5, generator=torch.Generator().manual_seed(0))
    assert (s == 1).sum() == 32 and (s == 0).sum() == 32


def test_hard_negative_mining_keeps_highest_scoring_negatives():
    labels = torch.tensor([0, 1, 0, 0, -1, 0])
    scores = torch.tensor([0.1, 0.2, 0.9, 0.5, 0.99, 0.5])
    out = det.hard_negative_mining(labels, scores, 2)
    assert out.tolist() == [-1, 1, 0, 0, -1, -1]  # tie 0.5 between index 3 and 5: index 3 wins
    assert det.hard_negative_mining(labels, scores, 0).tolist() == [-1, 1, -1, -1, -1, -1]


# --------------------------------------------------------------------------- bad input
def test_bad_input_names_the_argument():
    good = torch.tensor([[0.0, 0, 1, 1]])
    with pytest.raises(ValueError, match="boxes1"):
        det.box_iou(torch.tensor([[2.0, 0, 1, 1]]), good)  # x2 < x1
    with pytest.raises(ValueError, match="boxes2"):
        det.box_iou(good, torch.zeros(3, 5))
    with pytest.raises(ValueError, match="anchors"):
        det.encode_boxes(good, torch.zeros(2, 4))
    with pytest.raises(ValueError, match="deltas"):
        det.decode_boxes(torch.zeros(1, 3), good)
    with pytest.raises(ValueError, match="scores"):
        det.nms(good, torch.zeros(2), 0.5)
    with pytest.raises(ValueError, match="iou_threshold"):
        det.nms(good, torch.zeros(1), 1.5)
    with pytest.raises(ValueError, match="gt_boxes"):
        det.label_anchors(good, torch.tensor([[0.0, 3, 1, 1]]))
    with pytest.raises(ValueError, match="pos_iou"):
        det.label_anchors(good, good, pos_iou=0.2, neg_iou=0.3)
    with pytest.raises(ValueError, match="scales"):
        det.anchor_shapes([], [1.0])
    with pytest.raises(ValueError, match="ratios"):
        det.anchor_shapes([4], [-1.0])
    with pytest.raises(ValueError, match="feature_size"):
        det.make_anchors((3,), 4, [4], [1])
    with pytest.raises(TypeError, match="labels"):
        det.sample_labels(torch.zeros(3), generator=torch.Generator())
    with pytest.raises(ValueError, match="n_negatives"):
        det.hard_negative_mining(torch.zeros(3, dtype=torch.int64), torch.zeros(3), -1)
    with pytest.raises(TypeError, match="generator"):
        det.sample_labels(torch.zeros(3, dtype=torch.int64), generator=None)
