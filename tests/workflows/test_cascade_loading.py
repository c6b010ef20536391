"""One load of a brand's cascade for ``cascade``, ``map --cascade`` and the demo, on a real embedded store."""

from __future__ import annotations

import json

import pytest

from graphscan.cli import run
from graphscan.model import Blog, Brand, Mention, Page, make_link
from graphscan.store.sqlite import SQLiteStore
from graphscan.workflows.cascades import load_cascade, pages_for


def url(blog: str) -> str:
    return f"http://{blog}/2004/09/kryptonite"


MENTIONS = [
    Mention(
        key="dated", brand="k", page=url("a.fr"), blog="a.fr", published="2004-09-12", polarity="negative"
    ),
    Mention(key="undated", brand="k", page=url("b.fr"), blog="b.fr", polarity="negative"),
    Mention(key="no-blog", brand="k", page=url("c.fr"), published="2004-09-14"),
    Mention(key="comment", brand="k", page=url("d.fr"), blog="d.fr", comment="c1", published="2004-09-11"),
    Mention(key="other", brand="z", page=url("e.fr"), blog="e.fr", published="2004-09-10"),
]


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "g.db"
    blogs = ("a.fr", "b.fr", "c.fr", "d.fr", "e.fr")
    records = [Blog(key=b, url=f"http://{b}/") for b in blogs] + [
        Brand(key="k", name="K"),
        Brand(key="z", name="Z"),
    ]
    records += [Page(url=url(b), blog=b, title=f"post of {b}", published="2004-09-13") for b in blogs]
    records += [
        make_link(url("b.fr"), url("a.fr"), "citation"),
        make_link(url("c.fr"), url("b.fr"), "citation"),
    ]
    with SQLiteStore(path) as opened:
        opened.write([*records, *MENTIONS])
    return path


def test_pages_are_read_only_for_post_mentions_lacking_a_date_or_a_blog(store):
    with SQLiteStore(store) as opened:
        assert sorted(pages_for(opened, MENTIONS)) == [url("b.fr"), url("c.fr")]


def test_the_cascade_takes_a_missing_date_or_blog_from_the_page_and_leaves_comments_out(store):
    with SQLiteStore(store) as opened:
        cascade, mentions, _ = load_cascade(opened, "k", communities=False)
    assert {m.key for m in mentions} == {"dated", "undated", "no-blog", "comment"}
    assert [(p.url, p.blog, p.date) for p in cascade.posts] == [
        (url("a.fr"), "a.fr", "2004-09-12"),
        (url("b.fr"), "b.fr", "2004-09-13"),
        (url("c.fr"), "c.fr", "2004-09-14"),
    ]
    assert cascade.first is not None and cascade.first.url == url("a.fr")


def test_the_cascade_command_prints_the_workflows_cascade(store, capsys):
    assert run(["cascade", "k", "--format", "json", "--seed", "3", "--store", str(store)]) == 0
    printed = json.loads(capsys.readouterr().out)
    with SQLiteStore(store) as opened:
        cascade, _, _ = load_cascade(opened, "k", seed=3)
    assert printed == cascade.to_dict()


def test_the_cascade_map_draws_the_workflows_posts(store, tmp_path):
    target = tmp_path / "story.html"
    assert run(["map", "--cascade", "k", "--out", str(target), "--store", str(store)]) == 0
    html = target.read_text(encoding="utf-8")
    for blog in ("a.fr", "b.fr", "c.fr"):
        assert f"post of {blog}" in html
    assert "post of d.fr" not in html and "post of e.fr" not in html
