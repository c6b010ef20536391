"""The catalogue of blog platforms: how to detect each one and where its posts, comments and blogrolls are.

Everything here is data. A :class:`Platform` names selectors (:mod:`crawl.select`) for page
regions and metadata, and XPath expressions for the parts of a comment, tried in order (the
first that matches wins); :mod:`crawl.extract` evaluates them and never hard-codes markup.
A platform's own rules come first; the ``generic`` entry (microformats, schema.org, the
WordPress-style comment lists that many engines copied) is tried after them.

Relative comment XPaths are evaluated from each comment item; a match inside a nested reply
belongs to the reply, not to its parent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from lxml import etree


def cls(name: str) -> str:
    """Return an XPath predicate body testing that ``@class`` holds the token ``name``.

    The plain substring test first lets most elements fail fast.

    >>> cls("comment")
    "(contains(@class, 'comment') and contains(concat(' ', normalize-space(@class), ' '), ' comment '))"
    """
    return f"(contains(@class, '{name}') and contains(concat(' ', normalize-space(@class), ' '), ' {name} '))"


def any_cls(*names: str) -> str:
    """Return an XPath predicate body true when ``@class`` holds any of ``names``."""
    return " or ".join(cls(n) for n in names)


@dataclass(frozen=True)
class CommentRule:
    """Where one comment markup keeps its parts.

    ``item`` selects every comment element (a :mod:`crawl.select` selector); ``item_id`` is a
    regular expression its ``id`` must match and ``item_test`` an XPath boolean it must satisfy,
    when given. The other fields are XPaths relative to the item, tried in order: ``name`` finds
    the element whose text is the author's name, ``url`` the author's link (an ``<a>``), ``date``
    an attribute or element with the date (there the first candidate that holds a date wins),
    ``text`` the element(s) of the comment body.
    ``trackback`` is an XPath boolean telling a pingback/trackback item from a reader's comment.
    """

    item: str
    item_id: str = ""
    item_test: str = ""
    name: tuple[str, ...] = ()
    url: tuple[str, ...] = ()
    date: tuple[str, ...] = ()
    text: tuple[str, ...] = ()
    trackback: str = "false()"


@dataclass(frozen=True)
class Platform:
    """Detection rules and region selectors of one blog platform.

    ``generator`` is a regular expression on ``<meta name=generator>``, ``hosts`` the site keys
    (or their suffixes) the platform serves, ``markers`` selectors that only its markup matches.
    ``content``, ``blogroll``, ``navigation``, ``title``, ``author`` and ``date`` are selectors.
    """

    name: str
    generator: str = ""
    hosts: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()
    content: tuple[str, ...] = ()
    comments: tuple[CommentRule, ...] = ()
    blogroll: tuple[str, ...] = ()
    navigation: tuple[str, ...] = ()
    title: tuple[str, ...] = ()
    author: tuple[str, ...] = ()
    date: tuple[str, ...] = ()
    scripted_comments: bool = False
    """True where comments load by JavaScript or are not on the page: the page never yields comments."""


TRACKBACK_WORDS = r"(pingback|trackback|rétrolien|retrolien)\b"
"""Prefixes by which themes announce a pingback in place of an author name."""

# -- WordPress-style comment lists: WordPress itself and the many engines that copied it -------
AUTHOR_CLASSES = (
    "comment-author",
    "comment_author",
    "commentauthor",
    "comment-author-name",
    "fn",
    "epoch-comment-author",
)
WP_COMMENTS = CommentRule(
    item=(
        "li[id^=comment-], li[id^=li-comment-], div[id^=comment-], div[id^=li-comment-], "
        "article[id^=comment-], article[id^=div-comment-]"
    ),
    item_id=r"^(li-|div-)?comment-?\d+$",
    name=(
        f".//a[{any_cls('url', 'epoch-author-link')}]",
        f".//*[{cls('fn')}]",
        f".//*[{any_cls(*AUTHOR_CLASSES)}]",
        ".//cite",
        ".//strong",
    ),
    url=(
        f".//a[{any_cls('url', 'epoch-author-link')}]",
        f".//*[{any_cls(*AUTHOR_CLASSES)}]//a[not({cls('comment-reply-link')})]",
        ".//cite//a",
    ),
    date=(
        ".//time/@datetime",
        f".//abbr[{any_cls('published', 'dt-published')}]/@title",
        f".//*[{any_cls('comment-metadata', 'commentmetadata', 'comment-meta', 'comment_meta', 'comment-time', 'comment_time', 'comment-date', 'comment-info')}]",
        ".//cite/following-sibling::small | .//small",
        ".//a[contains(@href, '#comment-')]",
        f".//*[{any_cls(*AUTHOR_CLASSES)}]",
    ),
    text=(
        f".//*[{any_cls('comment-content', 'comment-text', 'commenttext', 'comment-entry', 'epoch-comment-content', 'comment_text')}]",
        f".//*[{cls('comment-body')}]/p",
        f".//*[{cls('comment_content')}]",
        "./p[not(.//cite)] | ./div/p[not(.//cite)]",
        f".//p[not(.//cite)][not(ancestor::*[{any_cls('reply', 'comment-metadata', 'commentmetadata')}])]",
    ),
    trackback=f"{any_cls('pingback', 'trackback')}",
)
# Themes of the 2000s: <dl> with the author in <dt> and the comment in the following <dd>.
DL_COMMENTS = CommentRule(
    item="dl dt",
    item_test=f"following-sibling::*[1][self::dd][{any_cls('comment', 'comment-body')}]",
    name=(f".//a[{cls('url')}]", f".//*[{any_cls('comment_author', 'comment-author', 'fn')}]", "."),
    url=(f".//a[{cls('url')}]", f".//*[{any_cls('comment_author', 'comment-author', 'fn')}]//a"),
    date=(".//time/@datetime", ".//abbr/@title", f".//*[{any_cls('comment_time', 'comment-time')}]", "."),
    text=("following-sibling::dd[1]",),
    trackback=f"{any_cls('pingback', 'trackback')}",
)

# Movable Type's classic templates, kept by Hautetfort/Blogspirit and Canalblog:
# <div class="comments-body"><p>text</p><p class="comments-post">Écrit par : <a>Name</a> | date</p></div>
MT_COMMENTS = CommentRule(
    item=".comments-body",
    name=(f".//*[{cls('comments-post')}]//a[not(starts-with(@href, '#'))]", f".//*[{cls('comments-post')}]"),
    url=(f".//*[{cls('comments-post')}]//a[not(starts-with(@href, '#'))]",),
    date=(f".//*[{cls('comments-post')}]",),
    text=(f"./*[not({cls('comments-post')})]",),
)

# -- generic fallbacks ---------------------------------------------------------------------
MF2_COMMENTS = CommentRule(
    item=".p-comment.h-cite, .p-comment.h-entry, .u-comment.h-cite, .u-comment.h-entry",
    name=(f".//*[{cls('p-author')}]//*[{cls('p-name')}]", f".//*[{cls('p-author')}]"),
    url=(f".//a[{cls('p-author')}]", f".//*[{cls('p-author')}]//a[{cls('u-url')}]"),
    date=(f".//*[{cls('dt-published')}]/@datetime", f".//*[{cls('dt-published')}]"),
    text=(f".//*[{cls('e-content')}]", f".//*[{cls('p-content')}]", f".//*[{cls('p-name')}]"),
)
SCHEMA_COMMENTS = CommentRule(
    item="[itemprop=comment], [itemtype*=schema.org/Comment], [itemtype*=schema.org/UserComments]",
    name=(
        ".//*[@itemprop='author' or @itemprop='creator']//*[@itemprop='name']",
        ".//*[@itemprop='author' or @itemprop='creator']",
    ),
    url=(".//*[@itemprop='author' or @itemprop='creator']//a[@itemprop='url']", ".//a[@itemprop='url']"),
    date=(
        ".//*[@itemprop='dateCreated' or @itemprop='datePublished' or @itemprop='commentTime']/@datetime",
        ".//*[@itemprop='dateCreated' or @itemprop='datePublished' or @itemprop='commentTime']/@content",
    ),
    text=(".//*[@itemprop='text' or @itemprop='commentText']",),
)

GENERIC_CONTENT = (
    ".entry-content, .post-content, .post-body, .article-content, .entry-body, .postcontent, .e-content",
    "[itemprop=articleBody]",
    ".hentry .entry, .h-entry .entry, .hentry .content",
    "article",
    "main, [role=main]",
)
GENERIC_BLOGROLL = (
    ".blogroll, .widget_links, .linkcat, .widget_blogroll, .LinkList, .BlogList, .bookmarks, "
    ".module-typelist, .liens, .blogolist, #blogroll, #links, #liens",
)
GENERIC_NAVIGATION = (
    "nav, header, footer, [role=navigation], form",
    ".menu, .navigation, .nav-links, .post-navigation, .pagination, .tags, .tag-links, .cat-links, "
    ".post-categories, .entry-meta, .entry-footer, .post-footer, .breadcrumbs, .postmetadata, .postfooter, .itemfooter",
    ".sharedaddy, .jp-relatedposts, .addtoany_share_save_container, .share, .sharing, .social-share, "
    ".post-share, .shareaholic-canvas, .wpcnt, .comment-respond, .widget_recent_comments, "
    ".widget_recent_entries, .widget_archive, .widget_categories, .widget_meta, .widget_tag_cloud",
    "#jp-post-flair, #respond, #comments, #comment-form, #commentform",
)
GENERIC_TITLE = (
    "meta[property=og:title]@content",
    "h1.entry-title, h1.post-title, h1.p-name",
    ".entry-title, .post-title",
    "title",
)
GENERIC_AUTHOR = (
    "meta[name=author]@content",
    ".hentry .author .fn, .h-entry .p-author .p-name, article .author .fn",
    ".byline .fn, .entry-author .fn, .post-author .fn, .byline .url, .entry-author .url",
    "a[rel=author]",
    ".p-author",
    "[itemprop=author] [itemprop=name]",
)
GENERIC_DATE = (
    "meta[property=article:published_time]@content",
    "[itemprop=datePublished]@content, [itemprop=datePublished]@datetime",
    "time.published@datetime, time.entry-date@datetime, time.dt-published@datetime, time.post-date@datetime",
    "abbr.published@title, abbr.dt-published@title",
    ".entry-meta time@datetime, .post-meta time@datetime, .entry-header time@datetime, .posted-on time@datetime",
    "article time@datetime",
)

PLATFORMS: tuple[Platform, ...] = (
    Platform(
        name="blogger",
        generator=r"^blogger",
        hosts=("blogspot.com",),
        markers=("#Blog1, div.blog-posts", "link[href*=blogger.com/feeds/]"),
        content=(".post-body, .entry-content",),
        comments=(
            CommentRule(
                item=".comments-content li.comment",
                item_id=r"^c\d+$",
                name=(f".//cite[{cls('user')}]",),
                url=(f".//cite[{cls('user')}]//a",),
                date=(f".//*[{cls('datetime')}]//a", f".//*[{cls('datetime')}]"),
                text=(f".//*[{cls('comment-content')}]",),
            ),
            CommentRule(
                item="dl#comments-block dt",
                name=("./a[@href][not(starts-with(@href, '#'))]", "."),
                url=("./a[@href][not(starts-with(@href, '#'))]",),
                date=(
                    f"following-sibling::dd[{cls('comment-footer')}][1]//*[{cls('comment-timestamp')}]//a",
                    f"following-sibling::dd[{cls('comment-footer')}][1]",
                ),
                text=(f"following-sibling::dd[1][{cls('comment-body')}]", "following-sibling::dd[1]"),
            ),
        ),
        blogroll=(".LinkList, .BlogList, .BlogRoll",),  # BlogList: other blogs and their latest posts
        navigation=(
            ".post-footer, .blog-pager, .BlogArchive, .Label, .post-labels, .Profile, .Followers, .FeaturedPost, "
            ".PopularPosts, .Attribution, .navbar, .Header, .comment-form, .comment-actions, .post-share-buttons",
            "#comments, #blog-pager, #comment-holder",
            ".item-control, .widget-item-control",  # the owner's wrench and edit links (blogger.com/rearrange...), in every widget
        ),
        title=("h3.post-title, .post-title",),
        author=(".post-author .fn, .post-author a.g-profile",),
        date=("abbr.published@title, .timestamp-link abbr@title", ".date-header"),
    ),
    Platform(
        name="hautetfort",
        generator=r"hautetfort|blogspirit",
        hosts=("hautetfort.com", "blogspirit.com"),
        markers=("link[href*=hautetfort.com], script[src*=hautetfort]",),
        content=(".posttext, .post-text, .entry-content, .blogbody",),
        comments=(
            MT_COMMENTS,
            CommentRule(
                item="#comments .comment",
                item_test=f"not(.//*[{cls('comments-body')}])",
                name=(
                    f".//*[{any_cls('comment-author', 'posted')}]//a",
                    f".//*[{any_cls('comment-author', 'posted')}]",
                ),
                url=(f".//*[{any_cls('comment-author', 'posted')}]//a[not(starts-with(@href, '#'))]",),
                date=(".//time/@datetime", f".//*[{any_cls('comment-date', 'date', 'posted')}]"),
                text=(
                    f".//*[{any_cls('comment-text', 'comment-content')}]",
                    f"./p[not({any_cls('posted', 'comment-author')})]",
                ),
            ),
        ),
        blogroll=(".linkroll, .blogroll, .boxlinks, .links",),
        title=(".posttitle, .post-title",),
        author=(".postauthor, .post-author",),
        date=(".postdate, .date",),
    ),
    Platform(
        name="overblog",
        generator=r"over-?blog",
        hosts=("over-blog.com", "over-blog.fr", "over-blog.org", "overblog.com"),
        markers=(".ob-section, .ob-text, .ob-comments", "script[src*=over-blog]"),
        content=(".ob-text, .post-content, .article-content, .entry-content",),
        comments=(
            CommentRule(
                item=".ob-comment, .comment",
                item_id=r"^(c|comment-?|ob-comment-?)\d+$",
                name=tuple(
                    f".//*[{cls(c)}]{tail}"
                    for c in ("ob-name", "ob-user", "comment-author", "author")
                    for tail in ("//a", "")
                ),
                url=(f".//*[{any_cls('ob-name', 'ob-user', 'comment-author', 'author')}]//a",),
                date=(".//time/@datetime", f".//*[{any_cls('ob-date', 'comment-date', 'date')}]"),
                text=(f".//*[{any_cls('ob-message', 'ob-text', 'comment-content', 'comment-text')}]",),
            ),
        ),
        blogroll=(".ob-links, .widget-links, .blogroll, .links",),
        title=(".ob-title, .post-title, .article-title",),
        author=(".ob-author, .post-author",),
        date=(".ob-section-post time.ob-date@datetime, time.ob-date@datetime",),
    ),
    Platform(
        name="canalblog",
        generator=r"canalblog",
        hosts=("canalblog.com",),
        markers=("script[src*=canalblog], link[href*=canalblog]",),
        content=(".blogbody, .articlebody, .post-content, .entry-content",),
        comments=(
            MT_COMMENTS,
            CommentRule(
                item=".comment, .blogcomment",
                item_id=r"^(c|comment-?)\d+$",
                item_test=f"not(.//*[{cls('comments-body')}])",
                name=(
                    f".//*[{any_cls('commentauthor', 'comment-author', 'posted')}]//a",
                    f".//*[{any_cls('commentauthor', 'comment-author', 'posted')}]",
                ),
                url=(f".//*[{any_cls('commentauthor', 'comment-author', 'posted')}]//a",),
                date=(".//time/@datetime", f".//*[{any_cls('commentdate', 'comment-date', 'posted')}]"),
                text=(f".//*[{any_cls('commentbody', 'comment-body', 'comment-content', 'comment-text')}]",),
            ),
        ),
        blogroll=(".blogroll, .links, .liens",),
        navigation=(".itemfooter",),
        title=(".articletitle, .post-title, .blogbody h3.title",),
        date=(".date-header",),
    ),
    Platform(
        name="typepad",
        generator=r"typepad|movable ?type",
        hosts=("typepad.com", "typepad.fr"),
        markers=("script[src*=typepad.com], .module-typelist",),
        content=(".entry-body, .entry-content",),
        comments=(
            CommentRule(
                item=".comment",
                item_id=r"^(c|comment-)[0-9a-f]+$",
                name=(
                    f".//*[{cls('comment-footer')}]//a[not(contains(@href, '#'))]",
                    f".//*[{cls('comment-footer')}]",
                    f".//*[{cls('vcard')}][{cls('author')}]",  # newer templates: the byline in .comment-header
                ),
                url=(
                    f".//*[{cls('comment-footer')}]//a[not(contains(@href, '#'))]",
                    f".//*[{cls('vcard')}][{cls('author')}]//a[not(contains(@href, '#'))]",
                ),
                date=(
                    f".//*[{cls('comment-footer')}]//a[contains(@href, '#')]",
                    f".//*[{cls('comment-footer')}]",
                ),
                text=(f".//*[{cls('comment-content')}]",),
            ),
            CommentRule(
                item=".trackback",
                item_id=r"^(ping|trackback)-?[0-9a-f]+$",
                name=(f".//*[{cls('trackback-content')}]//a", ".//a"),
                url=(f".//*[{cls('trackback-content')}]//a", ".//a"),
                date=(f".//*[{cls('trackback-footer')}]",),
                text=(f".//*[{cls('trackback-content')}]",),
                trackback="true()",
            ),
        ),
        blogroll=(".module-typelist, .typelist, .blogroll",),
        navigation=(".entry-footer, .content-nav, .module-archives, .module-categories",),
        title=(".entry-header",),
        date=(".date-header",),
    ),
    Platform(
        name="dotclear",
        generator=r"dotclear",
        markers=("body[class^=dc-]", "link[href*=feed/atom/comments]"),
        content=(".post-content, .post-excerpt",),
        comments=(
            CommentRule(
                item="#comments dl dt",
                item_id=r"^c\d+$",
                name=("./a[not(starts-with(@href, '#'))]", "."),
                url=("./a[not(starts-with(@href, '#'))]",),
                date=(".",),
                text=("following-sibling::dd[1]",),
            ),
            CommentRule(
                item="#pings dl dt",
                item_id=r"^c\d+$",
                name=("./a[not(starts-with(@href, '#'))]",),
                url=("./a[not(starts-with(@href, '#'))]",),
                date=(".",),
                text=("following-sibling::dd[1]",),
                trackback="true()",
            ),
        ),
        blogroll=("#links, #blogroll, .links, .blogroll",),
        navigation=(
            ".post-info, .post-tags, .pagination, .topnav, .categories, .syndicate, .feed-info",
            "#prelude, #comment-form, #pr",
        ),
        title=(".post-title",),
        date=(".post-info",),
    ),
    Platform(
        name="livejournal",
        generator=r"livejournal",
        hosts=("livejournal.com",),
        markers=("span.ljuser",),
        content=(".entry-content, .b-singlepost-body, .entry_text, .asset-body",),
        comments=(
            CommentRule(
                item=".comment, .b-tree-twig",
                item_id=r"^(t|ljcmt)\d+$",
                name=(f".//*[{cls('ljuser')}]//b", f".//*[{any_cls('comment-poster', 'b-leaf-username')}]"),
                url=(
                    f".//*[{cls('ljuser')}]//a[b]",
                    f".//*[{cls('ljuser')}]//a[not(contains(@href, '/profile'))]",
                ),
                date=(f".//*[{any_cls('comment-datetimelink', 'b-leaf-createdtime', 'datetime')}]",),
                text=(f".//*[{any_cls('comment-text', 'comment-body', 'b-leaf-article')}]",),
            ),
        ),
        blogroll=(".friends, .sidebar-friends",),
        title=(".entry-title, .b-singlepost-title",),
    ),
    Platform(
        name="skyblog",
        generator=r"skyrock|skyblog",
        hosts=("skyrock.com", "skyblog.com"),
        markers=("script[src*=skyrock]",),
        content=(".text-article, .article-content, .post-content",),
        comments=(
            CommentRule(
                item=".commentaire, .comment",
                item_id=r"^(com|comment|commentaire)-?\d+$",
                name=(f".//a[{any_cls('pseudo', 'author')}]", f".//*[{any_cls('pseudo', 'author')}]"),
                url=(f".//a[{any_cls('pseudo', 'author')}]",),
                date=(".//time/@datetime", f".//*[{any_cls('date', 'created_at')}]"),
                text=(f".//*[{any_cls('text', 'comment-text', 'comment_text', 'message')}]",),
            ),
        ),
        blogroll=(".amis, .friends, .blogs_amis, #amis, #blogs_amis",),
        title=(".article-title, .title-article",),
    ),
    Platform(
        name="wordpress",
        generator=r"^wordpress",
        hosts=("wordpress.com", "hypotheses.org"),
        markers=(
            "link[href*=/wp-content/], link[href*=/wp-includes/], script[src*=/wp-content/], script[src*=/wp-includes/]",
            "link[rel=https://api.w.org/], link[rel=pingback][href*=xmlrpc.php], body[class*=postid-]",
        ),
        content=(
            ".entry-content, .post-content, .format_text, .post-entry, .entry-body, .article-content, .single-content, .postcontent, "
            ".entrytext, .storycontent, .post-text, .postbody",
            ".entry, [itemprop=articleBody]",
        ),
        comments=(WP_COMMENTS, DL_COMMENTS),
        title=("h1.entry-title, h1.post-title",),
        author=(
            ".entry-meta .fn, .byline .fn, .posted-by .fn, .entry-author .fn, .headline_meta .author, .entry-meta .author",
        ),
    ),
    Platform(
        name="medium",
        hosts=("medium.com",),
        markers=("meta[property=al:ios:app_name][content=Medium]",),
        content=("article section", "article"),
        scripted_comments=True,
    ),
    Platform(
        name="tumblr", hosts=("tumblr.com",), markers=("meta[name=tumblr-theme]",), scripted_comments=True
    ),
    Platform(
        name="ghost",
        generator=r"^ghost",
        hosts=("ghost.io",),
        content=(".gh-content, .post-content, .post-full-content",),
        scripted_comments=True,
    ),
    Platform(
        name="mediapart",
        hosts=("blogs.mediapart.fr",),
        content=(".content-article, .news__body__center__article",),
        scripted_comments=True,
    ),
    Platform(
        name="pixnet",
        generator=r"pchoc|pixnet",
        hosts=("pixnet.net",),
        content=(".article-content-inner, .article-content",),
        comments=(
            CommentRule(
                item="#comment-text ul.single-post",
                name=(f".//*[{cls('user-name')}]//a", f".//*[{cls('user-name')}]"),
                url=(f".//*[{cls('user-name')}]//a",),
                date=(f".//*[{cls('post-time')}]",),
                text=(f".//li[{cls('post-text')}]",),
            ),
        ),
        # The sidebar, #links, is a column of boxes: only "友好連結" (#mylink) lists other blogs; the
        # others are the owner's profile, recent visitors, PIXNET's announcements and an ad.
        blogroll=("#mylink",),
        navigation=(
            ".reply-text, #comment-box, .post-comment",
            "#links .box, #links-row-1",
            ".topbar__logo__channel",
        ),  # PIXNET's channels
        date=(".article-head .publish",),
    ),
)

GENERIC = Platform(
    name="generic",
    content=GENERIC_CONTENT,
    comments=(MF2_COMMENTS, SCHEMA_COMMENTS, WP_COMMENTS, DL_COMMENTS),
    blogroll=GENERIC_BLOGROLL,
    navigation=GENERIC_NAVIGATION,
    title=GENERIC_TITLE,
    author=GENERIC_AUTHOR,
    date=GENERIC_DATE,
)

BY_NAME: dict[str, Platform] = {p.name: p for p in (*PLATFORMS, GENERIC)}

XFN_RELS = frozenset(
    [
        "friend",
        "acquaintance",
        "contact",
        "met",
        "co-worker",
        "colleague",
        "co-resident",
        "neighbor",
        "child",
        "parent",
        "sibling",
        "spouse",
        "kin",
        "muse",
        "crush",
        "date",
        "sweetheart",
    ]
)
"""``rel`` values of the XHTML Friends Network: a link that carries one is a blogroll entry."""

NAVIGATION_RELS = frozenset(
    {
        "tag",
        "category",
        "prev",
        "next",
        "up",
        "home",
        "bookmark",
        "archives",
        "author",
        "index",
        "first",
        "last",
        "start",
        "search",
        "license",
    }
)
"""``rel`` values that make a link in the post body navigation rather than a citation."""

SKIPPED_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "iframe", "object", "head", "textarea", "select"}
)
"""Elements whose text never belongs to a post's or a comment's text."""

FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}
)
"""``type`` values of ``<link rel=alternate>`` that advertise a feed."""

HTML_MEDIA_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml", ""}
)
"""Media types parsed as pages; anything else (PDF, images, octet-stream) is not a page."""
BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
    (b"\x1f\x8b", "application/gzip"),
)
"""Leading bytes of files that are never HTML, whatever the server said."""

MEDIA_HOSTS: tuple[str, ...] = (
    "bp.blogspot.com",
    "googleusercontent.com",
    "files.wordpress.com",
    "i0.wp.com",
    "i1.wp.com",
    "i2.wp.com",
    "gravatar.com",
    "pimg.tw",
    "pixfs.net",
    "over-blog-kiwi.com",
)
"""Image and file hosts of blog platforms: a link to them is never a citation of a blog."""

SHOP_URL = re.compile(
    r"^https?://(?:[\w-]+\.)*(?:amazon|fnac|ebay|priceminister|rakuten|cdiscount|decitre|chapitre|abebooks|alibris|"
    r"barnesandnoble|bol|thalia|casadellibro|buscalibre)\.[a-z.]+/",
    re.IGNORECASE,
)
"""Shops and their affiliate links (a Typepad 'On the shelf' list): a book or a record, no blog."""
SHARE_URL = re.compile(
    r"^https?://(www\.|api\.|m\.)?("
    r"twitter\.com/(share|intent)|x\.com/intent|facebook\.com/(sharer|share\.php|dialog)|linkedin\.com/(shareArticle|cws/share)"
    r"|xing\.com/(social|spi)|pinterest\.[a-z.]+/pin/create|reddit\.com/submit|plus\.google\.com/share|whatsapp\.com/send"
    r"|printfriendly\.com|addtoany\.com/(share|add_to)|getpocket\.com/(save|edit)|tumblr\.com/(share|widgets/share)"
    r"|digg\.com/submit|delicious\.com/save|stumbleupon\.com/submit|news\.ycombinator\.com/submitlink|blogger\.com/share-post"
    r"|wordpress\.com/press-this|flattr\.com/submit|t\.me/share|vk\.com/share)",
    re.IGNORECASE,
)
"""Share and bookmark buttons: wherever they sit, they cite nobody."""

ADMIN_URL = re.compile(
    r"^https?://(www\.)?("
    r"blogger\.com/(rearrange|post-edit\.g|post-create\.g|delete-comment\.g|comment-iframe\.g|email-post\.g|follow\.g|home)"
    r"|[^/]+/wp-(admin|login\.php)"
    r"|[^/]*pixanalytics\.com/ad/)",
    re.IGNORECASE,
)
"""The platforms' own admin, edit and ad-redirect URLs: never a citation nor a blogroll entry."""

PLATFORM_SERVICE = re.compile(
    r"^(?:www|[a-z]{2}|[a-z]{2}-[a-z]{2}|subscribe|public-api|widgets?|stats|s\d|i\d|apps?|support|signup|dashboard|help|"
    r"developer|accounts?|login|static|img\d*|cdn|api|feeds?|assets|media|secure|blog|news|about|status|forums?|store|shop|"
    r"jobs|learn|events|discover|premium|themes|plugins|channel|admin)\."
    r"|^(?:food|travel|family|tech3c|beauty|movie|pets|sports|life)\.pixnet\.net$",
    re.IGNORECASE,
)
"""Hosts of a blog platform that are the platform's own services (``en.wordpress.com``), not a member's
blog: their admin and announcement hosts, and PIXNET's channel portals (its top bar on every blog)."""

MAX_LINKS = 1000
"""Links kept per page; the rest are counted in ``PageExtract.links_cut``."""


@cache
def xpath(expr: str) -> etree.XPath:
    """Compile an XPath once."""
    return etree.XPath(expr, smart_strings=False)


GENERATOR_XPATH = "//meta[translate(@name, 'GENERATOR', 'generator')='generator']/@content"
GENERATOR_RE = {p.name: re.compile(p.generator, re.IGNORECASE) for p in PLATFORMS if p.generator}


def _selectors(platform: Platform) -> list[str]:
    fields = (
        platform.markers,
        platform.content,
        platform.blogroll,
        platform.navigation,
        platform.title,
        platform.author,
        platform.date,
    )
    return [s for group in fields for s in group] + [rule.item for rule in platform.comments]


ALL_SELECTORS: tuple[str, ...] = tuple(s for p in (*PLATFORMS, GENERIC) for s in _selectors(p))
"""Every selector of the catalogue, so one page index serves detection and extraction."""
