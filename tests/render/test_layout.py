"""ForceAtlas2-like layout: shape, determinism, and that it draws communities apart."""

from __future__ import annotations

import numpy as np

from graphscan.render.layout import LayoutOptions, forceatlas2_layout


def _two_cliques(size: int) -> tuple[np.ndarray, np.ndarray]:
    pairs = [
        (i, j)
        for block in (0, size)
        for i in range(block, block + size)
        for j in range(block, block + size)
        if i < j
    ]
    pairs.append((0, size))  # one bridge
    src, dst = zip(*pairs)
    return np.array(src), np.array(dst)


def test_layout_of_empty_and_single_node_graphs():
    assert forceatlas2_layout(0, np.array([], int), np.array([], int)).shape == (0, 2)
    assert forceatlas2_layout(1, np.array([], int), np.array([], int)).tolist() == [[0.0, 0.0]]


def test_layout_is_deterministic_for_a_seed_and_differs_across_seeds():
    src, dst = _two_cliques(10)
    first = forceatlas2_layout(20, src, dst, LayoutOptions(seed=3))
    again = forceatlas2_layout(20, src, dst, LayoutOptions(seed=3))
    other = forceatlas2_layout(20, src, dst, LayoutOptions(seed=4))
    assert np.array_equal(first, again)
    assert not np.allclose(first, other)


def test_two_cliques_are_drawn_as_two_separate_groups():
    src, dst = _two_cliques(15)
    pos = forceatlas2_layout(30, src, dst)
    a, b = pos[:15], pos[15:]
    gap = np.linalg.norm(a.mean(axis=0) - b.mean(axis=0))
    spread = max(
        np.linalg.norm(a - a.mean(axis=0), axis=1).mean(), np.linalg.norm(b - b.mean(axis=0), axis=1).mean()
    )
    assert gap > 2 * spread


def test_linked_nodes_end_closer_than_unlinked_ones_on_a_sparse_random_graph():
    rng = np.random.default_rng(7)
    n, m = 3000, 9000
    src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
    pos = forceatlas2_layout(n, src, dst, LayoutOptions(iterations=120))
    assert np.isfinite(pos).all()
    linked = np.linalg.norm(pos[src] - pos[dst], axis=1).mean()
    others = rng.integers(0, n, (m, 2))
    unlinked = np.linalg.norm(pos[others[:, 0]] - pos[others[:, 1]], axis=1).mean()
    assert linked < 0.7 * unlinked


def test_isolated_nodes_stay_near_the_drawing_and_do_not_overlap():
    src, dst = _two_cliques(10)
    pos = forceatlas2_layout(40, src, dst)  # nodes 20..39 have no link
    radius = np.linalg.norm(pos[:20], axis=1).max()
    assert np.linalg.norm(pos[20:], axis=1).max() < 20 * radius
    distances = np.linalg.norm(pos[:, None, :] - pos[None, :, :], axis=2) + np.eye(40) * 1e9
    assert distances.min() > 1e-3 * radius
