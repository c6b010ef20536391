"""``graphscan report BRAND``: one self-contained, script-free HTML file, end to end on a real store."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest

from graphscan.cli import run
from graphscan.model import Blog, Brand, Mention, Page, brand_key, make_link
from graphscan.store.sqlite import SQLiteStore

HOSTILE = '<img src=x onerror="window.__pwned=1"></title><script>alert(1)</script>'
STORY = [("first.fr", "01", -0.8, None), ("relay.fr", "02", -0.4, "first.fr"), ("late.com", "05", 0.5, "relay.fr"),
         ("relay.fr", "05", -0.3, None)]  # fmt: skip


def _post(blog: str, day: str) -> str:
    return f"http://{blog}/2024/05/{day}/acme"


@pytest.fixture
def store(tmp_path) -> str:
    path, key = tmp_path / "graph.db", brand_key("Acme")
    blogs = sorted({b for b, *_ in STORY})
    records = [
        Blog(key=b, url=f"http://{b}/", title=HOSTILE if b == "late.com" else f"Blog {b}") for b in blogs
    ]
    records += [
        Page(url=_post(b, d), blog=b, title=f"Acme at {b}", published=f"2024-05-{d}") for b, d, *_ in STORY
    ]
    records += [make_link(_post(b, d), _post(c, "01" if c == "first.fr" else "02"), "citation", published=f"2024-05-{d}")
                for b, d, _, c in STORY if c]  # fmt: skip
    records += [Brand(key=key, name="Acme")]
    records += [
        Mention(key=f"m-{b}-{d}", brand=key, page=_post(b, d), blog=b, published=f"2024-05-{d}", snippet=f"Acme per {b}",
                sentiment=s, polarity="negative" if s < 0 else "positive")
        for b, d, s, _ in STORY
    ]  # fmt: skip
    with SQLiteStore(path) as db:
        db.write(records)
    return str(path)


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    return tags


def test_report_is_one_offline_file_with_a_point_per_day_and_every_section(store, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert run(["report", "Acme", "--out", str(out), "--store", store]) == 0
    assert "5 days" in capsys.readouterr().err
    html = out.read_text(encoding="utf-8")
    page = _parse(html)
    names = [tag for tag, _ in page.tags]
    assert "script" not in names and "iframe" not in names and "link" not in names and "img" not in names
    csp = next(
        a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    assert "default-src 'none'" in csp and "script-src 'none'" in csp
    points = [a for t, a in page.tags if t == "circle" and a.get("class") == "point"]
    assert [(p["data-day"], p["data-count"]) for p in points] == [
        ("2024-05-01", "1"),
        ("2024-05-02", "1"),
        ("2024-05-03", "0"),
        ("2024-05-04", "0"),
        ("2024-05-05", "2"),
    ]
    bars = [a for t, a in page.tags if t == "g" and a.get("class") == "day"]
    assert [(b["data-day"], b["data-negative"], b["data-positive"]) for b in bars][-1] == (
        "2024-05-05",
        "1",
        "1",
    )
    for section in (
        "dataset",
        "volume",
        "polarity",
        "authorities",
        "concentration",
        "amplifiers",
        "cascade",
        "map",
    ):
        assert f'<section id="{section}"' in html
    text = " ".join(page.text)
    assert (
        "Top authorities for Acme" in text
        and "General authority" in text
        and "Who amplifies negative opinion" in text
    )
    assert re.search(r"First post: .Acme at first\.fr. on\s+Blog first\.fr", text)
    assert "<img src=x" not in html and "&lt;img src=x" in html and "<script>alert" not in html
    hrefs = [a["href"] for t, a in page.tags if t == "a"]
    assert hrefs and all(h.startswith("http://") for h in hrefs)


def test_report_refuses_an_unknown_brand_and_a_non_html_file(store, tmp_path, capsys):
    assert run(["report", "Nobody", "--out", str(tmp_path / "r.html"), "--store", store]) == 64
    assert "brands scan" in capsys.readouterr().err
    assert run(["report", "Acme", "--out", str(tmp_path / "r.pdf"), "--store", store]) == 64
    assert not (tmp_path / "r.html").exists()


def test_daily_volume_spans_every_day_between_the_first_and_last_mention():
    from graphscan.render.report import daily_volume

    mentions = [Mention(key=str(i), brand="b", page=f"p{i}", published=d, polarity="neutral")
                for i, d in enumerate(["2024-02-27T23:00:00+00:00", "2024-03-02", "2024-02-28"])]  # fmt: skip
    rows, undated = daily_volume(mentions)
    assert len(rows) == (date(2024, 3, 2) - date(2024, 2, 27)).days + 1 and undated == 0
    assert [r["mentions"] for r in rows] == [1, 1, 0, 0, 1]
