# ruff: noqa: E501  (a table: one wrong call per line reads best unwrapped)
"""Bad-input rows for paperlib.methods.active_learning (arXiv 2002.09564)."""

from __future__ import annotations

import torch

from bad_input import NAN, V_, T, bad, g, poison
from paperlib import layers, metrics, train
from paperlib.methods import active_learning as AL

NET = layers.mlp((64, 8, 10), dropout=0.3, generator=g()).eval()
NET2 = layers.mlp((64, 8, 10), dropout=0.3, generator=g()).eval()
NO_DROP = layers.mlp((64, 8, 10), generator=g()).eval()
POOL = torch.rand(6, 64, generator=g())
EMPTY = torch.zeros(0, 64)
LAB = torch.rand(2, 64, generator=g())
Y6 = torch.tensor([0, 1, 2, 3, 4, 5])
P = torch.softmax(torch.randn(4, 3, generator=g()), 1)
MC = torch.softmax(torch.randn(5, 4, 3, generator=g()), 2)
FEAT, CENT = torch.rand(6, 2, generator=g()), torch.rand(1, 2, generator=g())
SCORES = torch.rand(6, generator=g())

ROWS = [
    bad("active_learning.random_batch: batch larger than the pool", AL.random_batch, 5, 6, generator=g(), match=r"k \(annotation batch size\) must be at most the pool size 5, got 6"),
    bad("active_learning.random_batch: empty pool", AL.random_batch, 0, 1, generator=g(), match=r"pool is empty"),
    bad("active_learning.random_batch: k = 0", AL.random_batch, 5, 0, generator=g(), match=r"k \(annotation batch size\) must be a positive int"),
    bad("active_learning.random_batch: float pool_size", AL.random_batch, 5.0, 1, generator=g(), exc=T, match=r"pool_size must be a non-negative int"),
    bad("active_learning.random_batch: no generator", AL.random_batch, 5, 1, generator=None, exc=T, match=r"generator must be a torch.Generator"),
    bad("active_learning.top_k: 2-D scores", AL.top_k, SCORES.view(2, 3), 1, generator=g(), match=r"scores must have shape \(N,\)"),
    bad("active_learning.top_k: NaN score", AL.top_k, poison(SCORES), 1, generator=g(), match=r"scores must be finite"),
    bad("active_learning.top_k: k > N", AL.top_k, SCORES, 7, generator=g(), match=r"at most the pool size 6, got 7"),
    bad("active_learning.top_k: empty scores", AL.top_k, torch.zeros(0), 1, generator=g(), match=r"pool is empty"),
    bad("metrics.entropy: not probabilities", metrics.entropy, P * 2, match=r"probs must be probabilities"),
    bad("metrics.entropy: NaN", metrics.entropy, poison(P), match=r"probs must be finite"),
    bad("active_learning.mc_dropout_probs: model without dropout", AL.mc_dropout_probs, NO_DROP, POOL, 3, generator=g(), match=r"model must hold an nn.Dropout with p > 0"),
    bad("active_learning.mc_dropout_probs: passes = 0", AL.mc_dropout_probs, NET, POOL, 0, generator=g(), match=r"passes must be a positive int"),
    bad("active_learning.mc_dropout_probs: 1-D x", AL.mc_dropout_probs, NET, POOL[0], 3, generator=g(), match=r"x must have shape \(N, D\)"),
    bad("active_learning.mc_dropout_probs: not a module", AL.mc_dropout_probs, "net", POOL, 3, generator=g(), exc=T, match=r"model must be a torch.nn.Module"),
    bad("active_learning.bald: (N, C) instead of (T, N, C)", AL.bald, P, match=r"mc_probs must have shape \(T, N, C\)"),
    bad("active_learning.bald: rows not summing to 1", AL.bald, MC * 0.5, match=r"mc_probs must be probabilities"),
    bad("active_learning.bald: NaN", AL.bald, poison(MC), match=r"mc_probs must be finite"),
    bad("active_learning.bald: zero passes", AL.bald, torch.zeros(0, 4, 3), match=r"mc_probs must hold at least one pass"),
    bad("active_learning.variation_ratio: 2-D", AL.variation_ratio, P, match=r"committee_probs must have shape \(T, N, C\)"),
    bad("active_learning.variation_ratio: negative", AL.variation_ratio, MC - 1, match=r"committee_probs must be probabilities"),
    bad("active_learning.penultimate: not an MLP", AL.penultimate, torch.nn.Linear(64, 10), POOL, exc=T, match=r"model must be an nn.Sequential"),
    bad("active_learning.penultimate: MLP without a last linear", AL.penultimate, torch.nn.Sequential(torch.nn.ReLU()), POOL, match=r"model must be an MLP ending in an nn.Linear"),
    bad("active_learning.penultimate: no rows", AL.penultimate, NET, EMPTY, match=r"x must hold at least one row"),
    bad("active_learning.penultimate: NaN x", AL.penultimate, NET, poison(POOL), match=r"x must be finite"),
    bad("active_learning.k_center_greedy: batch larger than the pool", AL.k_center_greedy, FEAT, CENT, 7, match=r"at most the pool size 6, got 7"),
    bad("active_learning.k_center_greedy: empty pool", AL.k_center_greedy, torch.zeros(0, 2), CENT, 1, match=r"pool is empty"),
    bad("active_learning.k_center_greedy: no centres", AL.k_center_greedy, FEAT, torch.zeros(0, 2), 1, match=r"centres must hold at least one labelled point"),
    bad("active_learning.k_center_greedy: feature sizes differ", AL.k_center_greedy, FEAT, torch.rand(1, 3), 1, match=r"centres must have shape \(L, 2\)"),
    bad("active_learning.k_center_greedy: NaN pool", AL.k_center_greedy, poison(FEAT), CENT, 1, match=r"pool must be finite"),
    bad("active_learning.cover_radius: empty pool", AL.cover_radius, torch.zeros(0, 2), CENT, match=r"pool must hold at least one point"),
    bad("active_learning.cover_radius: no centres", AL.cover_radius, FEAT, torch.zeros(0, 2), match=r"centres must hold at least one labelled point"),
    bad("active_learning.shift_digits: not 64 pixels", AL.shift_digits, torch.rand(2, 63), 1, generator=g(), match=r"x \(8x8 digits\) must have shape \(B, 64\)"),
    bad("active_learning.shift_digits: shift 8", AL.shift_digits, POOL, 8, generator=g(), match=r"max_shift must be an int \(in \[0, 7\]\)"),
    bad("active_learning.shift_digits: float shift", AL.shift_digits, POOL, 1.0, generator=g(), exc=T, match=r"max_shift must be an int"),
    bad("train.classification_step: labels out of range", train.classification_step, NET, (POOL, Y6 + 5), match=r"y must lie in \[0, 9\]"),
    bad("train.classification_step: batch not a tuple", train.classification_step, NET, POOL, exc=T, match=r"batch must be a tuple or list of tensors \(x, y\)"),
    bad("active_learning.regularised_step: negative noise", AL.regularised_step, -0.1, generator=g(), match=r"noise must be a finite number >= 0"),
    bad("active_learning.regularised_step: negative shift", AL.regularised_step, 0.1, -1, generator=g(), match=r"max_shift must be an int"),
    bad("active_learning.regularised_step: no generator", AL.regularised_step, 0.1, generator=None, exc=T, match=r"generator must be a torch.Generator"),
    bad("active_learning.query: unknown strategy", AL.query, "vaal", [NET], POOL, 2, generator=g(), match=r"strategy must be one of \['random', 'entropy', 'bald', 'coreset', 'qbc'\]"),
    bad("active_learning.query: batch larger than the pool", AL.query, "entropy", [NET], POOL, 7, generator=g(), match=r"at most the pool size 6, got 7"),
    bad("active_learning.query: empty pool", AL.query, "random", [NET], EMPTY, 1, generator=g(), match=r"the pool is empty"),
    bad("active_learning.query: no models", AL.query, "entropy", [], POOL, 1, generator=g(), match=r"models must be a non-empty sequence"),
    bad("active_learning.query: a model that is not a module", AL.query, "entropy", ["net"], POOL, 1, generator=g(), exc=T, match=r"models\[0\] must be a torch.nn.Module"),
    bad("active_learning.query: qbc with one model", AL.query, "qbc", [NET], POOL, 1, generator=g(), match=r"models must hold a committee of at least 2"),
    bad("active_learning.query: coreset without labelled set", AL.query, "coreset", [NET], POOL, 1, generator=g(), match=r"x_labelled must be given for strategy 'coreset'"),
    bad("active_learning.query: coreset with empty labelled set", AL.query, "coreset", [NET, NET2], POOL, 1, x_labelled=EMPTY, generator=g(), match=r"x_labelled must hold at least one labelled point"),
    bad("active_learning.query: bald without dropout", AL.query, "bald", [NO_DROP], POOL, 1, generator=g(), match=r"model must hold an nn.Dropout"),
    bad("active_learning.query: NaN pool", AL.query, "random", [NET], poison(POOL, NAN), 1, generator=g(), match=r"x_pool must be finite"),
    bad("active_learning.oracle_query: labels of the wrong length", AL.oracle_query, NET, POOL, LAB, Y6[:3], 1, generator=g(), match=r"y_ref must have shape \(2,\)"),
    bad("active_learning.oracle_query: empty pool", AL.oracle_query, NET, EMPTY, LAB, Y6[:2], 1, generator=g(), match=r"pool is empty"),
    bad("active_learning.oracle_query: float labels", AL.oracle_query, NET, POOL, LAB, Y6[:2].float(), 1, generator=g(), exc=T, match=r"y_ref must be an integer tensor"),
    bad("active_learning.oracle_query: reference of another width", AL.oracle_query, NET, POOL, torch.rand(2, 5), Y6[:2], 1, generator=g(), match=r"x_ref must have shape \(R, 64\)"),
    bad("active_learning.oracle_query: k = 0", AL.oracle_query, NET, POOL, LAB, Y6[:2], 0, generator=g(), exc=V_, match=r"k \(annotation batch size\) must be a positive int"),
]
