"""A seeded generator of a sample blogosphere: blogs, posts, links, comments, spam and brand stories.

``generate_blogosphere`` builds the world in memory (every choice drawn from one
``random.Random(seed)``, so a seed always gives the same bytes), renders every page, feed and
robots.txt (:mod:`graphscan.sample.render`) and returns a :class:`Blogosphere`, which knows its
ground truth (:mod:`graphscan.sample.truth`) and can be served (:mod:`graphscan.sample.server`)
or written to a directory. The world's records live in :mod:`graphscan.sample.world`.

Popularity follows a power law (blog ``i`` of a random order has weight ``1/(i+1)``), blogs belong
to one topic each and link mostly inside it, and citations only point back in time.
"""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import UTC, datetime, timedelta

from graphscan.errors import UsageError
from graphscan.model import normalize_url, site_key
from graphscan.sample import vocabulary as voc
from graphscan.sample.sites import PLATFORM_WEIGHTS, SHAPES
from graphscan.sample.world import (
    SEED_COUNT,
    Anchor,
    Blogosphere,
    Ping,
    SampleBlog,
    SampleComment,
    SamplePost,
    Segment,
)

START = datetime(2004, 1, 5, tzinfo=UTC)
DAYS = 540


# -- words -------------------------------------------------------------------------------------------
def slugify(text: str) -> str:
    """Return an ASCII slug of ``text``.

    >>> slugify("L’été à Noël : Zoé !")
    'lete-a-noel-zoe'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def sentence(rng: random.Random, topic: str, lang: str) -> str:
    """Return one sentence about ``topic`` in ``lang``."""
    nouns = voc.TOPICS[topic][lang]
    first, second = rng.sample(nouns, 2)
    opener = rng.choice(voc.OPENERS[lang]) + " " if rng.random() < 0.4 else ""
    subject = first if opener else first[0].upper() + first[1:]
    return f"{opener}{subject} {rng.choice(voc.VERBS[lang])} {second} {rng.choice(voc.ENDINGS[lang])}."


def title_for(rng: random.Random, topic: str, lang: str) -> str:
    """Return a post title about ``topic``."""
    noun = rng.choice(voc.TOPICS[topic][lang])
    shape = rng.choice(voc.TITLE_SHAPES[lang])
    return shape.format(noun=noun, Noun=noun[0].upper() + noun[1:])


def paragraph(rng: random.Random, topic: str, lang: str, count: int | None = None) -> list[Segment]:
    """Return a paragraph of 2 to 4 sentences."""
    return [" ".join(sentence(rng, topic, lang) for _ in range(count or rng.randint(2, 4)))]


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(voc.FIRST_NAMES)} {rng.choice(voc.SURNAMES)}"


# -- blogs ----------------------------------------------------------------------------------------------
def _platforms(rng: random.Random, n: int) -> list[str]:
    names = list(PLATFORM_WEIGHTS)
    chosen = names[: min(n, len(names))]
    chosen += rng.choices(names, weights=list(PLATFORM_WEIGHTS.values()), k=n - len(chosen))
    rng.shuffle(chosen)
    return chosen


def _unique_slug(rng: random.Random, lang: str, taken: set[str]) -> str:
    while True:
        first = slugify(rng.choice(voc.FIRST_NAMES))
        word = rng.choice(voc.BLOG_WORDS[lang])
        slug = f"{word}-{first}" if rng.random() < 0.5 else f"{first}-{word}"
        if rng.random() < 0.3:
            slug += f"-{rng.randint(2, 99)}"
        if slug not in taken:
            taken.add(slug)
            return slug


def _make_blog(rng: random.Random, platform: str, weight: float, taken: set[str]) -> SampleBlog:
    shape = SHAPES[platform]
    lang = "fr" if shape.french_only or rng.random() < 0.55 else "en"
    topic = rng.choice(list(voc.TOPICS))
    slug = _unique_slug(rng, lang, taken)
    host = rng.choice(shape.hosts).format(slug=slug)
    author = person_name(rng)
    noun = rng.choice(voc.TOPICS[topic][lang])
    title = rng.choice(voc.BLOG_TITLES[lang]).format(name=author.split()[0], Noun=noun[0].upper() + noun[1:])
    blog = SampleBlog(
        key=site_key(f"http://{host}/"),
        host=host,
        slug=slug,
        shape=shape,
        language=lang,
        topic=topic,
        weight=weight,
        title=title,
        author=author,
    )
    if (
        lang == "fr"
        and platform in ("hautetfort", "canalblog", "dotclear", "overblog")
        and rng.random() < 0.45
    ):
        blog.charset = "iso-8859-1"
        blog.charset_in_header = rng.random() < 0.5
    blog.comment_feed = bool(shape.comment_feed) and rng.random() < 0.5
    return blog


def make_blogs(rng: random.Random, n: int) -> list[SampleBlog]:
    """Return ``n`` blogs with distinct hosts, power-law weights, topics and platforms."""
    order = list(range(n))
    rng.shuffle(order)
    taken: set[str] = set()
    platforms = _platforms(rng, n)
    blogs = [_make_blog(rng, platforms[i], 1.0 / (order[i] + 1), taken) for i in range(n)]
    _force_first_poster(blogs)
    return blogs


def _force_first_poster(blogs: list[SampleBlog]) -> None:
    """Make one mid-popularity blog an English cycling blog: the Kryptonite story starts there."""
    candidates = [
        b for b in blogs if b.shape.name in ("wordpress", "blogger")
    ]  # they print the time of a post
    ranked = sorted(candidates or blogs, key=lambda b: -b.weight)
    first = ranked[len(ranked) // 2]
    first.topic, first.language, first.charset, first.first_poster = "velo", "en", "utf-8", True
    first.title = f"{first.author.split()[0]} — {voc.TOPICS['velo']['en'][0].title()}"


# -- posts ----------------------------------------------------------------------------------------------
def post_url(blog: SampleBlog, when: datetime, slug: str, number: int) -> str:
    """Return the permalink of a post of ``blog``."""
    path = blog.shape.post.format(
        y=when.year, m=f"{when.month:02d}", d=f"{when.day:02d}", slug=slug, id=10_000_000 + number
    )
    return blog.url(path)


def new_post(
    rng: random.Random, blog: SampleBlog, when: datetime, title: str, counter: list[int]
) -> SamplePost:
    """Create a post of ``blog`` at ``when`` (not yet attached to the blog)."""
    counter[0] += 1
    slug = slugify(title)[:50].strip("-") + f"-{counter[0]}"
    if blog.platform == "dotclear":
        slug = slug[0].upper() + slug[1:]
    url = normalize_url(post_url(blog, when, slug, counter[0]))
    return SamplePost(url=url, blog=blog.key, title=title, slug=slug, published=when, topic=blog.topic)


def _post_count(rng: random.Random, blog: SampleBlog, top: float) -> int:
    return rng.randint(8, 22) + int(18 * (blog.weight / top) ** 0.5)


def make_posts(rng: random.Random, blogs: list[SampleBlog], counter: list[int]) -> None:
    """Give every blog its regular posts, spread over the period, with plain text bodies."""
    top = max(b.weight for b in blogs)
    for blog in blogs:
        offset = rng.randint(0, DAYS // 3)
        for _ in range(_post_count(rng, blog, top)):
            day = rng.randint(offset, DAYS)
            when = START + timedelta(days=day, hours=rng.randint(7, 22), minutes=rng.randint(0, 59))
            post = new_post(rng, blog, when, title_for(rng, blog.topic, blog.language), counter)
            post.paragraphs = [paragraph(rng, blog.topic, blog.language) for _ in range(rng.randint(2, 4))]
            blog.posts.append(post)
        blog.posts.sort(key=lambda p: p.published)


def sort_posts(blogs: list[SampleBlog]) -> None:
    for blog in blogs:
        blog.posts.sort(key=lambda p: (p.published, p.url))


# -- citations --------------------------------------------------------------------------------------------
def _cite_sentence(lang: str, anchor: Anchor, blog_title: str) -> list[Segment]:
    if lang == "fr":
        return [" Voir aussi ", anchor, f", chez {blog_title}."]
    return [" See also ", anchor, f" over at {blog_title}."]


def _pick_target_blog(
    rng: random.Random, blog: SampleBlog, blogs: list[SampleBlog], by_topic: dict[str, list[SampleBlog]]
) -> SampleBlog:
    pool = by_topic[blog.topic] if rng.random() < 0.8 and len(by_topic[blog.topic]) > 1 else blogs
    pool = [b for b in pool if b is not blog] or [b for b in blogs if b is not blog]
    return rng.choices(pool, weights=[b.weight for b in pool], k=1)[0]


def _cite(rng: random.Random, post: SamplePost, target_blog: SampleBlog, lang: str) -> SamplePost | None:
    """Add a citation of an earlier post of ``target_blog`` (or its home) to ``post``; return the cited post."""
    earlier = [p for p in target_blog.posts if p.published < post.published and not p.in_story]
    if not earlier or rng.random() < 0.12:
        anchor = Anchor(target_blog.home, target_blog.title)
        cited = None
    else:
        cited = rng.choice(earlier[-6:])
        anchor = Anchor(cited.url, cited.title, target_blank=rng.random() < 0.2)
    para = rng.choice(post.paragraphs)
    para.extend(_cite_sentence(lang, anchor, target_blog.title))
    return cited


def make_citations(
    rng: random.Random, blogs: list[SampleBlog], pings: list[tuple[SamplePost, SamplePost]]
) -> None:
    """Cite earlier posts from regular posts: 0–3 per post, popular blogs more often, mostly in-topic."""
    by_topic: dict[str, list[SampleBlog]] = {}
    for blog in blogs:
        by_topic.setdefault(blog.topic, []).append(blog)
    for blog in blogs:
        for post in blog.posts:
            if post.in_story:
                continue
            for _ in range(rng.choices((0, 1, 2, 3), weights=(3, 4, 3, 1))[0]):
                cited = _cite(rng, post, _pick_target_blog(rng, blog, blogs, by_topic), blog.language)
                if cited is not None:
                    pings.append((post, cited))
            if rng.random() < 0.08:
                _cite_own(rng, blog, post)


def _cite_own(rng: random.Random, blog: SampleBlog, post: SamplePost) -> None:
    earlier = [p for p in blog.posts if p.published < post.published and not p.in_story]
    if earlier:
        older = rng.choice(earlier)
        word = "Déjà évoqué ici : " if blog.language == "fr" else "I wrote about it before: "
        post.paragraphs.append([word, Anchor(older.url, older.title), "."])


def add_pings(
    rng: random.Random, pairs: list[tuple[SamplePost, SamplePost]], by_key: dict[str, SampleBlog]
) -> None:
    """Show a pingback/trackback under cited posts on platforms that display them."""
    for citing, cited in pairs:
        target_blog, source_blog = by_key[cited.blog], by_key[citing.blog]
        if (
            target_blog.shape.pings
            and rng.random() < 0.7
            and all(p.source != citing.url for p in cited.pings)
        ):
            excerpt = citing.text[:140].rsplit(" ", 1)[0] + " […]"
            number = 9000 + len(cited.pings)
            cited.pings.append(
                Ping(number, citing.url, citing.title, source_blog.title, excerpt, citing.published)
            )


# -- comments -----------------------------------------------------------------------------------------------
def _comment_time(rng: random.Random, post: SamplePost) -> datetime:
    return post.published + timedelta(minutes=rng.randint(20, 60 * 24 * 6))


def _reader_comment(
    rng: random.Random, blog: SampleBlog, post: SamplePost, peers: list[SampleBlog]
) -> SampleComment:
    text = " ".join(rng.sample(voc.COMMENT_LINES[blog.language], rng.randint(1, 2)))
    roll = rng.random()
    if roll < 0.42 and peers:
        peer = rng.choice(peers)
        href = peer.home if rng.random() < 0.7 else peer.home.rstrip("/")
        return SampleComment(0, peer.author, href, _comment_time(rng, post), text)
    if roll < 0.52:
        return SampleComment(0, blog.author, blog.home, _comment_time(rng, post), text)
    return SampleComment(
        0,
        person_name(rng) if rng.random() < 0.7 else rng.choice(voc.FIRST_NAMES),
        "",
        _comment_time(rng, post),
        text,
    )


def _spam_comment(rng: random.Random, post: SamplePost) -> SampleComment:
    site = f"http://{rng.choice(voc.SPAM_SITES[1:])}/"
    words = " ".join(rng.choices(voc.SPAM_KEYWORDS, k=rng.randint(12, 25)))
    if rng.random() < 0.5:
        return SampleComment(
            0,
            "buy " + rng.choice(voc.SPAM_KEYWORDS),
            site,
            _comment_time(rng, post),
            site,
            spam="link_only",
            links=(site,),
        )
    return SampleComment(
        0,
        rng.choice(voc.SPAM_KEYWORDS) + " " + rng.choice(voc.SPAM_KEYWORDS),
        site,
        _comment_time(rng, post),
        words,
        spam="keywords",
    )


def make_comments(rng: random.Random, blogs: list[SampleBlog]) -> None:
    """Add reader comments (bloggers who sign with their blog, anonymous readers) and spam."""
    top = max(b.weight for b in blogs)
    by_topic: dict[str, list[SampleBlog]] = {}
    for blog in blogs:
        by_topic.setdefault(blog.topic, []).append(blog)
    for blog in blogs:
        peers = [b for b in by_topic[blog.topic] if b is not blog] or [b for b in blogs if b is not blog]
        mean = 0.6 + 5 * (blog.weight / top) ** 0.5
        for post in blog.posts:
            count = min(12, int(rng.expovariate(1 / mean)))
            post.comments = [_reader_comment(rng, blog, post, peers) for _ in range(count)]
            if rng.random() < 0.06:
                post.comments.append(_spam_comment(rng, post))
    _mass_spam(rng, blogs)
    for blog in blogs:
        for post in blog.posts:
            number_comments(post)
            _thread_owner_replies(blog, post)


def number_comments(post: SamplePost) -> None:
    """Put a post's comments in time order and number them from 1."""
    post.comments.sort(key=lambda c: c.published)
    for number, comment in enumerate(post.comments, start=1):
        comment.number = number


def _thread_owner_replies(blog: SampleBlog, post: SamplePost) -> None:
    """Make each comment of the blog's author a reply to the latest earlier reader comment."""
    readers: list[SampleComment] = []
    for comment in post.comments:
        if comment.href == blog.home and comment.author == blog.author:
            comment.parent = readers[-1] if readers else None
        elif not comment.spam:
            readers.append(comment)


def _mass_spam(rng: random.Random, blogs: list[SampleBlog]) -> None:
    """One spammer posts the same comment on the latest post of about one blog in six."""
    site = f"http://{voc.SPAM_SITES[0]}/"
    text = "Great blog! Cheap replica watches, best prices online: " + site
    victims = rng.sample(blogs, max(2, len(blogs) // 6))
    for blog in victims:
        post = blog.posts[-1]
        when = post.published + timedelta(hours=rng.randint(1, 48))
        post.comments.append(SampleComment(0, voc.SPAMMER_NAME, site, when, text, spam="mass", links=(site,)))


# -- blogrolls, robots, traps -------------------------------------------------------------------------------
XFN = ("friend", "friend met", "contact", "acquaintance met", "colleague", "met")


def make_blogrolls(rng: random.Random, blogs: list[SampleBlog]) -> None:
    """Give about two blogs in three a blogroll of 3–12 blogs, mostly in-topic and popular; some with XFN."""
    for blog in blogs:
        if rng.random() > 0.65:
            continue
        same = [b for b in blogs if b.topic == blog.topic and b is not blog]
        others = [b for b in blogs if b.topic != blog.topic]
        size = min(rng.randint(3, 12), len(blogs) - 1)
        chosen: list[SampleBlog] = []
        while len(chosen) < size:
            pool = same if same and rng.random() < 0.75 else others or same
            pick = rng.choices(pool, weights=[b.weight for b in pool], k=1)[0]
            if pick not in chosen:
                chosen.append(pick)
        xfn = rng.random() < 0.3
        blog.blogroll = [(b.home, b.title, rng.choice(XFN) if xfn else "") for b in chosen]


def _links_between_blogs(blogs: list[SampleBlog]) -> dict[str, set[str]]:
    """Return, per blog, the blogs its pages link to (citations, blogroll, comments, pings)."""
    out: dict[str, set[str]] = {b.key: set() for b in blogs}
    for blog in blogs:
        hrefs = [h for h, _, _ in blog.blogroll]
        for post in blog.posts:
            hrefs += (
                post.citations + [c.href for c in post.comments if c.href] + [p.source for p in post.pings]
            )
        out[blog.key] = {site_key(h) for h in hrefs}
    return out


def reachable(blogs: list[SampleBlog], seeds: list[SampleBlog]) -> set[str]:
    """Return the keys of the blogs a crawler reaches from ``seeds`` by following links between blogs."""
    links = _links_between_blogs(blogs)
    seen = {b.key for b in seeds}
    stack = list(seen)
    while stack:
        for key in links.get(stack.pop(), ()):
            if key not in seen and key in links:
                seen.add(key)
                stack.append(key)
    return seen


def connect_unreached(rng: random.Random, blogs: list[SampleBlog]) -> None:
    """Add each blog the seeds cannot reach to the blogroll of a reached blog, so every blog is crawlable."""
    seeds = sorted(blogs, key=lambda b: -b.weight)[:SEED_COUNT]
    seen = reachable(blogs, seeds)
    for blog in blogs:
        if blog.key not in seen:
            host = rng.choice([b for b in blogs if b.key in seen])
            host.blogroll.append((blog.home, blog.title, ""))
            seen |= reachable(blogs, [blog])


def make_private_pages(rng: random.Random, blogs: list[SampleBlog]) -> None:
    """About one blog in eight disallows ``/private/`` in robots.txt and has two drafts there that cite blogs."""
    for blog in blogs:
        if rng.random() > 0.12 or blog.trap:
            continue
        blog.disallow_private = True
        for n in (1, 2):
            when = START + timedelta(days=rng.randint(0, DAYS))
            title = ("Brouillon " if blog.language == "fr" else "Draft ") + str(n)
            page = SamplePost(
                url=blog.url(f"/private/draft-{n}/"),
                blog=blog.key,
                title=title,
                slug=f"draft-{n}",
                published=when,
                topic=blog.topic,
                kind="page",
            )
            page.paragraphs = [paragraph(rng, blog.topic, blog.language)]
            target = rng.choice([b for b in blogs if b is not blog])
            page.paragraphs[0].extend(
                _cite_sentence(blog.language, Anchor(target.home, target.title), target.title)
            )
            blog.private.append(page)


def make_hazards(rng: random.Random, blogs: list[SampleBlog]) -> None:
    """Pick the blog with the calendar trap and the one with ``Crawl-delay: 2`` (never the same)."""
    small = sorted(blogs, key=lambda b: (len(b.posts), b.key))
    small[0].trap = True
    small[1].crawl_delay = 2


def make_about(blog: SampleBlog, rng: random.Random) -> SamplePost:
    """Return the blog's "about" page."""
    title = "À propos" if blog.language == "fr" else "About"
    page = SamplePost(
        url=normalize_url(blog.url(blog.shape.about)),
        blog=blog.key,
        title=title,
        slug="about",
        published=blog.posts[0].published,
        topic=blog.topic,
        kind="page",
    )
    page.paragraphs = [paragraph(rng, blog.topic, blog.language, 2)]
    return page


def generate_blogosphere(n_blogs: int = 200, seed: int = 7, *, story: bool = True) -> Blogosphere:
    """Generate a blogosphere of ``n_blogs`` blogs, deterministically from ``seed``.

    Args:
        n_blogs: number of blogs (at least 10: the story and the hazards need room).
        seed: the seed of every random choice.
        story: plant the Kryptonite and Orange brand stories.

    Raises:
        UsageError: ``n_blogs`` is below 10.

    >>> world = generate_blogosphere(12, seed=1)
    >>> len(world.blogs), len({b.key for b in world.blogs})
    (12, 12)
    """
    if n_blogs < 10:
        raise UsageError(f"a sample blogosphere needs at least 10 blogs, not {n_blogs}")
    from graphscan.sample.render import render_all
    from graphscan.sample.stories import plant_comment_mentions, plant_stories

    rng = random.Random(seed)
    counter = [0]
    blogs = make_blogs(rng, n_blogs)
    make_posts(rng, blogs, counter)
    make_hazards(rng, blogs)
    pings = plant_stories(rng, blogs, counter) if story else []
    sort_posts(blogs)
    make_citations(rng, blogs, pings)
    add_pings(rng, pings, {b.key: b for b in blogs})
    make_comments(rng, blogs)
    if story:
        plant_comment_mentions(rng, blogs)
    make_blogrolls(rng, blogs)
    connect_unreached(rng, blogs)
    make_private_pages(rng, blogs)
    abouts = {b.key: make_about(b, rng) for b in blogs}
    return Blogosphere(blogs, seed, render_all(blogs, abouts))
