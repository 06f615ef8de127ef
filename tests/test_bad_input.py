# ruff: noqa: E501  (a table: one wrong call per line reads best unwrapped)
"""Bad input everywhere: every public callable of paperlib rejects wrong input with a clear error.

One table, one row per wrong call: (callable, args, kwargs, exception type, regex). The regex must
match the message and name the argument (and usually what was expected), so a failing row says
which argument of which function lost its check. Rows run independently (parametrised), so one
failure hides none of the others, and the error must be raised by paperlib itself, not deep inside
torch. ``test_every_public_callable_has_a_row`` enumerates each module's ``__all__`` (or, for a
module without one, its public functions and classes) and fails for a callable without a row:
a new public function must add its rows here, or a new module its own file ``tests/bad_input/<module>.py``.

Conventions of the messages (``paperlib.checks``): TypeError for the wrong kind of object,
ValueError for the wrong shape or range; NaN and inf in float tensors are rejected; temperatures
and standard deviations lie in [1e-3, 1e6]; IoU thresholds for hits lie in (0, 1].
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil

import plotly.graph_objects as go
import pytest
import torch
from bad_input import INF, NAN, V_, T, bad, g, module_rows, poison  # noqa: F401  (helpers shared with tests/bad_input/*.py)
from torch import nn

import paperlib
from paperlib import checks, claims, explorer, layers, metrics, plotting, progress, runtime, source, train
from paperlib import data as D
from paperlib.latent import pixelcnn as PC
from paperlib.latent import sigma_vae as SV
from paperlib.latent import vae as V
from paperlib.latent import vq as VQ
from paperlib.latent import vq_vae2 as VQ2
from paperlib.methods import distillation as KD
from paperlib.methods import margin_losses as ML
from paperlib.methods import rca as RCA
from paperlib.vision import detection as DET
from paperlib.vision import faster_rcnn as FR
from paperlib.vision import stn as STN

# --------------------------------------------------------------------------- shared valid inputs
X3, Y1 = torch.randn(8, 3, generator=g()), torch.randn(8, 1, generator=g())
LOGITS = torch.randn(4, 3, generator=g())
LABELS = torch.tensor([0, 1, 2, 0])
PROBS = torch.softmax(LOGITS, 1)
X6 = torch.rand(3, 6, generator=g())  # VAE data in [0, 1]
MEAN, LOG_VAR = torch.zeros(3, 2), torch.zeros(3, 2)
DIGITS = torch.rand(2, 64, generator=g())
MASKS = torch.zeros(2, 6, 6, dtype=torch.long)
MASKS[:, 1:4, 1:4] = 1
IMG6, PRED6 = torch.rand(6, 6, generator=g()), MASKS[0]
REFS6, REF_MASKS6 = torch.rand(2, 6, 6, generator=g()), MASKS
BOX = torch.tensor([[0.0, 0.0, 2.0, 2.0]])
BOXES = torch.tensor([[0.0, 0.0, 2.0, 2.0], [1.0, 1.0, 3.0, 3.0]])
NAN_BOXES = torch.tensor([[0.0, 0.0, 2.0, 2.0], [NAN, 0.0, 2.0, 2.0]])
SCORES2 = torch.tensor([0.9, 0.8])
ANCHOR_LABELS = torch.tensor([1, 0, -1, 0])
IMG16 = torch.rand(1, 1, 16, 16, generator=g())
GT_BOXES = torch.tensor([[[1.0, 1.0, 6.0, 6.0], [0.0, 0.0, 0.0, 0.0]]])
GT_CLASSES = torch.tensor([[0, -1]])
U = torch.rand(2, 1, 8, 8, generator=g())
THETA = torch.tensor([[[1.0, 0, 0], [0, 1, 0]]]).repeat(2, 1, 1)
GRID = STN.affine_grid(THETA, (8, 8))
Z_E = torch.randn(2, 2, 3, 3, generator=g())
CODES = torch.zeros(1, 2, 2, dtype=torch.long)


def _mse(model, batch):
    return ((model(batch[0]) - batch[1]) ** 2).mean()


def _panel(T):
    return [go.Bar(y=[T])]


# --------------------------------------------------------------------------- shared small models
MLP = layers.mlp((4, 3), generator=g())
VAE_B = V.VAE(6, (8,), 2, generator=g())  # Bernoulli
VAE_G = V.VAE(6, (8,), 2, likelihood="gaussian", generator=g())
VAE_3 = V.VAE(6, (8,), 3, generator=g())
ENCODER = V.GaussianEncoder(6, (8,), 2, generator=g())
SIGMA_VAE = SV.SigmaVAE(6, (8,), 2, sigma_mode="fixed", generator=g())
SIGMA_VAE_OPT = SV.SigmaVAE(6, (8,), 2, sigma_mode="optimal", generator=g())
QUANT = VQ.VectorQuantizer(4, 2, generator=g())
VQVAE = VQ.VQVAE(num_codes=4, embedding_dim=2, hidden=4, generator=g())
VQVAE_Q0 = VQ.VQVAE(num_codes=4, embedding_dim=2, hidden=4, quantize=False, generator=g())
VQVAE2 = VQ2.VQVAE2(num_codes=4, embedding_dim=2, hidden=4, generator=g())
MASKED = PC.MaskedConv2d(2, 2, 3, "A")
BLOCK = PC.GatedResidualBlock(2)
BLOCK_C = PC.GatedResidualBlock(2, cond_channels=3)
PRIOR = PC.PixelCNNPrior(4, hidden=4, n_blocks=1, generator=g())
PRIOR_C = PC.PixelCNNPrior(4, hidden=4, n_blocks=1, cond_codes=2, generator=g())
TEACHER = KD.TeacherEnsemble([MLP])
EXP = ML.make_loss("Exp")
SCORER = ML.LinearScorer(2, generator=g())
POINTS = D.outlier_blobs(10, generator=g())
REVERSE = RCA.ReverseClassifier(generator=g())
RPN = FR.RPNHead(4, 2)
DETECTOR = FR.FasterRCNN(3, image_size=16, scales=(4.0,), ratios=(1.0,), channels=4, pool=2, hidden=8, generator=g())
FEATS = torch.rand(1, 4, 4, 4, generator=g())
ROIS = torch.tensor([[0.0, 1.0, 1.0, 6.0, 6.0]])
DETS = [FR.Detections(torch.tensor([[1.0, 1.0, 6.0, 6.0]]), torch.tensor([0.9]), torch.tensor([0]))]
LOC = STN.LocalisationNet((1, 8, 8), 4, generator=g())
ST = STN.SpatialTransformer((1, 8, 8), hidden=4, generator=g())
CNN = STN.SmallCNN((1, 8, 8), 3, (2, 2), generator=g())
STCNN = STN.STCNN((1, 8, 8), 3, (2, 2), hidden=4, generator=g())


# =========================================================================== the table
CORE = [
    # --- checks: the shared checks themselves
    bad("checks.tensor: not a tensor", checks.tensor, [1.0], "x", exc=T, match=r"x must be a torch\.Tensor, got list"),
    bad("checks.tensor: int dtype", checks.tensor, torch.zeros(2, dtype=torch.long), "x", exc=T, match="x must be a floating-point tensor"),
    bad("checks.tensor: shape spec", checks.tensor, torch.zeros(2, 3), "boxes", shape=("N", 4), match=r"boxes must have shape \(N, 4\), got \(2, 3\)"),
    bad("checks.tensor: NaN", checks.tensor, poison(torch.zeros(3)), "x", match=r"x must be finite \(no NaN or inf\), got 1 non-finite"),
    bad("checks.tensor: inf", checks.tensor, poison(torch.zeros(3), INF), "x", match="x must be finite"),
    bad("checks.tensor: dtype", checks.tensor, torch.zeros(2), "m", dtype=torch.bool, exc=T, match="m must be a torch.bool tensor"),
    bad("checks.same_shape: mismatch", checks.same_shape, torch.zeros(2), torch.zeros(3), "a", "b", match=r"b must have the shape of a \(2,\)"),
    bad("checks.real: bool", checks.real, True, "alpha", exc=T, match="alpha must be a real number, got bool"),
    bad("checks.real: NaN", checks.real, NAN, "alpha", match="alpha must be a finite number"),
    bad("checks.real: out of range", checks.real, 1.5, "alpha", low=0, high=1, match=r"alpha must be in \[0, 1\], got 1.5"),
    bad("checks.positive_real: 0", checks.positive_real, 0.0, "stride", match="stride must be a finite number > 0"),
    bad("checks.scale: 1e-40", checks.scale, 1e-40, "T", match=r"T must be in \[0.001, 1e\+06\]"),
    bad("checks.integer: float", checks.integer, 1.5, "k", exc=T, match="k must be an int, got float"),
    bad("checks.integer: range", checks.integer, 5, "cls", low=0, high=3, match=r"cls must be an int \(in \[0, 3\]\), got 5"),
    bad("checks.integer: multiple", checks.integer, 12, "size", multiple_of=8, match="size must be a multiple of 8, got 12"),
    bad("checks.positive_int: 0", checks.positive_int, 0, "K", match=r"K must be a positive int \(>= 1\), got 0"),
    bad("checks.positive_int: bool", checks.positive_int, True, "K", exc=T, match="K must be a positive int, got bool"),
    bad("checks.nonnegative_int: -1", checks.nonnegative_int, -1, "n", match=r"n must be a non-negative int \(>= 0\)"),
    bad("checks.odd_int: even", checks.odd_int, 4, "kernel_size", match="kernel_size must be an odd positive int, got 4"),
    bad("checks.generator: int", checks.generator, 1, exc=T, match="generator must be a torch.Generator, got int"),
    bad("checks.generator: optional", checks.generator, "g", optional=True, exc=T, match="generator must be a torch.Generator or None"),
    bad("checks.labels: float", checks.labels, torch.zeros(2), 2, exc=T, match="labels must be an integer tensor, got torch.float32"),
    bad("checks.labels: range", checks.labels, torch.tensor([0, 3]), 2, 3, match=r"labels must lie in \[0, 2\], got values in \[0, 3\]"),
    bad("checks.labels: length", checks.labels, torch.tensor([0, 1]), 3, match=r"labels must have shape \(3,\), got \(2,\)"),
    bad("checks.binary_mask: values", checks.binary_mask, MASKS * 2, "mask", match="mask must be a binary mask"),
    bad("checks.binary_mask: NaN", checks.binary_mask, poison(MASKS.float()), "mask", match="mask must be a binary mask"),
    bad("checks.probabilities: sum", checks.probabilities, torch.full((2, 2), 0.7), "p", match="p must be probabilities"),
    bad("checks.probabilities: NaN", checks.probabilities, poison(PROBS), "p", match="p must be finite"),
    bad("checks.values: range", checks.values, torch.tensor([0.5, 2.0]), "x", low=0, high=1, match=r"x must lie in \[0, 1\], got values in \[0.5, 2\]"),
    bad("checks.values: integral", checks.values, torch.tensor([0.5]), "i", integral=True, match="i must hold whole numbers, got 0.5"),
    bad("checks.integer_tensor: float", checks.integer_tensor, torch.zeros(2), "codes", exc=T, match="codes must be an integer tensor"),
    bad("checks.integer_tensor: range", checks.integer_tensor, torch.tensor([4]), "codes", low=0, high=3, match=r"codes must lie in \[0, 3\]"),
    bad("checks.boxes: x2 < x1", checks.boxes, torch.tensor([[2.0, 0, 1, 1]]), "boxes", match=r"boxes must be xyxy boxes with x2 >= x1 and y2 >= y1, got box 0"),
    bad("checks.boxes: NaN", checks.boxes, NAN_BOXES, "boxes", match="boxes must be finite"),
    bad("checks.boxes: empty box", checks.boxes, torch.zeros(1, 4), "anchors", positive=True, match="anchors must be xyxy boxes with x2 > x1"),
    bad("checks.sequence: str", checks.sequence, "abc", "sizes", exc=T, match=r"sizes must be a sequence \(list or tuple\)"),
    bad("checks.sequence: length", checks.sequence, [1, 2, 3], "size", length=2, match="size must hold 2 values, got 3"),
    bad("checks.sequence: empty", checks.sequence, [], "scales", match="scales must be a non-empty sequence"),
    bad("checks.sequence: item", checks.sequence, [1, 0], "sizes", checks.positive_int, match=r"sizes\[1\] must be a positive int"),
    bad("checks.choice: unknown", checks.choice, "c", "mode", ("a", "b"), match=r"mode must be one of \['a', 'b'\], got 'c'"),
    bad("checks.choice: not a str", checks.choice, 1, "mode", ("a", "b"), exc=T, match="mode must be a str"),
    bad("checks.instance: wrong class", checks.instance, 3, "model", nn.Module, exc=T, match="model must be a torch.nn.modules.module.Module, got int"),
    bad("checks.boolean: int", checks.boolean, 1, "flag", exc=T, match=r"flag must be a bool \(True or False\), got int"),
    bad("checks.string: empty", checks.string, "", "name", nonempty=True, match="name must be a non-empty str"),
    bad("checks.string: int", checks.string, 3, "desc", exc=T, match="desc must be a str, got int"),
    bad("checks.function: int", checks.function, 3, "panel", exc=T, match="panel must be callable, got int"),
    bad("checks.batch: not a sequence", checks.batch, torch.zeros(2), 1, "(x,)", exc=T, match=r"batch must be a tuple or list of tensors \(x,\)"),
    bad("checks.batch: too short", checks.batch, (torch.zeros(2),), 2, "(x, y)", match=r"batch must hold \(x, y\): at least 2 tensors, got 1"),
    # --- runtime
    bad("runtime.seed_everything: str seed", runtime.seed_everything, "3", exc=T, match="seed must be an int, got str"),
    bad("runtime.seed_everything: float seed", runtime.seed_everything, 1.5, exc=T, match="seed must be an int"),
    bad("runtime.seed_everything: seed too large", runtime.seed_everything, 2**64, match="seed must be an int"),
    bad("runtime.seed_everything: threads 0", runtime.seed_everything, 0, threads=0, match=r"threads must be a positive int \(>= 1\)"),
    bad("runtime.seed_everything: threads str", runtime.seed_everything, 0, threads="2", exc=T, match="threads must be a positive int"),
    bad("runtime.make_generator: bool seed", runtime.make_generator, True, exc=T, match="seed must be an int, got bool"),
    bad("runtime.make_generator: seed too small", runtime.make_generator, -(2**63) - 1, match="seed must be an int"),
    # --- train
    bad("train.fit: model", train.fit, "net", _mse, (X3, Y1), epochs=1, batch_size=4, generator=g(), exc=T, match="model must be a torch.nn.Module"),
    bad("train.fit: step_fn", train.fit, nn.Linear(3, 1), 3, (X3, Y1), epochs=1, batch_size=4, generator=g(), exc=T, match="step_fn must be callable"),
    bad("train.fit: data empty", train.fit, nn.Linear(3, 1), _mse, (), epochs=1, batch_size=4, generator=g(), exc=T, match="data must be a non-empty tuple"),
    bad("train.fit: data NaN", train.fit, nn.Linear(3, 1), _mse, (poison(X3), Y1), epochs=1, batch_size=4, generator=g(), match=r"data\[0\] must be finite"),
    bad("train.fit: data lengths", train.fit, nn.Linear(3, 1), _mse, (X3, Y1[:3]), epochs=1, batch_size=4, generator=g(), match="same first dimension"),
    bad("train.fit: epochs 0", train.fit, nn.Linear(3, 1), _mse, (X3, Y1), epochs=0, batch_size=4, generator=g(), match="epochs must be a positive int"),
    bad("train.fit: batch_size float", train.fit, nn.Linear(3, 1), _mse, (X3, Y1), epochs=1, batch_size=4.0, generator=g(), exc=T, match="batch_size"),
    bad("train.fit: generator", train.fit, nn.Linear(3, 1), _mse, (X3, Y1), epochs=1, batch_size=4, generator=0, exc=T, match="generator must be"),
    bad("train.fit: lr 0", train.fit, nn.Linear(3, 1), _mse, (X3, Y1), epochs=1, batch_size=4, generator=g(), lr=0.0, match="lr must be a finite number > 0"),
    bad("train.fit: lr NaN", train.fit, nn.Linear(3, 1), _mse, (X3, Y1), epochs=1, batch_size=4, generator=g(), lr=NAN, match="lr must be"),
    bad("train.fit: weight_decay < 0", train.fit, nn.Linear(3, 1), _mse, (X3, Y1), epochs=1, batch_size=4, generator=g(), weight_decay=-1.0,
        match="weight_decay must be a finite number >= 0"),
    bad("train.fit: optimizer", train.fit, nn.Linear(3, 1), _mse, (X3, Y1), epochs=1, batch_size=4, generator=g(), optimizer="adam", exc=T,
        match="optimizer must be a torch.optim.Optimizer"),
    bad("train.fit: progress", train.fit, nn.Linear(3, 1), _mse, (X3, Y1), epochs=1, batch_size=4, generator=g(), progress="no", exc=T,
        match="progress must be a bool"),
    bad("train.fit: desc", train.fit, nn.Linear(3, 1), _mse, (X3, Y1), epochs=1, batch_size=4, generator=g(), desc=3, exc=T, match="desc must be a str"),
    bad("train.predict: model", train.predict, "net", X3, exc=T, match="model must be a torch.nn.Module"),
    bad("train.predict: no parameters", train.predict, nn.ReLU(), X3, match="model must have parameters"),
    bad("train.predict: x list", train.predict, nn.Linear(3, 1), [[1.0, 2.0, 3.0]], exc=T, match="x must be a torch.Tensor"),
    bad("train.predict: x NaN", train.predict, nn.Linear(3, 1), poison(X3), match="x must be finite"),
    bad("train.predict: batch_size 0", train.predict, nn.Linear(3, 1), X3, 0, match="batch_size must be a positive int"),
    # --- metrics
    bad("metrics.accuracy: NaN logits score 1.0", metrics.accuracy, torch.tensor([[NAN, 0.0], [0.0, 1.0]]), torch.tensor([0, 1]),
        match=r"logits must be finite \(no NaN or inf\)"),
    bad("metrics.accuracy: inf logits", metrics.accuracy, poison(LOGITS, INF), LABELS, match="logits must be finite"),
    bad("metrics.accuracy: logits 1-D", metrics.accuracy, torch.zeros(4), LABELS, match=r"logits must have shape \(N, C\)"),
    bad("metrics.accuracy: logits list", metrics.accuracy, [[1.0, 0.0]], torch.tensor([0]), exc=T, match="logits must be a torch.Tensor"),
    bad("metrics.accuracy: labels float", metrics.accuracy, LOGITS, LABELS.float(), exc=T, match="labels must be an integer tensor"),
    bad("metrics.accuracy: labels range", metrics.accuracy, LOGITS, torch.tensor([0, 1, 2, 3]), match=r"labels must lie in \[0, 2\]"),
    bad("metrics.accuracy: labels length", metrics.accuracy, LOGITS, LABELS[:3], match=r"labels must have shape \(4,\)"),
    bad("metrics.ece: not probabilities", metrics.expected_calibration_error, torch.full((4, 3), 0.5), LABELS, match="probs must be probabilities"),
    bad("metrics.ece: NaN probs", metrics.expected_calibration_error, poison(PROBS), LABELS, match="probs must be finite"),
    bad("metrics.ece: n_bins 0", metrics.expected_calibration_error, PROBS, LABELS, 0, match="n_bins must be a positive int"),
    bad("metrics.ece: n_bins float", metrics.expected_calibration_error, PROBS, LABELS, 2.5, exc=T, match="n_bins must be a positive int"),
    bad("metrics.ece: labels float", metrics.expected_calibration_error, PROBS, LABELS.float(), exc=T, match="labels must be an integer tensor"),
    bad("metrics.reliability_bins: not probabilities", metrics.reliability_bins, torch.full((4, 3), 0.5), LABELS, match="probs must be probabilities"),
    bad("metrics.reliability_bins: labels length", metrics.reliability_bins, PROBS, LABELS[:3], match="labels"),
    bad("metrics.reliability_bins: n_bins 0", metrics.reliability_bins, PROBS, LABELS, 0, match="n_bins must be a positive int"),
    bad("metrics.mode_coverage: samples 1-D", metrics.mode_coverage, torch.zeros(4), torch.zeros(2, 2), 1.0, match=r"samples must have shape \(N, D\)"),
    bad("metrics.mode_coverage: centers dim", metrics.mode_coverage, torch.zeros(4, 2), torch.zeros(2, 3), 1.0, match=r"centers must have shape \(M, 2\)"),
    bad("metrics.mode_coverage: NaN samples", metrics.mode_coverage, poison(torch.zeros(4, 2)), torch.zeros(2, 2), 1.0, match="samples must be finite"),
    bad("metrics.mode_coverage: std 0", metrics.mode_coverage, torch.zeros(4, 2), torch.zeros(2, 2), 0.0, match="std must be a finite number > 0"),
    bad("metrics.mode_coverage: no samples", metrics.mode_coverage, torch.zeros(0, 2), torch.zeros(2, 2), 1.0, match="samples and centers must be non-empty"),
    bad("metrics.mode_coverage: min_count 0", metrics.mode_coverage, torch.zeros(4, 2), torch.zeros(2, 2), 1.0, min_count=0, match="min_count must be a positive int"),
    # --- layers
    bad("layers.seeded_init_: module", layers.seeded_init_, "net", g(), exc=T, match="module must be a torch.nn.Module, got str"),
    bad("layers.seeded_init_: generator", layers.seeded_init_, nn.Linear(2, 2), None, exc=T, match="generator must be a torch.Generator"),
    bad("layers.seeded_init_: zero_bias", layers.seeded_init_, nn.Linear(2, 2), g(), zero_bias=1, exc=T, match="zero_bias must be a bool"),
    bad("layers.mlp: one size", layers.mlp, (64,), generator=g(), match="sizes must be at least 2 positive ints"),
    bad("layers.mlp: size 0", layers.mlp, (64, 0, 10), generator=g(), match=r"sizes\[1\] must be a positive int"),
    bad("layers.mlp: float size", layers.mlp, (64, 2.5), generator=g(), exc=T, match=r"sizes\[1\] must be a positive int, got float"),
    bad("layers.mlp: sizes int", layers.mlp, 64, generator=g(), exc=T, match="sizes must be a sequence"),
    bad("layers.mlp: dropout 1", layers.mlp, (4, 2), dropout=1.0, generator=g(), match=r"dropout must be in \[0, 1\)"),
    bad("layers.mlp: dropout NaN", layers.mlp, (4, 2), dropout=NAN, generator=g(), match="dropout must be"),
    bad("layers.mlp: generator", layers.mlp, (4, 2), generator=0, exc=T, match="generator must be a torch.Generator"),
    # --- plotting, progress, source
    bad("plotting.show: dict", plotting.show, {"data": []}, exc=T, match="fig must be a plotly.graph_objects.Figure"),
    bad("plotting.clip_animation: 3-D", plotting.clip_animation, torch.zeros(2, 3, 4), ["a", "b"], match=r"videos must have shape \(N, T, H, W\)"),
    bad("plotting.clip_animation: titles", plotting.clip_animation, torch.zeros(2, 3, 4, 4), ["a"], match="titles must hold 2 clip titles"),
    bad("progress.progress_bar: total -1", progress.progress_bar, -1, "d", match="total must be a non-negative int"),
    bad("progress.progress_bar: total float", progress.progress_bar, 1.5, "d", exc=T, match="total must be a non-negative int"),
    bad("progress.progress_bar: desc", progress.progress_bar, 3, None, exc=T, match="desc must be a str"),
    bad("progress.progress_bar: disable", progress.progress_bar, 3, "d", "yes", exc=T, match="disable must be a bool"),
    bad("source.show_source: nothing", source.show_source, match="show_source needs at least one function or class"),
    bad("source.show_source: int", source.show_source, 3, exc=T, match="show_source takes functions or classes, got int"),
    # --- explorer
    bad("explorer.slider_figure: panel", explorer.slider_figure, 3, "T", [1.0], exc=T, match="panel must be callable"),
    bad("explorer.slider_figure: knob empty", explorer.slider_figure, _panel, "", [1.0], match="knob name must be a non-empty str"),
    bad("explorer.slider_figure: knob int", explorer.slider_figure, _panel, 3, [1.0], exc=T, match="knob name must be a non-empty str"),
    bad("explorer.slider_figure: values empty", explorer.slider_figure, _panel, "T", [], match="values for knob 'T' must be a non-empty sequence"),
    bad("explorer.slider_figure: values str", explorer.slider_figure, _panel, "T", "abc", exc=T, match="values for knob 'T' must be a sequence"),
    bad("explorer.slider_figure: values repeated", explorer.slider_figure, _panel, "T", [1.0, 1.0], match="values for knob 'T' must be distinct"),
    bad("explorer.slider_figure: active out of range", explorer.slider_figure, _panel, "T", [1.0, 2.0], active=2, match=r"active .* must be an int \(in \[0, 1\]\)"),
    bad("explorer.slider_figure: active str", explorer.slider_figure, _panel, "T", [1.0], active="0", exc=T, match="active .* must be an int"),
    bad("explorer.slider_figure: fixed", explorer.slider_figure, _panel, "T", [1.0], fixed=[1], exc=T, match="fixed must be a dict"),
    bad("explorer.slider_figure: title", explorer.slider_figure, _panel, "T", [1.0], title=None, exc=T, match="title must be a str"),
    bad("explorer.slider_figure: layout", explorer.slider_figure, _panel, "T", [1.0], layout="wide", exc=T, match="layout must be a dict"),
    bad("explorer.slider_figure: fmt", explorer.slider_figure, _panel, "T", [1.0], fmt="{:g}", exc=T, match="fmt must be callable"),
    bad("explorer.slider_figure: panel returns nothing", explorer.slider_figure, lambda T: [], "T", [1.0], exc=T, match=r"panel\(.*\) must return"),
    bad("explorer.live_widget: panel", explorer.live_widget, None, {"T": [1.0]}, exc=T, match="panel must be callable"),
    bad("explorer.live_widget: knobs list", explorer.live_widget, _panel, [1.0], exc=T, match="knobs must be a dict"),
    bad("explorer.live_widget: knob values empty", explorer.live_widget, _panel, {"T": []}, match="values for knob 'T' must be a non-empty"),
    bad("explorer.live_widget: title", explorer.live_widget, _panel, {"T": [1.0]}, title=1, exc=T, match="title must be a str"),
    bad("explorer.explore: panel", explorer.explore, 3, "T", [1.0], exc=T, match="panel must be callable"),
    bad("explorer.explore: more_knobs", explorer.explore, _panel, "T", [1.0], more_knobs=[("a", [1])], exc=T, match="more_knobs must be a dict"),
    bad("explorer.explore: values empty", explorer.explore, _panel, "T", [], match="values for knob 'T' must be a non-empty"),
    bad("explorer.explore: active", explorer.explore, _panel, "T", [1.0], active=-1, match="active"),
]

DATA = [
    bad("data.gaussian_ring: n 0", D.gaussian_ring, 0, generator=g(), match="n must be a positive int"),
    bad("data.gaussian_ring: modes 1", D.gaussian_ring, 10, modes=1, generator=g(), match=r"modes must be an int \(>= 2\)"),
    bad("data.gaussian_ring: radius 0", D.gaussian_ring, 10, radius=0.0, generator=g(), match="radius must be a finite number > 0"),
    bad("data.gaussian_ring: std NaN", D.gaussian_ring, 10, std=NAN, generator=g(), match="std must be"),
    bad("data.gaussian_ring: generator", D.gaussian_ring, 10, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("data.gaussian_grid: side 1", D.gaussian_grid, 10, side=1, generator=g(), match=r"side must be an int \(>= 2\)"),
    bad("data.gaussian_grid: spacing -1", D.gaussian_grid, 10, spacing=-1.0, generator=g(), match="spacing must be a finite number > 0"),
    bad("data.gaussian_grid: std 0", D.gaussian_grid, 10, std=0.0, generator=g(), match="std must be a finite number > 0"),
    bad("data.gaussian_grid: n float", D.gaussian_grid, 2.5, generator=g(), exc=T, match="n must be a positive int"),
    bad("data.two_moons: n 0", D.two_moons, 0, generator=g(), match="n must be a positive int"),
    bad("data.two_moons: noise -0.1", D.two_moons, 10, noise=-0.1, generator=g(), match="noise must be a finite number >= 0"),
    bad("data.two_moons: generator", D.two_moons, 10, generator=1, exc=T, match="generator must be a torch.Generator"),
    bad("data.detection_scenes: n 0", D.detection_scenes, 0, generator=g(), match="n must be a positive int"),
    bad("data.detection_scenes: size str", D.detection_scenes, 2, size="48", generator=g(), exc=T, match="size must be a positive int"),
    bad("data.detection_scenes: max_objects 0", D.detection_scenes, 2, max_objects=0, generator=g(), match="max_objects must be a positive int"),
    bad("data.detection_scenes: min_side 0.5", D.detection_scenes, 2, min_side=0.5, generator=g(), match=r"min_side must be in \[1, 48\]"),
    bad("data.detection_scenes: max_side > size", D.detection_scenes, 2, max_side=100, generator=g(), match="max_side must be in"),
    bad("data.detection_scenes: noise NaN", D.detection_scenes, 2, noise=NAN, generator=g(), match="noise must be a finite number"),
    bad("data.detection_scenes: generator", D.detection_scenes, 2, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("data.digits: test_fraction 1.5", D.digits, 1.5, generator=g(), match=r"test_fraction must be in \(0, 1\)"),
    bad("data.digits: test_fraction str", D.digits, "0.3", generator=g(), exc=T, match="test_fraction must be a real number"),
    bad("data.digits: generator", D.digits, 0.3, generator=5, exc=T, match="generator must be a torch.Generator"),
    bad("data.distorted_digits: x width", D.distorted_digits, torch.zeros(2, 63), 1.0, generator=g(), match=r"x \(8x8 digits\) must have shape \(N, 64\)"),
    bad("data.distorted_digits: x NaN", D.distorted_digits, poison(DIGITS), 1.0, generator=g(), match="x .* must be finite"),
    bad("data.distorted_digits: x int", D.distorted_digits, DIGITS.long(), 1.0, generator=g(), exc=T, match="x .* must be a floating-point tensor"),
    bad("data.distorted_digits: strength < 0", D.distorted_digits, DIGITS, -1.0, generator=g(), match="strength must be a finite number >= 0"),
    bad("data.distorted_digits: canvas 0", D.distorted_digits, DIGITS, 1.0, canvas=0, generator=g(), match="canvas must be a positive int"),
    bad("data.distorted_digits: digit_size float", D.distorted_digits, DIGITS, 1.0, digit_size=2.5, generator=g(), exc=T, match="digit_size"),
    bad("data.distorted_digits: max_angle < 0", D.distorted_digits, DIGITS, 1.0, max_angle=-1.0, generator=g(), match="max_angle must be"),
    bad("data.distorted_digits: max_log_scale NaN", D.distorted_digits, DIGITS, 1.0, max_log_scale=NAN, generator=g(), match="max_log_scale must be"),
    bad("data.distorted_digits: max_shift inf", D.distorted_digits, DIGITS, 1.0, max_shift=INF, generator=g(), match="max_shift must be"),
    bad("data.distorted_digits: generator", D.distorted_digits, DIGITS, 1.0, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("data.upsample_digits: x width", D.upsample_digits, torch.zeros(1, 63), match=r"x \(8x8 digits\) must have shape \(B, 64\)"),
    bad("data.upsample_digits: x list", D.upsample_digits, [[0.0] * 64], exc=T, match="x .* must be a torch.Tensor"),
    bad("data.upsample_digits: x NaN", D.upsample_digits, poison(DIGITS), match="x .* must be finite"),
    bad("data.upsample_digits: size 12", D.upsample_digits, DIGITS, 12, match="size must be a multiple of 8, got 12"),
    bad("data.upsample_digits: size 0", D.upsample_digits, DIGITS, 0, match=r"size must be an int \(>= 8\)"),
    bad("data.upsample_digits: size float", D.upsample_digits, DIGITS, 16.0, exc=T, match="size must be an int, got float"),
    bad("data.outlier_blobs: n 1", D.outlier_blobs, 1, generator=g(), match=r"n must be an int \(>= 2\), got 1"),
    bad("data.outlier_blobs: n str", D.outlier_blobs, "10", generator=g(), exc=T, match="n must be an int"),
    bad("data.outlier_blobs: label_noise 0.5", D.outlier_blobs, 10, label_noise=0.5, generator=g(), match=r"label_noise must be in \[0, 0.5\)"),
    bad("data.outlier_blobs: outlier_fraction", D.outlier_blobs, 10, outlier_fraction=-0.1, generator=g(), match=r"outlier_fraction must be in \[0, 1\]"),
    bad("data.outlier_blobs: outlier_center length", D.outlier_blobs, 10, outlier_center=(8.0,), generator=g(), match="outlier_center must hold 2"),
    bad("data.outlier_blobs: outlier_center NaN", D.outlier_blobs, 10, outlier_center=(NAN, 0.0), generator=g(), match=r"outlier_center\[0\]"),
    bad("data.outlier_blobs: generator", D.outlier_blobs, 10, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("data.organ_scans: n 0", D.organ_scans, 0, generator=g(), match="n must be a positive int"),
    bad("data.organ_scans: size float", D.organ_scans, 2, 24.0, generator=g(), exc=T, match="size must be a positive int"),
    bad("data.organ_scans: half_range too large", D.organ_scans, 2, half_range=(5.0, 20.0), generator=g(), match="half_range must satisfy"),
    bad("data.organ_scans: half_range number", D.organ_scans, 2, half_range=5.0, generator=g(), exc=T, match="half_range must be a sequence"),
    bad("data.organ_scans: half_range NaN", D.organ_scans, 2, half_range=(NAN, 6.0), generator=g(), match=r"half_range\[0\] must be a finite number"),
    bad("data.organ_scans: noise < 0", D.organ_scans, 2, noise=-0.1, generator=g(), match="noise must be a finite number >= 0"),
    bad("data.organ_scans: generator", D.organ_scans, 2, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("data.degrade_masks: not binary", D.degrade_masks, MASKS * 2, 1.0, generator=g(), match="masks must be a binary mask"),
    bad("data.degrade_masks: 2-D", D.degrade_masks, MASKS[0], 1.0, generator=g(), match=r"masks must have shape \(B, H, W\)"),
    bad("data.degrade_masks: list", D.degrade_masks, [[0, 1]], 1.0, generator=g(), exc=T, match="masks must be a torch.Tensor"),
    bad("data.degrade_masks: strength < 0", D.degrade_masks, MASKS, -1.0, generator=g(), match="strength must be a finite number >= 0"),
    bad("data.degrade_masks: strength NaN", D.degrade_masks, MASKS, NAN, generator=g(), match="strength must be a finite number"),
    bad("data.degrade_masks: generator", D.degrade_masks, MASKS, 1.0, generator=0, exc=T, match="generator must be a torch.Generator"),
]

LATENT = [
    # --- vae
    bad("vae.GaussianEncoder: in_dim 0", V.GaussianEncoder, 0, (8,), 2, generator=g(), match="in_dim must be a positive int"),
    bad("vae.GaussianEncoder: hidden int", V.GaussianEncoder, 6, 8, 2, generator=g(), exc=T, match="hidden must be a sequence"),
    bad("vae.GaussianEncoder: hidden 0", V.GaussianEncoder, 6, (0,), 2, generator=g(), match=r"hidden\[0\] must be a positive int"),
    bad("vae.GaussianEncoder: latent_dim 0", V.GaussianEncoder, 6, (8,), 0, generator=g(), match="latent_dim must be a positive int"),
    bad("vae.GaussianEncoder: generator", V.GaussianEncoder, 6, (8,), 2, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("vae.GaussianEncoder.forward: width", ENCODER, torch.zeros(3, 5), match=r"x must have shape \(B, 6\)"),
    bad("vae.GaussianEncoder.forward: NaN", ENCODER, poison(X6), match="x must be finite"),
    bad("vae.reparameterize: mean list", V.reparameterize, [[0.0]], LOG_VAR, exc=T, match="mean must be a torch.Tensor"),
    bad("vae.reparameterize: log_var shape", V.reparameterize, MEAN, LOG_VAR[:, :1], match="log_var must have the shape of mean"),
    bad("vae.reparameterize: NaN mean", V.reparameterize, poison(MEAN), LOG_VAR, match="mean must be finite"),
    bad("vae.reparameterize: noise shape", V.reparameterize, MEAN, LOG_VAR, noise=torch.zeros(2, 2), match=r"noise .* must have shape \(3, 2\)"),
    bad("vae.reparameterize: noise inf", V.reparameterize, MEAN, LOG_VAR, noise=poison(MEAN, INF), match="noise .* must be finite"),
    bad("vae.reparameterize: generator", V.reparameterize, MEAN, LOG_VAR, generator=0, exc=T, match="generator must be a torch.Generator or None"),
    bad("vae.gaussian_kl: shape", V.gaussian_kl, MEAN, LOG_VAR[:, :1], match="log_var must have the shape of mean"),
    bad("vae.gaussian_kl: 1-D", V.gaussian_kl, MEAN[0], LOG_VAR[0], match=r"mean must have shape \(B, D\)"),
    bad("vae.gaussian_kl: int", V.gaussian_kl, MEAN.long(), LOG_VAR, exc=T, match="mean must be a floating-point tensor"),
    bad("vae.gaussian_kl: NaN", V.gaussian_kl, MEAN, poison(LOG_VAR), match="log_var must be finite"),
    bad("vae.kl_monte_carlo: n_samples 0", V.kl_monte_carlo, MEAN, LOG_VAR, 0, match="n_samples must be a positive int"),
    bad("vae.kl_monte_carlo: generator", V.kl_monte_carlo, MEAN, LOG_VAR, 2, generator="g", exc=T, match="generator must be"),
    bad("vae.kl_monte_carlo: inf", V.kl_monte_carlo, poison(MEAN, INF), LOG_VAR, 2, match="mean must be finite"),
    bad("vae.bernoulli_log_likelihood: x > 1", V.bernoulli_log_likelihood, X6 + 1, X6, match=r"x \(Bernoulli targets\) must lie in \[0, 1\]"),
    bad("vae.bernoulli_log_likelihood: NaN x", V.bernoulli_log_likelihood, poison(X6), X6, match="x must be finite"),
    bad("vae.bernoulli_log_likelihood: NaN logits", V.bernoulli_log_likelihood, X6, poison(X6), match="logits must be finite"),
    bad("vae.bernoulli_log_likelihood: shape", V.bernoulli_log_likelihood, X6, X6[:, :3], match="logits must have the shape of x"),
    bad("vae.gaussian_log_likelihood: sigma < 0", V.gaussian_log_likelihood, X6, X6, sigma=-0.1, match=r"sigma must lie in \[0.001, 1e\+06\]"),
    bad("vae.gaussian_log_likelihood: sigma 1e-40", V.gaussian_log_likelihood, X6, X6, sigma=1e-40, match=r"sigma must lie in \[0.001"),
    bad("vae.gaussian_log_likelihood: sigma tensor 0", V.gaussian_log_likelihood, X6, X6, sigma=torch.tensor([1.0, 0, 1, 1, 1, 1]), match="sigma must lie in"),
    bad("vae.gaussian_log_likelihood: log_sigma inf", V.gaussian_log_likelihood, X6, X6, INF, match="log_sigma must be a finite number"),
    bad("vae.gaussian_log_likelihood: log_sigma -100", V.gaussian_log_likelihood, X6, X6, -100.0, match=r"log_sigma must lie in \[-6.9"),
    bad("vae.gaussian_log_likelihood: log_sigma str", V.gaussian_log_likelihood, X6, X6, "0", exc=T, match="log_sigma must be a real number"),
    bad("vae.gaussian_log_likelihood: log_sigma NaN tensor", V.gaussian_log_likelihood, X6, X6, poison(torch.zeros(6)), match="log_sigma must be finite"),
    bad("vae.gaussian_log_likelihood: neither sigma", V.gaussian_log_likelihood, X6, X6, match="give exactly one of log_sigma and sigma"),
    bad("vae.gaussian_log_likelihood: both sigmas", V.gaussian_log_likelihood, X6, X6, 0.0, sigma=1.0, match="give exactly one of log_sigma and sigma"),
    bad("vae.gaussian_log_likelihood: log_sigma shape", V.gaussian_log_likelihood, X6, X6, torch.zeros(5), match="log_sigma must broadcast"),
    bad("vae.gaussian_log_likelihood: mean shape", V.gaussian_log_likelihood, X6, X6[:, :3], 0.0, match="mean must have the shape of x"),
    bad("vae.VAE: likelihood", V.VAE, 6, (8,), 2, likelihood="poisson", generator=g(), match=r"likelihood must be one of \['bernoulli', 'gaussian'\]"),
    bad("vae.VAE: likelihood int", V.VAE, 6, (8,), 2, likelihood=1, generator=g(), exc=T, match="likelihood must be a str"),
    bad("vae.VAE: in_dim 0", V.VAE, 0, (8,), 2, generator=g(), match="in_dim must be a positive int"),
    bad("vae.VAE: latent_dim float", V.VAE, 6, (8,), 2.0, generator=g(), exc=T, match="latent_dim must be a positive int"),
    bad("vae.VAE: generator", V.VAE, 6, (8,), 2, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("vae.VAE.encode: width", VAE_B.encode, torch.zeros(3, 5), match=r"x must have shape \(B, 6\), got \(3, 5\)"),
    bad("vae.VAE.encode: NaN", VAE_B.encode, poison(X6), match="x must be finite"),
    bad("vae.VAE.decode_logits: width", VAE_B.decode_logits, torch.zeros(3, 5), match=r"z must have shape \(B, 2\)"),
    bad("vae.VAE.decode_logits: inf", VAE_B.decode_logits, poison(MEAN, INF), match="z must be finite"),
    bad("vae.VAE.decode: width", VAE_B.decode, torch.zeros(3, 5), match=r"z must have shape \(B, 2\)"),
    bad("vae.VAE.decode: list", VAE_B.decode, [[0.0, 0.0]], exc=T, match="z must be a torch.Tensor"),
    bad("vae.VAE.forward: int", VAE_B, X6.long(), exc=T, match="x must be a floating-point tensor"),
    bad("vae.VAE.forward: NaN", VAE_B, poison(X6), match="x must be finite"),
    bad("vae.VAE.forward: width", VAE_B, X6[:, :5], match=r"x must have shape \(B, 6\)"),
    bad("vae.elbo: model", V.elbo, nn.Linear(2, 2), X6, exc=T, match=r"model must be a paperlib\.latent\.vae\.VAE, got Linear"),
    bad("vae.elbo: beta < 0", V.elbo, VAE_B, X6, beta=-1.0, match="beta must be a finite number >= 0"),
    bad("vae.elbo: beta str", V.elbo, VAE_B, X6, beta="1", exc=T, match="beta must be a real number"),
    bad("vae.elbo: log_sigma with Bernoulli", V.elbo, VAE_B, X6, log_sigma=0.0, match="log_sigma is only for likelihood='gaussian'"),
    bad("vae.elbo: log_sigma str", V.elbo, VAE_G, X6, log_sigma="0", exc=T, match="log_sigma must be a real number"),
    bad("vae.elbo: x NaN", V.elbo, VAE_B, poison(X6), match="x must be finite"),
    bad("vae.elbo: generator", V.elbo, VAE_B, X6, generator=1, exc=T, match="generator must be a torch.Generator or None"),
    bad("vae.elbo: noise shape", V.elbo, VAE_B, X6, noise=torch.zeros(2, 2), match="noise .* must have shape"),
    bad("vae.elbo_step: beta NaN", V.elbo_step, beta=NAN, generator=g(), match="beta must be a finite number"),
    bad("vae.elbo_step: generator", V.elbo_step, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("vae.elbo_step: log_sigma", V.elbo_step, generator=g(), log_sigma=[0.0], exc=T, match="log_sigma must be a real number"),
    bad("vae.evaluate_elbo: model", V.evaluate_elbo, 3, X6, exc=T, match="model must be a paperlib.latent.vae.VAE"),
    bad("vae.evaluate_elbo: n_samples 0", V.evaluate_elbo, VAE_B, X6, n_samples=0, match="n_samples must be a positive int"),
    bad("vae.evaluate_elbo: generator", V.evaluate_elbo, VAE_B, X6, generator=1, exc=T, match="generator must be"),
    bad("vae.evaluate_elbo: x NaN", V.evaluate_elbo, VAE_B, poison(X6), match="x must be finite"),
    bad("vae.sample_prior: n 0", V.sample_prior, VAE_B, 0, match="n must be a positive int"),
    bad("vae.sample_prior: model", V.sample_prior, None, 2, exc=T, match="model must be a paperlib.latent.vae.VAE"),
    bad("vae.sample_prior: generator", V.sample_prior, VAE_B, 2, generator=1, exc=T, match="generator must be"),
    bad("vae.decode_grid: latent_dim 3", V.decode_grid, VAE_3, [0.0], [0.0], match="model must have latent_dim == 2"),
    bad("vae.decode_grid: model", V.decode_grid, "vae", [0.0], [0.0], exc=T, match="model must be a paperlib.latent.vae.VAE"),
    bad("vae.decode_grid: z1 empty", V.decode_grid, VAE_B, [], [0.0], match="z1 must be a non-empty sequence of numbers"),
    bad("vae.decode_grid: z1 str", V.decode_grid, VAE_B, ["a"], [0.0], exc=T, match=r"z1\[0\] must be a real number"),
    bad("vae.decode_grid: z2 NaN", V.decode_grid, VAE_B, [0.0], [NAN], match=r"z2\[0\] must be a finite number"),
    # --- sigma_vae
    bad("sigma_vae.optimal_log_sigma: shape", SV.optimal_log_sigma, X6, X6[:, :2], match="mean must have the shape of x"),
    bad("sigma_vae.optimal_log_sigma: NaN", SV.optimal_log_sigma, X6, poison(X6), match="mean must be finite"),
    bad("sigma_vae.optimal_log_sigma: mean == x", SV.optimal_log_sigma, X6, X6, match="mean equals x exactly"),
    bad("sigma_vae.softclip: list", SV.softclip, [0.0], exc=T, match="log_sigma must be a torch.Tensor"),
    bad("sigma_vae.softclip: NaN", SV.softclip, poison(torch.zeros(3)), match="log_sigma must be finite"),
    bad("sigma_vae.softclip: minimum str", SV.softclip, torch.zeros(3), "-6", exc=T, match="minimum must be a real number"),
    bad("sigma_vae.softclip: minimum -inf", SV.softclip, torch.zeros(3), -INF, match="minimum must be a finite number"),
    bad("sigma_vae.SigmaVAE: sigma_mode", SV.SigmaVAE, 6, (8,), 2, sigma_mode="adaptive", generator=g(), match="sigma_mode must be one of"),
    bad("sigma_vae.SigmaVAE: sigma 0", SV.SigmaVAE, 6, (8,), 2, sigma=0.0, generator=g(), match=r"sigma must be in \[0.001, 1e\+06\]"),
    bad("sigma_vae.SigmaVAE: sigma 1e-40", SV.SigmaVAE, 6, (8,), 2, sigma=1e-40, generator=g(), match="sigma must be in"),
    bad("sigma_vae.SigmaVAE: sigma str", SV.SigmaVAE, 6, (8,), 2, sigma="1", generator=g(), exc=T, match="sigma must be a real number"),
    bad("sigma_vae.SigmaVAE: generator", SV.SigmaVAE, 6, (8,), 2, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("sigma_vae.decoder_log_sigma: model", SV.decoder_log_sigma, VAE_G, X6, X6, exc=T, match="model must be a paperlib.latent.sigma_vae.SigmaVAE"),
    bad("sigma_vae.decoder_log_sigma: shape", SV.decoder_log_sigma, SIGMA_VAE, X6, X6[:2], match="mean must have the shape of x"),
    bad("sigma_vae.decoder_log_sigma: width", SV.decoder_log_sigma, SIGMA_VAE, X6[:, :3], X6[:, :3], match=r"x must have shape \(B, 6\)"),
    bad("sigma_vae.decoder_log_sigma: NaN (optimal sigma reads mean)", SV.decoder_log_sigma, SIGMA_VAE_OPT, X6, poison(X6), match="mean must be finite"),
    bad("sigma_vae.sigma_vae_elbo: model", SV.sigma_vae_elbo, VAE_G, X6, exc=T, match="model must be a paperlib.latent.sigma_vae.SigmaVAE"),
    bad("sigma_vae.sigma_vae_elbo: NaN", SV.sigma_vae_elbo, SIGMA_VAE, poison(X6), match="x must be finite"),
    bad("sigma_vae.sigma_vae_elbo: generator", SV.sigma_vae_elbo, SIGMA_VAE, X6, generator=0, exc=T, match="generator must be"),
    bad("sigma_vae.sigma_vae_step: generator", SV.sigma_vae_step, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("sigma_vae.beta_vae_objective: model", SV.beta_vae_objective, nn.Linear(6, 6), X6, 1.0, exc=T, match="model must be a paperlib.latent.vae.VAE"),
    bad("sigma_vae.beta_vae_objective: beta < 0", SV.beta_vae_objective, VAE_G, X6, -0.5, match="beta must be a finite number >= 0"),
    bad("sigma_vae.beta_vae_objective: NaN", SV.beta_vae_objective, VAE_G, poison(X6), 1.0, match="x must be finite"),
    bad("sigma_vae.beta_vae_step: beta < 0", SV.beta_vae_step, -0.5, generator=g(), match="beta must be a finite number >= 0"),
    bad("sigma_vae.beta_vae_step: generator", SV.beta_vae_step, 1.0, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("sigma_vae.fixed_sigma_objective: sigma 0", SV.fixed_sigma_objective, VAE_G, X6, 0.0, match="sigma must be in"),
    bad("sigma_vae.fixed_sigma_objective: sigma 1e-40", SV.fixed_sigma_objective, VAE_G, X6, 1e-40, match=r"sigma must be in \[0.001"),
    bad("sigma_vae.fixed_sigma_objective: Bernoulli", SV.fixed_sigma_objective, VAE_B, X6, 1.0, match="model must have likelihood='gaussian'"),
    bad("sigma_vae.fixed_sigma_objective: model", SV.fixed_sigma_objective, "vae", X6, 1.0, exc=T, match="model must be a paperlib.latent.vae.VAE"),
    bad("sigma_vae.equivalent_beta: 0", SV.equivalent_beta, 0.0, match=r"sigma must be in \[0.001, 1e\+06\]"),
    bad("sigma_vae.equivalent_beta: 1e300 overflows", SV.equivalent_beta, 1e300, match="sigma must be in"),
    bad("sigma_vae.equivalent_beta: str", SV.equivalent_beta, "1", exc=T, match="sigma must be a real number"),
    bad("sigma_vae.equivalent_sigma: 0", SV.equivalent_sigma, 0.0, match="beta must be a finite number > 0"),
    bad("sigma_vae.equivalent_sigma: inf", SV.equivalent_sigma, INF, match="beta must be a finite number > 0"),
    bad("sigma_vae.calibrated_log_sigma: model", SV.calibrated_log_sigma, nn.Linear(6, 6), X6, exc=T, match="model must be a paperlib.latent.vae.VAE"),
    bad("sigma_vae.calibrated_log_sigma: generator", SV.calibrated_log_sigma, VAE_G, X6, generator=5, exc=T, match="generator must be"),
    bad("sigma_vae.calibrated_log_sigma: NaN", SV.calibrated_log_sigma, VAE_G, poison(X6), match="x must be finite"),
]

LATENT_CODES = [
    # --- vq
    bad("vq.nearest_code: codebook 1-D", VQ.nearest_code, torch.zeros(2, 3), torch.zeros(3), match=r"codebook must have shape \(K, D\)"),
    bad("vq.nearest_code: codebook list", VQ.nearest_code, torch.zeros(2, 3), [[0.0] * 3], exc=T, match="codebook must be a torch.Tensor"),
    bad("vq.nearest_code: flat width", VQ.nearest_code, torch.zeros(2, 2), torch.zeros(4, 3), match=r"flat .* must have shape \(N, 3\)"),
    bad("vq.nearest_code: flat NaN", VQ.nearest_code, poison(torch.zeros(2, 3)), torch.zeros(4, 3), match="flat .* must be finite"),
    bad("vq.VectorQuantizer: num_codes 0", VQ.VectorQuantizer, 0, 2, generator=g(), match=r"num_codes \(K\) must be a positive int"),
    bad("vq.VectorQuantizer: num_codes float", VQ.VectorQuantizer, 2.5, 2, generator=g(), exc=T, match="num_codes"),
    bad("vq.VectorQuantizer: embedding_dim 0", VQ.VectorQuantizer, 4, 0, generator=g(), match=r"embedding_dim \(D\) must be a positive int"),
    bad("vq.VectorQuantizer: beta < 0", VQ.VectorQuantizer, 4, 2, beta=-0.1, generator=g(), match="beta must be a finite number >= 0"),
    bad("vq.VectorQuantizer: straight_through", VQ.VectorQuantizer, 4, 2, straight_through=1, generator=g(), exc=T, match="straight_through must be a bool"),
    bad("vq.VectorQuantizer: generator", VQ.VectorQuantizer, 4, 2, generator=0, exc=T, match="generator must be a torch.Generator"),
    bad("vq.VectorQuantizer.init_from: too few", QUANT.init_from, torch.zeros(1, 2, 1, 1), generator=g(), match="z_e must hold at least num_codes = 4"),
    bad("vq.VectorQuantizer.init_from: generator", QUANT.init_from, Z_E, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("vq.VectorQuantizer.init_from: NaN", QUANT.init_from, poison(Z_E), generator=g(), match="z_e .* must be finite"),
    bad("vq.VectorQuantizer.lookup: range", QUANT.lookup, torch.tensor([5]), match=r"indices must lie in \[0, 3\], got values in \[5, 5\]"),
    bad("vq.VectorQuantizer.lookup: float", QUANT.lookup, torch.tensor([1.0]), exc=T, match="indices must be an integer tensor"),
    bad("vq.VectorQuantizer.forward: channels", QUANT, torch.zeros(2, 3, 2, 2), match=r"z_e \(embedding_dim = 2 channels in dim 1\) must have shape \(B, 2, \*grid\)"),
    bad("vq.VectorQuantizer.forward: int", QUANT, torch.zeros(2, 2, dtype=torch.long), exc=T, match="z_e .* must be a floating-point tensor"),
    bad("vq.VectorQuantizer.forward: 1-D", QUANT, torch.zeros(2), match="z_e .* must have shape"),
    bad("vq.VectorQuantizer.forward: NaN", QUANT, poison(Z_E), match="z_e .* must be finite"),
    bad("vq.EMAVectorQuantizer: decay 1", VQ.EMAVectorQuantizer, 4, 2, decay=1.0, generator=g(), match=r"decay must be in \[0, 1\)"),
    bad("vq.EMAVectorQuantizer: decay NaN", VQ.EMAVectorQuantizer, 4, 2, decay=NAN, generator=g(), match="decay must be"),
    bad("vq.EMAVectorQuantizer: eps 0", VQ.EMAVectorQuantizer, 4, 2, eps=0.0, generator=g(), match="eps must be a finite number > 0"),
    bad("vq.EMAVectorQuantizer: generator", VQ.EMAVectorQuantizer, 4, 2, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("vq.codebook_usage: -1", VQ.codebook_usage, torch.tensor([-1]), 3, match=r"indices must lie in \[0, 2\]"),
    bad("vq.codebook_usage: empty", VQ.codebook_usage, torch.zeros(0, dtype=torch.long), 3, match="indices must hold at least one code"),
    bad("vq.codebook_usage: float", VQ.codebook_usage, torch.tensor([0.0]), 3, exc=T, match="indices must be an integer tensor"),
    bad("vq.codebook_usage: num_codes 0", VQ.codebook_usage, torch.tensor([0]), 0, match="num_codes must be a positive int"),
    bad("vq.VQVAE: hidden 0", VQ.VQVAE, hidden=0, generator=g(), match="hidden must be a positive int"),
    bad("vq.VQVAE: downsample 0", VQ.VQVAE, downsample=0, generator=g(), match="downsample must be a positive int"),
    bad("vq.VQVAE: num_codes 0", VQ.VQVAE, num_codes=0, generator=g(), match=r"num_codes \(K\) must be a positive int"),
    bad("vq.VQVAE: ema str", VQ.VQVAE, ema="no", generator=g(), exc=T, match="ema must be a bool"),
    bad("vq.VQVAE: quantize int", VQ.VQVAE, quantize=0, generator=g(), exc=T, match="quantize must be a bool"),
    bad("vq.VQVAE: decay 1", VQ.VQVAE, ema=True, decay=1.0, generator=g(), match="decay must be in"),
    bad("vq.VQVAE: generator", VQ.VQVAE, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("vq.VQVAE.forward: odd size", VQVAE, torch.zeros(2, 1, 7, 7), match=r"x's height \(a multiple of 2\^downsample\) must be a multiple of 2, got 7"),
    bad("vq.VQVAE.forward: NaN", VQVAE, poison(torch.zeros(2, 1, 4, 4)), match="x must be finite"),
    bad("vq.VQVAE.forward: list", VQVAE, [[0.0] * 16], exc=T, match="x must be a torch.Tensor"),
    bad("vq.VQVAE.init_codebook: generator", VQVAE.init_codebook, torch.zeros(2, 1, 4, 4), generator=None, exc=T, match="generator must be"),
    bad("vq.VQVAE.init_codebook: no quantiser", VQVAE_Q0.init_codebook, torch.zeros(2, 1, 4, 4), generator=g(), match="init_codebook needs a quantiser"),
    bad("vq.VQVAE.init_codebook: NaN", VQVAE.init_codebook, poison(torch.zeros(2, 1, 4, 4)), generator=g(), match="x must be finite"),
    bad("vq.VQVAE.encode: not square", VQVAE.encode, torch.zeros(2, 15), match=r"x must hold square images"),
    bad("vq.VQVAE.encode: NaN", VQVAE.encode, poison(torch.zeros(2, 16)), match="x must be finite"),
    bad("vq.VQVAE.encode: no quantiser", VQVAE_Q0.encode, torch.zeros(2, 16), match="encode needs a quantiser"),
    bad("vq.VQVAE.decode: range", VQVAE.decode, torch.full((1, 2, 2), 4), match=r"indices must lie in \[0, 3\]"),
    bad("vq.VQVAE.decode: 2-D", VQVAE.decode, torch.zeros(2, 2, dtype=torch.long), match=r"indices must have shape \(B, h, w\)"),
    bad("vq.VQVAE.decode: float", VQVAE.decode, torch.zeros(1, 2, 2), exc=T, match="indices must be an integer tensor"),
    bad("vq.vqvae_loss: model", VQ.vqvae_loss, "vqvae", torch.zeros(2, 16), exc=T, match="model must be a paperlib.latent.vq.VQVAE"),
    bad("vq.vqvae_loss: NaN", VQ.vqvae_loss, VQVAE, poison(torch.zeros(2, 16)), match="x must be finite"),
    bad("vq.vqvae_step: batch empty", VQ.vqvae_step, VQVAE, [], match=r"batch must hold \(x, \.\.\.\): at least 1 tensors"),
    bad("vq.vqvae_step: batch tensor", VQ.vqvae_step, VQVAE, torch.zeros(2, 16), exc=T, match="batch must be a tuple or list of tensors"),
    bad("vq.as_images: list", VQ.as_images, [[0.0] * 4], exc=T, match="x must be a torch.Tensor"),
    bad("vq.as_images: 3-D", VQ.as_images, torch.zeros(2, 4, 4), match=r"x must have shape \(B, side\*side\) or \(B, 1, H, W\)"),
    bad("vq.as_images: not square", VQ.as_images, torch.zeros(2, 15), match="x must hold square images"),
    bad("vq.as_images: side 0", VQ.as_images, torch.zeros(2, 16), 0, match="side must be a positive int"),
    bad("vq.as_images: side float", VQ.as_images, torch.zeros(2, 16), 4.0, exc=T, match="side must be a positive int"),
    bad("vq.as_images: NaN", VQ.as_images, poison(torch.zeros(2, 16)), match="x must be finite"),
    # --- pixelcnn
    bad("pixelcnn.MaskedConv2d: mask_type", PC.MaskedConv2d, 1, 1, 3, "C", match=r"mask_type must be one of \['A', 'B'\]"),
    bad("pixelcnn.MaskedConv2d: kernel 4", PC.MaskedConv2d, 1, 1, 4, "A", match="kernel_size must be an odd positive int, got 4"),
    bad("pixelcnn.MaskedConv2d: kernel 0", PC.MaskedConv2d, 1, 1, 0, "A", match="kernel_size must be an odd positive int"),
    bad("pixelcnn.MaskedConv2d: in_channels 0", PC.MaskedConv2d, 0, 1, 3, "A", match="in_channels must be a positive int"),
    bad("pixelcnn.MaskedConv2d: out_channels float", PC.MaskedConv2d, 1, 1.0, 3, "A", exc=T, match="out_channels must be a positive int"),
    bad("pixelcnn.MaskedConv2d.forward: channels", MASKED, torch.zeros(1, 3, 4, 4), match=r"x must have shape \(B, 2, H, W\)"),
    bad("pixelcnn.MaskedConv2d.forward: int", MASKED, torch.zeros(1, 2, 4, 4, dtype=torch.long), exc=T, match="x must be a floating-point tensor"),
    bad("pixelcnn.MaskedConv2d.forward: list", MASKED, [[0.0]], exc=T, match="x must be a torch.Tensor"),
    bad("pixelcnn.GatedResidualBlock: channels 0", PC.GatedResidualBlock, 0, match="channels must be a positive int"),
    bad("pixelcnn.GatedResidualBlock: kernel 2", PC.GatedResidualBlock, 2, 2, match="kernel_size must be an odd positive int"),
    bad("pixelcnn.GatedResidualBlock: cond_channels -1", PC.GatedResidualBlock, 2, 3, -1, match="cond_channels must be a non-negative int"),
    bad("pixelcnn.GatedResidualBlock.forward: channels", BLOCK, torch.zeros(1, 3, 4, 4), match=r"x must have shape \(B, 2, H, W\)"),
    bad("pixelcnn.GatedResidualBlock.forward: int", BLOCK, torch.zeros(1, 2, 4, 4, dtype=torch.long), exc=T, match="x must be a floating-point tensor"),
    bad("pixelcnn.GatedResidualBlock.forward: unexpected cond", BLOCK, torch.zeros(1, 2, 4, 4), torch.zeros(1, 3, 4, 4), match="cond must be None"),
    bad("pixelcnn.GatedResidualBlock.forward: missing cond", BLOCK_C, torch.zeros(1, 2, 4, 4), match="cond must be given"),
    bad("pixelcnn.GatedResidualBlock.forward: cond shape", BLOCK_C, torch.zeros(1, 2, 4, 4), torch.zeros(1, 3, 2, 2), match=r"cond must have shape \(1, 3, 4, 4\)"),
    bad("pixelcnn.PixelCNNPrior: num_codes 0", PC.PixelCNNPrior, 0, generator=g(), match="num_codes must be a positive int"),
    bad("pixelcnn.PixelCNNPrior: hidden 0", PC.PixelCNNPrior, 4, hidden=0, generator=g(), match="hidden must be a positive int"),
    bad("pixelcnn.PixelCNNPrior: n_blocks float", PC.PixelCNNPrior, 4, n_blocks=1.5, generator=g(), exc=T, match="n_blocks must be a positive int"),
    bad("pixelcnn.PixelCNNPrior: cond_codes -1", PC.PixelCNNPrior, 4, cond_codes=-1, generator=g(), match="cond_codes must be a non-negative int"),
    bad("pixelcnn.PixelCNNPrior: kernel 4", PC.PixelCNNPrior, 4, kernel_size=4, generator=g(), match="kernel_size must be an odd positive int"),
    bad("pixelcnn.PixelCNNPrior: generator", PC.PixelCNNPrior, 4, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("pixelcnn.PixelCNNPrior.forward: range", PRIOR, torch.full((1, 2, 2), 4), match=r"codes must lie in \[0, 3\]"),
    bad("pixelcnn.PixelCNNPrior.forward: float", PRIOR, torch.zeros(1, 2, 2), exc=T, match="codes must be an integer tensor"),
    bad("pixelcnn.PixelCNNPrior.forward: 2-D", PRIOR, torch.zeros(2, 2, dtype=torch.long), match=r"codes must have shape \(B, H, W\)"),
    bad("pixelcnn.PixelCNNPrior.forward: unexpected cond", PRIOR, CODES, torch.zeros(1, 1, 1, dtype=torch.long), match="cond must be None"),
    bad("pixelcnn.PixelCNNPrior.forward: missing cond", PRIOR_C, CODES, match="cond must be a"),
    bad("pixelcnn.PixelCNNPrior.forward: cond batch", PRIOR_C, CODES, torch.zeros(2, 1, 1, dtype=torch.long), match=r"cond must have shape \(1, h, w\)"),
    bad("pixelcnn.PixelCNNPrior.forward: cond range", PRIOR_C, CODES, torch.full((1, 1, 1), 2), match=r"cond must lie in \[0, 1\]"),
    bad("pixelcnn.prior_nll: prior", PC.prior_nll, "prior", CODES, exc=T, match="prior must be a paperlib.latent.pixelcnn.PixelCNNPrior"),
    bad("pixelcnn.prior_nll: codes", PC.prior_nll, PRIOR, torch.full((1, 2, 2), 9), match=r"codes must lie in \[0, 3\]"),
    bad("pixelcnn.prior_step: batch empty", PC.prior_step, PRIOR, (), match=r"batch must hold \(codes,\) or \(codes, cond\)"),
    bad("pixelcnn.prior_step: batch tensor", PC.prior_step, PRIOR, CODES, exc=T, match="batch must be a tuple or list of tensors"),
    bad("pixelcnn.sample_codes: prior", PC.sample_codes, None, 2, (2, 2), generator=g(), exc=T, match="prior must be a"),
    bad("pixelcnn.sample_codes: n 0", PC.sample_codes, PRIOR, 0, (2, 2), generator=g(), match="n must be a positive int"),
    bad("pixelcnn.sample_codes: shape length", PC.sample_codes, PRIOR, 2, (2,), generator=g(), match="shape must hold 2"),
    bad("pixelcnn.sample_codes: shape 0", PC.sample_codes, PRIOR, 2, (2, 0), generator=g(), match=r"shape\[1\] must be a positive int"),
    bad("pixelcnn.sample_codes: generator", PC.sample_codes, PRIOR, 2, (2, 2), generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("pixelcnn.sample_codes: temperature 0", PC.sample_codes, PRIOR, 2, (2, 2), generator=g(), temperature=0, match=r"temperature must be in \[0.001"),
    bad("pixelcnn.sample_codes: temperature 1e-40 gives NaN", PC.sample_codes, PRIOR, 2, (2, 2), generator=g(), temperature=1e-40,
        match=r"temperature must be in \[0.001, 1e\+06\], got 1e-40"),
    bad("pixelcnn.sample_codes: cond batch", PC.sample_codes, PRIOR_C, 2, (2, 2), generator=g(), cond=torch.zeros(3, 1, 1, dtype=torch.long),
        match=r"cond must have shape \(2, H, W\)"),
    # --- vq_vae2
    bad("vq_vae2.VQVAE2: hidden 0", VQ2.VQVAE2, hidden=0, generator=g(), match="hidden must be a positive int"),
    bad("vq_vae2.VQVAE2: num_codes 0", VQ2.VQVAE2, num_codes=0, generator=g(), match="num_codes"),
    bad("vq_vae2.VQVAE2: beta < 0", VQ2.VQVAE2, beta=-1.0, generator=g(), match="beta must be a finite number >= 0"),
    bad("vq_vae2.VQVAE2: ema int", VQ2.VQVAE2, ema=1, generator=g(), exc=T, match="ema must be a bool"),
    bad("vq_vae2.VQVAE2: generator", VQ2.VQVAE2, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("vq_vae2.VQVAE2.forward: size 12", VQVAE2, torch.zeros(1, 1, 12, 12), match="x's height S must be a multiple of 8, got 12"),
    bad("vq_vae2.VQVAE2.forward: 2 channels", VQVAE2, torch.zeros(1, 2, 16, 16), match=r"x must have shape \(B, 1, S, S\)"),
    bad("vq_vae2.VQVAE2.forward: NaN", VQVAE2, poison(IMG16), match="x must be finite"),
    bad("vq_vae2.VQVAE2.init_codebooks: generator", VQVAE2.init_codebooks, IMG16, generator=None, exc=T, match="generator must be"),
    bad("vq_vae2.VQVAE2.init_codebooks: size", VQVAE2.init_codebooks, torch.zeros(1, 1, 12, 12), generator=g(), match="x's height S"),
    bad("vq_vae2.VQVAE2.encode_codes: NaN", VQVAE2.encode_codes, poison(IMG16), match="x must be finite"),
    bad("vq_vae2.VQVAE2.encode_codes: list", VQVAE2.encode_codes, [[0.0]], exc=T, match="x must be a torch.Tensor"),
    bad("vq_vae2.VQVAE2.decode_codes: bottom size", VQVAE2.decode_codes, CODES, CODES, match=r"bottom \(twice the size of top\) must have shape \(1, 4, 4\)"),
    bad("vq_vae2.VQVAE2.decode_codes: top range", VQVAE2.decode_codes, torch.full((1, 2, 2), 7), torch.zeros(1, 4, 4, dtype=torch.long),
        match=r"top must lie in \[0, 3\]"),
    bad("vq_vae2.VQVAE2.decode_codes: top float", VQVAE2.decode_codes, torch.zeros(1, 2, 2), torch.zeros(1, 4, 4), exc=T, match="top must be an integer tensor"),
    bad("vq_vae2.restart_dead_codes: model", VQ2.restart_dead_codes, "model", IMG16, exc=T, match="model must be a VQVAE2 or a quantised"),
    bad("vq_vae2.restart_dead_codes: NaN", VQ2.restart_dead_codes, VQVAE2, poison(IMG16), match="x must be finite"),
    bad("vq_vae2.vqvae2_loss: model", VQ2.vqvae2_loss, VQVAE, IMG16, exc=T, match="model must be a paperlib.latent.vq_vae2.VQVAE2"),
    bad("vq_vae2.vqvae2_loss: NaN", VQ2.vqvae2_loss, VQVAE2, poison(IMG16), match="x must be finite"),
    bad("vq_vae2.vqvae2_step: batch empty", VQ2.vqvae2_step, VQVAE2, [], match=r"batch must hold \(x,\)"),
    bad("vq_vae2.vqvae2_step: batch tensor", VQ2.vqvae2_step, VQVAE2, IMG16, exc=T, match="batch must be a tuple or list of tensors"),
    bad("vq_vae2.classifier_step: model", VQ2.classifier_step, 3, (X3, LABELS), exc=T, match="model must be callable"),
    bad("vq_vae2.classifier_step: batch short", VQ2.classifier_step, MLP, (X3,), match=r"batch must hold \(x, y\)"),
    bad("vq_vae2.classifier_step: y float", VQ2.classifier_step, MLP, (torch.zeros(4, 4), LABELS.float()), exc=T, match="y must be an integer tensor"),
    bad("vq_vae2.rejection_sample: threshold 1.5", VQ2.rejection_sample, PROBS, 1.5, match=r"threshold must be in \[0, 1\]"),
    bad("vq_vae2.rejection_sample: not probabilities", VQ2.rejection_sample, torch.tensor([[2.0, 0.0]]), 0.5, match="probs must be probabilities"),
    bad("vq_vae2.rejection_sample: NaN probs", VQ2.rejection_sample, poison(PROBS), 0.5, match="probs must be finite"),
    bad("vq_vae2.rejection_sample: labels range", VQ2.rejection_sample, PROBS, 0.5, torch.tensor([0, 1, 2, 3]), match=r"labels must lie in \[0, 2\]"),
    bad("vq_vae2.rejection_sample: labels float", VQ2.rejection_sample, PROBS, 0.5, LABELS.float(), exc=T, match="labels must be an integer tensor"),
    bad("vq_vae2.mean_pairwise_distance: one sample", VQ2.mean_pairwise_distance, torch.zeros(1, 3), match="x must hold at least 2 samples"),
    bad("vq_vae2.mean_pairwise_distance: list", VQ2.mean_pairwise_distance, [[0.0], [1.0]], exc=T, match="x must be a torch.Tensor"),
    bad("vq_vae2.mean_pairwise_distance: NaN", VQ2.mean_pairwise_distance, poison(torch.zeros(3, 2)), match="x must be finite"),
    bad("vq_vae2.class_entropy: range", VQ2.class_entropy, torch.tensor([10]), 10, match=r"predicted must lie in \[0, 9\]"),
    bad("vq_vae2.class_entropy: float", VQ2.class_entropy, torch.tensor([1.0]), 10, exc=T, match="predicted must be an integer tensor"),
    bad("vq_vae2.class_entropy: empty", VQ2.class_entropy, torch.zeros(0, dtype=torch.long), 10, match="predicted must hold at least one"),
    bad("vq_vae2.class_entropy: num_classes 0", VQ2.class_entropy, torch.tensor([0]), 0, match="num_classes must be a positive int"),
]

METHODS = [
    # --- distillation
    bad("distillation.softmax_t: T 0", KD.softmax_t, LOGITS, 0, match=r"T \(temperature\) must be in \[0.001, 1e\+06\]"),
    bad("distillation.softmax_t: T 1e-40 gives NaN", KD.softmax_t, LOGITS, 1e-40, match=r"T \(temperature\) must be in \[0.001, 1e\+06\], got 1e-40"),
    bad("distillation.softmax_t: T NaN", KD.softmax_t, LOGITS, NAN, match=r"T \(temperature\) must be in"),
    bad("distillation.softmax_t: T str", KD.softmax_t, LOGITS, "2", exc=T, match=r"T \(temperature\) must be a real number"),
    bad("distillation.softmax_t: T bool", KD.softmax_t, LOGITS, True, exc=T, match=r"T \(temperature\) must be a real number, got bool"),
    bad("distillation.softmax_t: logits NaN", KD.softmax_t, poison(LOGITS), 2.0, match="logits must be finite"),
    bad("distillation.softmax_t: logits 1-D", KD.softmax_t, LOGITS[0], 2.0, match=r"logits must have shape \(B, C\)"),
    bad("distillation.softmax_t: logits int", KD.softmax_t, LOGITS.long(), 2.0, exc=T, match="logits must be a floating-point tensor"),
    bad("distillation.soft_cross_entropy: targets", KD.soft_cross_entropy, LOGITS, LOGITS, 2.0, match="soft_targets must be probabilities"),
    bad("distillation.soft_cross_entropy: shape", KD.soft_cross_entropy, LOGITS, PROBS[:2], 2.0, match="soft_targets must have the shape of student_logits"),
    bad("distillation.soft_cross_entropy: T 1e-40", KD.soft_cross_entropy, LOGITS, PROBS, 1e-40, match=r"T \(temperature\) must be in"),
    bad("distillation.soft_cross_entropy: NaN", KD.soft_cross_entropy, poison(LOGITS), PROBS, 2.0, match="student_logits must be finite"),
    bad("distillation.distillation_loss: alpha 1.5", KD.distillation_loss, LOGITS, PROBS, LABELS, T=2.0, alpha=1.5, match=r"alpha must be in \[0, 1\]"),
    bad("distillation.distillation_loss: T 0", KD.distillation_loss, LOGITS, PROBS, LABELS, T=0.0, alpha=0.5, match=r"T \(temperature\)"),
    bad("distillation.distillation_loss: T 1e300 overflows T^2", KD.distillation_loss, LOGITS, PROBS, LABELS, T=1e300, alpha=0.5,
        match=r"T \(temperature\) must be in \[0.001, 1e\+06\]"),
    bad("distillation.distillation_loss: labels length", KD.distillation_loss, LOGITS, PROBS, LABELS[:2], T=2.0, alpha=0.5, match=r"labels must have shape \(4,\)"),
    bad("distillation.distillation_loss: labels range", KD.distillation_loss, LOGITS, PROBS, LABELS + 1, T=2.0, alpha=0.5, match=r"labels must lie in \[0, 2\]"),
    bad("distillation.distillation_loss: labels float", KD.distillation_loss, LOGITS, PROBS, LABELS.float(), T=2.0, alpha=0.5, exc=T,
        match="labels must be an integer tensor"),
    bad("distillation.distillation_loss: NaN", KD.distillation_loss, poison(LOGITS), PROBS, LABELS, T=2.0, alpha=0.5, match="student_logits must be finite"),
    bad("distillation.TeacherEnsemble: empty", KD.TeacherEnsemble, [], match="members must be a non-empty sequence of nn.Modules"),
    bad("distillation.TeacherEnsemble: lambda", KD.TeacherEnsemble, [lambda x: x], exc=T, match=r"members\[0\] must be a torch.nn.Module, got function"),
    bad("distillation.TeacherEnsemble: module", KD.TeacherEnsemble, MLP, exc=T, match="members must be a sequence"),
    bad("distillation.TeacherEnsemble.member_logits: NaN", TEACHER.member_logits, poison(torch.zeros(2, 4)), match="x must be finite"),
    bad("distillation.TeacherEnsemble.member_logits: list", TEACHER.member_logits, [[0.0] * 4], exc=T, match="x must be a torch.Tensor"),
    bad("distillation.TeacherEnsemble.soft_targets: T 0", TEACHER.soft_targets, torch.zeros(2, 4), 0.0, match=r"T \(temperature\) must be in"),
    bad("distillation.TeacherEnsemble.soft_targets: T 1e-40", TEACHER.soft_targets, torch.zeros(2, 4), 1e-40, match=r"T \(temperature\) must be in"),
    bad("distillation.TeacherEnsemble.forward: NaN", TEACHER, poison(torch.zeros(2, 4)), match="x must be finite"),
    bad("distillation.TeacherEnsemble.forward: list", TEACHER, [[0.0] * 4], exc=T, match="x must be a torch.Tensor"),
    bad("distillation.soft_ce_grad: shape", KD.soft_ce_grad, LOGITS, LOGITS[:2], 2.0, match="teacher_logits must have the shape of student_logits"),
    bad("distillation.soft_ce_grad: T 1e-40", KD.soft_ce_grad, LOGITS, LOGITS, 1e-40, match=r"T \(temperature\) must be in"),
    bad("distillation.soft_ce_grad: int", KD.soft_ce_grad, LOGITS.long(), LOGITS, 2.0, exc=T, match="student_logits must be a floating-point tensor"),
    bad("distillation.logit_matching_grad: shape", KD.logit_matching_grad, LOGITS, LOGITS[:, :2], 2.0, match="teacher_logits must have the shape"),
    bad("distillation.logit_matching_grad: T 1e300", KD.logit_matching_grad, LOGITS, LOGITS, 1e300, match=r"T \(temperature\) must be in"),
    bad("distillation.logit_matching_grad: NaN", KD.logit_matching_grad, LOGITS, poison(LOGITS), 2.0, match="teacher_logits must be finite"),
    bad("train.classification_step: batch short", train.classification_step, MLP, (torch.zeros(4, 4),), match=r"batch must hold \(x, y\)"),
    bad("train.classification_step: y float", train.classification_step, MLP, (torch.zeros(4, 4), LABELS.float()), exc=T, match="y must be an integer tensor"),
    bad("train.classification_step: model", train.classification_step, "net", (torch.zeros(4, 4), LABELS), exc=T, match="model must be callable"),
    bad("distillation.distill_step: T 0", KD.distill_step, 0.0, 0.5, match=r"T \(temperature\) must be in"),
    bad("distillation.distill_step: alpha < 0", KD.distill_step, 2.0, -0.1, match=r"alpha must be in \[0, 1\]"),
    bad("distillation.shift_class_bias: cls 5", KD.shift_class_bias, MLP, 5, 1.0, match=r"cls \(a class index\) must be an int \(in \[0, 2\]\), got 5"),
    bad("distillation.shift_class_bias: cls -1", KD.shift_class_bias, MLP, -1, 1.0, match=r"cls \(a class index\)"),
    bad("distillation.shift_class_bias: cls float", KD.shift_class_bias, MLP, 1.0, 1.0, exc=T, match=r"cls \(a class index\) must be an int, got float"),
    bad("distillation.shift_class_bias: delta str", KD.shift_class_bias, MLP, 1, "big", exc=T, match="delta must be a real number"),
    bad("distillation.shift_class_bias: delta NaN", KD.shift_class_bias, MLP, 1, NAN, match="delta must be a finite number"),
    bad("distillation.shift_class_bias: no linear", KD.shift_class_bias, nn.ReLU(), 1, 1.0, match="model must end in an nn.Linear with a bias"),
    bad("distillation.shift_class_bias: model str", KD.shift_class_bias, "net", 1, 1.0, exc=T, match="model must be a torch.nn.Module"),
    bad("distillation.best_bias_shift: deltas empty", KD.best_bias_shift, LOGITS, LABELS, 1, [], match="deltas must be a non-empty sequence of numbers"),
    bad("distillation.best_bias_shift: deltas NaN", KD.best_bias_shift, LOGITS, LABELS, 1, [NAN], match=r"deltas\[0\] must be a finite number"),
    bad("distillation.best_bias_shift: deltas str", KD.best_bias_shift, LOGITS, LABELS, 1, "1", exc=T, match="deltas must be a sequence"),
    bad("distillation.best_bias_shift: cls 3", KD.best_bias_shift, LOGITS, LABELS, 3, [1.0], match=r"cls \(a class index\) must be an int \(in \[0, 2\]\)"),
    bad("distillation.best_bias_shift: labels", KD.best_bias_shift, LOGITS, LABELS[:2], 1, [1.0], match=r"labels must have shape \(4,\)"),
    bad("distillation.best_bias_shift: logits 1-D", KD.best_bias_shift, torch.zeros(4), LABELS, 1, [1.0], match=r"logits must have shape \(B, C\)"),
    bad("distillation.best_bias_shift: logits NaN", KD.best_bias_shift, poison(LOGITS), LABELS, 1, [1.0], match="logits must be finite"),
    # --- margin_losses
    bad("margin_losses.MarginLoss.value: list", EXP.value, [0.1, 0.2], exc=T, match=r"a \(the agreement y\*f\(x\)\) must be a torch.Tensor"),
    bad("margin_losses.MarginLoss.value: NaN", EXP.value, poison(torch.zeros(3)), match=r"a \(the agreement y\*f\(x\)\) must be finite"),
    bad("margin_losses.MarginLoss.value: via __call__", EXP, torch.tensor([1, 2]), exc=T, match=r"a \(the agreement.*floating"),
    bad("margin_losses.MarginLoss.deriv: int", EXP.deriv, torch.tensor([1, 2]), exc=T, match=r"a \(the agreement.*floating"),
    bad("margin_losses.MarginLoss.deriv: inf", EXP.deriv, poison(torch.zeros(3), -INF), match=r"a \(the agreement y\*f\(x\)\) must be finite"),
    bad("margin_losses.SmoothedL1HingeLoss: gamma 0", ML.SmoothedL1HingeLoss, 0.0, match=r"gamma must be in \[0.001, 100\]"),
    bad("margin_losses.SmoothedL1HingeLoss: gamma 1e-40", ML.SmoothedL1HingeLoss, 1e-40, match=r"gamma must be in \[0.001, 100\]"),
    bad("margin_losses.SmoothedL1HingeLoss: gamma 1e4", ML.SmoothedL1HingeLoss, 1e4, match="gamma must be in"),
    bad("margin_losses.SmoothedL1HingeLoss: gamma str", ML.SmoothedL1HingeLoss, "2", exc=T, match="gamma must be a real number"),
    bad("margin_losses.DWDMarginLoss: q 0", ML.DWDMarginLoss, 0, match=r"q must be in \[0.001, 100\]"),
    bad("margin_losses.DWDMarginLoss: q 1000 overflows q^q", ML.DWDMarginLoss, 1000.0, match=r"q must be in \[0.001, 100\], got 1000"),
    bad("margin_losses.DWDMarginLoss: q bool", ML.DWDMarginLoss, True, exc=T, match="q must be a real number, got bool"),
    bad("margin_losses.make_loss: unknown", ML.make_loss, "Hinge", match="name must be one of"),
    bad("margin_losses.make_loss: int", ML.make_loss, 3, exc=T, match="name must be a str"),
    bad("margin_losses.make_loss: gamma NaN", ML.make_loss, "Exp", gamma=NAN, match="gamma must be in"),
    bad("margin_losses.make_loss: q inf", ML.make_loss, "DWDMargin", q=INF, match="q must be in"),
    bad("margin_losses.second_differences: loss", ML.second_differences, lambda a: a, -1.0, 1.0, 0.1, exc=T, match="loss must be a MarginLoss"),
    bad("margin_losses.second_differences: hi < lo", ML.second_differences, EXP, 1.0, -1.0, 0.1, match="hi must be a finite number > 1"),
    bad("margin_losses.second_differences: step 0", ML.second_differences, EXP, -1.0, 1.0, 0.0, match=r"step must be in \[2e-07, 1\]"),
    bad("margin_losses.second_differences: step too fine", ML.second_differences, EXP, -1.0, 1.0, 1e-12, match=r"step must be in \[2e-07, 1\]"),
    bad("margin_losses.second_differences: lo NaN", ML.second_differences, EXP, NAN, 1.0, 0.1, match="lo must be a finite number"),
    bad("margin_losses.min_curvature: radius 0", ML.min_curvature, EXP, 0.0, match=r"radius must be in \[0.01, 50000\]"),
    bad("margin_losses.min_curvature: radius 1e9", ML.min_curvature, EXP, 1e9, match="radius must be in"),
    bad("margin_losses.min_curvature: radius str", ML.min_curvature, EXP, "10", exc=T, match="radius must be a real number"),
    bad("margin_losses.min_curvature: loss", ML.min_curvature, "Exp", 10.0, exc=T, match="loss must be a MarginLoss"),
    bad("margin_losses.lipschitz_estimate: hi < lo", ML.lipschitz_estimate, EXP, 1.0, -1.0, 1e-2, match="hi must be a finite number > 1"),
    bad("margin_losses.lipschitz_estimate: step too fine", ML.lipschitz_estimate, EXP, -50.0, 50.0, 1e-9, match="step must be in"),
    bad("margin_losses.lipschitz_estimate: loss", ML.lipschitz_estimate, None, -1.0, 1.0, 1e-2, exc=T, match="loss must be a MarginLoss"),
    *(
        bad(f"margin_losses.{fn.__name__}: loss str", fn, "Exp", exc=T, match=r"loss must be a MarginLoss \(e\.g\. make_loss\('Exp'\)\), got str")
        for fn in (
            ML.is_convex, ML.is_strictly_convex, ML.is_strongly_convex, ML.is_locally_lipschitz, ML.is_lipschitz, ML.is_differentiable,
            ML.is_twice_differentiable, ML.is_bounded, ML.is_calibrated, ML.is_clipable, ML.measure_properties, ML.property_mismatches,
            ML.margin_step,
        )
    ),
    bad("margin_losses.calibration_gap: eta 0.5", ML.calibration_gap, EXP, torch.tensor([0.5]), match="eta must not hold 0.5"),
    bad("margin_losses.calibration_gap: eta 1.5", ML.calibration_gap, EXP, torch.tensor([1.5]), match=r"eta must lie in \(0, 1\)"),
    bad("margin_losses.calibration_gap: eta list", ML.calibration_gap, EXP, [0.3], exc=T, match="eta must be a torch.Tensor"),
    bad("margin_losses.calibration_gap: eta NaN", ML.calibration_gap, EXP, torch.tensor([NAN]), match="eta must be finite"),
    bad("margin_losses.calibration_gap: eta 2-D", ML.calibration_gap, EXP, torch.full((1, 1), 0.3), match=r"eta must have shape \(K,\)"),
    bad("margin_losses.calibration_gap: loss", ML.calibration_gap, 1, exc=T, match="loss must be a MarginLoss"),
    bad("margin_losses.trait_mismatches: loss", ML.trait_mismatches, "Exp", {"convex": True}, exc=T, match="loss must be a MarginLoss"),
    bad("margin_losses.trait_mismatches: unknown trait", ML.trait_mismatches, EXP, {"shiny": True}, match=r"declared must map trait names from \['convex'"),
    bad("margin_losses.trait_mismatches: declared list", ML.trait_mismatches, EXP, ["convex"], match="declared must map trait names"),
    bad("layers.small_linear: in_features 0", layers.small_linear, 0, std=0.1, generator=g(), match="in_features must be a positive int"),
    bad("layers.small_linear: std 0", layers.small_linear, 3, std=0.0, generator=g(), match="std must be"),
    bad("layers.small_linear: std NaN", layers.small_linear, 3, std=NAN, generator=g(), match="std must be"),
    bad("layers.small_linear: generator", layers.small_linear, 3, std=0.1, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("margin_losses.LinearScorer: dim 0", ML.LinearScorer, 0, generator=g(), match="dim must be a positive int"),
    bad("margin_losses.LinearScorer: generator", ML.LinearScorer, 2, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("margin_losses.LinearScorer.forward: width", SCORER, torch.zeros(3, 3), match=r"x must have shape \(N, 2\)"),
    bad("margin_losses.LinearScorer.forward: NaN", SCORER, poison(torch.zeros(3, 2)), match="x must be finite"),
    bad("margin_losses.train_linear: data tuple", ML.train_linear, EXP, (torch.zeros(3, 2), torch.ones(3)), generator=g(), exc=T,
        match=r"data must be a LabelledPoints \(from paperlib.data.outlier_blobs\), got tuple"),
    bad("margin_losses.train_linear: loss", ML.train_linear, "Exp", POINTS, generator=g(), exc=T, match="loss must be a MarginLoss"),
    bad("margin_losses.train_linear: generator", ML.train_linear, EXP, POINTS, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("margin_losses.train_linear: epochs 0", ML.train_linear, EXP, POINTS, generator=g(), epochs=0, match="epochs must be a positive int"),
    bad("margin_losses.train_linear: lr < 0", ML.train_linear, EXP, POINTS, generator=g(), lr=-1.0, match="lr must be a finite number > 0"),
    bad("margin_losses.sign_accuracy: data", ML.sign_accuracy, SCORER, torch.zeros(3, 2), exc=T, match="data must be a LabelledPoints"),
    bad("margin_losses.sign_accuracy: model", ML.sign_accuracy, 3, POINTS, exc=T, match="model must be callable"),
    # --- rca
    bad("rca.dice: shape", RCA.dice, MASKS, MASKS[:, :5], match="b must have the shape of a"),
    bad("rca.dice: not binary", RCA.dice, MASKS.float() * 0.5, MASKS, match="a must be a binary mask"),
    bad("rca.dice: NaN", RCA.dice, MASKS, poison(MASKS.float()), match="b must be a binary mask"),
    bad("rca.dice: 2-D", RCA.dice, MASKS[0], MASKS[0], match=r"a must have shape \(B, H, W\)"),
    bad("rca.dice: list", RCA.dice, [[0, 1]], MASKS, exc=T, match="a must be a torch.Tensor"),
    bad("rca.pixel_features: windows even", RCA.pixel_features, REFS6, (4,), match=r"windows\[0\] must be an odd positive int"),
    bad("rca.pixel_features: windows empty", RCA.pixel_features, REFS6, (), match="windows must be a non-empty sequence"),
    bad("rca.pixel_features: windows float", RCA.pixel_features, REFS6, (3.0,), exc=T, match=r"windows\[0\] must be an odd positive int, got float"),
    bad("rca.pixel_features: images 2-D", RCA.pixel_features, IMG6, match=r"images must have shape \(B, H, W\)"),
    bad("rca.pixel_features: NaN", RCA.pixel_features, poison(REFS6), match="images must be finite"),
    bad("rca.ReverseClassifier: n_features 0", RCA.ReverseClassifier, 0, generator=g(), match="n_features must be a positive int"),
    bad("rca.ReverseClassifier: generator", RCA.ReverseClassifier, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("rca.ReverseClassifier.forward: features width", REVERSE, torch.zeros(5, 3), match=r"features must have shape \(\*batch, 4\)"),
    bad("rca.ReverseClassifier.forward: NaN", REVERSE, poison(torch.zeros(5, 4)), match="features must be finite"),
    bad("rca.ReverseClassifier.segment: 2-D", REVERSE.segment, IMG6, match=r"images must have shape \(B, H, W\)"),
    bad("rca.ReverseClassifier.segment: NaN", REVERSE.segment, poison(REFS6), match="images must be finite"),
    bad("rca.reverse_step: batch short", RCA.reverse_step, REVERSE, (torch.zeros(5, 4),), match=r"batch must hold \(features, labels\)"),
    bad("rca.reverse_step: labels range", RCA.reverse_step, REVERSE, (torch.zeros(5, 4), torch.full((5,), 2.0)), match=r"labels must lie in \[0, 1\]"),
    bad("rca.reverse_step: labels shape", RCA.reverse_step, REVERSE, (torch.zeros(5, 4), torch.zeros(4)), match=r"labels must have shape \(5,\)"),
    bad("rca.fit_reverse_classifier: not binary", RCA.fit_reverse_classifier, IMG6, IMG6, generator=g(), match="prediction must be a binary mask"),
    bad("rca.fit_reverse_classifier: prediction size", RCA.fit_reverse_classifier, IMG6, PRED6[:5], generator=g(), match=r"prediction must have shape \(6, 6\)"),
    bad("rca.fit_reverse_classifier: image NaN", RCA.fit_reverse_classifier, poison(IMG6), PRED6, generator=g(), match="image must be finite"),
    bad("rca.fit_reverse_classifier: generator", RCA.fit_reverse_classifier, IMG6, PRED6, generator=None, exc=T, match="generator must be"),
    bad("rca.fit_reverse_classifier: epochs 0", RCA.fit_reverse_classifier, IMG6, PRED6, generator=g(), epochs=0, match="epochs must be a positive int"),
    bad("rca.fit_reverse_classifier: lr 0", RCA.fit_reverse_classifier, IMG6, PRED6, generator=g(), lr=0.0, match="lr must be a finite number > 0"),
    bad("rca.atlas_forward: max_shift 0", RCA.atlas_forward, IMG6, PRED6, REFS6, max_shift=0, match="max_shift must be a positive int"),
    bad("rca.atlas_forward: refs size", RCA.atlas_forward, IMG6, PRED6, torch.rand(2, 5, 5), match=r"ref_images \(the size of image\) must have shape \(m, 6, 6\)"),
    bad("rca.atlas_forward: prediction size", RCA.atlas_forward, IMG6, PRED6[:, :5], REFS6, match=r"prediction must have shape \(6, 6\)"),
    bad("rca.atlas_forward: image 3-D", RCA.atlas_forward, REFS6, PRED6, REFS6, match=r"image must have shape \(H, W\)"),
    bad("rca.atlas_forward: image NaN", RCA.atlas_forward, poison(IMG6), PRED6, REFS6, match="image must be finite"),
    bad("rca.rca: method", RCA.rca, IMG6, PRED6, REFS6, REF_MASKS6, method="rf", match=r"method must be one of \['atlas', 'pixel'\]"),
    bad("rca.rca: ref_masks count", RCA.rca, IMG6, PRED6, REFS6, REF_MASKS6[:1], match="ref_masks must have the shape of ref_images"),
    bad("rca.rca: ref_masks not binary", RCA.rca, IMG6, PRED6, REFS6, REFS6, match="ref_masks must be a binary mask"),
    bad("rca.rca: image size", RCA.rca, IMG6[:5], PRED6, REFS6, REF_MASKS6, match=r"image \(the size of the references\) must have shape \(6, 6\)"),
    bad("rca.rca: prediction not binary", RCA.rca, IMG6, IMG6, REFS6, REF_MASKS6, match="prediction must be a binary mask"),
    bad("rca.rca: no references", RCA.rca, IMG6, PRED6, REFS6[:0], REF_MASKS6[:0], match="ref_images must hold at least one reference"),
    bad("rca.rca: generator", RCA.rca, IMG6, PRED6, REFS6, REF_MASKS6, generator=1, exc=T, match="generator must be a torch.Generator or None"),
    bad("rca.rca: epochs 0", RCA.rca, IMG6, PRED6, REFS6, REF_MASKS6, epochs=0, match="epochs must be a positive int"),
    bad("rca.rca: pixel without generator", RCA.rca, IMG6, PRED6, REFS6, REF_MASKS6, method="pixel", exc=T, match="generator must be a torch.Generator"),
    bad("rca.rca: references NaN", RCA.rca, IMG6, PRED6, poison(REFS6), REF_MASKS6, match="ref_images must be finite"),
    bad("rca.shape_only_dice: prediction size", RCA.shape_only_dice, PRED6[:5], REF_MASKS6, match=r"prediction must have shape \(6, 6\)"),
    bad("rca.shape_only_dice: not binary", RCA.shape_only_dice, PRED6, REFS6, match="ref_masks must be a binary mask"),
    bad("rca.shape_only_dice: max_shift 0", RCA.shape_only_dice, PRED6, REF_MASKS6, max_shift=0, match="max_shift must be a positive int"),
    bad("rca.shape_only_dice: list", RCA.shape_only_dice, [[0, 1]], REF_MASKS6, exc=T, match="prediction must be a torch.Tensor"),
]

VISION = [
    # --- detection
    bad("detection.anchor_shapes: scales empty", DET.anchor_shapes, [], [1.0], match="scales must be a non-empty sequence of positive numbers"),
    bad("detection.anchor_shapes: ratio < 0", DET.anchor_shapes, [4.0], [-1.0], match=r"ratios\[0\] must be a finite number > 0"),
    bad("detection.anchor_shapes: scales str", DET.anchor_shapes, "8", [1.0], exc=T, match="scales must be a sequence"),
    bad("detection.anchor_shapes: scale NaN", DET.anchor_shapes, [NAN], [1.0], match=r"scales\[0\] must be a finite number > 0"),
    bad("detection.make_anchors: feature_size length", DET.make_anchors, (3,), 4, [4], [1], match=r"feature_size must hold 2 positive ints \(H, W\)"),
    bad("detection.make_anchors: feature_size 0", DET.make_anchors, (3, 0), 4, [4], [1], match=r"feature_size\[1\] must be a positive int"),
    bad("detection.make_anchors: feature_size int", DET.make_anchors, 3, 4, [4], [1], exc=T, match="feature_size must be a sequence"),
    bad("detection.make_anchors: stride 0", DET.make_anchors, (3, 3), 0, [4], [1], match="stride must be a finite number > 0"),
    bad("detection.make_anchors: stride NaN", DET.make_anchors, (3, 3), NAN, [4], [1], match="stride must be a finite number > 0"),
    bad("detection.box_iou: x2 < x1", DET.box_iou, torch.tensor([[2.0, 0, 1, 1]]), BOX, match="boxes1 must be xyxy boxes with x2 >= x1"),
    bad("detection.box_iou: 5 columns", DET.box_iou, BOX, torch.zeros(3, 5), match=r"boxes2 must have shape \(N, 4\), got \(3, 5\)"),
    bad("detection.box_iou: NaN boxes", DET.box_iou, NAN_BOXES, BOX, match="boxes1 must be finite"),
    bad("detection.box_iou: list", DET.box_iou, [[0.0, 0, 1, 1]], BOX, exc=T, match="boxes1 must be a torch.Tensor"),
    bad("detection.encode_boxes: empty anchors", DET.encode_boxes, BOX, torch.zeros(1, 4), match=r"anchors must be xyxy boxes with x2 > x1 and y2 > y1"),
    bad("detection.encode_boxes: shape", DET.encode_boxes, BOXES, BOX, match="anchors must have the shape of boxes"),
    bad("detection.encode_boxes: NaN", DET.encode_boxes, NAN_BOXES, BOXES, match="boxes must be finite"),
    bad("detection.decode_boxes: deltas shape", DET.decode_boxes, torch.zeros(1, 3), BOX, match=r"deltas must have shape \(N, 4\)"),
    bad("detection.decode_boxes: count", DET.decode_boxes, torch.zeros(2, 4), BOX, match="deltas must have the shape of anchors"),
    bad("detection.decode_boxes: NaN deltas", DET.decode_boxes, poison(torch.zeros(1, 4)), BOX, match="deltas must be finite"),
    bad("detection.decode_boxes: inf anchors", DET.decode_boxes, torch.zeros(1, 4), poison(BOX, -INF), match="anchors must be finite"),
    bad("detection.clip_boxes: size length", DET.clip_boxes, BOX, (48,), match=r"size must hold 2 positive numbers \(H, W\)"),
    bad("detection.clip_boxes: size 0", DET.clip_boxes, BOX, (0, 48), match=r"size\[0\] must be a finite number > 0"),
    bad("detection.clip_boxes: NaN", DET.clip_boxes, NAN_BOXES, (48, 48), match="boxes must be finite"),
    bad("detection.nms: NaN boxes change what is kept", DET.nms, NAN_BOXES, SCORES2, 0.5, match="boxes must be finite"),
    bad("detection.nms: NaN scores", DET.nms, BOXES, poison(SCORES2), 0.5, match=r"scores \(one per box\) must be finite"),
    bad("detection.nms: scores length", DET.nms, BOX, torch.zeros(2), 0.5, match=r"scores \(one per box\) must have shape \(1,\)"),
    bad("detection.nms: iou 1.5", DET.nms, BOX, torch.zeros(1), 1.5, match=r"iou_threshold must be in \[0, 1\]"),
    bad("detection.nms: iou str", DET.nms, BOX, torch.zeros(1), "0.5", exc=T, match="iou_threshold must be a real number"),
    bad("detection.batched_nms: classes float", DET.batched_nms, BOXES, SCORES2, torch.zeros(2), 0.5, exc=T, match="classes must be an integer tensor"),
    bad("detection.batched_nms: classes < 0", DET.batched_nms, BOXES, SCORES2, torch.tensor([0, -1]), 0.5, match="classes must lie >= 0"),
    bad("detection.batched_nms: iou < 0 on no boxes", DET.batched_nms, torch.zeros(0, 4), torch.zeros(0), torch.zeros(0, dtype=torch.long), -0.1,
        match="iou_threshold must be in"),
    bad("detection.batched_nms: NaN boxes", DET.batched_nms, NAN_BOXES, SCORES2, torch.tensor([0, 0]), 0.5, match="boxes must be finite"),
    bad("detection.label_anchors: gt y2 < y1", DET.label_anchors, BOX, torch.tensor([[0.0, 3, 1, 1]]), match="gt_boxes must be xyxy boxes"),
    bad("detection.label_anchors: pos < neg", DET.label_anchors, BOX, BOX, pos_iou=0.2, neg_iou=0.3, match=r"pos_iou must be in \[0.3, 1\]"),
    bad("detection.label_anchors: neg_iou 1.5", DET.label_anchors, BOX, BOX, neg_iou=1.5, match=r"neg_iou must be in \[0, 1\]"),
    bad("detection.label_anchors: NaN anchors", DET.label_anchors, NAN_BOXES, BOX, match="anchors must be finite"),
    bad("detection.sample_labels: float", DET.sample_labels, torch.zeros(3), generator=g(), exc=T, match=r"labels \(1 positive, 0 negative, -1 ignored\) must be an integer"),
    bad("detection.sample_labels: value 2", DET.sample_labels, torch.tensor([2, 0]), generator=g(), match=r"labels .* must lie in \[-1, 1\]"),
    bad("detection.sample_labels: batch_size 0", DET.sample_labels, ANCHOR_LABELS, 0, generator=g(), match="batch_size must be a positive int"),
    bad("detection.sample_labels: fraction 1.5", DET.sample_labels, ANCHOR_LABELS, 4, 1.5, generator=g(), match=r"positive_fraction must be in \[0, 1\]"),
    bad("detection.sample_labels: generator", DET.sample_labels, ANCHOR_LABELS, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("detection.hard_negative_mining: n -1", DET.hard_negative_mining, ANCHOR_LABELS, torch.zeros(4), -1, match="n_negatives must be a non-negative int"),
    bad("detection.hard_negative_mining: n float", DET.hard_negative_mining, ANCHOR_LABELS, torch.zeros(4), 1.5, exc=T, match="n_negatives"),
    bad("detection.hard_negative_mining: scores length", DET.hard_negative_mining, ANCHOR_LABELS, torch.zeros(3), 1, match=r"scores .* must have shape \(4,\)"),
    bad("detection.hard_negative_mining: NaN scores", DET.hard_negative_mining, ANCHOR_LABELS, poison(torch.zeros(4)), 1, match="scores .* must be finite"),
    # --- faster_rcnn
    bad("faster_rcnn.RPNHead: channels 0", FR.RPNHead, 0, 2, match="channels must be a positive int"),
    bad("faster_rcnn.RPNHead: num_anchors float", FR.RPNHead, 4, 2.0, exc=T, match="num_anchors must be a positive int"),
    bad("faster_rcnn.RPNHead: hidden 0", FR.RPNHead, 4, 2, 0, match="hidden must be a positive int"),
    bad("faster_rcnn.RPNHead.forward: channels", RPN, torch.zeros(1, 3, 4, 4), match=r"features must have shape \(B, 4, H, W\)"),
    bad("faster_rcnn.RPNHead.forward: NaN", RPN, poison(FEATS), match="features must be finite"),
    bad("faster_rcnn.roi_pool: rois 4 columns", FR.roi_pool, FEATS, torch.zeros(1, 4), 2, 1.0, match=r"rois .* must have shape \(R, 5\)"),
    bad("faster_rcnn.roi_pool: features 3-D", FR.roi_pool, torch.zeros(2, 4, 4), ROIS, 2, 1.0, match=r"features must have shape \(B, C, H, W\)"),
    bad("faster_rcnn.roi_pool: batch index 3", FR.roi_pool, FEATS, torch.tensor([[3.0, 0, 0, 1, 1]]), 2, 1.0, match=r"rois\[:, 0\] \(batch indices\) must lie in \[0, 0\]"),
    bad("faster_rcnn.roi_pool: batch index 0.5", FR.roi_pool, torch.zeros(2, 4, 4, 4), torch.tensor([[0.5, 0, 0, 1, 1]]), 2, 1.0,
        match=r"rois\[:, 0\] \(batch indices\) must hold whole numbers"),
    bad("faster_rcnn.roi_pool: +inf maximum became 0", FR.roi_pool, poison(FEATS, INF), ROIS, 2, 1.0, match="features must be finite"),
    bad("faster_rcnn.roi_pool: NaN maximum became 0", FR.roi_pool, poison(FEATS), ROIS, 2, 1.0, match="features must be finite"),
    bad("faster_rcnn.roi_pool: NaN rois", FR.roi_pool, FEATS, poison(ROIS[:, [0, 1, 2, 3, 4]], 0.0) * NAN, 2, 1.0, match="rois .* must be finite"),
    bad("faster_rcnn.roi_pool: x2 < x1", FR.roi_pool, FEATS, torch.tensor([[0.0, 6, 1, 1, 6]]), 2, 1.0, match=r"rois\[:, 1:\] must be xyxy boxes"),
    bad("faster_rcnn.roi_pool: output_size 0", FR.roi_pool, FEATS, ROIS, 0, 1.0, match="output_size must be a positive int"),
    bad("faster_rcnn.roi_pool: spatial_scale 0", FR.roi_pool, FEATS, ROIS, 2, 0.0, match="spatial_scale must be a finite number > 0"),
    bad("faster_rcnn.FasterRCNN: image_size 50", FR.FasterRCNN, image_size=50, generator=g(), match=r"image_size .* must be a multiple of 4, got 50"),
    bad("faster_rcnn.FasterRCNN: num_classes 0", FR.FasterRCNN, 0, generator=g(), match="num_classes must be a positive int"),
    bad("faster_rcnn.FasterRCNN: pool 0", FR.FasterRCNN, pool=0, generator=g(), match="pool must be a positive int"),
    bad("faster_rcnn.FasterRCNN: hidden float", FR.FasterRCNN, hidden=8.0, generator=g(), exc=T, match="hidden must be a positive int"),
    bad("faster_rcnn.FasterRCNN: scales empty", FR.FasterRCNN, scales=(), generator=g(), match="scales must be a non-empty sequence"),
    bad("faster_rcnn.FasterRCNN: generator", FR.FasterRCNN, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("faster_rcnn.FasterRCNN.forward: size", DETECTOR, torch.zeros(1, 1, 32, 32), match=r"images must have shape \(B, 1, 16, 16\)"),
    bad("faster_rcnn.FasterRCNN.forward: NaN", DETECTOR, poison(IMG16), match="images must be finite"),
    bad("faster_rcnn.FasterRCNN.head: features channels", DETECTOR.head, torch.zeros(1, 3, 4, 4), ROIS, match=r"features must have shape \(B, 4, 4, 4\)"),
    bad("faster_rcnn.FasterRCNN.head: rois", DETECTOR.head, FEATS, torch.zeros(1, 4), match=r"rois .* must have shape \(R, 5\)"),
    bad("faster_rcnn.detector_loss: model", FR.detector_loss, "model", IMG16, GT_BOXES, GT_CLASSES, generator=g(), exc=T,
        match="model must be a paperlib.vision.faster_rcnn.FasterRCNN"),
    bad("faster_rcnn.detector_loss: images size", FR.detector_loss, DETECTOR, torch.zeros(1, 1, 8, 8), GT_BOXES, GT_CLASSES, generator=g(),
        match=r"images must have shape \(B, 1, 16, 16\)"),
    bad("faster_rcnn.detector_loss: gt_boxes NaN", FR.detector_loss, DETECTOR, IMG16, poison(GT_BOXES), GT_CLASSES, generator=g(), match="gt_boxes must be finite"),
    bad("faster_rcnn.detector_loss: gt_boxes batch", FR.detector_loss, DETECTOR, IMG16, GT_BOXES.repeat(2, 1, 1), GT_CLASSES, generator=g(),
        match=r"gt_boxes must have shape \(1, M, 4\)"),
    bad("faster_rcnn.detector_loss: gt_classes range", FR.detector_loss, DETECTOR, IMG16, GT_BOXES, torch.tensor([[3, -1]]), generator=g(),
        match=r"gt_classes \(-1 = padding\) must lie in \[-1, 2\]"),
    bad("faster_rcnn.detector_loss: gt box x2 < x1", FR.detector_loss, DETECTOR, IMG16, torch.tensor([[[6.0, 1, 1, 6], [0, 0, 0, 0]]]), GT_CLASSES,
        generator=g(), match="gt_boxes must be xyxy boxes"),
    bad("faster_rcnn.detector_loss: generator", FR.detector_loss, DETECTOR, IMG16, GT_BOXES, GT_CLASSES, generator=None, exc=T, match="generator must be"),
    bad("faster_rcnn.detector_loss: rpn_batch 0", FR.detector_loss, DETECTOR, IMG16, GT_BOXES, GT_CLASSES, generator=g(), rpn_batch=0,
        match="rpn_batch must be a positive int"),
    bad("faster_rcnn.detector_loss: lam < 0", FR.detector_loss, DETECTOR, IMG16, GT_BOXES, GT_CLASSES, generator=g(), lam=-1.0,
        match="lam must be a finite number >= 0"),
    bad("faster_rcnn.detector_step: generator", FR.detector_step, None, exc=T, match="generator must be a torch.Generator"),
    bad("faster_rcnn.detector_step: roi_batch 0", FR.detector_step, g(), roi_batch=0, match="roi_batch must be a positive int"),
    bad("faster_rcnn.detector_step: unknown option", FR.detector_step, g(), rpn_batchsize=8, exc=T, match="unexpected keyword argument 'rpn_batchsize'"),
    bad("faster_rcnn.propose: model", FR.propose, "model", IMG16, exc=T, match="model must be a paperlib.vision.faster_rcnn.FasterRCNN"),
    bad("faster_rcnn.propose: images list", FR.propose, DETECTOR, [[0.0]], exc=T, match="images must be a torch.Tensor"),
    bad("faster_rcnn.propose: images NaN", FR.propose, DETECTOR, poison(IMG16), match="images must be finite"),
    bad("faster_rcnn.propose: n 0", FR.propose, DETECTOR, IMG16, n=0, match="n must be a positive int"),
    bad("faster_rcnn.propose: nms_iou 2", FR.propose, DETECTOR, IMG16, nms_iou=2.0, match=r"nms_iou must be in \[0, 1\]"),
    bad("faster_rcnn.propose: pre_nms 0", FR.propose, DETECTOR, IMG16, pre_nms=0, match="pre_nms must be a positive int"),
    bad("faster_rcnn.propose: regress", FR.propose, DETECTOR, IMG16, regress="yes", exc=T, match="regress must be a bool"),
    bad("faster_rcnn.detect: score_threshold 1.5", FR.detect, DETECTOR, IMG16, score_threshold=1.5, match=r"score_threshold must be in \[0, 1\]"),
    bad("faster_rcnn.detect: nms_iou < 0", FR.detect, DETECTOR, IMG16, nms_iou=-1.0, match=r"nms_iou must be in \[0, 1\]"),
    bad("faster_rcnn.detect: use_nms", FR.detect, DETECTOR, IMG16, use_nms="yes", exc=T, match="use_nms must be a bool"),
    bad("faster_rcnn.detect: n_proposals 0", FR.detect, DETECTOR, IMG16, n_proposals=0, match="n_proposals must be a positive int"),
    bad("faster_rcnn.detect: proposal_nms_iou", FR.detect, DETECTOR, IMG16, proposal_nms_iou=NAN, match="proposal_nms_iou must be"),
    bad("faster_rcnn.detect: images NaN", FR.detect, DETECTOR, poison(IMG16), match="images must be finite"),
    bad("faster_rcnn.detect: model", FR.detect, None, IMG16, exc=T, match="model must be a paperlib.vision.faster_rcnn.FasterRCNN"),
    bad("faster_rcnn.detect: proposals count", FR.detect, DETECTOR, IMG16, proposals=[BOX, BOX], match="proposals must hold"),
    bad("faster_rcnn.detect: proposals NaN", FR.detect, DETECTOR, IMG16, proposals=[NAN_BOXES], match=r"proposals\[0\] must be finite"),
    bad("faster_rcnn.anchor_recall: iou 0 counts everything", FR.anchor_recall, DETECTOR.anchors, GT_BOXES, GT_CLASSES, 0.0, match=r"iou must be in \(0, 1\]"),
    bad("faster_rcnn.anchor_recall: iou -1", FR.anchor_recall, DETECTOR.anchors, GT_BOXES, GT_CLASSES, -1.0, match=r"iou must be in \(0, 1\]"),
    bad("faster_rcnn.anchor_recall: all padding", FR.anchor_recall, BOX, torch.zeros(1, 3, 4), torch.full((1, 3), -1), 0.5,
        match="gt_classes must mark at least one ground-truth box"),
    bad("faster_rcnn.anchor_recall: NaN anchors", FR.anchor_recall, NAN_BOXES, GT_BOXES, GT_CLASSES, 0.5, match="anchors must be finite"),
    bad("faster_rcnn.anchor_recall: gt_classes float", FR.anchor_recall, BOX, GT_BOXES, GT_CLASSES.float(), 0.5, exc=T, match="gt_classes .* must be an integer"),
    bad("faster_rcnn.proposal_recall: count", FR.proposal_recall, [BOX], GT_BOXES.repeat(2, 1, 1), GT_CLASSES.repeat(2, 1),
        match="proposals must hold 2 .* one per image"),
    bad("faster_rcnn.proposal_recall: NaN proposals", FR.proposal_recall, [NAN_BOXES], GT_BOXES, GT_CLASSES, match=r"proposals\[0\] must be finite"),
    bad("faster_rcnn.proposal_recall: proposal width", FR.proposal_recall, [torch.zeros(1, 3)], GT_BOXES, GT_CLASSES, match=r"proposals\[0\] must have shape"),
    bad("faster_rcnn.proposal_recall: iou 1.5", FR.proposal_recall, [BOX], GT_BOXES, GT_CLASSES, 1.5, match=r"iou must be in \(0, 1\]"),
    bad("faster_rcnn.average_precision: 3 TP with n_gt 1 gives 3.0", FR.average_precision, torch.tensor([0.9, 0.8, 0.7]), torch.ones(3, dtype=torch.bool), 1,
        match="matched must hold at most n_gt = 1 true positives"),
    bad("faster_rcnn.average_precision: matched float", FR.average_precision, SCORES2, torch.ones(2), 2, exc=T, match="matched must be a torch.bool tensor"),
    bad("faster_rcnn.average_precision: matched length", FR.average_precision, SCORES2, torch.ones(3, dtype=torch.bool), 3, match=r"matched must have shape \(2,\)"),
    bad("faster_rcnn.average_precision: n_gt -1", FR.average_precision, SCORES2, torch.zeros(2, dtype=torch.bool), -1, match="n_gt must be a non-negative int"),
    bad("faster_rcnn.average_precision: n_gt float", FR.average_precision, SCORES2, torch.zeros(2, dtype=torch.bool), 1.0, exc=T, match="n_gt"),
    bad("faster_rcnn.average_precision: NaN scores", FR.average_precision, poison(SCORES2), torch.zeros(2, dtype=torch.bool), 2, match="scores must be finite"),
    bad("faster_rcnn.mean_average_precision: iou -1 gives mAP 1", FR.mean_average_precision, DETS, GT_BOXES, GT_CLASSES, num_classes=3, iou=-1.0,
        match=r"iou must be in \(0, 1\], got -1"),
    bad("faster_rcnn.mean_average_precision: iou 0", FR.mean_average_precision, DETS, GT_BOXES, GT_CLASSES, num_classes=3, iou=0.0, match=r"iou must be in \(0, 1\]"),
    bad("faster_rcnn.mean_average_precision: count", FR.mean_average_precision, DETS * 2, GT_BOXES, GT_CLASSES, num_classes=3,
        match="detections must hold 1 Detections"),
    bad("faster_rcnn.mean_average_precision: detection class", FR.mean_average_precision,
        [FR.Detections(BOX, torch.tensor([0.9]), torch.tensor([5]))], GT_BOXES, GT_CLASSES, num_classes=3, match=r"detections\[0\]\.classes must lie in \[0, 2\]"),
    bad("faster_rcnn.mean_average_precision: detection NaN box", FR.mean_average_precision,
        [FR.Detections(NAN_BOXES, SCORES2, torch.tensor([0, 0]))], GT_BOXES, GT_CLASSES, num_classes=3, match=r"detections\[0\]\.boxes must be finite"),
    bad("faster_rcnn.mean_average_precision: detection tuple", FR.mean_average_precision, [(BOX, SCORES2, LABELS)], GT_BOXES, GT_CLASSES, num_classes=3,
        exc=T, match=r"detections\[0\] must be a Detections"),
    bad("faster_rcnn.mean_average_precision: gt_classes range", FR.mean_average_precision, DETS, GT_BOXES, torch.tensor([[4, -1]]), num_classes=3,
        match=r"gt_classes .* must lie in \[-1, 2\]"),
    bad("faster_rcnn.mean_average_precision: num_classes 0", FR.mean_average_precision, DETS, GT_BOXES, GT_CLASSES, num_classes=0,
        match="num_classes must be a positive int"),
    # --- stn
    bad("stn.affine_grid: theta shape", STN.affine_grid, torch.zeros(3, 3, 3), (4, 4), match=r"theta must have shape \(B, 2, 3\), got \(3, 3, 3\)"),
    bad("stn.affine_grid: theta list", STN.affine_grid, [[1, 0, 0], [0, 1, 0]], (4, 4), exc=T, match="theta must be a torch.Tensor"),
    bad("stn.affine_grid: theta NaN", STN.affine_grid, poison(THETA), (4, 4), match="theta must be finite"),
    bad("stn.affine_grid: out_size length", STN.affine_grid, THETA, (4,), match=r"out_size must hold 2 positive ints \(H, W\)"),
    bad("stn.affine_grid: out_size 0", STN.affine_grid, THETA, (4, 0), match=r"out_size\[1\] must be a positive int"),
    bad("stn.affine_grid: align_corners", STN.affine_grid, THETA, (4, 4), align_corners=1, exc=T, match="align_corners must be a bool"),
    bad("stn.attention_theta: width", STN.attention_theta, torch.zeros(2, 4), match=r"params \(s, tx, ty\) must have shape \(B, 3\)"),
    bad("stn.attention_theta: NaN", STN.attention_theta, poison(torch.zeros(2, 3)), match="params .* must be finite"),
    bad("stn.bilinear_sample: images 2-D", STN.bilinear_sample, torch.zeros(4, 4), GRID, match=r"images must have shape \(B, C, H, W\)"),
    bad("stn.bilinear_sample: grid last dim", STN.bilinear_sample, U, torch.zeros(2, 2, 2, 3), match=r"grid \(one per image\) must have shape \(2, H_out, W_out, 2\)"),
    bad("stn.bilinear_sample: grid batch", STN.bilinear_sample, U, GRID[:1], match=r"grid \(one per image\) must have shape \(2,"),
    bad("stn.bilinear_sample: NaN grid crashed with an index error", STN.bilinear_sample, U, poison(GRID), match=r"grid \(one per image\) must be finite"),
    bad("stn.bilinear_sample: inf grid", STN.bilinear_sample, U, poison(GRID, INF), match="grid .* must be finite"),
    bad("stn.bilinear_sample: NaN images", STN.bilinear_sample, poison(U), GRID, match="images must be finite"),
    bad("stn.bilinear_sample: align_corners", STN.bilinear_sample, U, GRID, align_corners="no", exc=T, match="align_corners must be a bool"),
    bad("stn.spatial_transform: theta 2-D", STN.spatial_transform, U, torch.zeros(2, 6), match=r"theta \(one per image\) must have shape \(2, 2, 3\)"),
    bad("stn.spatial_transform: theta batch", STN.spatial_transform, U, THETA[:1], match=r"theta \(one per image\) must have shape \(2, 2, 3\)"),
    bad("stn.spatial_transform: images 3-D", STN.spatial_transform, U[:, 0], THETA, match=r"images must have shape \(B, C, H, W\)"),
    bad("stn.spatial_transform: out_size 0", STN.spatial_transform, U, THETA, (0, 4), match=r"out_size\[0\] must be a positive int"),
    bad("stn.spatial_transform: NaN theta", STN.spatial_transform, U, poison(THETA), match=r"theta .* must be finite"),
    bad("stn.LocalisationNet: kind", STN.LocalisationNet, (1, 8, 8), kind="tps", generator=g(), match=r"kind must be one of \['affine', 'attention'\]"),
    bad("stn.LocalisationNet: in_shape length", STN.LocalisationNet, (8, 8), generator=g(), match=r"in_shape must hold 3 positive ints \(C, H, W\)"),
    bad("stn.LocalisationNet: in_shape 0", STN.LocalisationNet, (1, 0, 8), generator=g(), match=r"in_shape\[1\] must be a positive int"),
    bad("stn.LocalisationNet: hidden 0", STN.LocalisationNet, (1, 8, 8), 0, generator=g(), match="hidden must be a positive int"),
    bad("stn.LocalisationNet: generator", STN.LocalisationNet, (1, 8, 8), generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("stn.LocalisationNet.forward: shape", LOC, torch.zeros(2, 1, 4, 4), match=r"images must have shape \(B, 1, 8, 8\)"),
    bad("stn.LocalisationNet.forward: NaN", LOC, poison(U), match="images must be finite"),
    bad("stn.SpatialTransformer: out_size", STN.SpatialTransformer, (1, 8, 8), (4,), generator=g(), match="out_size must hold 2"),
    bad("stn.SpatialTransformer: in_shape", STN.SpatialTransformer, [1], generator=g(), match="in_shape must hold 3"),
    bad("stn.SpatialTransformer: generator", STN.SpatialTransformer, (1, 8, 8), generator=0, exc=T, match="generator must be a torch.Generator"),
    bad("stn.SpatialTransformer.forward: NaN", ST, poison(U), match="images must be finite"),
    bad("stn.SpatialTransformer.forward: 3-D", ST, U[:, 0], match=r"images must have shape \(B, C, H, W\)"),
    bad("stn.SmallCNN: image too small", STN.SmallCNN, (1, 2, 2), generator=g(), match=r"in_shape\[1\] \(H\) must be an int \(>= 4\)"),
    bad("stn.SmallCNN: channels", STN.SmallCNN, (1, 8, 8), 3, (8,), generator=g(), match=r"channels must hold 2 positive ints \(c1, c2\)"),
    bad("stn.SmallCNN: n_classes 0", STN.SmallCNN, (1, 8, 8), 0, generator=g(), match="n_classes must be a positive int"),
    bad("stn.SmallCNN: generator", STN.SmallCNN, (1, 8, 8), generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("stn.SmallCNN.forward: shape", CNN, torch.zeros(2, 1, 4, 4), match=r"images must have shape \(B, 1, 8, 8\)"),
    bad("stn.SmallCNN.forward: NaN", CNN, poison(U), match="images must be finite"),
    bad("stn.STCNN: kind", STN.STCNN, (1, 8, 8), kind="x", generator=g(), match="kind must be one of"),
    bad("stn.STCNN: in_shape", STN.STCNN, (1, 8), generator=g(), match="in_shape must hold 3"),
    bad("stn.STCNN: generator", STN.STCNN, (1, 8, 8), generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("stn.STCNN.forward: NaN", STCNN, poison(U), match="images must be finite"),
    bad("stn.STCNN.forward: shape", STCNN, torch.zeros(2, 1, 4, 4), match=r"images must have shape \(B, 1, 8, 8\)"),
    bad("stn.STCNN.transformed: NaN", STCNN.transformed, poison(U), match="images must be finite"),
    bad("stn.STCNN.transformed: list", STCNN.transformed, [[0.0]], exc=T, match="images must be a torch.Tensor"),
    bad("stn.centre_of_mass: 3-D", STN.centre_of_mass, U[:, 0], match=r"images must have shape \(B, C, H, W\)"),
    bad("stn.centre_of_mass: NaN", STN.centre_of_mass, poison(U), match="images must be finite"),
    bad("stn.class_spread: labels length", STN.class_spread, U, torch.zeros(3, dtype=torch.long), match=r"labels must have shape \(2,\)"),
    bad("stn.class_spread: labels float", STN.class_spread, U, torch.zeros(2), exc=T, match="labels must be an integer tensor"),
    bad("stn.class_spread: NaN", STN.class_spread, poison(U), torch.zeros(2, dtype=torch.long), match="images must be finite"),
]

CHECK = claims.ClaimCheck("demo")
MEASURE = claims.Measure("m", 1.0)

CLAIMS = [
    bad("claims.Measure: NaN", claims.Measure, "m", NAN, match="values must be finite"),
    bad("claims.Measure: empty", claims.Measure, "m", [], match="non-empty"),
    bad("claims.Measure: name", claims.Measure, "", 1.0, exc=T, match="Measure name must be a non-empty str"),
    bad("claims.Measure: str value", claims.Measure, "m", "0.9", exc=T, match="values must be real numbers"),
    bad("claims.Measure: digits -1", claims.Measure, "m", 1.0, digits=-1, match=r"digits must be an int \(in \[0, 12\]\)"),
    bad("claims.Measure: digits float", claims.Measure, "m", 1.0, digits=2.0, exc=T, match="digits must be an int"),
    bad("claims.beats: by < 0", claims.beats, by=-0.1, match="by must be a finite number >= 0"),
    bad("claims.beats: by str", claims.beats, by="0.1", exc=T, match="by must be a real number"),
    bad("claims.at_least: inf", claims.at_least, INF, match="threshold must be a finite number"),
    bad("claims.at_most: NaN", claims.at_most, NAN, match="threshold must be a finite number"),
    bad("claims.within: tol < 0", claims.within, 0.0, -1.0, match="tol must be a finite number >= 0"),
    bad("claims.within: target str", claims.within, "0", 1.0, exc=T, match="target must be a real number"),
    bad("claims.wins: 0", claims.wins, 0, match=r"at_least must be a positive int \(>= 1\)"),
    bad("claims.wins: float", claims.wins, 1.5, exc=T, match="at_least must be a positive int"),
    bad("claims.all_of: nothing", claims.all_of, exc=T, match="all_of needs one or more Condition"),
    bad("claims.all_of: not a condition", claims.all_of, 0.5, exc=T, match="all_of needs one or more Condition"),
    bad("claims.ClaimCheck: chapter", claims.ClaimCheck, "vq-vae", match="chapter must be the notebook's name"),
    bad("claims.ClaimCheck.claim: measured", CHECK.claim, "(a)", "s", paper="p", measured=0.9, control=None, condition=claims.at_least(0),
        exc=T, match="measured must be a paperlib.claims.Measure, got float"),
    bad("claims.ClaimCheck.claim: condition", CHECK.claim, "(a)", "s", paper="p", measured=MEASURE, control=None, condition=0.5,
        exc=T, match="condition must be a Condition"),
    bad("claims.ClaimCheck.claim: missing control", CHECK.claim, "(a)", "s", paper="p", measured=MEASURE, control=None, condition=claims.beats(),
        match="control is None"),
    bad("claims.ClaimCheck.claim: label", CHECK.claim, "", "s", paper="p", measured=MEASURE, control=None, condition=claims.at_least(0),
        match=r"label \(such as '\(a\)'\) must be a non-empty str"),
    bad("claims.ClaimCheck.report: measured", CHECK.report, "(a)", "s", paper="p", measured=[0.9], note="n", exc=T, match="measured must be a paperlib.claims.Measure"),
    bad("claims.ClaimCheck.report: control", CHECK.report, "(a)", "s", paper="p", measured=MEASURE, control=1.0, note="n", exc=T, match="control must be"),
    bad("claims.ClaimCheck.report: label int", CHECK.report, 1, "s", paper="p", measured=MEASURE, note="n", exc=T, match=r"label .* must be a non-empty str"),
    bad("claims.ClaimCheck.report: reproduced=True", CHECK.report, "(a)", "s", paper="p", measured=MEASURE, note="n", reproduced=True, match="reproduced must be False"),
]

ROWS = CORE + DATA + LATENT + LATENT_CODES + METHODS + VISION + CLAIMS + module_rows()


@pytest.mark.parametrize("fn, args, kwargs, exc, match", ROWS)
def test_bad_input_raises_a_clear_error(fn, args, kwargs, exc, match):
    with pytest.raises(exc, match=match) as info:
        fn(*args, **kwargs)
    where = str(info.traceback[-1].path)
    assert "paperlib" in where and "site-packages" not in where, f"raised deep inside a dependency ({where}), not by paperlib's checks"


def test_inner_layers_let_nan_propagate_visibly():
    """The PixelCNN's inner layers skip the NaN scan (it would run on every activation): a NaN stays visible."""
    x = poison(torch.zeros(1, 2, 4, 4))
    assert MASKED(x).isnan().any() and BLOCK(x).isnan().any()


# --------------------------------------------------------------------------- completeness
def _key(target: object) -> str:
    """The qualified name of what a row calls: a function, a class (its constructor), or a method."""
    if inspect.ismethod(target):
        target = target.__func__
    elif isinstance(target, nn.Module):  # calling a module runs its forward
        target = type(target).forward
    elif not (inspect.isfunction(target) or inspect.isclass(target)):  # a callable object, e.g. a MarginLoss
        target = type(target).__call__
    return f"{target.__module__}.{target.__qualname__}"


def _takes_arguments(fn: object, *, bound: bool = False) -> bool:
    params = list(inspect.signature(fn).parameters)
    return len(params) > (1 if bound else 0)


def _public_callables() -> set[str]:
    """Every public function, class (with a constructor taking arguments) and public method taking arguments.

    A module's public names are its ``__all__``, or its public functions and classes defined there.
    Record types built by paperlib itself (NamedTuple results, dataclasses without ``__post_init__``,
    e.g. ``claims.Claim``) hold data and have no checks of their own; they are left out.
    """
    required = set()
    for info in pkgutil.walk_packages(paperlib.__path__, "paperlib."):
        module = importlib.import_module(info.name)
        names = getattr(module, "__all__", None)
        if names is None:
            names = [n for n, o in vars(module).items() if not n.startswith("_") and getattr(o, "__module__", None) == module.__name__]
        for name in names:
            obj = getattr(module, name)
            if inspect.isclass(obj):
                if issubclass(obj, tuple) or (dataclasses.is_dataclass(obj) and not hasattr(obj, "__post_init__")):
                    continue
                if _takes_arguments(obj):
                    required.add(_key(obj))
                for attr, member in vars(obj).items():
                    if not attr.startswith("_") and inspect.isfunction(member) and _takes_arguments(member, bound=True):
                        required.add(f"{member.__module__}.{member.__qualname__}")
            elif inspect.isfunction(obj) and _takes_arguments(obj):
                required.add(_key(obj))
    return required


def test_every_public_callable_has_a_row():
    covered = {_key(p.values[0]) for p in ROWS}
    missing = sorted(_public_callables() - covered)
    assert not missing, f"public callables without a bad-input row (tests/test_bad_input.py or tests/bad_input/): {missing}"


def test_the_table_is_large_and_ids_are_unique():
    ids = [p.id for p in ROWS]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert len(_public_callables()) >= 100 and len(ROWS) >= 3 * 100
