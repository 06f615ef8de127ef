# ruff: noqa: E501  (a table: one wrong call per line reads best unwrapped)
"""Bad-input rows for paperlib.adversarial.retrievegan (arXiv 2007.08513) and paperlib.data.patch_scenes."""

from __future__ import annotations

import torch

from bad_input import NAN, T, bad, g, poison
from paperlib import data as D
from paperlib import metrics
from paperlib.adversarial import retrievegan as RG

LOGITS = torch.randn(2, 5, generator=g())
STEP_LOGITS = torch.randn(2, 3, 5, generator=g())
NOISE = torch.zeros(2, 3, 5)
ALL_MASKED = torch.full((2, 5), float("-inf"))
GT = torch.tensor([[0, 1, 2], [4, 3, 2]])
EMB = torch.randn(2, 3, 4, generator=g())
A = torch.randn(4, 3, generator=g())
W = torch.softmax(torch.randn(2, 3, 5, generator=g()), -1)
CAND = torch.rand(2, 5, 3, 8, 8, generator=g())
SHAPES = torch.tensor([[0, 1, 2], [3, 2, 1]])
PALETTE = torch.tensor([0, 3])
SEL = RG.PatchSelector(4, 4, (3, 8, 8), generator=g())
GEN = RG.SceneGenerator(3, generator=g())
PATCHES = torch.rand(2, 3, 3, 8, 8, generator=g())
CELLS = torch.tensor([[0, 4, 8], [1, 2, 3]])
BANK = D.patch_bank(2, generator=g())

ROWS = [
    bad("retrievegan.gumbel_noise: negative size", RG.gumbel_noise, (2, -1), generator=g(), match=r"shape\[1\] must be a non-negative int"),
    bad("retrievegan.gumbel_noise: no generator", RG.gumbel_noise, (2, 3), generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("retrievegan.gumbel_noise: dtype", RG.gumbel_noise, (2, 3), generator=g(), dtype="float", exc=T, match="dtype must be a torch.dtype"),
    bad("retrievegan.gumbel_softmax: tau = 0", RG.gumbel_softmax, LOGITS, 0.0, generator=g(), match=r"tau must be in \[0.001, 1e\+06\], got 0.0"),
    bad("retrievegan.gumbel_softmax: tau < 0", RG.gumbel_softmax, LOGITS, -1.0, generator=g(), match=r"tau must be in \[0.001"),
    bad("retrievegan.gumbel_softmax: tau NaN", RG.gumbel_softmax, LOGITS, NAN, generator=g(), match=r"tau must be in"),
    bad("retrievegan.gumbel_softmax: NaN logits", RG.gumbel_softmax, poison(LOGITS), 1.0, generator=g(), match="logits must not hold NaN"),
    bad("retrievegan.gumbel_softmax: +inf logits", RG.gumbel_softmax, poison(LOGITS, float("inf")), 1.0, generator=g(), match=r"logits must not hold NaN or \+inf"),
    bad("retrievegan.gumbel_softmax: every item masked", RG.gumbel_softmax, ALL_MASKED, 1.0, generator=g(), match="logits must keep at least one finite item per row"),
    bad("retrievegan.gumbel_softmax: neither noise nor generator", RG.gumbel_softmax, LOGITS, 1.0, match="pass exactly one of noise= .* or generator="),
    bad("retrievegan.gumbel_softmax: both noise and generator", RG.gumbel_softmax, LOGITS, 1.0, noise=torch.zeros(2, 5), generator=g(), match="pass exactly one of noise="),
    bad("retrievegan.gumbel_softmax: noise shape", RG.gumbel_softmax, LOGITS, 1.0, noise=torch.zeros(2, 4), match=r"noise must have shape \(2, 5\)"),
    bad("retrievegan.gumbel_softmax: hard not bool", RG.gumbel_softmax, LOGITS, 1.0, hard=1, generator=g(), exc=T, match="hard must be a bool"),
    bad("retrievegan.gumbel_softmax: int logits", RG.gumbel_softmax, torch.zeros(2, 5, dtype=torch.long), 1.0, generator=g(), exc=T, match="logits must be a floating-point tensor"),
    bad("retrievegan.select_top_n: n > K", RG.select_top_n, LOGITS, 6, 1.0, generator=g(), match=r"n must be <= K = 5 \(the number of candidates\), got n = 6"),
    bad("retrievegan.select_top_n: n = 0", RG.select_top_n, LOGITS, 0, 1.0, generator=g(), match="n must be a positive int"),
    bad("retrievegan.select_top_n: tau = 0", RG.select_top_n, LOGITS, 2, 0.0, generator=g(), match=r"tau must be in \[0.001"),
    bad("retrievegan.select_top_n: steps mismatch", RG.select_top_n, STEP_LOGITS, 2, 1.0, generator=g(), match=r"logits \(B, n, K\) must have n = 2 steps"),
    bad("retrievegan.select_top_n: 1-D logits", RG.select_top_n, LOGITS[0], 2, 1.0, generator=g(), match=r"logits must have shape \(B, K\) or \(B, n, K\)"),
    bad("retrievegan.select_top_n: mode", RG.select_top_n, LOGITS, 2, 1.0, mode="gumbel", generator=g(), match=r"mode must be one of \['soft', 'hard', 'argmax'\]"),
    bad("retrievegan.select_top_n: noise shape", RG.select_top_n, LOGITS, 2, 1.0, noise=torch.zeros(2, 5), match=r"noise must have shape \(2, 2, 5\)"),
    bad("retrievegan.select_top_n: NaN logits", RG.select_top_n, poison(LOGITS), 2, 1.0, generator=g(), match="logits must be finite"),
    bad("retrievegan.select_top_n: no noise source", RG.select_top_n, LOGITS, 2, 1.0, match="pass exactly one of noise="),
    bad("retrievegan.retrieve: weights 2-D", RG.retrieve, W[0], CAND, match=r"weights must have shape \(B, n, K\)"),
    bad("retrievegan.retrieve: candidate count", RG.retrieve, W, CAND[:, :4], match=r"candidates must have shape \(2, 5, \*item\)"),
    bad("retrievegan.retrieve: NaN candidates", RG.retrieve, W, poison(CAND), match="candidates must be finite"),
    bad("metrics.entropy: negative", metrics.entropy, -W, match="probs must be probabilities"),
    bad("metrics.entropy: 0-d", metrics.entropy, torch.tensor(0.5), match=r"probs must have shape \(\.\.\., C\)"),
    bad("metrics.entropy: list", metrics.entropy, [0.5, 0.5], exc=T, match="probs must be a torch.Tensor"),
    bad("retrievegan.gt_selection_loss: gt out of range", RG.gt_selection_loss, STEP_LOGITS, GT + 1, match=r"gt must lie in \[0, 4\]"),
    bad("retrievegan.gt_selection_loss: repeated gt", RG.gt_selection_loss, STEP_LOGITS, torch.tensor([[0, 0, 1], [1, 2, 3]]), match="gt must hold distinct items"),
    bad("retrievegan.gt_selection_loss: gt shape", RG.gt_selection_loss, STEP_LOGITS, GT[:, :2], match=r"gt must have shape \(2, 3\)"),
    bad("retrievegan.gt_selection_loss: float gt", RG.gt_selection_loss, STEP_LOGITS, GT.float(), exc=T, match="gt must be an integer tensor"),
    bad("retrievegan.gt_selection_loss: logits 2-D", RG.gt_selection_loss, LOGITS, GT, match=r"logits must have shape \(B, n, K\)"),
    bad("retrievegan.triplet_loss: margin 0", RG.triplet_loss, A, A, A, 0.0, match="margin must be a finite number > 0"),
    bad("retrievegan.triplet_loss: shape mismatch", RG.triplet_loss, A, A[:3], A, match=r"positive must have the shape of anchor \(4, 3\)"),
    bad("retrievegan.triplet_loss: NaN negative", RG.triplet_loss, A, A, poison(A), match="negative must be finite"),
    bad("retrievegan.cooccurrence_loss: n = 1", RG.cooccurrence_loss, EMB[:, :1], match="embeddings must hold n >= 2 selected patches"),
    bad("retrievegan.cooccurrence_loss: 2-D", RG.cooccurrence_loss, EMB[0], match=r"embeddings must have shape \(B, n, D\)"),
    bad("retrievegan.PatchSelector: n_shapes 0", RG.PatchSelector, 0, 4, generator=g(), match="n_shapes must be a positive int"),
    bad("retrievegan.PatchSelector: patch_shape length", RG.PatchSelector, 4, 4, (8, 8), generator=g(), match=r"patch_shape must hold 3 positive ints"),
    bad("retrievegan.PatchSelector: no generator", RG.PatchSelector, 4, 4, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("retrievegan.PatchSelector.forward: shape id out of range", SEL, CAND, SHAPES + 1, PALETTE, match=r"shapes must lie in \[0, 3\]"),
    bad("retrievegan.PatchSelector.forward: palette rows", SEL, CAND, SHAPES, PALETTE[:1], match=r"palette must have shape \(2,\)"),
    bad("retrievegan.PatchSelector.forward: patch size", SEL, CAND[..., :6, :6], SHAPES, PALETTE, match=r"candidates must have shape \(B, K, 3, 8, 8\)"),
    bad("retrievegan.PatchSelector.embed_patches: NaN", SEL.embed_patches, poison(CAND), match="candidates must be finite"),
    bad("retrievegan.SceneGenerator: grid 0", RG.SceneGenerator, 0, generator=g(), match="grid must be a positive int"),
    bad("retrievegan.SceneGenerator: width float", RG.SceneGenerator, 3, width=8.0, generator=g(), exc=T, match="width must be a positive int"),
    bad("retrievegan.SceneGenerator.forward: channels", GEN, PATCHES[:, :, :1], CELLS, match=r"patches must have 3 channels"),
    bad("retrievegan.SceneGenerator.forward: cell out of grid", GEN, PATCHES, CELLS + 1, match=r"cells must lie in \[0, 8\]"),
    bad("retrievegan.SceneGenerator.forward: repeated cells", GEN, PATCHES, torch.tensor([[0, 0, 1], [1, 2, 3]]), match="cells must be distinct within each scene"),
    bad("data.patch_bank: variants 0", D.patch_bank, 0, generator=g(), match="variants must be a positive int"),
    bad("data.patch_bank: size 4", D.patch_bank, 2, size=4, generator=g(), match=r"size must be an int >= 6"),
    bad("data.patch_bank: jitter", D.patch_bank, 2, jitter=0.9, generator=g(), match=r"jitter must be in \[0, 0.5\]"),
    bad("data.patch_bank: no generator", D.patch_bank, 2, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("data.patch_scenes: k not above n", D.patch_scenes, BANK, 4, n_objects=3, k=3, generator=g(), match=r"k must be an int > n_objects = 3"),
    bad("data.patch_scenes: too many objects", D.patch_scenes, BANK, 4, n_objects=5, generator=g(), match=r"n_objects must be an int in \[1, 4\]"),
    bad("data.patch_scenes: grid too small", D.patch_scenes, BANK, 4, n_objects=3, grid=1, generator=g(), match="grid must have at least n_objects = 3 cells"),
    bad("data.patch_scenes: bank too small for k", D.patch_scenes, BANK, 4, k=60, generator=g(), match=r"k = 60 needs 57 distractors"),
    bad("data.patch_scenes: not a bank", D.patch_scenes, BANK.patches, 4, generator=g(), exc=T, match="bank must be a paperlib.data.PatchBank"),
    bad("data.patch_scenes: count 0", D.patch_scenes, BANK, 0, generator=g(), match="count must be a positive int"),
    bad("data.paste_patches: not square", D.paste_patches, PATCHES[..., :6], CELLS, 3, match="patches must be square"),
    bad("data.paste_patches: cells shape", D.paste_patches, PATCHES, CELLS[:, :2], 3, match=r"cells must have shape \(2, 3\)"),
    bad("data.paste_patches: background NaN", D.paste_patches, PATCHES, CELLS, 3, background=NAN, match="background must be a finite number"),
    bad("data.paste_patches: NaN patches", D.paste_patches, poison(PATCHES), CELLS, 3, match="patches must be finite"),
]
