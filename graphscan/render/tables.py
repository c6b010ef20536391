"""Rankings, explanations, trends and group reports as rich tables, CSV or JSON text."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rich.table import Table

from graphscan.analysis.communities import GroupReport
from graphscan.analysis.explain import Explanation, Ranking, TrendReport

FORMATS = ("table", "csv", "json")


def check_format(fmt: str) -> str:
    """Return ``fmt`` if it is an output format, else raise ``UsageError``.

    >>> check_format("json")
    'json'
    """
    from graphscan.resolve import choose

    return choose(fmt, FORMATS, "format")


def _score(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.6g}"


def ranking_header(ranking: Ranking) -> str:
    """Return the line stating what a ranking was computed on: size, layers, measure, spam excluded."""
    dropped = ranking.self_links_dropped
    parts = [
        f"{ranking.n_blogs:,} blogs, {ranking.n_links:,} links (repeats counted; "
        f"{f'{dropped:,} ' if dropped else ''}self-links dropped)",
        *([f"{ranking.graph.direction} graph"] if ranking.graph is not None else []),
        f"layers: {', '.join(ranking.layers)}",
        f"by {ranking.measure} ({ranking.method})",
    ]
    if ranking.window:
        parts.append(f"window: {ranking.window}")
    parts.append(spam_summary(ranking))
    parts.append("in-links count every link, 'cited by' distinct blogs")
    return " · ".join(parts)


def spam_summary(ranking: Ranking) -> str:
    """Return what spam exclusion removed, or that it was off."""
    report = ranking.spam
    if report is None:
        return "spam not excluded"
    if not report.farms_searched:
        return (
            f"spam excluded: link farms not searched (undirected graph), {report.comment_links_dropped:,} "
            f"comment links from {report.flagged_people} flagged commenters"
        )
    return (
        f"spam excluded: {report.farm_blogs} link-farm blogs in {len(report.farms)} farms, "
        f"{report.comment_links_dropped:,} comment links from {report.flagged_people} flagged commenters"
    )


def ranking_records(ranking: Ranking) -> list[dict[str, Any]]:
    """Return the rows of a ranking as plain dicts (the CSV and JSON rows)."""
    return [
        {
            "rank": r.rank,
            "blog": r.blog,
            "score": r.score,
            **r.extra,
            "in_links": r.in_links,
            "sources": r.sources,
            "reason": r.reason,
        }
        for r in ranking.rows
    ]


def ranking_table(ranking: Ranking) -> Table:
    """Return a ranking as a rich table whose title is the header line."""
    table = Table(title=ranking_header(ranking), title_justify="left")
    for name, justify in (
        ("rank", "right"),
        ("blog", "left"),
        (ranking.measure, "right"),
        ("in-links", "right"),
        ("why", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for row in ranking.rows:
        table.add_row(str(row.rank), row.blog, _score(row.score), f"{row.in_links:,}", row.reason)
    return table


def ranking_text(ranking: Ranking, fmt: str) -> str:
    """Return a ranking as CSV or JSON text (the header goes in a JSON field, not in the CSV)."""
    records = ranking_records(ranking)
    if fmt == "csv":
        extra = list(ranking.rows[0].extra) if ranking.rows else []
        return _csv(records, ["rank", "blog", "score", *extra, "in_links", "sources", "reason"])
    meta = {
        "measure": ranking.measure,
        "method": ranking.method,
        "blogs": ranking.n_blogs,
        "links": ranking.n_links,
        "self_links_dropped": ranking.self_links_dropped,
        "directed": ranking.graph.directed if ranking.graph is not None else None,
        "layers": list(ranking.layers),
        "window": ranking.window,
        "spam": spam_summary(ranking),
    }
    return json.dumps({**meta, "rows": records}, ensure_ascii=False, indent=1)


def _csv(records: list[dict[str, Any]], columns: list[str]) -> str:
    text = io.StringIO()
    writer = csv.DictWriter(text, columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(records)
    return text.getvalue()


def explanation_records(why: Explanation) -> list[dict[str, Any]]:
    """Return the sources of an explanation as plain dicts."""
    return [
        {
            "source": c.source,
            "links": c.links,
            "kinds": ", ".join(f"{k} {n}" for k, n in c.kinds.items()),
            "share": c.share,
        }
        for c in why.contributions
    ]


def explanation_title(why: Explanation) -> str:
    """Return the line saying where a blog ranks and what its sources give."""
    rest = f"; {why.rest:.0%} from {why.rest_label}" if why.rest_label else ""
    return (
        f"{why.blog}: rank {why.rank} by {why.measure} (score {_score(why.score)}), "
        f"{why.in_links:,} in-links (every link, repeats counted) from {why.sources:,} distinct blogs; "
        f"shares are of its {why.share_of}{rest}"
    )


def explanation_table(why: Explanation) -> Table:
    """Return the top sources of a blog's score as a rich table."""
    table = Table(title=explanation_title(why), title_justify="left")
    for name in ("source", "links", "kinds", "share"):
        table.add_column(name, justify="right" if name in ("links", "share") else "left")
    for row in explanation_records(why):
        table.add_row(row["source"], str(row["links"]), row["kinds"], f"{row['share']:.1%}")
    return table


def explanation_text(why: Explanation, fmt: str) -> str:
    """Return an explanation as CSV or JSON text."""
    records = explanation_records(why)
    if fmt == "csv":
        return _csv(records, ["source", "links", "kinds", "share"])
    head = {
        "blog": why.blog,
        "measure": why.measure,
        "rank": why.rank,
        "score": why.score,
        "in_links": why.in_links,
    }
    return json.dumps(
        {**head, "sources": why.sources, "rest": why.rest, "rows": records}, ensure_ascii=False, indent=1
    )


def trend_records(report: TrendReport) -> list[dict[str, Any]]:
    """Return rising, falling and new blogs as plain dicts with a ``trend`` field."""
    rows = []
    for trend_name, trends in (("rising", report.rising), ("falling", report.falling), ("new", report.new)):
        rows += [
            {"trend": trend_name, "blog": t.blog, "before": t.before, "after": t.after, "change": t.change}
            for t in trends
        ]
    return rows


def trend_title(report: TrendReport) -> str:
    """Return the line naming the two windows compared (and where their end came from)."""
    title = (
        f"{report.measure}: {report.previous[0]} – {report.previous[1][:10]} against "
        f"{report.current[0]} – {report.current[1][:10]}"
    )
    return f"{title} · {report.note}" if report.note else title


def trend_table(report: TrendReport) -> Table:
    """Return a trend report as one rich table."""
    table = Table(title=trend_title(report), title_justify="left")
    for name in ("trend", "blog", "before", "after", "change"):
        table.add_column(name, justify="left" if name in ("trend", "blog") else "right")
    for row in trend_records(report):
        table.add_row(
            row["trend"], row["blog"], _score(row["before"]), _score(row["after"]), f"{row['change']:+.6g}"
        )
    return table


def trend_text(report: TrendReport, fmt: str) -> str:
    """Return a trend report as CSV or JSON text."""
    records = trend_records(report)
    if fmt == "csv":
        return _csv(records, ["trend", "blog", "before", "after", "change"])
    windows = {"previous": list(report.previous), "current": list(report.current), "note": report.note}
    return json.dumps({"measure": report.measure, **windows, "rows": records}, ensure_ascii=False, indent=1)


def group_records(report: GroupReport, limit: int | None = None) -> list[dict[str, Any]]:
    """Return the first ``limit`` groups of a report (all when ``None``) as plain dicts."""
    return [
        {
            "group": g.label,
            "blogs": g.blogs,
            "links_out": g.links_out,
            "links_inside": g.links_inside,
            "share_inside": g.share_inside,
            "top": ", ".join(blog for blog, _ in g.top),
        }
        for g in report.groups[:limit]
    ]


def group_title(report: GroupReport) -> str:
    """Return the line summarising how many links stay inside groups."""
    extra = "".join(
        f" · {k} {v:.3f}" if isinstance(v, float) else f" · {k} {v}" for k, v in report.details.items()
    )
    alone = sum(1 for g in report.groups if g.blogs == 1)
    count = f"{len(report.groups)} ({alone} of one blog)" if alone else f"{len(report.groups)}"
    return (
        f"{report.n_blogs:,} blogs, {report.n_links:,} links (repeats and self-links counted) · groups by {report.by}: {count} · "
        f"{report.share_inside:.1%} of {report.links_labelled:,} links between grouped blogs stay inside{extra}"
    )


def group_table(report: GroupReport, limit: int | None = None) -> Table:
    """Return the largest groups of a report as a rich table."""
    table = Table(title=group_title(report), title_justify="left")
    for name in ("group", "blogs", "links out", "inside", "share", "top authorities"):
        table.add_column(name, justify="left" if name in ("group", "top authorities") else "right")
    for row in group_records(report, limit):
        table.add_row(
            row["group"],
            f"{row['blogs']:,}",
            f"{row['links_out']:,}",
            f"{row['links_inside']:,}",
            f"{row['share_inside']:.1%}",
            row["top"],
        )
    return table


def group_text(report: GroupReport, fmt: str, limit: int | None = None) -> str:
    """Return the first ``limit`` groups of a report as CSV or JSON text."""
    records = group_records(report, limit)
    if fmt == "csv":
        return _csv(records, list(records[0]) if records else ["group"])
    head = {
        "by": report.by,
        "blogs": report.n_blogs,
        "links": report.n_links,
        "share_inside": report.share_inside,
    }
    return json.dumps({**head, **report.details, "groups": records}, ensure_ascii=False, indent=1)
