"""Render the sample blogosphere: HTML pages from per-platform templates, RSS/Atom feeds, robots.txt.

Templates live in ``graphscan/sample/templates`` (package data) and are rendered with an
autoescaping Jinja2 environment. Each blog's pages are encoded in its charset: UTF-8, or
ISO-8859-1 declared in the HTTP header or only in a ``<meta>`` (encoded as windows-1252, as the
French blogs of the 2000s really were, so ``’`` becomes byte ``\\x92``).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from datetime import datetime
from email.utils import format_datetime
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from graphscan.model import normalize_url
from graphscan.sample.sites import FEED_TYPES
from graphscan.sample.world import Anchor, Resource, SampleBlog, SampleComment, SamplePost

MONTHS = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
CALENDAR_PATH = "/calendar/"
LABELS = {
    "fr": {
        "comments": "Commentaires",
        "archives": "Archives",
        "categories": "Catégories",
        "blogroll": "Liens",
        "older": "Billets plus anciens",
        "newer": "Billets plus récents",
        "home": "Accueil",
        "about": "À propos",
        "feed": "Fil RSS",
        "comment_feed": "Fil des commentaires",
        "drafts": "Brouillons",
        "calendar": "Calendrier",
        "pings": "Rétroliens",
        "reply": "Répondre",
        "posted": "Publié le",
        "says": "a dit…",
        "by": "par",
        "tags": "Tags",
        "read": "Lire la suite",
        "none": "Aucun commentaire",
    },
    "en": {
        "comments": "Comments",
        "archives": "Archives",
        "categories": "Categories",
        "blogroll": "Blogroll",
        "older": "Older posts",
        "newer": "Newer posts",
        "home": "Home",
        "about": "About",
        "feed": "RSS feed",
        "comment_feed": "Comments feed",
        "drafts": "Drafts",
        "calendar": "Calendar",
        "pings": "Trackbacks",
        "reply": "Reply",
        "posted": "Posted on",
        "says": "said...",
        "by": "by",
        "tags": "Tags",
        "read": "Read more",
        "none": "No comments",
    },
}
"""Interface words of the templates, by language."""


def long_date(when: datetime, lang: str, time: bool = True) -> str:
    """Return a date as a blog prints it: ``12 septembre 2004 à 15:30`` or ``September 12, 2004 at 3:30 PM``.

    >>> from datetime import datetime
    >>> long_date(datetime(2004, 9, 12, 15, 30), "en")
    'September 12, 2004 at 3:30 PM'
    """
    month = MONTHS[lang][when.month - 1]
    if lang == "fr":
        text = f"{when.day} {month} {when.year}"
        return text + (f" à {when.hour:02d}:{when.minute:02d}" if time else "")
    hour = when.hour % 12 or 12
    text = f"{month} {when.day}, {when.year}"
    return text + (f" at {hour}:{when.minute:02d} {'PM' if when.hour >= 12 else 'AM'}" if time else "")


def body_html(post: SamplePost, relative: bool = False) -> Markup:
    """Return the post body as HTML paragraphs whose links are the post's citations.

    With ``relative``, links to the post's own host are written as paths, as Dotclear does.
    """
    own = post.url.split("/", 3)[:3]
    parts = []
    for para in post.paragraphs:
        inner = "".join(str(_segment(s, "/".join(own) if relative else "")) for s in para)
        parts.append(f"<p>{inner}</p>")
    if post.video:
        src = escape(post.video)
        parts.insert(
            1,
            f'<p><object width="425" height="350"><param name="movie" value="{src}"></param>'
            f'<embed src="{src}" type="application/x-shockwave-flash" width="425" height="350"></embed></object></p>',
        )
    return Markup("\n".join(parts))


def _segment(segment: str | Anchor, own_origin: str = "") -> Markup:
    if isinstance(segment, str):
        return escape(segment)
    href = segment.href
    if own_origin and href.startswith(own_origin + "/"):
        href = href[len(own_origin) :]
    blank = ' target="_blank"' if segment.target_blank else ""
    return Markup(f'<a href="{escape(href)}"{blank}>{escape(segment.text)}</a>')


def comment_html(comment: SampleComment) -> Markup:
    """Return a comment's text as HTML; the URLs it advertises become ``nofollow ugc`` links."""
    html = str(escape(comment.text))
    for link in comment.links:
        anchor = f'<a href="{escape(link)}" rel="nofollow ugc">{escape(link)}</a>'
        html = html.replace(str(escape(link)), anchor)
    return Markup(f"<p>{html}</p>")


def number(text: str) -> int:
    """Return a stable number for ``text`` (post and comment ids in templates).

    >>> number("http://a.test/p")
    4105368621
    """
    return zlib.crc32(text.encode("utf-8"))


def excerpt(post: SamplePost, size: int = 180) -> str:
    text = post.text
    return text if len(text) <= size else text[:size].rsplit(" ", 1)[0] + " […]"


@cache
def environment() -> Environment:
    """Return the Jinja2 environment of the templates (autoescaping, strict)."""
    env = Environment(
        loader=PackageLoader("graphscan.sample", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["long"] = lambda when, lang, time=True: long_date(when, lang, time)
    env.filters["iso"] = lambda when: when.isoformat()
    env.filters["dmy"] = lambda when: f"{when.day:02d}/{when.month:02d}/{when.year}"
    env.filters["hm"] = lambda when: f"{when.hour:02d}:{when.minute:02d}"
    env.filters["ms"] = lambda when: str(int(when.timestamp() * 1000))
    env.filters["rfc822"] = format_datetime
    env.filters["excerpt"] = excerpt
    env.filters["num"] = number
    env.globals["body_html"] = body_html
    env.globals["comment_html"] = comment_html
    env.globals["T"] = LABELS
    return env


# -- site structure ---------------------------------------------------------------------------------
class Site:
    """The navigable structure of one blog: its listing pages, archives, feeds and sidebar."""

    def __init__(self, blog: SampleBlog, about: SamplePost):
        self.blog, self.about = blog, about
        shape = blog.shape
        self.posts = sorted(blog.posts, key=lambda p: (p.published, p.url))
        self.newest = list(reversed(self.posts))
        self.months = self._months()
        self.category = blog.url(shape.category.format(topic=blog.topic))
        self.feed = blog.url(shape.feed)
        self.feed_type = FEED_TYPES[shape.feed_type]
        self.comment_feed = blog.url(shape.comment_feed) if blog.comment_feed else ""
        self.pages = max(1, -(-len(self.posts) // shape.per_page))
        self.calendar = blog.url(CALENDAR_PATH + "?month=1") if blog.trap else ""

    def _months(self) -> list[tuple[str, str, list[SamplePost]]]:
        groups: dict[tuple[int, int], list[SamplePost]] = {}
        for post in self.posts:
            groups.setdefault((post.published.year, post.published.month), []).append(post)
        out = []
        for (y, m), posts in sorted(groups.items(), reverse=True):
            url = self.blog.url(self.blog.shape.month.format(y=y, m=f"{m:02d}"))
            out.append((url, f"{MONTHS[self.blog.language][m - 1]} {y}", list(reversed(posts))))
        return out

    def page_url(self, n: int) -> str:
        """Return the URL of listing page ``n`` (1 is the home page)."""
        if n == 1:
            return self.blog.home
        per = self.blog.shape.per_page
        return self.blog.url(self.blog.shape.page.format(n=n, start=(n - 1) * per))


def encode(text: str, blog: SampleBlog) -> bytes:
    """Encode a rendered page in the blog's charset (ISO-8859-1 is written as windows-1252)."""
    if blog.charset == "utf-8":
        return text.encode("utf-8")
    return text.encode("cp1252", errors="xmlcharrefreplace")


def content_type(blog: SampleBlog) -> str:
    """Return the Content-Type header of the blog's pages (a Latin-1 blog may declare it only in a meta)."""
    if blog.charset == "utf-8":
        return "text/html; charset=UTF-8"
    return "text/html; charset=ISO-8859-1" if blog.charset_in_header else "text/html"


def render_page(site: Site, kind: str, title: str, url: str, **context: Any) -> str:
    """Render one HTML page of a blog with its platform's template."""
    blog = site.blog
    template = environment().get_template(f"{blog.platform}.html")
    defaults: dict[str, Any] = {
        "post": None,
        "entries": [],
        "older": "",
        "newer": "",
        "prev": None,
        "next": None,
    }
    return template.render(
        blog=blog,
        site=site,
        kind=kind,
        title=title,
        url=url,
        lang=blog.language,
        charset=blog.charset,
        **{**defaults, **context},
    )


def _listing(site: Site, posts: list[SamplePost], n: int | None = None) -> dict[str, Any]:
    context: dict[str, Any] = {"entries": posts}
    if n is not None:
        context["older"] = site.page_url(n + 1) if n < site.pages else ""
        context["newer"] = site.page_url(n - 1) if n > 1 else ""
    return context


def _page(site: Site, kind: str, title: str, url: str, **context: Any) -> Callable[[], bytes]:
    return lambda: encode(render_page(site, kind, title, url, **context), site.blog)


def blog_pages(site: Site) -> list[tuple[str, str, str, Callable[[], bytes]]]:
    """Return ``(url, kind, published, render)`` of every page of a blog; ``render()`` gives its bytes."""
    blog, per = site.blog, site.blog.shape.per_page
    out = []
    for n in range(1, site.pages + 1):
        posts = site.newest[(n - 1) * per : n * per]
        kind = "home" if n == 1 else "archive"
        out.append(
            (
                site.page_url(n),
                kind,
                "",
                _page(site, kind, blog.title, site.page_url(n), **_listing(site, posts, n)),
            )
        )
    for url, label, posts in site.months:
        out.append(
            (
                url,
                "archive",
                "",
                _page(site, "archive", f"{blog.title} — {label}", url, **_listing(site, posts)),
            )
        )
    out.append(
        (
            site.category,
            "archive",
            "",
            _page(site, "archive", blog.title, site.category, **_listing(site, site.newest[:20])),
        )
    )
    for i, post in enumerate(site.posts):
        prev = site.posts[i - 1] if i else None
        nxt = site.posts[i + 1] if i + 1 < len(site.posts) else None
        out.append(
            (
                post.url,
                "post",
                post.published.isoformat(),
                _page(site, "post", post.title, post.url, post=post, prev=prev, next=nxt),
            )
        )
    for page in (site.about, *blog.private):
        out.append(
            (
                page.url,
                "page",
                page.published.isoformat(),
                _page(site, "page", page.title, page.url, post=page),
            )
        )
    return out


def render_calendar(blog: SampleBlog, month: int) -> bytes:
    """Render page ``month`` of the infinite calendar trap: it links to ``month - 1`` and ``month + 1``."""
    url = blog.url(f"{CALENDAR_PATH}?month={month}")
    links = [blog.url(f"{CALENDAR_PATH}?month={m}") for m in (month - 1, month + 1)]
    html = (
        environment()
        .get_template("calendar.html")
        .render(blog=blog, month=month, url=url, links=links, charset=blog.charset, lang=blog.language)
    )
    return encode(html, blog)


def robots_txt(blog: SampleBlog) -> str:
    """Return the blog's robots.txt: the platform's, plus ``/private/`` and ``Crawl-delay`` where planted."""
    text = blog.shape.robots
    if blog.disallow_private:
        # First-match parsers (Python's robotparser) read an empty "Disallow:" or an "Allow: /"
        # placed before the rule as allowing everything: drop the one, put the rule before the other.
        text = text.replace("Disallow:\n", "")
        allow = "Allow: /\n"
        text = (
            text.replace(allow, "Disallow: /private/\n" + allow)
            if text.endswith(allow)
            else text + "Disallow: /private/\n"
        )
    if blog.crawl_delay:
        text += f"Crawl-delay: {blog.crawl_delay}\n"
    return text


def feeds(site: Site) -> list[tuple[str, str, Callable[[], bytes]]]:
    """Return ``(url, content type, render)`` of the blog's post feed and, when it has one, its comment feed."""
    template = environment().get_template(f"feed.{site.blog.shape.feed_type}.xml")
    blog = site.blog

    def posts() -> bytes:
        return template.render(blog=blog, site=site, posts=site.newest[:10], comments=None).encode("utf-8")

    def comments() -> bytes:
        latest = sorted(((p, c) for p in site.posts for c in p.comments), key=lambda pc: pc[1].published)[
            -20:
        ][::-1]
        return template.render(blog=blog, site=site, posts=[], comments=latest).encode("utf-8")

    out = [(site.feed, site.feed_type, posts)]
    if site.comment_feed:
        out.append((site.comment_feed, site.feed_type, comments))
    return out


def render_blog(blog: SampleBlog, about: SamplePost) -> dict[str, Resource]:
    """Return every resource of one blog, keyed by normalised URL (bodies render on first use)."""
    site = Site(blog, about)
    out: dict[str, Resource] = {}
    ctype = content_type(blog)
    for url, kind, published, render in blog_pages(site):
        out[normalize_url(url)] = Resource(render, ctype, kind, blog.key, published)
    for url, ftype, render in feeds(site):
        out[normalize_url(url)] = Resource(render, f"{ftype}; charset=UTF-8", "", blog.key)
    robots = robots_txt(blog).encode("ascii")
    out[normalize_url(blog.url("/robots.txt"))] = Resource(
        lambda: robots, "text/plain; charset=utf-8", "", blog.key
    )
    return out


def render_all(blogs: list[SampleBlog], abouts: dict[str, SamplePost]) -> dict[str, Resource]:
    """Return the resources of every blog by normalised URL."""
    out: dict[str, Resource] = {}
    for blog in blogs:
        out.update(render_blog(blog, abouts[blog.key]))
    return out
