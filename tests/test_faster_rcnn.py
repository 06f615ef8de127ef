"""paperlib.faster_rcnn: RoI pooling against a naive loop, the RPN head, the loss and mAP."""

import math

import pytest
import torch

from paperlib import data
from paperlib.vision import detection as det
from paperlib.vision import faster_rcnn as fr


def naive_roi_pool(features, rois, P, scale):
    R, (_B, C, H, W) = len(rois), features.shape
    out = torch.zeros(R, C, P, P)
    for r in range(R):
        b = int(rois[r, 0])
        x1, y1, x2, y2 = (rois[r, 1:] * scale).tolist()
        bw, bh = max(x2 - x1, 1e-6) / P, max(y2 - y1, 1e-6) / P
        for p in range(P):
            ys = math.floor(y1 + p * bh)
            ye = max(math.ceil(y1 + (p + 1) * bh), ys + 1)
            for q in range(P):
                xs = math.floor(x1 + q * bw)
                xe = max(math.ceil(x1 + (q + 1) * bw), xs + 1)
                rows = [i for i in range(ys, ye) if 0 <= i < H]
                cols = [j for j in range(xs, xe) if 0 <= j < W]
                if rows and cols:
                    out[r, :, p, q] = features[b][:, rows][:, :, cols].amax(dim=(1, 2))
    return out


def test_roi_pool_matches_naive_loop_and_routes_gradient():
    g = torch.Generator().manual_seed(0)
    features = torch.randn(2, 3, 12, 12, generator=g, requires_grad=True)
    rois = torch.tensor([[0, 0.0, 0, 48, 48], [1, 5.0, 7, 20, 15], [0, 30.0, 30, 33, 31], [1, 40.0, 2, 47.5, 40]])
    out = fr.roi_pool(features, rois, 4, 0.25)
    assert out.shape == (4, 3, 4, 4)
    assert torch.allclose(out, naive_roi_pool(features.detach(), rois, 4, 0.25))
    out.sum().backward()
    grad = features.grad
    assert grad.sum() == pytest.approx(4 * 3 * 16)  # each output sends its gradient to one cell
    assert (grad >= 0).all()
    assert fr.roi_pool(features, torch.zeros(0, 5), 4, 0.25).shape == (0, 3, 4, 4)


def test_rpn_head_layout_matches_anchors():
    head = fr.RPNHead(8, 6)
    obj, deltas = head(torch.randn(2, 8, 5, 7))
    assert obj.shape == (2, 5 * 7 * 6) and deltas.shape == (2, 5 * 7 * 6, 4)
    assert len(det.make_anchors((5, 7), 4, [4, 8], [0.5, 1, 2])) == obj.shape[1]
    # position-major layout: changing one feature column changes only that column's anchors
    x = torch.randn(1, 8, 5, 7)
    x2 = x.clone()
    x2[..., 0] += 1.0  # column j = 0 of every row
    diff = (head(x)[0] - head(x2)[0]).abs().view(5, 7, 6).sum(-1)
    assert (diff[:, 2:] == 0).all() and (diff[:, 0] > 0).all()


def test_shapes_dataset_boxes_are_valid_and_deterministic():
    a = data.detection_scenes(20, generator=torch.Generator().manual_seed(1))
    b = data.detection_scenes(20, generator=torch.Generator().manual_seed(1))
    assert torch.equal(a.images, b.images) and torch.equal(a.boxes, b.boxes)
    assert a.images.shape == (20, 1, 48, 48) and a.boxes.shape == (20, 3, 4)
    valid = a.classes >= 0
    assert valid[:, 0].all() and set(a.classes[valid].tolist()) <= {0, 1, 2}
    boxes = a.boxes[valid]
    w, h = boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]
    assert (w >= 8).all() and (h >= 8).all() and (boxes >= 0).all() and (boxes <= 48).all()
    assert a.images.min() >= 0 and a.images.max() <= 1


def test_detector_loss_is_finite_and_trains_every_part():
    scenes = data.detection_scenes(4, generator=torch.Generator().manual_seed(2))
    model = fr.FasterRCNN(generator=torch.Generator().manual_seed(3))
    loss = fr.detector_loss(model, *scenes, generator=torch.Generator().manual_seed(4))
    assert all(torch.isfinite(t) for t in loss)
    assert loss.total.item() == pytest.approx((loss.rpn_cls + loss.rpn_box + loss.head_cls + loss.head_box).item())
    loss.total.backward()
    for name in ("backbone.0.weight", "rpn.cls.weight", "rpn.reg.weight", "cls_score.weight", "bbox_pred.weight"):
        assert model.get_parameter(name).grad.abs().sum() > 0, name
    dets = fr.detect(model, scenes.images)
    assert len(dets) == 4 and all(d.boxes.shape[1] == 4 for d in dets)
    props = fr.propose(model, scenes.images, n=5)
    assert all(len(p) <= 5 for p in props)


def test_average_precision_known_values():
    # ranking TP, FP, TP with 2 ground-truth boxes: AP = 0.5 * 1 + 0.5 * 2/3
    ap = fr.average_precision(torch.tensor([0.9, 0.8, 0.7]), torch.tensor([True, False, True]), 2)
    assert ap == pytest.approx(0.5 + 0.5 * 2 / 3)
    assert fr.average_precision(torch.tensor([0.9]), torch.tensor([True]), 2) == pytest.approx(0.5)
    assert fr.average_precision(torch.zeros(0), torch.zeros(0, dtype=torch.bool), 3) == 0.0
    assert math.isnan(fr.average_precision(torch.zeros(0), torch.zeros(0, dtype=torch.bool), 0))


def test_map_perfect_detections_and_duplicates():
    scenes = data.detection_scenes(10, generator=torch.Generator().manual_seed(5))
    perfect, doubled = [], []
    for i in range(10):
        v = scenes.classes[i] >= 0
        b, c = scenes.boxes[i][v], scenes.classes[i][v]
        perfect.append(fr.Detections(b, torch.ones(len(b)), c))
        doubled.append(fr.Detections(torch.cat([b, b]), torch.cat([torch.ones(len(b)), torch.full((len(b),), 0.5)]), torch.cat([c, c])))
    assert fr.mean_average_precision(perfect, scenes.boxes, scenes.classes, num_classes=3).map == pytest.approx(1.0)
    # duplicates ranked below every true positive do not lower all-point AP; ranked above they do
    assert fr.mean_average_precision(doubled, scenes.boxes, scenes.classes, num_classes=3).map == pytest.approx(1.0)
    d0 = doubled[0]  # image 0's duplicates outrank the true positives of the other images
    early = [fr.Detections(d0.boxes, torch.ones(len(d0.scores)), d0.classes)]
    early += [fr.Detections(d.boxes, 0.9 * d.scores, d.classes) for d in perfect[1:]]
    assert fr.mean_average_precision(early, scenes.boxes, scenes.classes, num_classes=3).map < 1.0


def test_anchor_recall_grows_with_more_anchor_shapes():
    scenes = data.detection_scenes(50, generator=torch.Generator().manual_seed(6))
    few = det.make_anchors((12, 12), 4, [16], [1.0])
    many = det.make_anchors((12, 12), 4, [12, 24], [0.5, 1.0, 2.0])
    assert fr.anchor_recall(many, scenes.boxes, scenes.classes, 0.7) > fr.anchor_recall(few, scenes.boxes, scenes.classes, 0.7)


def test_bad_input_names_the_argument():
    f = torch.zeros(1, 2, 4, 4)
    with pytest.raises(ValueError, match="rois"):
        fr.roi_pool(f, torch.zeros(1, 4), 2, 1.0)
    with pytest.raises(ValueError, match="features"):
        fr.roi_pool(torch.zeros(2, 4, 4), torch.zeros(1, 5), 2, 1.0)
    with pytest.raises(ValueError, match="rois"):
        fr.roi_pool(f, torch.tensor([[3.0, 0, 0, 1, 1]]), 2, 1.0)
    with pytest.raises(ValueError, match="image_size"):
        fr.FasterRCNN(image_size=50, generator=torch.Generator())
    model = fr.FasterRCNN(generator=torch.Generator())
    with pytest.raises(ValueError, match="images"):
        model(torch.zeros(1, 1, 32, 32))
    with pytest.raises(TypeError, match="generator"):
        data.detection_scenes(3, generator=None)
    with pytest.raises(ValueError, match="max_side"):
        data.detection_scenes(3, max_side=100, generator=torch.Generator())
    with pytest.raises(ValueError, match="proposals"):
        fr.proposal_recall([torch.zeros(0, 4)], torch.zeros(2, 3, 4), torch.zeros(2, 3, dtype=torch.int64))
    with pytest.raises(ValueError, match="gt_classes"):
        fr.anchor_recall(torch.tensor([[0.0, 0, 1, 1]]), torch.zeros(1, 3, 4), torch.full((1, 3), -1), 0.5)


def test_proposal_options_regress_nms_and_given_proposals():
    scenes = data.detection_scenes(3, generator=torch.Generator().manual_seed(7))
    model = fr.FasterRCNN(generator=torch.Generator().manual_seed(8))
    # regress=False: every proposal is one of the model's anchors (clipped to the image)
    anchors = det.clip_boxes(model.anchors, (48, 48))
    for p in fr.propose(model, scenes.images, n=10, regress=False):
        assert (det.box_iou(p, anchors).max(1).values > 0.999).all()
    # no NMS (threshold 1) keeps at least as many boxes, and no two boxes kept by NMS at 0.7 overlap above 0.7
    with_nms = fr.propose(model, scenes.images, n=200, nms_iou=0.7)
    without = fr.propose(model, scenes.images, n=200, nms_iou=1.0)
    for a, b in zip(with_nms, without):
        assert len(a) <= len(b)
        iou = det.box_iou(a, a) - torch.eye(len(a))
        assert (iou <= 0.7 + 1e-6).all()
    # given proposals replace the RPN: the ground-truth boxes as proposals give one detection source per box
    gt = [scenes.boxes[i][scenes.classes[i] >= 0] for i in range(3)]
    dets = fr.detect(model, scenes.images, proposals=gt, score_threshold=0.0, use_nms=False)
    assert [len(d.boxes) for d in dets] == [3 * len(g) for g in gt]
    with pytest.raises(ValueError, match="proposals"):
        fr.detect(model, scenes.images, proposals=gt[:2])
