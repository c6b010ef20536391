"""What analysis reads from a store: ``EdgeQuery`` (which links count) and ``BlogEdges`` (the blog graph as arrays).

Stores produce them (``GraphStore.blog_edges``); ``graph``, ``analysis`` and ``render`` consume them
without importing the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graphscan.model import LINK_KINDS

if TYPE_CHECKING:  # numpy loads with the first graph read, not with every command
    import numpy as np


@dataclass(frozen=True)
class EdgeQuery:
    """Which links count when projecting the store onto blogs.

    ``kinds``: link kinds to keep (``None`` = all). ``since``/``until``: ISO dates bounding the
    link's date (its ``published`` date, else ``seen_at``); a link with no date is kept only when
    neither bound is given. ``endorsing_only`` drops nofollow/ugc/sponsored links.
    ``self_links``: keep links from a blog to itself. ``weighted``: also return each link's weight.
    """

    kinds: tuple[str, ...] | None = None
    since: str | None = None
    until: str | None = None
    endorsing_only: bool = False
    self_links: bool = False
    weighted: bool = False


@dataclass
class BlogEdges:
    """The blog-level multigraph as arrays: ``blogs[src[i]] -> blogs[dst[i]]`` is one link.

    ``blogs`` lists every blog in the store (isolated ones too), sorted by key; ``kind[i]`` is an
    index into ``model.LINK_KINDS``. ``directed`` is False when the store holds an undirected graph
    (an imported file said so): each link then joins its two blogs both ways.
    """

    blogs: list[str]
    src: np.ndarray
    dst: np.ndarray
    kind: np.ndarray
    attrs: dict[str, dict[str, Any]] = field(default_factory=dict)
    directed: bool = True
    weight: np.ndarray | None = None

    def __len__(self) -> int:
        return int(self.src.shape[0])

    @classmethod
    def from_pairs(
        cls,
        blogs: Iterable[str],
        pairs: Iterable[tuple[str, str, str]],
        attrs: dict[str, dict[str, Any]] | None = None,
    ) -> BlogEdges:
        """Build from ``(source_blog, target_blog, kind)`` triples; unknown blogs are added."""
        import numpy as np

        names = set(blogs)
        triples = list(pairs)
        for s, t, _ in triples:
            names.add(s)
            names.add(t)
        ordered = sorted(names)
        index = {name: i for i, name in enumerate(ordered)}
        kind_index = {k: i for i, k in enumerate(LINK_KINDS)}
        n = len(triples)
        src = np.fromiter((index[s] for s, _, _ in triples), dtype=np.int32, count=n)
        dst = np.fromiter((index[t] for _, t, _ in triples), dtype=np.int32, count=n)
        kind = np.fromiter((kind_index[k] for _, _, k in triples), dtype=np.int8, count=n)
        return cls(ordered, src, dst, kind, attrs or {})
