# ruff: noqa: E501  (a table: one wrong call per line reads best unwrapped)
"""Bad-input rows for paperlib.vision.two_stream."""

import torch

from bad_input import NAN, T, bad, g, poison
from paperlib.vision import two_stream as TS

F1 = torch.zeros(2, 6, 6)
FLOWS = torch.zeros(1, 3, 2, 4, 4)
S = torch.zeros(2, 3, 4)

ROWS = [
    bad("two_stream.horn_schunck: rank", TS.horn_schunck, torch.zeros(2, 1, 6, 6), F1, match=r"frame1 must have shape \(B, H, W\)"),
    bad("two_stream.horn_schunck: shapes differ", TS.horn_schunck, F1, torch.zeros(2, 6, 5), match="frame2 must have the shape of frame1"),
    bad("two_stream.horn_schunck: NaN", TS.horn_schunck, F1, poison(F1), match="frame2 must be finite"),
    bad("two_stream.horn_schunck: 1 pixel", TS.horn_schunck, torch.zeros(1, 1, 1), torch.zeros(1, 1, 1), match="frame1 must be at least 2 x 2"),
    bad("two_stream.horn_schunck: alpha 0", TS.horn_schunck, F1, F1, alpha=0.0, match="alpha must be a finite number > 0"),
    bad("two_stream.horn_schunck: alpha NaN", TS.horn_schunck, F1, F1, alpha=NAN, match="alpha must be"),
    bad("two_stream.horn_schunck: iterations 0", TS.horn_schunck, F1, F1, iterations=0, match="iterations must be a positive int"),
    bad("two_stream.horn_schunck: padding", TS.horn_schunck, F1, F1, padding="zeros", match="padding must be one of"),
    bad("two_stream.stack_flows: rank", TS.stack_flows, torch.zeros(3, 2, 4, 4), match=r"flows must have shape \(B, L, 2, H, W\)"),
    bad("two_stream.stack_flows: 3 components", TS.stack_flows, torch.zeros(1, 3, 3, 4, 4), match="2 = \\(u, v\\)"),
    bad("two_stream.stack_flows: NaN", TS.stack_flows, poison(FLOWS), match="flows must be finite"),
    bad("two_stream.stack_flows: subtract_mean str", TS.stack_flows, FLOWS, subtract_mean="yes", exc=T, match="subtract_mean must be a bool"),
    bad("two_stream.segment_snippets: K > frames", TS.segment_snippets, 4, 5, match=r"segments must be at most the number of snippet starts \(4"),
    bad("two_stream.segment_snippets: snippet > frames", TS.segment_snippets, 4, 1, 5, match=r"snippet must be at most frames \(4\)"),
    bad("two_stream.segment_snippets: frames 0", TS.segment_snippets, 0, 1, match="frames must be a positive int"),
    bad("two_stream.segment_snippets: generator", TS.segment_snippets, 8, 2, generator=1, exc=T, match="generator must be a torch.Generator"),
    bad("two_stream.segmental_consensus: rank", TS.segmental_consensus, torch.zeros(2, 4), match=r"scores must have shape \(B, K, C\)"),
    bad("two_stream.segmental_consensus: kind", TS.segmental_consensus, S, "median", match="kind must be one of"),
    bad("two_stream.late_fusion: empty", TS.late_fusion, [], match="scores must"),
    bad("two_stream.late_fusion: shapes differ", TS.late_fusion, [torch.zeros(2, 3), torch.zeros(2, 4)], match=r"scores\[1\] must have shape \(2, 3\)"),
    bad("two_stream.late_fusion: weights length", TS.late_fusion, [torch.zeros(2, 3)] * 2, [1.0], match="weights must hold 2"),
    bad("two_stream.late_fusion: negative weight", TS.late_fusion, [torch.zeros(2, 3)] * 2, [1.0, -1.0], match=r"weights\[1\] must be"),
    bad("two_stream.late_fusion: zero weights", TS.late_fusion, [torch.zeros(2, 3)] * 2, [0.0, 0.0], match="weights must not all be 0"),
]
assert g is not None

NET = TS.MotionNet((2,), generator=g())
ROWS += [
    bad("two_stream.warp: rank", TS.warp, torch.zeros(1, 1, 4, 4), torch.zeros(1, 2, 4, 4), match=r"image must have shape \(B, H, W\)"),
    bad("two_stream.warp: flow shape", TS.warp, torch.zeros(1, 4, 4), torch.zeros(1, 2, 4, 5), match=r"flow must have shape \(1, 2, 4, 4\)"),
    bad("two_stream.warp: NaN flow", TS.warp, torch.zeros(1, 4, 4), poison(torch.zeros(1, 2, 4, 4)), match="flow must be finite"),
    bad("two_stream.charbonnier: alpha 0", TS.charbonnier, torch.zeros(3), 0.0, match=r"alpha must be in \(0, 1\]"),
    bad("two_stream.charbonnier: eps 0", TS.charbonnier, torch.zeros(3), 0.4, 0.0, match="eps must be a finite number > 0"),
    bad("two_stream.charbonnier: ints", TS.charbonnier, torch.zeros(3, dtype=torch.long), exc=T, match="x must be a floating-point tensor"),
    bad("two_stream.motionnet_loss: frames differ", TS.motionnet_loss, F1, torch.zeros(2, 5, 6), torch.zeros(2, 2, 6, 6), match="frame2 must have the shape of frame1"),
    bad("two_stream.motionnet_loss: smoothness -1", TS.motionnet_loss, F1, F1, torch.zeros(2, 2, 6, 6), smoothness=-1.0, match="smoothness must be a finite number >= 0"),
    bad("two_stream.motionnet_loss: flow shape", TS.motionnet_loss, F1, F1, torch.zeros(2, 2, 5, 6), match=r"flow must have shape \(2, 2, 6, 6\)"),
    bad("two_stream.MotionNet: widths empty", TS.MotionNet, (), generator=g(), match="widths must"),
    bad("two_stream.MotionNet: generator", TS.MotionNet, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("two_stream.MotionNet.forward: three frames", NET, torch.zeros(1, 3, 6, 6), match=r"frames must have shape \(B, 2, H, W\) \(two frames as channels\)"),
    bad("two_stream.MotionNet.forward: rank", NET, torch.zeros(2, 6, 6), match=r"frames must have shape \(B, 2, H, W\)"),
]

STREAM = TS.StreamNet(4, 3, widths=(2,), generator=g())
ROWS += [
    bad("two_stream.gather_snippets: flows rank", TS.gather_snippets, torch.zeros(1, 3, 2, 4), torch.zeros(1, 1, dtype=torch.long), 1, match=r"flows must have shape \(B, N, 2, H, W\)"),
    bad("two_stream.gather_snippets: starts float", TS.gather_snippets, FLOWS, torch.zeros(1, 1), 1, exc=T, match="starts must be an integer tensor"),
    bad("two_stream.gather_snippets: starts batch", TS.gather_snippets, FLOWS, torch.zeros(2, 1, dtype=torch.long), 1, match=r"starts must have shape \(1, K\)"),
    bad("two_stream.gather_snippets: past the end", TS.gather_snippets, FLOWS, torch.tensor([[2]]), 2, match=r"starts must lie in \[0, 1\]"),
    bad("two_stream.gather_snippets: length 0", TS.gather_snippets, FLOWS, torch.zeros(1, 1, dtype=torch.long), 0, match="length must be a positive int"),
    bad("two_stream.StreamNet: classes 1", TS.StreamNet, 2, 1, generator=g(), match="classes must be"),
    bad("two_stream.StreamNet: in_channels 0", TS.StreamNet, 0, 3, generator=g(), match="in_channels must be a positive int"),
    bad("two_stream.StreamNet.forward: channels", STREAM, torch.zeros(1, 3, 6, 6), match=r"x must have 4 channels"),
    bad("two_stream.StreamNet.forward: rank", STREAM, torch.zeros(4, 6, 6), match=r"x must have shape \(B, C, H, W\)"),
    bad("two_stream.TSN: stream", TS.TSN, "net", exc=T, match="stream must be a torch.nn.Module"),
    bad("two_stream.TSN: consensus", TS.TSN, STREAM, "median", match="consensus must be one of"),
    bad("two_stream.TSN.forward: rank", TS.TSN(STREAM), torch.zeros(1, 4, 6, 6), match=r"snippets must have shape \(B, K, C, H, W\)"),
]
