"""PCRec (Wang et al., arXiv 2111.08268) and the GCC machinery it builds on (Qiu et al., arXiv 2006.09963).

    bipartite_graph, random_walk_with_restart, ego_subgraph
                          GCC section 3.2: an r-ego network sampled by a random walk with restart from
                          its centre, the induced subgraph of the visited nodes, anonymised (centre first)
    structural_features   GCC's node features: top eigenvectors of D^-1/2 A D^-1/2 of the subgraph, plus a
                          flag on the centre
    GINEncoder            Xu et al., GIN (arXiv 1810.00826, eq. 4.1): h' = MLP((1 + eps) h + sum of neighbours),
                          sum pooling per graph, L2-normalised output (GCC's encoder)
    info_nce              GCC eq. (1) / MoCo: -log exp(q.k+ / tau) / (exp(q.k+ / tau) + sum_i exp(q.k_i / tau))
    KeyQueue, momentum_update_
                          MoCo (He et al., arXiv 1911.05722): a FIFO queue of past keys as negatives, and the key
                          encoder as an exponential moving average theta_k <- m theta_k + (1 - m) theta_q
    MatrixFactorization, bpr_loss, sample_negatives
                          MF y_ui = p_u . q_i trained with BPR (Rendle et al., arXiv 1205.2618):
                          -mean log sigmoid(y_ui - y_uj), j an item the user has not interacted with
    sample_ego_views, encode_views, pretrain_moco
                          PCRec section III-B: precomputed RWR views of every user's source ego network, and the
                          MoCo pre-training loop (query encoder, momentum key encoder, queue, InfoNCE)
    item_init_from_users, bpr_step
                          PCRec section III-C: transfer to the target's MF (users from the encoder, items as the
                          mean of their target users; our simplification) and the BPR step for train.fit
    ranking_metrics       Recall@K (hits in the top K / |test items|) and NDCG@K (binary relevance,
                          DCG = sum 1 / log2(rank + 1), normalised by the ideal DCG of min(K, |test|) hits)

Graph nodes: users 0..U-1, then items U..U+I-1. Edges are (2, E) int64 index tensors, both directions.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from paperlib import checks, layers
from paperlib.data.cross_domain import Interactions
from paperlib.progress import progress_bar

__all__ = [
    "Graph", "bipartite_graph", "random_walk_with_restart", "ego_subgraph", "structural_features",
    "batch_graphs", "GINEncoder", "info_nce", "KeyQueue", "momentum_update_", "MatrixFactorization",
    "bpr_loss", "sample_negatives", "RankingMetrics", "ranking_metrics", "sample_ego_views", "encode_views",
    "Pretraining", "pretrain_moco", "item_init_from_users", "bpr_step",
]


class Graph(NamedTuple):
    """An undirected graph in CSR form: the neighbours of node v are indices[indptr[v]:indptr[v+1]]."""

    indptr: Tensor
    indices: Tensor
    n_nodes: int


def _interactions(inter: object, name: str = "interactions") -> Interactions:
    checks.instance(inter, name, Interactions, "an Interactions (from paperlib.data.cross_domain)")
    return inter


def bipartite_graph(interactions: Interactions) -> Graph:
    """The user-item graph of ``interactions``: user u is node u, item i is node U + i; one undirected edge per pair."""
    inter = _interactions(interactions)
    src = torch.cat([inter.users, inter.items + inter.n_users])
    dst = torch.cat([inter.items + inter.n_users, inter.users])
    n = inter.n_users + inter.n_items
    order = torch.argsort(src * n + dst)
    src, dst = src[order], dst[order]
    indptr = torch.zeros(n + 1, dtype=torch.long)
    indptr[1:] = torch.bincount(src, minlength=n).cumsum(0)
    return Graph(indptr, dst, n)


def _check_graph(graph: object) -> Graph:
    return checks.instance(graph, "graph", Graph, "a Graph (from bipartite_graph)")


def _check_node(graph: Graph, node: object, name: str) -> int:
    node = checks.integer(node, name, low=0, high=graph.n_nodes - 1)
    if graph.indptr[node + 1] == graph.indptr[node]:
        raise ValueError(f"{name} {node} has no neighbours (a user or item with no interactions): nothing to walk to")
    return node


def random_walk_with_restart(graph: Graph, start: int, *, restart: float, steps: int,
                             generator: torch.Generator) -> Tensor:
    """A walk of ``steps`` moves from ``start``: each move returns to ``start`` with probability ``restart``,
    else goes to a uniformly drawn neighbour of the current node. Returns the (steps + 1,) visited nodes.

    Its visit frequencies approach the RWR distribution pi = restart e_start + (1 - restart) P^T pi,
    P the row-normalised adjacency (tested against the power iteration).
    """
    graph = _check_graph(graph)
    node = _check_node(graph, start, "start")
    restart = checks.real(restart, "restart", low=0, low_open=True, high=1)
    checks.positive_int(steps, "steps")
    checks.generator(generator)
    jumps = torch.rand(steps, generator=generator) < restart
    picks = torch.rand(steps, generator=generator)
    path = [node]
    for s in range(steps):
        if jumps[s]:
            node = start
        else:
            lo, hi = int(graph.indptr[node]), int(graph.indptr[node + 1])
            node = int(graph.indices[lo + min(int(picks[s] * (hi - lo)), hi - lo - 1)])
        path.append(node)
    return torch.tensor(path)


def ego_subgraph(graph: Graph, center: int, *, restart: float = 0.5, max_nodes: int = 16, max_steps: int = 200,
                 generator: torch.Generator) -> tuple[Tensor, Tensor]:
    """GCC's sampled r-ego network: walk with restart from ``center`` until ``max_nodes`` distinct nodes
    are visited (or ``max_steps`` moves), and take the subgraph they induce.

    A higher ``restart`` keeps the walk closer to the centre (fewer hops r). Returns (nodes, edges):
    nodes (n,) global ids in visit order, centre first; edges (2, E) local indices into ``nodes`` (the
    anonymised subgraph), both directions.
    """
    graph = _check_graph(graph)
    center = _check_node(graph, center, "center")
    checks.integer(max_nodes, "max_nodes", low=2)
    checks.positive_int(max_steps, "max_steps")
    walk = random_walk_with_restart(graph, center, restart=restart, steps=max_steps, generator=generator)
    seen: dict[int, int] = {}
    for v in walk.tolist():
        if v not in seen:
            seen[v] = len(seen)
            if len(seen) == max_nodes:
                break
    nodes = torch.tensor(list(seen))
    local = torch.full((graph.n_nodes,), -1)
    local[nodes] = torch.arange(len(nodes))
    src = torch.repeat_interleave(nodes, graph.indptr[nodes + 1] - graph.indptr[nodes])
    dst = torch.cat([graph.indices[graph.indptr[v]:graph.indptr[v + 1]] for v in nodes.tolist()])
    keep = local[dst] >= 0
    return nodes, torch.stack([local[src[keep]], local[dst[keep]]])


def structural_features(n_nodes: int, edges: Tensor, dim: int = 8) -> Tensor:
    """GCC's structural node features: the ``dim`` leading eigenvectors (largest eigenvalues) of
    D^-1/2 A D^-1/2 of a subgraph, zero-padded to ``dim`` columns, each eigenvector's sign fixed so that its
    largest-magnitude entry is positive, plus a last column flagging node 0 (the centre). (n, dim + 1).
    """
    checks.positive_int(n_nodes, "n_nodes")
    _check_edges(edges, n_nodes)
    checks.positive_int(dim, "dim")
    adj = torch.zeros(n_nodes, n_nodes, dtype=torch.float64)
    adj[edges[0], edges[1]] = 1.0
    deg = adj.sum(1).clamp(min=1)
    norm = adj / deg.sqrt()[:, None] / deg.sqrt()[None, :]
    _, vecs = torch.linalg.eigh(norm)  # ascending eigenvalues
    vecs = vecs.flip(1)[:, :dim]
    sign = torch.sign(vecs.gather(0, vecs.abs().argmax(0, keepdim=True)))
    vecs = vecs * torch.where(sign == 0, 1.0, sign)
    feats = torch.zeros(n_nodes, dim + 1)
    feats[:, : vecs.shape[1]] = vecs.float()
    feats[0, dim] = 1.0
    return feats


def _check_edges(edges: object, n_nodes: int, name: str = "edges") -> Tensor:
    checks.integer_tensor(edges, name, shape=(2, "E"), low=0, high=n_nodes - 1)
    return edges


def batch_graphs(graphs: Sequence[tuple[Tensor, Tensor]]) -> tuple[Tensor, Tensor, Tensor]:
    """Stack (features (n_g, F), edges (2, E_g)) subgraphs into one disjoint graph for :class:`GINEncoder`.

    Returns x (N, F), edges (2, E) with offsets added, graph_index (N,) the subgraph of each node.
    """
    graphs = checks.sequence(graphs, "graphs", min_length=1, what="(features, edges) pairs")
    xs, es, idx, offset = [], [], [], 0
    for g, pair in enumerate(graphs):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"graphs[{g}] must be a (features, edges) pair, got {type(pair).__name__}")
        x, e = pair
        checks.tensor(x, f"graphs[{g}] features", shape=("n", graphs[0][0].shape[1]) if g else ("n", "F"))
        _check_edges(e, len(x), f"graphs[{g}] edges")
        xs.append(x)
        es.append(e + offset)
        idx.append(torch.full((len(x),), g))
        offset += len(x)
    return torch.cat(xs), torch.cat(es, dim=1), torch.cat(idx)


class GINEncoder(nn.Module):
    """GIN (arXiv 1810.00826, eq. 4.1) as GCC's graph encoder: h^(l+1)_v = MLP_l((1 + eps) h^(l)_v + sum_{u in N(v)} h^(l)_u),
    two-layer ReLU MLPs, then the sum of the last layer's node states per graph, a linear map to ``out_dim``,
    and L2 normalisation (GCC compares unit vectors).

    forward(x (N, in_dim), edges (2, E) both directions, graph_index (N,), n_graphs) -> (n_graphs, out_dim).
    """

    def __init__(self, in_dim: int, hidden: int = 32, out_dim: int = 16, n_layers: int = 2, *, eps: float = 0.0,
                 generator: torch.Generator):
        super().__init__()
        self.in_dim = checks.positive_int(in_dim, "in_dim")
        checks.positive_int(hidden, "hidden")
        checks.positive_int(out_dim, "out_dim")
        checks.positive_int(n_layers, "n_layers")
        self.eps = checks.real(eps, "eps")
        checks.generator(generator)
        sizes = [in_dim] + [hidden] * n_layers
        self.mlps = nn.ModuleList(
            nn.Sequential(nn.Linear(a, b), nn.ReLU(), nn.Linear(b, b), nn.ReLU()) for a, b in zip(sizes, sizes[1:])
        )
        self.out = nn.Linear(hidden, out_dim)
        layers.seeded_init_(self, generator)

    def forward(self, x: Tensor, edges: Tensor, graph_index: Tensor, n_graphs: int) -> Tensor:
        checks.tensor(x, "x", shape=("N", self.in_dim))
        _check_edges(edges, len(x))
        checks.positive_int(n_graphs, "n_graphs")
        checks.integer_tensor(graph_index, "graph_index", shape=(len(x),), low=0, high=n_graphs - 1)
        h = x
        for mlp in self.mlps:
            agg = torch.zeros_like(h).index_add_(0, edges[1], h[edges[0]])  # sum over neighbours u -> v
            h = mlp((1 + self.eps) * h + agg)
        pooled = torch.zeros(n_graphs, h.shape[1], dtype=h.dtype, device=h.device).index_add_(0, graph_index, h)
        return F.normalize(self.out(pooled), dim=1)


def info_nce(query: Tensor, positive: Tensor, negatives: Tensor, tau: float = 0.07) -> Tensor:
    """InfoNCE (GCC eq. (1), MoCo): mean over the batch of -log softmax([q.k+, q.k_1, ..., q.k_K] / tau)[0].

    query, positive: (B, D) (row i's positive is positive[i]); negatives: (K, D) shared by every row (a
    MoCo queue). Inputs are used as given (pass L2-normalised vectors). tau in [1e-3, 1e6].
    """
    checks.tensor(query, "query", dim=2, shape="(B, D)")
    checks.tensor(positive, "positive", shape=tuple(query.shape))
    checks.tensor(negatives, "negatives", shape=("K", query.shape[1]))
    tau = checks.scale(tau, "tau")
    logits = torch.cat([(query * positive).sum(1, keepdim=True), query @ negatives.T], dim=1) / tau  # (B, 1 + K)
    return F.cross_entropy(logits, torch.zeros(len(query), dtype=torch.long, device=query.device))


class KeyQueue:
    """MoCo's queue of negative keys: a FIFO of ``size`` unit vectors, initially random.

    ``push(keys)`` writes the newest keys over the oldest (first in, first out) and returns nothing;
    ``keys`` is the (size, dim) current content, oldest first. Keys are stored detached.
    """

    def __init__(self, dim: int, size: int, *, generator: torch.Generator):
        checks.positive_int(dim, "dim")
        self.size = checks.positive_int(size, "size")
        checks.generator(generator)
        self._data = F.normalize(torch.randn(size, dim, generator=generator), dim=1)  # (size, dim) ring buffer
        self._next = 0  # index of the oldest key

    @property
    def keys(self) -> Tensor:
        return torch.cat([self._data[self._next:], self._data[: self._next]])  # oldest first

    def push(self, keys: Tensor) -> None:
        checks.tensor(keys, "keys", shape=("B", self._data.shape[1]))
        keys = keys.detach().to(self._data)[-self.size :]
        idx = (self._next + torch.arange(len(keys))) % self.size
        self._data[idx] = keys
        self._next = int((self._next + len(keys)) % self.size)


@torch.no_grad()
def momentum_update_(key_encoder: nn.Module, query_encoder: nn.Module, m: float = 0.999) -> None:
    """MoCo's key-encoder update (arXiv 1911.05722, eq. 2): theta_k <- m theta_k + (1 - m) theta_q, in place."""
    checks.instance(key_encoder, "key_encoder", nn.Module, "a torch.nn.Module")
    checks.instance(query_encoder, "query_encoder", nn.Module, "a torch.nn.Module")
    m = checks.real(m, "m", low=0, high=1)
    pk, pq = list(key_encoder.parameters()), list(query_encoder.parameters())
    if [p.shape for p in pk] != [p.shape for p in pq]:
        raise ValueError("key_encoder and query_encoder must have the same architecture (parameter shapes differ)")
    for k, q in zip(pk, pq):
        k.mul_(m).add_(q, alpha=1 - m)


class MatrixFactorization(nn.Module):
    """MF: y_ui = p_u . q_i. Embeddings start from N(0, std^2) drawn from ``generator``, or from given
    (n_users, dim) / (n_items, dim) tensors (e.g. a pre-trained encoder's); ``freeze`` keeps them fixed."""

    def __init__(self, n_users: int, n_items: int, dim: int = 16, *, generator: torch.Generator, std: float = 0.1,
                 user_init: Tensor | None = None, item_init: Tensor | None = None, freeze: bool = False):
        super().__init__()
        self.n_users = checks.positive_int(n_users, "n_users")
        self.n_items = checks.positive_int(n_items, "n_items")
        checks.positive_int(dim, "dim")
        checks.generator(generator)
        std = checks.real(std, "std", low=0, low_open=True)
        checks.boolean(freeze, "freeze")
        users = std * torch.randn(n_users, dim, generator=generator)
        items = std * torch.randn(n_items, dim, generator=generator)
        if user_init is not None:
            users = checks.tensor(user_init, "user_init", shape=(n_users, dim)).detach().clone().float()
        if item_init is not None:
            items = checks.tensor(item_init, "item_init", shape=(n_items, dim)).detach().clone().float()
        self.users, self.items = nn.Parameter(users, requires_grad=not freeze), nn.Parameter(items, requires_grad=not freeze)

    def forward(self, users: Tensor, items: Tensor) -> Tensor:
        checks.integer_tensor(users, "users", shape=("B",), low=0, high=self.n_users - 1)
        checks.integer_tensor(items, "items", shape=(len(users),), low=0, high=self.n_items - 1)
        return (self.users[users] * self.items[items]).sum(1)  # (B,)

    def all_scores(self) -> Tensor:
        """(n_users, n_items) every score p_u . q_i."""
        return self.users @ self.items.T


def bpr_loss(positive_scores: Tensor, negative_scores: Tensor) -> Tensor:
    """BPR (arXiv 1205.2618, section 4.1) without the weight-decay term: -mean log sigmoid(y_ui - y_uj). (B,), (B,) -> ()."""
    checks.tensor(positive_scores, "positive_scores", dim=1, shape="(B,)")
    checks.tensor(negative_scores, "negative_scores", shape=tuple(positive_scores.shape))
    return -F.logsigmoid(positive_scores - negative_scores).mean()


def _unseen(inter: Interactions, name: str) -> Tensor:
    """(n_users, n_items) bool: True where the user has not interacted with the item; every user in the pairs
    must have at least one such item."""
    seen = torch.zeros(inter.n_users, inter.n_items, dtype=torch.bool)
    seen[inter.users, inter.items] = True
    full = seen.all(dim=1)
    if full[inter.users].any():
        u = int(inter.users[full[inter.users]][0])
        raise ValueError(f"{name}: user {u} has interacted with every item, no negative item to sample")
    return ~seen


def _draw_negatives(unseen: Tensor, users: Tensor, generator: torch.Generator) -> Tensor:
    return torch.multinomial(unseen[users].float(), 1, generator=generator).squeeze(1)  # (E,), uniform over unseen


def sample_negatives(interactions: Interactions, *, generator: torch.Generator) -> Tensor:
    """For each (user, item) pair an item that user has not interacted with, drawn uniformly. (E,) int64."""
    inter = _interactions(interactions)
    checks.generator(generator)
    return _draw_negatives(_unseen(inter, "interactions"), inter.users, generator)


class RankingMetrics(NamedTuple):
    """Mean Recall@K and NDCG@K over the users with test items, and that user count."""

    recall: float
    ndcg: float
    users: int


def ranking_metrics(scores: Tensor, test: Interactions, k: int = 10, *, exclude: Interactions | None = None) -> RankingMetrics:
    """Recall@K and NDCG@K of the (n_users, n_items) ``scores`` against the ``test`` pairs.

    Items in ``exclude`` (the training pairs) are removed from the ranking. Recall@K = hits / |test items
    of u|; NDCG@K = sum over hits of 1 / log2(rank + 1) (rank from 1) divided by the same sum for
    min(K, |test|) hits at the top. Averaged over users with at least one test item.
    """
    test = _interactions(test, "test")
    checks.tensor(scores, "scores", shape=(test.n_users, test.n_items))
    checks.integer(k, "k", low=1, high=test.n_items)
    scores = scores.detach().clone().float()
    if exclude is not None:
        exclude = _interactions(exclude, "exclude")
        if (exclude.n_users, exclude.n_items) != (test.n_users, test.n_items):
            raise ValueError(f"exclude must cover the same users and items as test {(test.n_users, test.n_items)}, "
                             f"got {(exclude.n_users, exclude.n_items)}")
        scores[exclude.users, exclude.items] = float("-inf")
    relevant = torch.zeros(test.n_users, test.n_items, dtype=torch.bool)
    relevant[test.users, test.items] = True
    n_rel = relevant.sum(1)  # (U,)
    has = n_rel > 0
    if not has.any():
        raise ValueError("test must hold at least one (user, item) pair")
    top = scores.topk(k, dim=1).indices  # (U, K)
    hits = relevant.gather(1, top).float()  # (U, K)
    discount = 1 / torch.log2(torch.arange(2, k + 2, dtype=torch.float))  # (K,)
    ideal = torch.cumsum(discount, 0)[(n_rel.clamp(max=k) - 1).clamp(min=0)]  # (U,)
    recall = hits.sum(1)[has] / n_rel[has]
    ndcg = (hits * discount).sum(1)[has] / ideal[has]
    return RankingMetrics(recall.mean().item(), ndcg.mean().item(), int(has.sum()))


View = tuple[Tensor, Tensor]  # (features (n, F), edges (2, E)) of one anonymised ego subgraph


def sample_ego_views(graph: Graph, centers: Sequence[int], *, n_views: int = 3, restart: float = 0.8,
                     max_nodes: int = 16, dim: int = 8, node_codes: Tensor | None = None,
                     generator: torch.Generator) -> list[list[View]]:
    """PCRec III-B / GCC 3.2: ``n_views`` independent RWR ego subgraphs of every centre, precomputed once.

    Node features are :func:`structural_features` (dim + 1 columns), followed by ``node_codes[node]`` when
    given ((n_nodes, C) fixed per-node vectors). Returns views[v][c] = (features (n, dim + 1 [+ C]), edges).
    """
    graph = _check_graph(graph)
    centers = checks.sequence(centers, "centers", min_length=1, what="node ids")
    checks.integer(n_views, "n_views", low=2)
    if node_codes is not None:
        checks.tensor(node_codes, "node_codes", shape=(graph.n_nodes, "C"))
    views = []
    for _ in range(n_views):
        row = []
        for c in centers:
            nodes, edges = ego_subgraph(graph, c, restart=restart, max_nodes=max_nodes, generator=generator)
            x = structural_features(len(nodes), edges, dim)
            if node_codes is not None:
                x = torch.cat([x, node_codes[nodes].float()], dim=1)  # (n, dim + 1 + C)
            row.append((x, edges))
        views.append(row)
    return views


def encode_views(encoder: GINEncoder, views: Sequence[View], index: Tensor | None = None) -> Tensor:
    """Embed the subgraphs ``views[i]`` for i in ``index`` (all when None) with one batched GIN pass. (B, out_dim)."""
    checks.instance(encoder, "encoder", GINEncoder, "a GINEncoder")
    views = checks.sequence(views, "views", min_length=1, what="(features, edges) pairs")
    if index is None:
        index = torch.arange(len(views))
    checks.integer_tensor(index, "index", shape=("B",), low=0, high=len(views) - 1)
    x, edges, graph_index = batch_graphs([views[i] for i in index.tolist()])
    return encoder(x, edges, graph_index, len(index))


class Pretraining(NamedTuple):
    """encoder: the trained query encoder f_q; key_encoder: its momentum copy f_k; losses: InfoNCE per step."""

    encoder: GINEncoder
    key_encoder: GINEncoder
    losses: list[float]


def pretrain_moco(encoder: GINEncoder, views: Sequence[Sequence[View]], *, steps: int = 300, batch_size: int = 32,
                  tau: float = 0.07, queue_size: int = 64, momentum: float = 0.99, lr: float = 1e-2,
                  generator: torch.Generator, progress: bool = True, desc: str = "사전학습") -> Pretraining:
    """PCRec III-B with GCC's MoCo scheme: each step draws ``batch_size`` centres and two different views of
    each; q = f_q(view a), k+ = f_k(view b); loss = InfoNCE(q, k+, queue) at temperature ``tau``; Adam step on
    f_q; f_k <- m f_k + (1 - m) f_q; the keys enter the queue. ``encoder`` is trained in place.

    ``queue_size`` must stay below the number of centres minus the batch, so that few queued keys come from
    the query's own centre (a fact-sheet pitfall).
    """
    checks.instance(encoder, "encoder", GINEncoder, "a GINEncoder")
    views = checks.sequence(views, "views", min_length=2, what="lists of views (one list per view index)")
    n = len(views[0])
    if any(len(v) != n for v in views):
        raise ValueError(f"views must hold the same number of subgraphs per view index, got {[len(v) for v in views]}")
    checks.nonnegative_int(steps, "steps")
    checks.integer(batch_size, "batch_size", low=1, high=n)
    tau = checks.scale(tau, "tau")
    checks.integer(queue_size, "queue_size", low=1, high=max(1, n - batch_size))
    momentum = checks.real(momentum, "momentum", low=0, high=1)
    checks.positive_real(lr, "lr")
    checks.generator(generator)
    key_encoder = copy.deepcopy(encoder)
    for p in key_encoder.parameters():
        p.requires_grad_(False)
    queue = KeyQueue(encoder.out.out_features, queue_size, generator=generator)
    optimizer = torch.optim.Adam(encoder.parameters(), lr=lr)
    losses: list[float] = []
    with progress_bar(total=steps, desc=desc, disable=not progress) as bar:
        for _ in range(steps):
            index = torch.randperm(n, generator=generator)[:batch_size]  # (B,)
            a, b = torch.randperm(len(views), generator=generator)[:2].tolist()
            q = encode_views(encoder, views[a], index)  # (B, D)
            with torch.no_grad():
                k = encode_views(key_encoder, views[b], index)  # (B, D)
            loss = info_nce(q, k, queue.keys, tau)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            momentum_update_(key_encoder, encoder, momentum)
            queue.push(k)
            losses.append(loss.item())
            bar.update(1)
    return Pretraining(encoder, key_encoder, losses)


def item_init_from_users(user_embeddings: Tensor, train: Interactions) -> Tensor:
    """Target item vectors as the mean of the embeddings of their training users (zero for items nobody chose).

    Our simplification of PCRec III-C (how the paper embeds target items is not verified): the encoder
    embeds users from their source ego networks; an item starts where its target users are. (n_items, D).
    """
    train = _interactions(train, "train")
    checks.tensor(user_embeddings, "user_embeddings", shape=(train.n_users, "D"))
    total = torch.zeros(train.n_items, user_embeddings.shape[1]).index_add_(0, train.items, user_embeddings[train.users].float())
    count = torch.bincount(train.items, minlength=train.n_items).clamp(min=1)  # (I,)
    return total / count[:, None]


def bpr_step(train: Interactions, *, generator: torch.Generator):
    """A ``train.fit`` step function for MF with BPR: for a batch (users (B,), items (B,)) of training pairs,
    draw for each pair an item its user never chose (uniformly) and return -mean log sigmoid(y_ui - y_uj)."""
    train = _interactions(train, "train")
    checks.generator(generator)
    unseen = _unseen(train, "train")

    def step(model: MatrixFactorization, batch: Sequence[Tensor]) -> Tensor:
        users, items = batch
        return bpr_loss(model(users, items), model(users, _draw_negatives(unseen, users, generator)))

    return step
