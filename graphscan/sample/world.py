"""The records of a sample blogosphere: blogs, posts, comments, pings, served resources and the ``Blogosphere``.

:mod:`graphscan.sample.generate` builds them; ``render``, ``stories``, ``truth`` and ``server`` read
them, so they live here, below all of those.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from graphscan.sample.sites import SiteShape

STORY_START = datetime(2004, 9, 12, 15, 30, tzinfo=UTC)
SEED_COUNT = 5
"""Seeds of a crawl: the most popular blogs' home pages; every blog is reachable from them."""
STORY_WAVES = ("velo", "tech", "politique", "photo", "musique", "voyage", "livres", "cuisine")
"""Communities in the order the Kryptonite story reaches them."""


@dataclass(frozen=True)
class Anchor:
    """A hyperlink inside a paragraph of text."""

    href: str
    text: str
    target_blank: bool = False


Segment = str | Anchor


@dataclass
class SampleComment:
    """A reader comment; ``href`` is the author link as printed (may differ from its normal form)."""

    number: int
    author: str
    href: str
    published: datetime
    text: str
    spam: str = ""
    links: tuple[str, ...] = ()
    mentions: dict[str, str] = field(default_factory=dict)
    parent: SampleComment | None = field(default=None, compare=False, repr=False)
    """The comment this one answers (threaded themes nest it under that one)."""


@dataclass
class Ping:
    """A trackback or pingback listed under a post: ``source`` cited this post."""

    number: int
    source: str
    title: str
    blog_title: str
    excerpt: str
    published: datetime


@dataclass
class SamplePost:
    """A post (or a static page) of a blog."""

    url: str
    blog: str
    title: str
    slug: str
    published: datetime
    topic: str
    paragraphs: list[list[Segment]] = field(default_factory=list)
    comments: list[SampleComment] = field(default_factory=list)
    pings: list[Ping] = field(default_factory=list)
    kind: str = "post"
    video: str = ""
    mentions: dict[str, str] = field(default_factory=dict)
    trap: str = ""

    @property
    def in_story(self) -> bool:
        """True for the posts of the Kryptonite story, which only cite each other."""
        return "kryptonite" in self.mentions

    @property
    def citations(self) -> list[str]:
        """Hrefs of the links in the body, in order."""
        return [s.href for para in self.paragraphs for s in para if isinstance(s, Anchor)]

    @property
    def text(self) -> str:
        """The body as plain text."""
        return "\n".join(
            "".join(s if isinstance(s, str) else s.text for s in para) for para in self.paragraphs
        )


@dataclass
class SampleBlog:
    """A blog: one host, one platform, one topic, one language."""

    key: str
    host: str
    slug: str
    shape: SiteShape
    language: str
    topic: str
    weight: float
    title: str
    author: str
    charset: str = "utf-8"
    charset_in_header: bool = True
    posts: list[SamplePost] = field(default_factory=list)
    private: list[SamplePost] = field(default_factory=list)
    blogroll: list[tuple[str, str, str]] = field(default_factory=list)
    disallow_private: bool = False
    crawl_delay: int | None = None
    trap: bool = False
    comment_feed: bool = False
    first_poster: bool = False

    @property
    def home(self) -> str:
        return f"http://{self.host}/"

    @property
    def platform(self) -> str:
        return self.shape.name

    def url(self, path: str) -> str:
        """Return the absolute URL of a path of this blog."""
        return f"http://{self.host}{path}"


class Resource:
    """One served answer: content type, page kind (``""`` for feeds and robots.txt), blog, date, body.

    The body is rendered on first use and kept, so generating a blogosphere costs no rendering
    and a server renders only what is asked.
    """

    __slots__ = ("_body", "_render", "blog", "content_type", "kind", "published")

    def __init__(
        self,
        render: Callable[[], bytes],
        content_type: str,
        kind: str = "",
        blog: str = "",
        published: str = "",
    ):
        self.content_type, self.kind, self.blog, self.published = content_type, kind, blog, published
        self._render: Callable[[], bytes] | None = render
        self._body: bytes | None = None

    @property
    def body(self) -> bytes:
        """The bytes served, rendered on first use."""
        if self._body is None and self._render is not None:
            self._body, self._render = self._render(), None
        return self._body or b""


class Blogosphere:
    """A generated blogosphere: its blogs, every served resource, and its ground truth."""

    def __init__(self, blogs: list[SampleBlog], seed: int, resources: dict[str, Resource]):
        self.blogs = blogs
        self.seed = seed
        self.resources = resources
        self.by_host = {b.host: b for b in blogs}
        self.by_key = {b.key: b for b in blogs}

    @property
    def hosts(self) -> list[str]:
        return [b.host for b in self.blogs]

    def seeds(self, count: int = SEED_COUNT) -> list[str]:
        """Return the home URLs of the ``count`` most popular blogs, the natural crawl seeds."""
        ranked = sorted(self.blogs, key=lambda b: -b.weight)
        return [b.home for b in ranked[:count]]

    def pages(self) -> dict[str, Resource]:
        """Return the HTML pages (not feeds or robots.txt) by normalised URL."""
        return {url: r for url, r in self.resources.items() if r.kind}

    def ground_truth(self) -> dict[str, Any]:
        """Return the ground truth as a JSON-able dict (see :mod:`graphscan.sample.truth`)."""
        from graphscan.sample.truth import ground_truth

        return ground_truth(self)

    def write(self, directory: str | Path) -> Path:
        """Write every resource under ``directory/<host>/…`` plus ``ground_truth.json`` and ``seeds.txt``."""
        root = Path(directory)
        for url, res in self.resources.items():
            target = root / _file_path(url)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(res.body)
        truth = root / "ground_truth.json"
        truth.write_text(json.dumps(self.ground_truth(), ensure_ascii=False, indent=1), encoding="utf-8")
        (root / "seeds.txt").write_text("".join(f"{u}\n" for u in self.seeds()), encoding="utf-8")
        return truth


def _file_path(url: str) -> str:
    rest = url.split("://", 1)[1]
    host, _, path = rest.partition("/")
    path, _, query = path.partition("?")
    if "." not in path.rsplit("/", 1)[-1]:
        path = path.rstrip("/") + "/index.html"  # /feed/atom and /feed/atom/comments both exist
    if query:
        path += "@" + quote(query, safe="=&")
    return f"{host}/{path}"
