"""The planted brand stories: the Kryptonite cascade across communities, and the operator Orange with its traps.

The Kryptonite story starts with one video post (a U-lock opened with a ballpoint pen), then
amplifiers cite it and each other over ten days, community after community (``STORY_WAVES``);
weeks later a few posts praise the exchange programme without citing anyone. Orange is mentioned
by a few French posts with a planted polarity, while other posts say "orange" of a fruit, a
colour or a town: the exclusion traps.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from graphscan.sample import vocabulary as voc
from graphscan.sample.generate import new_post, number_comments, paragraph, person_name
from graphscan.sample.world import STORY_START, STORY_WAVES, Anchor, SampleBlog, SampleComment, SamplePost

KRYPTONITE_TITLES = {
    "first": {"en": "Video: my Kryptonite lock opened with a Bic pen"},
    "story": {
        "fr": "Kryptonite : le scandale du stylo Bic",
        "en": "Kryptonite locks picked with a ballpoint pen",
    },
    "later": {"fr": "Kryptonite, la suite", "en": "Kryptonite, one month later"},
}
VIDEO_URL = "http://video.test/swf/kryptonite-bic-pen.swf"


def plant_stories(
    rng: random.Random, blogs: list[SampleBlog], counter: list[int]
) -> list[tuple[SamplePost, SamplePost]]:
    """Plant both brand stories; return the (citing, cited) pairs of the Kryptonite cascade."""
    pairs = plant_kryptonite(rng, blogs, counter)
    plant_orange(rng, blogs)
    return pairs


def _story_post(
    rng: random.Random, blog: SampleBlog, when: datetime, title: str, counter: list[int]
) -> SamplePost:
    post = new_post(rng, blog, when, title, counter)
    blog.posts.append(post)
    return post


def _brand_paragraph(rng: random.Random, lang: str, polarity: str) -> list[str]:
    lines = voc.KRYPTONITE[polarity][lang]
    return [" ".join(rng.sample(lines, min(2, len(lines))))]


def _participants(rng: random.Random, blogs: list[SampleBlog], first: SampleBlog) -> list[SampleBlog]:
    """Blogs that amplify the story, in the order the story reaches them (community waves, popular first)."""
    count = max(8, round(0.12 * len(blogs))) - 1
    others = [b for b in blogs if b is not first and not b.trap]
    keyed = sorted(others, key=lambda b: (STORY_WAVES.index(b.topic), -b.weight * rng.uniform(0.2, 1.0)))
    chosen = keyed[:count]
    return sorted(chosen, key=lambda b: STORY_WAVES.index(b.topic))


def _cited(
    rng: random.Random,
    blog: SampleBlog,
    earlier: list[SamplePost],
    direct: dict[str, int],
    top: float,
    blogs: dict[str, SampleBlog],
) -> list[SamplePost]:
    """Pick the one or two earlier story posts a new one cites: recent, well-cited, popular, same community first."""
    k = min(len(earlier), rng.choice((1, 1, 2)))
    score = [
        (1 + direct[p.url])
        * (0.3 + blogs[p.blog].weight / top)
        * (4 if blogs[p.blog].topic == blog.topic else 1)
        * (1 + i)
        for i, p in enumerate(earlier)
    ]
    picked: list[SamplePost] = []
    while len(picked) < k:
        post = rng.choices(earlier, weights=score, k=1)[0]
        if post not in picked:
            picked.append(post)
    return picked


def plant_kryptonite(
    rng: random.Random, blogs: list[SampleBlog], counter: list[int]
) -> list[tuple[SamplePost, SamplePost]]:
    """Plant the first video post, the amplifiers citing back in time, and later positive/neutral mentions."""
    first_blog = next(b for b in blogs if b.first_poster)
    first = _story_post(rng, first_blog, STORY_START, KRYPTONITE_TITLES["first"]["en"], counter)
    first.paragraphs = [[" ".join(voc.KRYPTONITE["first"]["en"])], paragraph(rng, "velo", "en")]
    first.video, first.mentions["kryptonite"] = VIDEO_URL, "negative"
    members = _participants(rng, blogs, first_blog)
    hours = sorted(rng.uniform(3, 240) for _ in members)
    times = [(STORY_START + timedelta(hours=h)).replace(second=0, microsecond=0) for h in hours]
    schedule = untie_days([(first_blog, STORY_START), *zip(members, times)])[1:]
    by_key = {b.key: b for b in blogs}
    top = max(b.weight for b in blogs)
    story, direct, pairs = [first], {first.url: 0}, []
    for blog, when in schedule:
        post = _story_post(rng, blog, when, KRYPTONITE_TITLES["story"][blog.language], counter)
        polarity = "negative" if rng.random() < 0.75 else "neutral"
        post.mentions["kryptonite"] = polarity
        cited = [first] if len(story) <= 2 else _cited(rng, blog, story, direct, top, by_key)
        post.paragraphs = [
            _brand_paragraph(rng, blog.language, polarity),
            paragraph(rng, blog.topic, blog.language),
        ]
        for target in cited:
            word = " D’après " if blog.language == "fr" else " According to "
            post.paragraphs[0].extend([word, Anchor(target.url, target.title), "."])
            direct[target.url] += 1
            pairs.append((post, target))
        story.append(post)
        direct[post.url] = 0
    _later_mentions(rng, blogs, [first_blog, *members], counter)
    return pairs


def untie_days(schedule: list[tuple[SampleBlog, datetime]]) -> list[tuple[SampleBlog, datetime]]:
    """Return the schedule in time order, where no post shares the calendar day of its community's first post.

    Some platforms print a post's day but not its time; a later post of the same community on the
    same day would then look like the one that brought the story there. Such posts move a day on
    (the first post of a community never moves, so this ends).
    """
    out = sorted(schedule, key=lambda bw: bw[1])
    while True:
        first: dict[str, date] = {}
        clash = None
        for i, (blog, when) in enumerate(out):
            if first.setdefault(blog.topic, when.date()) == when.date() and any(
                b.topic == blog.topic for b, _ in out[:i]
            ):
                clash = i
                break
        if clash is None:
            return out
        blog, when = out[clash]
        out[clash] = (blog, when + timedelta(days=1))
        out.sort(key=lambda bw: bw[1])


def _later_mentions(
    rng: random.Random, blogs: list[SampleBlog], taken: list[SampleBlog], counter: list[int]
) -> None:
    """Weeks later: positive and neutral mentions that cite no one."""
    free = [b for b in blogs if b not in taken and not b.trap]
    count = min(len(free), max(3, len(blogs) // 20))
    chosen = rng.sample(free, count)
    times = [STORY_START + timedelta(days=rng.randint(20, 60), hours=rng.randint(0, 12)) for _ in chosen]
    polarities = {b.key: "neutral" if i % 3 == 2 else "positive" for i, b in enumerate(chosen)}
    for blog, when in untie_days(list(zip(chosen, times))):
        polarity = polarities[blog.key]
        post = _story_post(rng, blog, when, KRYPTONITE_TITLES["later"][blog.language], counter)
        post.paragraphs = [
            paragraph(rng, blog.topic, blog.language),
            _brand_paragraph(rng, blog.language, polarity),
        ]
        post.mentions["kryptonite"] = polarity


def plant_comment_mentions(rng: random.Random, blogs: list[SampleBlog]) -> None:
    """Add a reader comment naming Kryptonite under about half the story posts (after the other comments)."""
    for blog in blogs:
        for post in blog.posts:
            if not post.in_story or rng.random() < 0.5:
                continue
            polarity = "negative" if rng.random() < 0.7 else "neutral"
            when = post.published + timedelta(hours=rng.randint(1, 30))
            text = rng.choice(voc.KRYPTONITE_COMMENTS[polarity][blog.language])
            post.comments.append(
                SampleComment(0, person_name(rng), "", when, text, mentions={"kryptonite": polarity})
            )
            number_comments(post)


def plant_orange(rng: random.Random, blogs: list[SampleBlog]) -> None:
    """Add an Orange paragraph to a few posts (planted polarity) and fruit/colour/town traps to others."""
    language = {b.key: b.language for b in blogs}
    candidates = [p for b in blogs for p in b.posts if not p.mentions]
    french = [p for p in candidates if language[p.blog] == "fr"]
    english = [p for p in candidates if language[p.blog] == "en"]
    count = max(4, len(blogs) // 25)
    polarities = ("negative", "positive", "negative", "neutral")
    for i, post in enumerate(rng.sample(french, count)):
        polarity = polarities[i % len(polarities)]
        post.paragraphs.insert(1, [rng.choice(voc.ORANGE[polarity]["fr"])])
        post.mentions["orange"] = polarity
    if english:
        post = rng.choice(english)
        post.paragraphs.insert(1, [rng.choice(voc.ORANGE["negative"]["en"])])
        post.mentions["orange"] = "negative"
    _orange_traps(rng, [p for p in french if not p.mentions], max(3, len(blogs) // 30))


def _orange_traps(rng: random.Random, posts: list[SamplePost], count: int) -> None:
    reasons = list(voc.ORANGE_TRAPS)
    preferred = {"fruit": "cuisine", "city": "voyage", "colour": "photo"}
    for i in range(count):
        reason = reasons[i % len(reasons)]
        fitting = [p for p in posts if p.topic == preferred[reason] and not p.trap] or [
            p for p in posts if not p.trap
        ]
        post = rng.choice(fitting)
        post.paragraphs.append([rng.choice(voc.ORANGE_TRAPS[reason])])
        post.trap = reason
