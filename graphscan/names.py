"""Names the command line shows before any analysis runs: measures, default layers, formats, limits.

They live here, in a module that imports nothing, so ``graphscan --help`` can print them without
loading numpy, scipy or the analysis; the analysis and render modules import them from here.
"""

from __future__ import annotations

MEASURE_NAMES: tuple[str, ...] = (
    "technorati",
    "pagerank",
    "hits",
    "indegree",
    "harmonic",
    "kcore",
    "betweenness",
)
"""Measures selectable with ``graphscan rank --by NAME`` (the keys of ``analysis.centrality.MEASURES``)."""

DEFAULT_LAYERS: tuple[str, ...] = ("citation", "blogroll", "comment_author", "trackback")
"""Link kinds that count as endorsement by default; ``navigation`` never does by default."""

EXPORT_FORMATS: tuple[str, ...] = ("graphml", "gexf", "csv", "json")
"""Graph file formats ``graphscan export`` writes."""

MAX_MAP_NODES = 20_000
"""Above this many blogs a map keeps the top ones by the size measure (the 20k map loads in ~10 s)."""

BRAND_PERIODS: tuple[str, ...] = ("week", "month")
"""Periods a brand report counts its volume by."""
