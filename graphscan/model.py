"""Records shared by the crawler, the stores and the analysis: blogs, pages, people, comments, links.

Every record is a frozen dataclass whose field names are the column names in SQLite and the
property names in Neo4j, so ``record.row()`` is a ``$rows`` entry with no renaming.

Identity rules live here and nowhere else:

* a **blog** is a *site key*, not a host: ``alice.blogspot.com`` and ``bob.blogspot.com`` are two
  blogs, ``medium.com/@carol`` is one, ``www.example.fr`` and ``example.fr`` are the same;
* a **page** is its normalised URL;
* a **person** who signs with a URL is the site key of that URL (the same commenter on several
  blogs is one person, linked to the blog they sign with); without a URL, a name on one blog;
* a **link** is (source page, target URL, kind, ordinal): writing the same crawl twice yields the
  same keys, and a multigraph keeps its repeated edges through the ordinal.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import ipaddress
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import SplitResult, parse_qsl, quote, unquote, urlencode, urlsplit

from graphscan.errors import InvalidURLError, UsageError

LINK_KINDS: tuple[str, ...] = (
    "citation",
    "blogroll",
    "comment_author",
    "comment_body",
    "trackback",
    "navigation",
)
"""Kinds of typed links, in the order the CLI lists them. Neo4j stores a kind's position on every link
(``kind_code``): a new kind goes at the end."""

REL_VALUES_NOT_ENDORSING = frozenset({"nofollow", "ugc", "sponsored"})

# Platforms where each subdomain is a separate blog.
SUBDOMAIN_PLATFORMS: tuple[str, ...] = (
    "blogspot.com",
    "wordpress.com",
    "over-blog.com",
    "over-blog.fr",
    "hautetfort.com",
    "canalblog.com",
    "typepad.com",
    "livejournal.com",
    "tumblr.com",
    "skyrock.com",
    "blog4ever.com",
    "eklablog.com",
    "unblog.fr",
    "blogs.lexpress.fr",
    "github.io",
    "substack.com",
    "hypotheses.org",
    "pixnet.net",
    "ghost.io",
    "free.fr",
)
# Platforms where the first path segment is the blog: ``medium.com/@user``, ``blogs.mediapart.fr/user``.
PATH_PLATFORMS: dict[str, re.Pattern[str]] = {
    "medium.com": re.compile(r"^/(@[^/]+)"),
    "blogs.mediapart.fr": re.compile(r"^/([^/]+)"),
    "skyblog.com": re.compile(r"^/([^/]+)"),
    # A Blogger commenter signs with a profile page: each profile is its own identity.
    "blogger.com": re.compile(r"^/(profile/\d+)"),
}
# Subdomains that name the platform's own service, not a user's blog.
PLATFORM_SERVICE_HOSTS = frozenset({"www", "en", "fr", "de", "m"})

SESSION_PARAMS = re.compile(
    r"^(utm_[a-z]+|fbclid|gclid|yclid|mc_cid|mc_eid|phpsessid|jsessionid|sid|sessionid|session_id|"
    r"aspsessionid[a-z]*|oscsid|zenid|cfid|cftoken|_ga|ref_src)$",
    re.IGNORECASE,
)
# Java servlet ids are 24 (Jetty, WebLogic) to 32 (Tomcat) characters; 33 or more is not one (Heritrix).
JSESSIONID_PATH = re.compile(r";jsessionid=[0-9a-z]{24,32}(?=$|[?#/;])", re.IGNORECASE)
ASPNET_SESSION_PATH = re.compile(
    r"/\((?:[A-Z]\([0-9a-z_-]*\))*S\([0-9a-z]{24}\)(?:[A-Z]\([0-9a-z_-]*\))*\)(?=/)", re.IGNORECASE
)
"""ASP.NET cookieless state, a path segment holding a 24-character ``S(...)``: ``/(S(lit3py55t21z5v55vlm25s55))/a.aspx``."""
DEFAULT_PORTS = {"http": 80, "https": 443}


MAX_HOST_LENGTH = 253
"""The longest host name DNS allows (RFC 1035); longer ones are not URLs of any site."""


def nfc(text: str | None) -> str:
    """Return ``text`` in Unicode NFC with surrounding white space removed.

    >>> nfc("He\\u0301le\\u0300ne ") == "Hélène"
    True
    """
    return unicodedata.normalize("NFC", text or "").strip()


def _host_of(parts: SplitResult) -> str:
    """Return the canonical host of a split URL: lower-case, punycode; an IPv6 literal in brackets."""
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise InvalidURLError("URL has no host")
    if ":" in host:
        return _ipv6_host(host)
    if len(host) > MAX_HOST_LENGTH:  # before IDNA, which costs ~9 us per character of a giant host
        raise InvalidURLError(f"host longer than {MAX_HOST_LENGTH} characters: {host[:60]!r}...")
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _ipv6_host(host: str) -> str:
    """Return an IPv6 literal host in its compressed form, in brackets (``[::1]``).

    Raises:
        InvalidURLError: not an IPv6 address, or one with a zone id (only meaningful on one machine).
    """
    if "%" in host:
        raise InvalidURLError(f"IPv6 host with a zone id: {host[:60]!r}")
    try:
        return f"[{ipaddress.IPv6Address(host).compressed}]"
    except ValueError as exc:
        raise InvalidURLError(f"malformed IPv6 host: {host[:60]!r}") from exc


def _clean_path(path: str) -> str:
    """Return a path without session ids and with uniform percent-encoding."""
    path = ASPNET_SESSION_PATH.sub("", JSESSIONID_PATH.sub("", path), count=1) or "/"
    return quote(unquote(path), safe="/:@!$&'()*+,;=-._~%")


def _clean_query(query: str) -> str:
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not SESSION_PARAMS.match(k)]
    return urlencode(sorted(pairs), doseq=True)


URL_CACHE_SIZE = 1 << 16
"""URLs (and site-key hosts) remembered by ``normalize_url`` and ``site_key``: a page has dozens of links."""
CANONICAL_URL = re.compile(
    r"^https?://[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(/[A-Za-z0-9/:@!$&'()*+,=._~%-]*)?(?:\?([A-Za-z0-9_.=&-]*))?$"
)
"""URLs that ``normalize_url``'s rules leave unchanged (but for a missing ``/``): lower-case host, no
port, ``%`` or ``;``, a plain query. Most links are like this, and matching them costs far less than
parsing; ``tests/crawl/test_extract.py`` checks the shortcut against the rules."""
PATH_SAFE = "/:@!$&'()*+,;=-._~%"


@functools.lru_cache(maxsize=URL_CACHE_SIZE)
def normalize_url(url: str, base: str | None = None) -> str:
    """Return the canonical form of an http(s) URL, the key of a page (memoised).

    A URL already in canonical form is returned as it is (with the ``/`` of an empty path); any other
    goes through the rules (``normalize_by_rules``).

    >>> normalize_url("../p/?utm_source=x", "http://A.fr/b/c/"), normalize_url("p#top", "http://a.fr/b/")
    ('http://a.fr/b/p/', 'http://a.fr/b/p')
    """
    from urllib.parse import urljoin

    raw = url.strip()
    if base and not raw.startswith(("http://", "https://")):
        raw = urljoin(base, raw)
    raw = raw.partition("#")[0]
    match = CANONICAL_URL.match(raw)
    if match and _plain_query(match.group(2)) and _plain_path(match.group(1)):
        return raw if match.group(1) else raw.replace("?", "/?", 1) if "?" in raw else raw + "/"
    return normalize_by_rules(url, base)


def _plain_path(path: str | None) -> bool:
    """True when the rules would keep this path as it is (percent-encoding, no ASP.NET session)."""
    if path and "(" in path and ASPNET_SESSION_PATH.search(path):
        return False
    return not path or "%" not in path or quote(unquote(path), safe=PATH_SAFE) == path


def _plain_query(query: str | None) -> bool:
    """True when the rules would keep this query as it is: sorted ``k=v`` pairs, no session key."""
    if query is None:
        return True
    pairs = query.split("&")
    if not all(p.count("=") == 1 and p[0] != "=" for p in pairs):
        return False
    keys = [p.split("=", 1)[0] for p in pairs]
    ordered = sorted(pairs, key=lambda p: tuple(p.split("=", 1)))
    return pairs == ordered and len(set(keys)) == len(keys) and not any(SESSION_PARAMS.match(k) for k in keys)


def normalize_by_rules(url: str, base: str | None = None) -> str:
    """The canonical form of an http(s) URL by the rules, uncached (``normalize_url`` is the one to call).

    Lower-case scheme and host, IDN as punycode, IPv6 literals in brackets, default port and
    fragment dropped (another port kept), session ids (``;jsessionid=``, ASP.NET ``/(S(...))/``,
    ``PHPSESSID``, ``osCsid``...) and tracking parameters removed, query sorted, path
    percent-encoding made uniform.

    >>> normalize_by_rules("HTTP://Blog.EXAMPLE.fr:80/a?utm_source=x&b=2&a=1#top")
    'http://blog.example.fr/a?a=1&b=2'
    >>> normalize_by_rules("https://café.fr/été")
    'https://xn--caf-dma.fr/%C3%A9t%C3%A9'
    >>> normalize_by_rules("http://[0:0::1]:8080/(S(lit3py55t21z5v55vlm25s55))/a.aspx")
    'http://[::1]:8080/a.aspx'
    """
    from urllib.parse import urljoin

    raw = nfc(url)
    if base:
        raw = urljoin(base, raw)
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise InvalidURLError(f"malformed URL: {url[:200]!r}") from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise InvalidURLError(f"not an http(s) URL: {url[:200]!r}")
    host = _host_of(parts)
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _clean_path(parts.path)
    query = _clean_query(parts.query)
    return f"{scheme}://{netloc}{path}" + (f"?{query}" if query else "")


BLOGSPOT_COUNTRY = re.compile(r"^((?:[a-z0-9-]+\.)*[a-z0-9-]+)\.blogspot\.(?!com$)[a-z]{2,3}(?:\.[a-z]{2})?$")
"""Blogger serves ``name.blogspot.com`` under country domains too (``name.blogspot.de``, ``.co.uk``)."""


def site_key(url: str) -> str:
    """Return the blog a URL belongs to: a site key, not a host (a port other than the default is kept).

    >>> site_key("https://Alice.blogspot.com/2009/05/post.html")
    'alice.blogspot.com'
    >>> site_key("https://www.example.fr/blog/")
    'example.fr'
    >>> site_key("https://medium.com/@carol/a-story-123")
    'medium.com/@carol'
    >>> site_key("https://plentylife.blogspot.de/p/about.html")  # a Blogger country domain: the same blog
    'plentylife.blogspot.com'
    >>> site_key("http://www.host.fr:8080/a"), site_key("http://[::1]:18003/")
    ('host.fr:8080', '[::1]:18003')
    """
    match = SITE_PREFIX.match(url)
    if not match:
        return _site_key_of_prefix(url)
    host = match.group(1).split("://", 1)[1].removeprefix("www.")
    return _site_key_of_prefix(match.group(0) if host in PATH_PLATFORMS else match.group(1) + "/")


SITE_PREFIX = re.compile(r"^(https?://[^/?#]+)(/[^/?#]*){0,2}")
"""What a site key depends on: the scheme and host, and on path platforms the first two path segments."""


@functools.lru_cache(maxsize=URL_CACHE_SIZE)
def _site_key_of_prefix(prefix: str) -> str:
    """The site key of a URL's ``SITE_PREFIX`` (or of a URL that has none), memoised: one entry per blog."""
    parts = urlsplit(normalize_url(prefix))
    host, port = _split_netloc(parts.netloc)
    key = _host_key(host, parts.path)
    return f"{key}:{port}" if port and "/" not in key else key


def _split_netloc(netloc: str) -> tuple[str, str]:
    """Split a canonical ``host[:port]`` (the host may be ``[ipv6]``) into host and port text."""
    if netloc.endswith("]") or ":" not in netloc:
        return netloc, ""
    host, _, port = netloc.rpartition(":")
    return host, port


def _host_key(host: str, path: str) -> str:
    """The site key of a canonical host (no port) and the URL's path."""
    if host.startswith("www."):
        host = host[4:]
    country = BLOGSPOT_COUNTRY.match(host)
    if country:
        host = f"{country.group(1)}.blogspot.com"
    for platform, pattern in PATH_PLATFORMS.items():
        if host == platform:
            match = pattern.match(path)
            return f"{host}/{match.group(1).lower()}" if match else host
    for platform in SUBDOMAIN_PLATFORMS:
        if host.endswith("." + platform):
            label = host[: -len(platform) - 1].rsplit(".", 1)[-1]
            if label in PLATFORM_SERVICE_HOSTS:
                return platform
            return f"{label}.{platform}"
    return host


def blog_url(key: str) -> str:
    """Return the home URL of a blog from its site key.

    >>> blog_url("medium.com/@carol")
    'https://medium.com/@carol'
    """
    return f"https://{key}" if "/" in key else f"http://{key}/"


def stable_hash(*parts: object) -> str:
    """Return a short deterministic key built from ``parts`` (SHA-1, 20 hex digits)."""
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]


def person_key(name: str | None, url: str | None, blog: str) -> str:
    """Return the identity of an author or commenter.

    The same URL on any blog is the same person; a bare name is only known on one blog.

    >>> person_key("Hélène", "http://www.helene.fr/", "x.fr") == person_key("Hélène", "http://helene.fr", "y.fr")
    True
    """
    if url:
        try:
            return "site:" + site_key(url)
        except InvalidURLError:
            pass
    return f"name:{nfc(name).casefold()}@{blog}"


def rel_tokens(rel: str | None) -> str:
    """Return a ``rel`` attribute as sorted lower-case tokens separated by spaces.

    >>> rel_tokens("NoFollow  external")
    'external nofollow'
    """
    return " ".join(sorted({t for t in (rel or "").lower().split() if t}))


@functools.cache
def _field_names(record_type: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(record_type))


class Record:
    """Base of every stored record: ``row()`` is its ``$rows`` entry."""

    label: ClassVar[str]
    key_field: ClassVar[str]
    #: When True, an upsert never replaces a stored value by an empty one (``""`` or ``{}``):
    #: blogs and people are often first seen half-known, as the far end of a link.
    keep_known: ClassVar[bool] = False

    def row(self) -> dict[str, Any]:
        """Return the record as a flat dict; dict attributes become JSON text."""
        out = {name: getattr(self, name) for name in _field_names(type(self))}
        if "attrs" in out:
            out["attrs"] = (
                json.dumps(out["attrs"], ensure_ascii=False, sort_keys=True) if out["attrs"] else "{}"
            )
        return out

    def record_key(self) -> str:
        """The value of the record's key field (``url`` for a page, ``key`` for the rest)."""
        return getattr(self, self.key_field)


@dataclass(frozen=True, slots=True)
class Blog(Record):
    """A blog, identified by its site key. ``attrs`` keeps attributes imported from other graphs."""

    label: ClassVar[str] = "Blog"
    key_field: ClassVar[str] = "key"
    keep_known: ClassVar[bool] = True
    key: str
    url: str = ""
    title: str = ""
    platform: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Page(Record):
    """A post or page of a blog, identified by its normalised URL.

    ``capture`` is the web-archive capture the page was read from (``--wayback``), empty when live.
    """

    label: ClassVar[str] = "Page"
    key_field: ClassVar[str] = "url"
    url: str
    blog: str
    title: str = ""
    author: str = ""
    published: str = ""
    language: str = ""
    platform: str = ""
    kind: str = "post"
    fetched_at: str = ""
    text: str = ""
    capture: str = ""


@dataclass(frozen=True, slots=True)
class Person(Record):
    """An author or commenter; ``blog`` is the blog they sign with, if any."""

    label: ClassVar[str] = "Person"
    key_field: ClassVar[str] = "key"
    keep_known: ClassVar[bool] = True
    key: str
    name: str = ""
    url: str = ""
    blog: str = ""


@dataclass(frozen=True, slots=True)
class Comment(Record):
    """A reader comment on a page."""

    label: ClassVar[str] = "Comment"
    key_field: ClassVar[str] = "key"
    key: str
    page: str
    blog: str
    person: str
    author: str = ""
    author_url: str = ""
    published: str = ""
    text: str = ""


@dataclass(frozen=True, slots=True)
class Link(Record):
    """A typed hyperlink with its provenance.

    ``source`` is the page the link was seen on; ``source_blog`` and ``target_blog`` are the blogs
    at either end, so blog-level analysis needs no URL parsing. ``ordinal`` tells repeated links
    of the same kind from one page to one target apart (a multigraph keeps them all). ``weight``
    is 1 for a crawled link; an import takes it from an edge attribute (``GraphMeta.weight``).
    """

    label: ClassVar[str] = "Link"
    key_field: ClassVar[str] = "key"
    key: str
    source: str
    source_blog: str
    target: str
    target_blog: str
    kind: str
    anchor: str = ""
    rel: str = ""
    seen_at: str = ""
    published: str = ""
    ordinal: int = 0
    weight: float = 1.0

    @property
    def endorsing(self) -> bool:
        """False when ``rel`` says nofollow, ugc or sponsored."""
        return not (set(self.rel.split()) & REL_VALUES_NOT_ENDORSING)


def make_blog(url: str, **fields: Any) -> Blog:
    """Build the Blog record a URL belongs to."""
    key = site_key(url)
    return Blog(key=key, url=fields.pop("home", "") or blog_url(key), **fields)


def make_link(source: str, target: str, kind: str, *, ordinal: int = 0, **fields: Any) -> Link:
    """Build a Link from page URLs, deriving both blogs and the key.

    >>> link = make_link("http://a.fr/p1", "https://www.b.fr/x#y", "citation", anchor=" B ")
    >>> (link.source_blog, link.target, link.target_blog, link.anchor)
    ('a.fr', 'https://www.b.fr/x', 'b.fr', 'B')
    """
    if kind not in LINK_KINDS:
        raise ValueError(f"unknown link kind {kind!r}")
    src, dst = normalize_url(source), normalize_url(target)
    fields["anchor"] = nfc(fields.get("anchor", ""))
    fields["rel"] = rel_tokens(fields.get("rel", ""))
    return Link(
        key=stable_hash(src, dst, kind, ordinal),
        source=src,
        source_blog=fields.pop("source_blog", None) or site_key(src),
        target=dst,
        target_blog=fields.pop("target_blog", None) or site_key(dst),
        kind=kind,
        ordinal=ordinal,
        **fields,
    )


def make_comment(page: str, blog: str, author: str, author_url: str, published: str, text: str) -> Comment:
    """Build a Comment whose key is stable across re-crawls of the same page."""
    author, text = nfc(author), nfc(text)
    url = ""
    if author_url:
        try:
            url = normalize_url(author_url)
        except InvalidURLError:
            url = ""
    return Comment(
        key=stable_hash(page, author.casefold(), published, text[:500]),
        page=page,
        blog=blog,
        person=person_key(author, url, blog),
        author=author,
        author_url=url,
        published=published,
        text=text,
    )


def make_person(name: str, url: str, blog: str) -> Person:
    """Build a Person; the blog they sign with is the site key of their URL."""
    key = person_key(name, url, blog)
    own = key[len("site:") :] if key.startswith("site:") else ""
    return Person(key=key, name=nfc(name), url=url, blog=own)


def brand_key(name: str) -> str:
    """Return the key of a brand: its name, NFC, case-folded, accents and inner spaces kept.

    >>> brand_key("  Orange ") == brand_key("ORANGE")
    True
    """
    return " ".join(nfc(name).casefold().split())


def _as_words(value: Any) -> tuple[str, ...]:
    """Accept a tuple/list of words or their JSON text (as stored) and return a tuple."""
    if isinstance(value, str):
        value = json.loads(value) if value.strip().startswith("[") else [value] if value else []
    return tuple(nfc(v) for v in value if nfc(v))


@dataclass(frozen=True, slots=True)
class Brand(Record):
    """A brand watched in posts and comments: aliases match it, context words confirm or exclude it.

    ``aliases``, ``context`` and ``exclude`` are tuples in Python and JSON text in a stored row.
    """

    label: ClassVar[str] = "Brand"
    key_field: ClassVar[str] = "key"
    key: str
    name: str = ""
    aliases: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("aliases", "context", "exclude"):
            object.__setattr__(self, name, _as_words(getattr(self, name)))

    def row(self) -> dict[str, Any]:
        """Return the brand as a flat dict; word lists become JSON text."""
        out = Record.row(self)
        for name in ("aliases", "context", "exclude"):
            out[name] = json.dumps(list(out[name]), ensure_ascii=False)
        return out


@dataclass(frozen=True, slots=True)
class Mention(Record):
    """A brand mentioned by a post (``comment`` empty) or by one comment on it (``comment`` = its key).

    In Neo4j a mention is the relationship ``(:Page)-[:MENTIONS]->(:Brand)``. ``sentiment`` is in
    [-1, 1]; ``polarity`` is ``positive``, ``neutral`` or ``negative``.
    """

    label: ClassVar[str] = "Mention"
    key_field: ClassVar[str] = "key"
    key: str
    brand: str
    page: str
    comment: str = ""
    blog: str = ""
    published: str = ""
    snippet: str = ""
    language: str = ""
    sentiment: float = 0.0
    polarity: str = "neutral"


CRAWL_STATUSES: tuple[str, ...] = ("discovered", "fetched", "failed", "skipped")


@dataclass(frozen=True, slots=True)
class CrawlState(Record):
    """The crawl ledger: one row per URL the crawler queued, so a stopped crawl can resume.

    ``status`` is one of ``CRAWL_STATUSES``; ``hops`` is the blog-to-blog distance from the seeds;
    ``reason`` says why a URL failed or was skipped; ``attempts`` counts fetches that failed.
    """

    label: ClassVar[str] = "CrawlState"
    key_field: ClassVar[str] = "url"
    url: str
    blog: str = ""
    hops: int = 0
    status: str = "discovered"
    reason: str = ""
    attempts: int = 0
    updated_at: str = ""


LEDGER_META_KEY = "ledger"


@dataclass(frozen=True, slots=True)
class CrawlMeta(Record):
    """Facts about the crawl ledger as a whole: one record, key ``"ledger"``.

    ``scrapy`` and ``graphscan`` are the versions of the last crawl that wrote the ledger; a crawl
    refuses to resume a ledger another Scrapy version left unfinished. Crawl bookkeeping, not graph
    data: it is not in ``RECORD_TYPES``, so counts, exports and imports leave it out.
    """

    label: ClassVar[str] = "CrawlMeta"
    key_field: ClassVar[str] = "key"
    key: str = LEDGER_META_KEY
    scrapy: str = ""
    graphscan: str = ""
    updated_at: str = ""


GRAPH_META_KEY = "graph"


@dataclass(frozen=True, slots=True)
class GraphMeta(Record):
    """Facts about the stored graph as a whole: one record, key ``"graph"``.

    ``directed`` is what the imported file declared (a crawl's links are directed, and a store
    without this record is directed); ``weight`` names the edge attribute an import took link
    weights from (``""``: none). Like ``CrawlMeta``, not in ``RECORD_TYPES``: counts, exports and
    imports leave it out.
    """

    label: ClassVar[str] = "GraphMeta"
    key_field: ClassVar[str] = "key"
    key: str = GRAPH_META_KEY
    directed: bool = True
    weight: str = ""
    updated_at: str = ""


@dataclass(frozen=True, slots=True)
class Ranking(Record):
    """One ranking written back to the store (``rank --write``): what was computed, how and when.

    ``key`` is the blog property the scores live under (``pagerank``, ``hits_authority``,
    ``technorati_180d``, ``community``...); ``params`` the run's settings as JSON text. A rerun
    under the same key replaces the earlier one. Analysis output, not graph data: like
    ``CrawlMeta`` it is not in ``RECORD_TYPES``.
    """

    label: ClassVar[str] = "Ranking"
    key_field: ClassVar[str] = "key"
    key: str
    measure: str = ""
    engine: str = ""
    params: str = "{}"
    computed_at: str = ""
    blogs: int = 0


@dataclass(frozen=True, slots=True)
class BlogScore(Record):
    """One blog's score under a ranking's property: a ``BlogScore`` row in SQLite, a property of
    the ``(:Blog)`` node in Neo4j. ``key`` is ``property|blog``."""

    label: ClassVar[str] = "BlogScore"
    key_field: ClassVar[str] = "key"
    key: str
    blog: str = ""
    property: str = ""
    value: float = 0.0


SCORE_PROPERTY = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
#: Blog node properties a ranking may never overwrite.
RESERVED_BLOG_PROPERTIES = frozenset({"key", "url", "title", "platform", "attrs", "placeholder"})


def blog_score(prop: str, blog: str, value: float) -> BlogScore:
    """The record of one blog's score under ``prop``."""
    return BlogScore(key=f"{prop}|{blog}", blog=blog, property=prop, value=float(value))


def check_score_property(prop: str) -> str:
    """Return ``prop`` if a ranking may be stored under it, else raise ``UsageError``.

    >>> check_score_property("technorati_180d")
    'technorati_180d'
    """
    if not SCORE_PROPERTY.match(prop) or prop in RESERVED_BLOG_PROPERTIES:
        raise UsageError(
            f"cannot store scores as {prop!r}: a property is lower-case letters, digits and _, "
            f"and not one of {', '.join(sorted(RESERVED_BLOG_PROPERTIES))}"
        )
    return prop


RECORD_TYPES: tuple[type[Record], ...] = (Blog, Page, Person, Comment, Link, CrawlState, Brand, Mention)
"""Write order: nodes before the records that point at them."""
