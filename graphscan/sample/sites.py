"""The blog platforms of the sample blogosphere: hostnames, URL shapes, feeds and robots.txt, as data.

Shapes follow the real platforms of the 2000s (WordPress permalinks, Blogger ``/2004/09/x.html``,
Hautetfort ``/archive/…``, Canalblog ``/archives/…``), on the reserved ``.test`` TLD. Every
hostname shape gives one blog per host under :func:`graphscan.model.site_key`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SiteShape:
    """How one platform names its hosts and pages.

    Path templates are ``str.format`` strings over ``y``, ``m``, ``d`` (zero-padded), ``slug``,
    ``id``, ``n`` (a page number) and ``topic``. ``pings`` says whether the platform shows
    trackbacks or pingbacks under its posts; ``comment_feed`` is the path of the blog's comment
    feed, when the platform has one.
    """

    name: str
    hosts: tuple[str, ...]
    post: str
    month: str
    category: str
    page: str
    about: str
    feed: str
    feed_type: str
    generator: str
    robots: str
    comment_feed: str = ""
    pings: bool = False
    french_only: bool = False
    per_page: int = 10


ROBOTS_ALLOW_ALL = "User-agent: *\nDisallow:\n"

SHAPES: dict[str, SiteShape] = {
    s.name: s
    for s in (
        SiteShape(
            name="wordpress",
            hosts=("www.{slug}.test", "{slug}.test", "{slug}.wordpress.test"),
            post="/{y}/{m}/{d}/{slug}/",
            month="/{y}/{m}/",
            category="/category/{topic}/",
            page="/page/{n}/",
            about="/about/",
            feed="/feed/",
            feed_type="rss",
            generator="WordPress 2.8.4",
            robots="User-agent: *\nDisallow: /wp-admin/\nDisallow: /wp-includes/\n",
            comment_feed="/comments/feed/",
            pings=True,
        ),
        SiteShape(
            name="blogger",
            hosts=("{slug}.blogspot.test",),
            post="/{y}/{m}/{slug}.html",
            month="/{y}/{m}/",
            category="/search/label/{topic}",
            page="/search?max-results=10&start={start}",
            about="/p/about.html",
            feed="/feeds/posts/default",
            feed_type="atom",
            generator="blogger",
            robots="User-agent: Mediapartners-Google\nDisallow: \n\nUser-agent: *\nDisallow: /search\nAllow: /\n",
            comment_feed="/feeds/comments/default",
        ),
        SiteShape(
            name="hautetfort",
            hosts=("{slug}.hautetfort.test",),
            post="/archive/{y}/{m}/{d}/{slug}.html",
            month="/archive/{y}/{m}/index.html",
            category="/{topic}/",
            page="/index-{n}.html",
            about="/about.html",
            feed="/atom.xml",
            feed_type="atom",
            generator="Hautetfort",
            robots=ROBOTS_ALLOW_ALL,
            french_only=True,
        ),
        SiteShape(
            name="typepad",
            hosts=("{slug}.typepad.test",),
            post="/blog/{y}/{m}/{slug}.html",
            month="/blog/{y}/{m}/index.html",
            category="/blog/{topic}/index.html",
            page="/blog/page/{n}/",
            about="/about.html",
            feed="/blog/atom.xml",
            feed_type="atom",
            generator="http://www.typepad.com/",
            robots=ROBOTS_ALLOW_ALL,
            comment_feed="/blog/comments/atom.xml",
            pings=True,
        ),
        SiteShape(
            name="dotclear",
            hosts=("blog.{slug}.test", "{slug}.test"),
            post="/post/{y}/{m}/{d}/{slug}",
            month="/archive/{y}/{m}",
            category="/category/{topic}",
            page="/page/{n}",
            about="/pages/A-propos",
            feed="/feed/atom",
            feed_type="atom",
            generator="Dotclear",
            robots=ROBOTS_ALLOW_ALL,
            comment_feed="/feed/atom/comments",
            pings=True,
            french_only=True,
        ),
        SiteShape(
            name="overblog",
            hosts=("{slug}.over-blog.test",),
            post="/{y}/{m}/{slug}.html",
            month="/{y}/{m}/",
            category="/tag/{topic}/",
            page="/page/{n}",
            about="/pages/a-propos.html",
            feed="/rss",
            feed_type="rss",
            generator="Overblog",
            robots=ROBOTS_ALLOW_ALL,
            french_only=True,
        ),
        SiteShape(
            name="canalblog",
            hosts=("{slug}.canalblog.test",),
            post="/archives/{y}/{m}/{d}/{id}.html",
            month="/archives/{y}/{m}/index.html",
            category="/archives/{topic}/index.html",
            page="/archives/p{start}-10.html",
            about="/pages/a-propos.html",
            feed="/rss.xml",
            feed_type="rss",
            generator="CanalBlog - http://www.canalblog.com",
            robots=ROBOTS_ALLOW_ALL,
            french_only=True,
        ),
    )
}
"""Platforms by name; the names are those of :mod:`crawl.platforms`."""

PLATFORM_WEIGHTS: dict[str, float] = {
    "wordpress": 0.30,
    "blogger": 0.22,
    "typepad": 0.10,
    "dotclear": 0.10,
    "hautetfort": 0.10,
    "overblog": 0.10,
    "canalblog": 0.08,
}
"""Share of blogs per platform at full size."""

FEED_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}
