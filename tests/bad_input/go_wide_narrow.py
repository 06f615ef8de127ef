# ruff: noqa: E501  (a table: one wrong call per line reads best unwrapped)
"""Bad-input rows for paperlib.methods.go_wide_narrow (arXiv 2007.00811)."""

from __future__ import annotations

import torch
from torch import nn

from bad_input import NAN, V_, T, bad, g, poison  # noqa: F401
from paperlib import layers
from paperlib.methods import go_wide_narrow as GWN

THIN = GWN.deep_mlp(5, 3, 2, 4, generator=g())
WIDE = GWN.deep_mlp(5, 6, 2, 4, generator=g())
WIDE_DEEP = GWN.deep_mlp(5, 6, 3, 4, generator=g())
SBAR = GWN.WidenNarrow(GWN.deep_mlp(5, 3, 2, 4, generator=g()), 6, generator=g())
X = torch.rand(4, 5, generator=g())
H6 = torch.rand(4, 6, generator=g())
DROP = layers.mlp((5, 3, 4), dropout=0.5, generator=g())
MIXED = layers.mlp((5, 3, 4, 4), generator=g())  # hidden widths 3 and 4
NO_HIDDEN = nn.Sequential(nn.Linear(5, 4))

ROWS = [
    bad("go_wide_narrow.deep_mlp: width 0", GWN.deep_mlp, 5, 0, 2, 4, generator=g(), match=r"width must be a positive int"),
    bad("go_wide_narrow.deep_mlp: float depth", GWN.deep_mlp, 5, 3, 2.0, 4, generator=g(), exc=T, match=r"depth must be a positive int"),
    bad("go_wide_narrow.deep_mlp: no generator", GWN.deep_mlp, 5, 3, 2, 4, generator=None, exc=T, match=r"generator must be a torch.Generator"),
    bad("go_wide_narrow.mlp_blocks: not Sequential", GWN.mlp_blocks, nn.Linear(5, 4), exc=T, match=r"net must be an nn.Sequential"),
    bad("go_wide_narrow.mlp_blocks: dropout layers", GWN.mlp_blocks, DROP, match=r"net must alternate Linear, ReLU"),
    bad("go_wide_narrow.mlp_blocks: no hidden layer", GWN.mlp_blocks, NO_HIDDEN, match=r"net must alternate .* >= 1 hidden layer"),
    bad("go_wide_narrow.block_outputs: wrong input size", GWN.block_outputs, THIN, torch.rand(4, 6), match=r"x must have shape \(B, 5\)"),
    bad("go_wide_narrow.block_outputs: NaN input", GWN.block_outputs, THIN, poison(X), match=r"x must be finite"),
    bad("go_wide_narrow.WidenNarrow: wide narrower than thin", GWN.WidenNarrow, THIN, 2, generator=g(), match=r"wide_width must be an int >= the thin width 3"),
    bad("go_wide_narrow.WidenNarrow: float width", GWN.WidenNarrow, THIN, 6.0, generator=g(), exc=T, match=r"wide_width must be an int"),
    bad("go_wide_narrow.WidenNarrow: mixed hidden widths", GWN.WidenNarrow, MIXED, 6, generator=g(), match=r"thin must have hidden layers of one width"),
    bad("go_wide_narrow.WidenNarrow: not an mlp", GWN.WidenNarrow, nn.Linear(5, 4), 6, generator=g(), exc=T, match=r"thin must be an nn.Sequential"),
    bad("go_wide_narrow.WidenNarrow: no generator", GWN.WidenNarrow, THIN, 6, generator=None, exc=T, match=r"generator must be a torch.Generator"),
    bad("go_wide_narrow.WidenNarrow.stage: block 0", SBAR.stage, 0, match=r"i \(a block, 1-based\) must be an int \(in \[1, 3\]\)"),
    bad("go_wide_narrow.WidenNarrow.stage: block past the top", SBAR.stage, 4, match=r"i \(a block, 1-based\) must be an int \(in \[1, 3\]\)"),
    bad("go_wide_narrow.WidenNarrow.forward: wrong input size", SBAR, torch.rand(4, 6), match=r"x must have shape \(B, 5\)"),
    bad("go_wide_narrow.WidenNarrow.forward: NaN", SBAR, poison(X), match=r"x must be finite"),
    bad("go_wide_narrow.imitation_targets: one example", GWN.imitation_targets, WIDE, X[:1], match=r"x must hold at least 2 examples"),
    bad("go_wide_narrow.imitation_targets: not an mlp", GWN.imitation_targets, "wide", X, exc=T, match=r"wide must be an nn.Sequential"),
    bad("go_wide_narrow.imitation_step: target of the wrong width", GWN.imitation_step, SBAR.stage(2), (H6, torch.rand(4, 5)), match=r"target must have the shape of model\(h\) \(4, 6\), got \(4, 5\)"),
    bad("go_wide_narrow.imitation_step: NaN target", GWN.imitation_step, SBAR.stage(2), (H6, poison(H6)), match=r"target must be finite"),
    bad("go_wide_narrow.imitation_step: one tensor", GWN.imitation_step, SBAR.stage(2), (H6,), match=r"batch must hold \(h, target\)"),
    bad("go_wide_narrow.imitation_step: model not callable", GWN.imitation_step, 3, (H6, H6), exc=T, match=r"model must be callable"),
    bad("go_wide_narrow.layerwise_imitation: wide of another depth", GWN.layerwise_imitation, SBAR, WIDE_DEEP, X, epochs=1, batch_size=2, generator=g(), match=r"wide must have the layer sizes"),
    bad("go_wide_narrow.layerwise_imitation: model not WidenNarrow", GWN.layerwise_imitation, THIN, WIDE, X, epochs=1, batch_size=2, generator=g(), exc=T, match=r"model must be a WidenNarrow"),
    bad("go_wide_narrow.layerwise_imitation: epochs 0", GWN.layerwise_imitation, SBAR, WIDE, X, epochs=0, batch_size=2, generator=g(), match=r"epochs must be a positive int"),
    bad("go_wide_narrow.layerwise_imitation: wrong input size", GWN.layerwise_imitation, SBAR, WIDE, H6, epochs=1, batch_size=2, generator=g(), match=r"x must have shape \(N, 5\)"),
    bad("go_wide_narrow.layerwise_imitation: bad lr", GWN.layerwise_imitation, SBAR, WIDE, X, epochs=1, batch_size=2, generator=g(), lr=0.0, match=r"lr must be"),
]
