"""How the map draws each blog (position, colour, size) and its scores, for exports that reopen as drawn.

Gephi and Gephi Lite read a node's layout from GEXF's ``viz`` namespace (``viz:position``,
``viz:color``, ``viz:size``) and from GraphML attributes named ``x``, ``y``, ``size``, ``r``,
``g``, ``b``. ``blog_drawing`` computes them exactly as ``graphscan map`` does (same layout,
colours by community, size by PageRank, same seed), so an export opens as the map looks.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

import numpy as np

from graphscan.edges import BlogEdges

__all__ = ["EXPORT_MEASURES", "blog_drawing", "blog_scores", "decorate", "graphml_fields", "viz"]

EXPORT_MEASURES = ("pagerank", "indegree", "hits", "kcore")
"""Scores that ``export --with-scores`` adds to every blog (HITS adds ``hub`` too); all are near-linear."""

MIN_SIZE, MAX_SIZE = 5.0, 42.0
"""Node radius range of the map (``map_page._vis_options``), reused as ``viz:size``."""


def blog_scores(
    edges: BlogEdges, measures: tuple[str, ...] = EXPORT_MEASURES, seed: int = 0
) -> dict[str, np.ndarray]:
    """Each measure's scores aligned with ``edges.blogs`` (HITS adds ``hub``), on the default layers."""
    from graphscan.analysis.centrality import compute
    from graphscan.graph import load_graph

    graph = load_graph(edges)
    scores: dict[str, np.ndarray] = {}
    for name in measures:
        result = compute(graph, name, seed=seed)
        scores[name] = result.values
        if "hubs" in result.details:
            scores["hub"] = np.asarray(result.details["hubs"])
    return scores


def _communities(edges: BlogEdges, seed: int) -> np.ndarray | None:
    from graphscan.analysis.communities import detect_communities
    from graphscan.graph import load_graph

    graph = load_graph(edges)
    return detect_communities(graph, seed=seed) if graph.n_links else None


def blog_drawing(edges: BlogEdges, pagerank: np.ndarray, seed: int = 0) -> dict[str, dict[str, Any]]:
    """Each blog's map position, colour (``#rrggbb``), radius and community, keyed by blog.

    Every blog is drawn (no ``--max-nodes`` cut): an export keeps the whole graph.
    """
    from graphscan.render.layout import LayoutOptions
    from graphscan.render.maps import build_map_data

    communities = _communities(edges, seed)
    data = build_map_data(
        edges, {"pagerank": pagerank}, communities=communities, color="community" if communities is not None else "none",
        max_nodes=len(edges.blogs) + 1, layout=LayoutOptions(seed=seed),
    )  # fmt: skip
    legend = data["legend"]
    return {
        node["key"]: {
            "x": node["x"],
            "y": -node["y"],
            "color": node["color"],
            "size": round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * node["value"], 3),
            "community": node["community"],
            "group": legend[node["category"]]["label"],
        }
        for node in data["nodes"]
    }


def _rgb(color: str) -> dict[str, int]:
    """``#rrggbb`` as GEXF's ``{"r", "g", "b"}``.

    >>> _rgb("#1f77b4")
    {'r': 31, 'g': 119, 'b': 180}
    """
    return {"r": int(color[1:3], 16), "g": int(color[3:5], 16), "b": int(color[5:7], 16)}


def viz(drawn: Mapping[str, Any]) -> dict[str, Any]:
    """A drawing entry as networkx's GEXF ``viz`` attribute (position, colour, size)."""
    return {
        "position": {"x": float(drawn["x"]), "y": float(drawn["y"]), "z": 0.0},
        "color": {**_rgb(drawn["color"]), "a": 1.0},
        "size": float(drawn["size"]),
    }


def graphml_fields(drawn: Mapping[str, Any]) -> dict[str, Any]:
    """A drawing entry as the GraphML attributes Gephi reads: ``x``, ``y``, ``size``, ``r``, ``g``, ``b``."""
    return {
        "x": float(drawn["x"]),
        "y": float(drawn["y"]),
        "size": float(drawn["size"]),
        **_rgb(drawn["color"]),
    }


def decorate(
    nodes: MutableMapping[str, MutableMapping[str, Any]],
    edges: BlogEdges,
    fmt: str,
    *,
    with_scores: bool,
    seed: int = 0,
) -> None:
    """Add the drawing (GEXF ``viz`` or GraphML ``x``/``y``/...) and, when asked, every export score to ``nodes``."""
    measures = EXPORT_MEASURES if with_scores else ("pagerank",)
    scores = blog_scores(edges, measures, seed)
    index = {key: i for i, key in enumerate(edges.blogs)}
    drawing = blog_drawing(edges, scores["pagerank"], seed) if fmt in ("gexf", "graphml") else {}
    for key, attrs in nodes.items():
        i = index.get(key)
        if with_scores and i is not None:
            attrs.update({name: float(values[i]) for name, values in scores.items()})
        drawn = drawing.get(key)
        if drawn is None:
            continue
        if with_scores:
            attrs["community"] = "" if drawn["community"] is None else int(drawn["community"])
        if fmt == "gexf":
            attrs["viz"] = viz(drawn)
            attrs.setdefault("label", attrs.get("title") or key)
        else:
            attrs.update(graphml_fields(drawn))
