"""PCRec / GCC pieces (paperlib.recsys.pcrec) and the cross-domain toy against second computations."""

import math

import pytest
import torch
import torch.nn.functional as F

from paperlib import runtime
from paperlib.data.cross_domain import Interactions, cross_domain
from paperlib.recsys import pcrec as P


def g(seed=0):
    return runtime.make_generator(seed)


def _tiny():
    # users 0, 1, 2; items 0, 1, 2 (nodes 3, 4, 5)
    return Interactions(torch.tensor([0, 0, 1, 2, 2]), torch.tensor([0, 1, 1, 1, 2]), 3, 3)


def test_bipartite_graph_neighbours():
    graph = P.bipartite_graph(_tiny())
    nbrs = {v: sorted(graph.indices[graph.indptr[v]:graph.indptr[v + 1]].tolist()) for v in range(6)}
    assert nbrs == {0: [3, 4], 1: [4], 2: [4, 5], 3: [0], 4: [0, 1, 2], 5: [2]}


def test_rwr_visit_frequencies_match_the_power_iteration():
    graph = P.bipartite_graph(_tiny())
    adj = torch.zeros(6, 6, dtype=torch.float64)
    for v in range(6):
        adj[v, graph.indices[graph.indptr[v]:graph.indptr[v + 1]]] = 1
    trans = adj / adj.sum(1, keepdim=True)
    restart, start = 0.3, 0
    pi = torch.full((6,), 1 / 6, dtype=torch.float64)
    for _ in range(500):
        pi = restart * F.one_hot(torch.tensor(start), 6).double() + (1 - restart) * trans.T @ pi
    walk = P.random_walk_with_restart(graph, start, restart=restart, steps=60000, generator=g())
    freq = torch.bincount(walk[1:], minlength=6).double() / 60000
    assert torch.allclose(freq, pi, atol=0.01)


def test_ego_subgraph_is_the_induced_subgraph_centre_first():
    data = cross_domain(users=30, source_items=20, target_items=20, source_per_user=5, generator=g())
    graph = P.bipartite_graph(data.source)
    nodes, edges = P.ego_subgraph(graph, 7, restart=0.3, max_nodes=8, generator=g(1))
    assert nodes[0] == 7 and len(set(nodes.tolist())) == len(nodes) <= 8
    expected = set()
    for a in range(len(nodes)):
        for b in range(len(nodes)):
            u, v = int(nodes[a]), int(nodes[b])
            if v in graph.indices[graph.indptr[u]:graph.indptr[u + 1]].tolist():
                expected.add((a, b))
    assert set(map(tuple, edges.T.tolist())) == expected


def test_higher_restart_keeps_the_walk_closer():
    data = cross_domain(users=60, source_items=60, generator=g())
    graph = P.bipartite_graph(data.source)
    far = [P.random_walk_with_restart(graph, 0, restart=r, steps=3000, generator=g(1)).unique().numel() for r in (0.9, 0.1)]
    assert far[0] < far[1]


def test_structural_features_are_eigenvectors_with_the_centre_flag():
    edges = torch.tensor([[0, 1, 1, 2, 2, 3], [1, 0, 2, 1, 3, 2]])  # a path of 4 nodes
    feats = P.structural_features(4, edges, dim=3)
    adj = torch.zeros(4, 4)
    adj[edges[0], edges[1]] = 1
    norm = adj / adj.sum(1).sqrt()[:, None] / adj.sum(1).sqrt()[None, :]
    for j in range(3):
        v = feats[:, j]
        lam = (v @ norm @ v) / (v @ v)
        assert torch.allclose(norm @ v, lam * v, atol=1e-5)
    assert feats[:, 3].tolist() == [1, 0, 0, 0] and feats.shape == (4, 4)
    assert P.structural_features(2, torch.tensor([[0, 1], [1, 0]]), dim=4)[:, 2:4].abs().sum() == 0  # zero-padded


def test_gin_matches_a_dense_adjacency_computation():
    enc = P.GINEncoder(3, hidden=5, out_dim=4, n_layers=2, eps=0.25, generator=g())
    x = torch.randn(5, 3, generator=g(1))
    edges = torch.tensor([[0, 1, 1, 2, 3, 4], [1, 0, 2, 1, 4, 3]])
    graph_index = torch.tensor([0, 0, 0, 1, 1])
    adj = torch.zeros(5, 5)
    adj[edges[1], edges[0]] = 1
    h = x
    for mlp in enc.mlps:
        h = mlp(1.25 * h + adj @ h)
    pooled = torch.stack([h[:3].sum(0), h[3:].sum(0)])
    assert torch.allclose(enc(x, edges, graph_index, 2), F.normalize(enc.out(pooled), dim=1), atol=1e-6)


def test_gin_ignores_node_order_within_a_graph():
    enc = P.GINEncoder(3, generator=g())
    x = torch.randn(3, 3, generator=g(1))
    edges = torch.tensor([[0, 1, 1, 2], [1, 0, 2, 1]])
    perm = torch.tensor([2, 0, 1])  # new node i is old node perm[i]
    inv = torch.argsort(perm)
    assert torch.allclose(enc(x, edges, torch.zeros(3, dtype=torch.long), 1),
                          enc(x[perm], inv[edges], torch.zeros(3, dtype=torch.long), 1), atol=1e-6)


def test_info_nce_matches_its_formula():
    q = F.normalize(torch.randn(4, 3, generator=g(1)), dim=1)
    k = F.normalize(torch.randn(4, 3, generator=g(2)), dim=1)
    neg = F.normalize(torch.randn(6, 3, generator=g(3)), dim=1)
    tau = 0.2
    manual = 0.0
    for i in range(4):
        pos = math.exp(float(q[i] @ k[i]) / tau)
        manual += -math.log(pos / (pos + sum(math.exp(float(q[i] @ n) / tau) for n in neg)))
    assert P.info_nce(q, k, neg, tau).item() == pytest.approx(manual / 4, rel=1e-5)


def test_key_queue_is_first_in_first_out():
    queue = P.KeyQueue(2, 4, generator=g())
    for step in range(3):
        queue.push(torch.full((2, 2), float(step)))
    assert queue.keys[:, 0].tolist() == [1, 1, 2, 2]  # step 0's keys were the oldest and left first
    queue.push(torch.arange(10.0).repeat(2, 1).T)  # more than the queue holds: only the newest 4 stay
    assert queue.keys[:, 0].tolist() == [6, 7, 8, 9]


def test_momentum_update_is_an_exponential_moving_average():
    a, b = torch.nn.Linear(2, 2), torch.nn.Linear(2, 2)
    before = [p.clone() for p in a.parameters()]
    P.momentum_update_(a, b, 0.9)
    for new, old, q in zip(a.parameters(), before, b.parameters()):
        assert torch.allclose(new, 0.9 * old + 0.1 * q)
    P.momentum_update_(a, b, 0.0)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))


def test_bpr_and_negatives():
    pos, neg = torch.tensor([2.0, 0.0]), torch.tensor([1.0, 1.0])
    assert P.bpr_loss(pos, neg).item() == pytest.approx(-(math.log(1 / (1 + math.exp(-1))) + math.log(1 / (1 + math.exp(1)))) / 2)
    inter = _tiny()
    for seed in range(20):
        negs = P.sample_negatives(inter, generator=g(seed))
        seen = set(zip(inter.users.tolist(), inter.items.tolist()))
        assert all((u, j) not in seen for u, j in zip(inter.users.tolist(), negs.tolist()))


def test_mf_initialisation_from_embeddings():
    users, items = torch.randn(3, 2), torch.randn(4, 2)
    mf = P.MatrixFactorization(3, 4, 2, user_init=users, item_init=items, freeze=True, generator=g())
    assert torch.allclose(mf.all_scores(), users @ items.T) and not mf.users.requires_grad
    assert torch.allclose(mf(torch.tensor([1]), torch.tensor([2])), users[1] @ items[2])


def test_ranking_metrics_on_hand_made_rankings():
    scores = torch.tensor([[0.9, 0.8, 0.7, 0.1], [0.1, 0.2, 0.3, 0.4], [0.5, 0.5, 0.5, 0.5]])
    test = Interactions(torch.tensor([0, 0, 1]), torch.tensor([1, 3, 0]), 3, 4)
    train = Interactions(torch.tensor([0]), torch.tensor([0]), 3, 4)
    m = P.ranking_metrics(scores, test, 2, exclude=train)
    # user 0 ranks (item 0 removed) 1, 2: hit at rank 1 of 2 test items -> recall 1/2, ndcg 1 / (1 + 1/log2 3)
    # user 1 ranks 3, 2: item 0 missed -> 0, 0; user 2 has no test item and is skipped
    assert m.users == 2
    assert m.recall == pytest.approx((0.5 + 0) / 2)
    assert m.ndcg == pytest.approx((1 / (1 + 1 / math.log2(3)) + 0) / 2)
    perfect = P.ranking_metrics(torch.tensor([[0.0, 1.0, 0.5, 0.9]]), Interactions(torch.tensor([0, 0]), torch.tensor([1, 3]), 1, 4), 3)
    assert perfect.recall == 1 and perfect.ndcg == pytest.approx(1)


def test_cross_domain_toy():
    data = cross_domain(users=50, source_items=40, target_items=30, source_per_user=10, target_per_user=4,
                        test_per_user=1, generator=g())
    assert len(data.source.users) == 500 and len(data.target_train.users) == 150 and len(data.target_test.users) == 50
    train = set(zip(data.target_train.users.tolist(), data.target_train.items.tolist()))
    assert not train & set(zip(data.target_test.users.tolist(), data.target_test.items.tolist()))
    again = cross_domain(users=50, source_items=40, target_items=30, source_per_user=10, target_per_user=4,
                         test_per_user=1, generator=g())
    assert torch.equal(data.source.items, again.source.items)


def _views(n_views=2, codes=True):
    data = cross_domain(users=12, source_items=10, target_items=10, source_per_user=4, generator=g())
    graph = P.bipartite_graph(data.source)
    node_codes = torch.randn(graph.n_nodes, 3, generator=g(5)) if codes else None
    return graph, node_codes, P.sample_ego_views(graph, range(12), n_views=n_views, max_nodes=6, dim=4,
                                                  node_codes=node_codes, generator=g(2))


def test_sample_ego_views_are_ego_subgraphs_with_their_features():
    graph, codes, views = _views()
    gen = g(2)  # the same draws, one ego subgraph at a time, in the same order
    for v in range(2):
        for c in range(12):
            nodes, edges = P.ego_subgraph(graph, c, restart=0.8, max_nodes=6, generator=gen)
            x, e = views[v][c]
            assert torch.equal(e, edges)
            assert torch.allclose(x, torch.cat([P.structural_features(len(nodes), edges, 4), codes[nodes]], 1))


def test_encode_views_matches_one_graph_at_a_time():
    _, _, views = _views()
    enc = P.GINEncoder(8, 16, 4, generator=g())
    idx = torch.tensor([3, 0, 7])
    together = P.encode_views(enc, views[0], idx)
    one = torch.cat([enc(x, e, torch.zeros(len(x), dtype=torch.long), 1) for x, e in (views[0][i] for i in idx.tolist())])
    assert torch.allclose(together, one, atol=1e-6)


def test_pretrain_moco_momentum_extremes_and_learning():
    _, _, views = _views(n_views=3)
    enc = P.GINEncoder(8, 16, 4, generator=g())
    start = [p.detach().clone() for p in enc.parameters()]
    out = P.pretrain_moco(enc, views, steps=3, batch_size=4, queue_size=4, momentum=1.0, generator=g(), progress=False)
    assert out.encoder is enc and len(out.losses) == 3
    assert all(torch.equal(k, s) for k, s in zip(out.key_encoder.parameters(), start))  # m = 1: f_k never moves
    assert not all(torch.equal(q, s) for q, s in zip(enc.parameters(), start))
    out = P.pretrain_moco(enc, views, steps=2, batch_size=4, queue_size=4, momentum=0.0, generator=g(), progress=False)
    assert all(torch.equal(k, q) for k, q in zip(out.key_encoder.parameters(), enc.parameters()))  # m = 0: f_k = f_q
    enc = P.GINEncoder(8, 16, 4, generator=g())
    losses = P.pretrain_moco(enc, views, steps=120, batch_size=4, queue_size=6, tau=0.2, generator=g(), progress=False).losses
    assert sum(losses[-20:]) < sum(losses[:20])


def test_item_init_from_users_is_the_mean_of_its_users():
    inter = Interactions(torch.tensor([0, 1, 1, 2]), torch.tensor([0, 0, 2, 2]), 3, 4)
    users = torch.randn(3, 5, generator=g())
    items = P.item_init_from_users(users, inter)
    expected = torch.stack([(users[0] + users[1]) / 2, torch.zeros(5), (users[1] + users[2]) / 2, torch.zeros(5)])
    assert torch.allclose(items, expected)


def test_bpr_step_draws_only_unseen_items():
    # user 0 saw items 0, 1, 2 of 4: its only negative is item 3; user 1 saw item 3 only
    train = Interactions(torch.tensor([0, 0, 0, 1]), torch.tensor([0, 1, 2, 3]), 2, 4)
    mf = P.MatrixFactorization(2, 4, 3, generator=g())
    step = P.bpr_step(train, generator=g())
    users, items = torch.tensor([0, 0, 0]), torch.tensor([0, 1, 2])
    expected = P.bpr_loss(mf(users, items), mf(users, torch.tensor([3, 3, 3])))
    assert torch.allclose(step(mf, (users, items)), expected)
    with torch.no_grad():  # user 1's unseen items 0, 1, 2 score alike: the loss is the same whichever is drawn
        mf.items[:3] = mf.items[0]
    users, items = torch.full((50,), 1), torch.full((50,), 3)
    expected = P.bpr_loss(mf(users, items), mf(users, torch.zeros(50, dtype=torch.long)))
    assert torch.allclose(step(mf, (users, items)), expected)
