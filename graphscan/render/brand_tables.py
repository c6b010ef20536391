"""A brand report and a cascade as rich tables (``brands report``, ``cascade``)."""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING

from rich.table import Table

if TYPE_CHECKING:
    from graphscan.analysis.brand_authority import BrandReport
    from graphscan.analysis.cascades import Cascade


def _table(title: str, *columns: str) -> Table:
    """A table whose text columns (blogs, URLs) fold instead of being cut."""
    table = Table(title=title)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _shares(shares: dict[str, float]) -> str:
    return ", ".join(f"{p} {s:.0%}" for p, s in shares.items())


def report_tables(result: BrandReport) -> list[Table]:
    """The report as rich tables: summary, volume, top blogs, communities, negative amplifiers."""
    title = (
        f"{result.name}: {result.mentions:,} mentions ({result.posts:,} posts, {result.comments:,} comments)"
    )
    summary = _table(title, "", "positive / neutral / negative")
    summary.add_row("all mentions", _shares(result.shares))
    summary.add_row("posts", _shares(result.post_shares))
    summary.add_row("comments", _shares(result.comment_shares))
    top5, top10 = result.concentration["top5"], result.concentration["top10"]
    summary.add_row("brand authority held by the top 5 / top 10 blogs", f"{top5:.0%} / {top10:.0%}")
    volume = _table(f"Volume per {result.period}", "period", "mentions", "positive", "neutral", "negative")
    for v in result.volume:
        volume.add_row(v.period, *(f"{n:,}" for n in (v.mentions, v.positive, v.neutral, v.negative)))
    blogs = _table(
        "Top blogs by brand authority",
        "blog",
        "brand authority",
        "pagerank",
        "mentions",
        "mean sentiment",
        "negative",
        "community",
    )
    for b in result.top_blogs:
        mean = "" if b.mean_sentiment is None else f"{b.mean_sentiment:+.2f}"
        blogs.add_row(
            b.blog,
            f"{b.brand_authority:.4f}",
            f"{b.pagerank:.4f}",
            str(b.mentions),
            mean,
            str(b.negative),
            b.community,
        )
    tables = [summary, volume, blogs]
    if result.communities:
        groups = _table(
            "Brand authority per community",
            "community",
            "blogs",
            "mentioning blogs",
            "mentions",
            "authority share",
        )
        for c in result.communities[:10]:
            groups.add_row(
                c.community,
                f"{c.blogs:,}",
                f"{c.mentioning_blogs:,}",
                f"{c.mentions:,}",
                f"{c.authority_share:.0%}",
            )
        tables.append(groups)
    amplifiers = _table(
        "Who amplifies negative opinion",
        "blog",
        "negative posts",
        "onward citations",
        "blogs cited",
        "mean sentiment",
    )
    for n in result.negative_amplifiers:
        amplifiers.add_row(
            n.blog,
            str(n.negative_posts),
            str(n.onward_citations),
            str(n.cited_blogs),
            f"{n.mean_sentiment:+.2f}",
        )
    tables.append(amplifiers)
    return tables


def when(text: str) -> str:
    """A post's date in the cascade tables' one format, ``YYYY-MM-DD HH:MM`` UTC (``--:--`` when only the day is known).

    >>> when("2004-09-12T17:30:00+02:00"), when("2004-09-13"), when("")
    ('2004-09-12 15:30', '2004-09-13 --:--', '')
    """
    from graphscan.analysis.cascades import parse_date

    moment = parse_date(text)
    if moment is None:
        return text
    if len(text.strip()) <= len("YYYY-MM-DD"):
        return f"{moment:%Y-%m-%d} --:--"
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M}"


def cascade_tables(result: Cascade) -> list[Table]:
    """The cascade as rich tables: first poster, amplifiers, community arrival, bridges."""
    if result.first is None:
        return []
    first = result.first
    title = f"{result.brand}: {len(result.posts):,} posts, {len(result.edges):,} citations (dates UTC)"
    head = _table(title, "first post", "blog", "date", "polarity")
    head.add_row(first.url, first.blog, when(first.date), first.polarity)
    amps = _table("Amplifiers", "#", "post", "blog", "date", "downstream reach", "cited by", "polarity")
    for i, a in enumerate(result.amplifiers, 1):
        amps.add_row(str(i), a.url, a.blog, when(a.date), str(a.reach), str(a.direct), a.polarity)
    reach = _table(
        "Time to reach each community", "community", "first post", "blog", "date", "days after first", "posts"
    )
    for c in result.communities:
        days = "" if c.days_after_first is None else f"{c.days_after_first:.1f}"
        reach.add_row(c.community, c.first_post, c.first_blog, when(c.date), days, str(c.posts))
    bridges = _table("Bridges between communities", "citing post", "cited post", "date")
    for e in result.bridges:
        bridges.add_row(e.citing, e.cited, when(e.citing_date))
    return [head, amps, reach, bridges]
