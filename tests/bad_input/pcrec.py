# ruff: noqa: E501  (a table: one wrong call per line reads best unwrapped)
"""Bad-input rows for paperlib.recsys.pcrec and paperlib.data.cross_domain."""

import torch

from bad_input import NAN, T, bad, g, poison
from paperlib.data.cross_domain import Interactions, cross_domain
from paperlib.recsys import pcrec as P

INTER = Interactions(torch.tensor([0, 0, 1]), torch.tensor([0, 1, 1]), 3, 3)  # user 2 has no items
FULL = Interactions(torch.tensor([0, 0]), torch.tensor([0, 1]), 1, 2)  # user 0 has every item
GRAPH = P.bipartite_graph(INTER)
EDGES = torch.tensor([[0, 1], [1, 0]])
ENC = P.GINEncoder(3, generator=g())
X = torch.zeros(2, 3)
GI = torch.zeros(2, dtype=torch.long)
Q = torch.zeros(2, 4)
MF = P.MatrixFactorization(3, 3, 2, generator=g())
QUEUE = P.KeyQueue(4, 8, generator=g())
RING = Interactions(torch.tensor([0, 1, 2, 3]), torch.tensor([0, 1, 2, 3]), 4, 5)  # every user has one item
VIEWS = P.sample_ego_views(P.bipartite_graph(RING), [0, 1, 2, 3], n_views=2, max_nodes=2, dim=2, generator=g())
ENC3 = P.GINEncoder(3, generator=g())

ROWS = [
    bad("data.cross_domain: users 1", cross_domain, 1, generator=g(), match=r"users must be an int \(>= 2\)"),
    bad("data.cross_domain: target_per_user > items", cross_domain, 10, target_items=3, target_per_user=4, generator=g(), match="target_per_user must be an int"),
    bad("data.cross_domain: test_per_user = target_per_user", cross_domain, 10, target_per_user=3, test_per_user=3, generator=g(), match="test_per_user must be an int"),
    bad("data.cross_domain: temperature 0", cross_domain, 10, temperature=0.0, generator=g(), match="temperature"),
    bad("data.cross_domain: shared_tastes str", cross_domain, 10, shared_tastes="yes", generator=g(), exc=T, match="shared_tastes must be a bool"),
    bad("data.cross_domain: generator", cross_domain, 10, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("pcrec.bipartite_graph: not Interactions", P.bipartite_graph, (torch.zeros(2), torch.zeros(2)), exc=T, match="interactions must be an Interactions"),
    bad("pcrec.random_walk_with_restart: user with no items", P.random_walk_with_restart, GRAPH, 2, restart=0.5, steps=5, generator=g(), match="start 2 has no neighbours"),
    bad("pcrec.random_walk_with_restart: restart 0", P.random_walk_with_restart, GRAPH, 0, restart=0.0, steps=5, generator=g(), match=r"restart must be in \(0, 1\]"),
    bad("pcrec.random_walk_with_restart: restart 1.5", P.random_walk_with_restart, GRAPH, 0, restart=1.5, steps=5, generator=g(), match=r"restart must be in \(0, 1\]"),
    bad("pcrec.random_walk_with_restart: start out of range", P.random_walk_with_restart, GRAPH, 9, restart=0.5, steps=5, generator=g(), match="start must be an int"),
    bad("pcrec.random_walk_with_restart: graph", P.random_walk_with_restart, "graph", 0, restart=0.5, steps=5, generator=g(), exc=T, match="graph must be a Graph"),
    bad("pcrec.ego_subgraph: user with no items", P.ego_subgraph, GRAPH, 2, generator=g(), match="center 2 has no neighbours"),
    bad("pcrec.ego_subgraph: max_nodes 1", P.ego_subgraph, GRAPH, 0, max_nodes=1, generator=g(), match=r"max_nodes must be an int \(>= 2\)"),
    bad("pcrec.ego_subgraph: restart NaN", P.ego_subgraph, GRAPH, 0, restart=NAN, generator=g(), match="restart must be"),
    bad("pcrec.structural_features: edge out of range", P.structural_features, 2, torch.tensor([[0], [5]]), match="edges"),
    bad("pcrec.structural_features: dim 0", P.structural_features, 2, EDGES, 0, match="dim must be a positive int"),
    bad("pcrec.batch_graphs: empty", P.batch_graphs, [], match="graphs must"),
    bad("pcrec.batch_graphs: not a pair", P.batch_graphs, [X], exc=T, match=r"graphs\[0\] must be a \(features, edges\) pair"),
    bad("pcrec.batch_graphs: feature widths differ", P.batch_graphs, [(X, EDGES), (torch.zeros(2, 4), EDGES)], match=r"graphs\[1\] features must have shape \(n, 3\)"),
    bad("pcrec.GINEncoder: in_dim 0", P.GINEncoder, 0, generator=g(), match="in_dim must be a positive int"),
    bad("pcrec.GINEncoder: eps NaN", P.GINEncoder, 3, eps=NAN, generator=g(), match="eps must be"),
    bad("pcrec.GINEncoder.forward: x width", ENC, torch.zeros(2, 4), EDGES, GI, 1, match=r"x must have shape \(N, 3\)"),
    bad("pcrec.GINEncoder.forward: graph_index out of range", ENC, X, EDGES, torch.tensor([0, 1]), 1, match="graph_index"),
    bad("pcrec.GINEncoder.forward: edges float", ENC, X, EDGES.float(), GI, 1, exc=T, match="edges must be an integer tensor"),
    bad("pcrec.info_nce: tau 0", P.info_nce, Q, Q, Q, 0.0, match="tau must be"),
    bad("pcrec.info_nce: tau -1", P.info_nce, Q, Q, Q, -1.0, match="tau must be"),
    bad("pcrec.info_nce: positive shape", P.info_nce, Q, torch.zeros(3, 4), Q, match=r"positive must have shape \(2, 4\)"),
    bad("pcrec.info_nce: negatives width", P.info_nce, Q, Q, torch.zeros(5, 3), match=r"negatives must have shape \(K, 4\)"),
    bad("pcrec.info_nce: NaN query", P.info_nce, poison(Q), Q, Q, match="query must be finite"),
    bad("pcrec.KeyQueue: size 0", P.KeyQueue, 4, 0, generator=g(), match="size must be a positive int"),
    bad("pcrec.KeyQueue.push: width", QUEUE.push, torch.zeros(2, 3), match=r"keys must have shape \(B, 4\)"),
    bad("pcrec.momentum_update_: m 1.5", P.momentum_update_, torch.nn.Linear(2, 2), torch.nn.Linear(2, 2), 1.5, match=r"m must be in \[0, 1\]"),
    bad("pcrec.momentum_update_: architectures differ", P.momentum_update_, torch.nn.Linear(2, 2), torch.nn.Linear(2, 3), match="same architecture"),
    bad("pcrec.momentum_update_: not a module", P.momentum_update_, "k", torch.nn.Linear(2, 2), exc=T, match="key_encoder must be a torch.nn.Module"),
    bad("pcrec.MatrixFactorization: user_init shape", P.MatrixFactorization, 3, 3, 2, user_init=torch.zeros(3, 4), generator=g(), match=r"user_init must have shape \(3, 2\)"),
    bad("pcrec.MatrixFactorization: n_items 0", P.MatrixFactorization, 3, 0, generator=g(), match="n_items must be a positive int"),
    bad("pcrec.MatrixFactorization.forward: item out of range", MF, torch.tensor([0]), torch.tensor([3]), match="items"),
    bad("pcrec.bpr_loss: shapes differ", P.bpr_loss, torch.zeros(3), torch.zeros(2), match=r"negative_scores must have shape \(3,\)"),
    bad("pcrec.bpr_loss: NaN", P.bpr_loss, poison(torch.zeros(3)), torch.zeros(3), match="positive_scores must be finite"),
    bad("pcrec.sample_negatives: a user with every item", P.sample_negatives, FULL, generator=g(), match="user 0 has interacted with every item"),
    bad("pcrec.sample_negatives: generator", P.sample_negatives, INTER, generator=None, exc=T, match="generator must be a torch.Generator"),
    bad("pcrec.ranking_metrics: scores shape", P.ranking_metrics, torch.zeros(2, 3), INTER, 2, match=r"scores must have shape \(3, 3\)"),
    bad("pcrec.ranking_metrics: k > items", P.ranking_metrics, torch.zeros(3, 3), INTER, 4, match="k must be an int"),
    bad("pcrec.ranking_metrics: exclude of other shape", P.ranking_metrics, torch.zeros(3, 3), INTER, 2, exclude=FULL, match="exclude must cover the same users and items"),
    bad("pcrec.ranking_metrics: empty test", P.ranking_metrics, torch.zeros(3, 3), Interactions(torch.zeros(0, dtype=torch.long), torch.zeros(0, dtype=torch.long), 3, 3), 2, match="test must hold at least one"),
    bad("pcrec.sample_ego_views: n_views 1", P.sample_ego_views, GRAPH, [0, 1], n_views=1, generator=g(), match=r"n_views must be an int \(>= 2\)"),
    bad("pcrec.sample_ego_views: node_codes rows", P.sample_ego_views, GRAPH, [0, 1], node_codes=torch.zeros(2, 4), generator=g(), match=r"node_codes must have shape \(6, C\)"),
    bad("pcrec.sample_ego_views: centers not a sequence", P.sample_ego_views, GRAPH, 0, generator=g(), exc=T, match="centers must be a sequence"),
    bad("pcrec.sample_ego_views: centre with no items", P.sample_ego_views, GRAPH, [2], generator=g(), match="center 2 has no neighbours"),
    bad("pcrec.encode_views: index out of range", P.encode_views, ENC3, VIEWS[0], torch.tensor([0, 4]), match="index"),
    bad("pcrec.encode_views: not a GINEncoder", P.encode_views, torch.nn.Linear(2, 2), VIEWS[0], exc=T, match="encoder must be a GINEncoder"),
    bad("pcrec.pretrain_moco: one view", P.pretrain_moco, ENC3, VIEWS[:1], generator=g(), match="views must be at least 2"),
    bad("pcrec.pretrain_moco: queue too large", P.pretrain_moco, ENC3, VIEWS, batch_size=2, queue_size=8, generator=g(), match="queue_size must be an int"),
    bad("pcrec.pretrain_moco: tau 0", P.pretrain_moco, ENC3, VIEWS, batch_size=2, queue_size=2, tau=0.0, generator=g(), match="tau must be"),
    bad("pcrec.pretrain_moco: ragged views", P.pretrain_moco, ENC3, [VIEWS[0], VIEWS[1][:3]], batch_size=2, queue_size=2, generator=g(), match="same number of subgraphs"),
    bad("pcrec.pretrain_moco: steps -1", P.pretrain_moco, ENC3, VIEWS, steps=-1, batch_size=2, queue_size=2, generator=g(), match="steps must be"),
    bad("pcrec.item_init_from_users: rows", P.item_init_from_users, torch.zeros(2, 4), INTER, match=r"user_embeddings must have shape \(3, D\)"),
    bad("pcrec.item_init_from_users: NaN", P.item_init_from_users, poison(torch.zeros(3, 4)), INTER, match="user_embeddings must be finite"),
    bad("pcrec.bpr_step: a user with every item", P.bpr_step, FULL, generator=g(), match="every item"),
    bad("pcrec.bpr_step: not Interactions", P.bpr_step, "train", generator=g(), exc=T, match="train must be an Interactions"),
]
