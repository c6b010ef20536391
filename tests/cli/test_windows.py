"""Time windows anchored to the data: a store dated 2004 answers without --at; an empty window says why."""

import json
import shlex

import pytest

from graphscan.cli import run
from graphscan.model import Blog, Page, make_link
from graphscan.store.sqlite import SQLiteStore

EDGES = """source,target,kind,anchor,rel,published
a.example,b.example,citation,,,2004-10-01
c.example,b.example,citation,,,2004-11-15
d.example,b.example,citation,,,2004-12-20
a.example,c.example,citation,,,2004-12-21
b.example,d.example,citation,,,2004-06-01
"""


def cli(capsys, *args):
    code = run([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def store(tmp_path, capsys) -> str:
    """A store whose links are dated 2004, imported through the CLI."""
    edges, path = tmp_path / "dated.csv", tmp_path / "dated.db"
    edges.write_text(EDGES, encoding="utf-8")
    assert cli(capsys, "import", edges, "--store", path)[0] == 0
    return str(path)


def test_technorati_on_a_store_dated_2004_lists_blogs_without_at(capsys, store):
    code, out, err = cli(capsys, "rank", "--by", "technorati", "--format", "json", "--store", store)
    assert code == 0, err
    data = json.loads(out)
    assert [(r["blog"], r["score"]) for r in data["rows"]] == [("b.example", 3.0), ("c.example", 1.0)]
    assert data["window"].startswith("2004-06-25 – 2004-12-21 (ends at the newest dated link")


def test_the_table_header_says_where_the_window_ends(capsys, store):
    code, out, _ = cli(capsys, "rank", "--by", "technorati", "--store", store)
    assert code == 0 and "ends at the newest dated link" in out and "b.example" in out


def test_trends_on_a_store_dated_2004_lists_blogs_without_at(capsys, store):
    code, out, err = cli(capsys, "trends", "--format", "json", "--store", store)
    assert code == 0, err
    data = json.loads(out)
    assert data["current"][0] == "2004-09-23" and "newest dated link" in data["note"]
    assert [(r["trend"], r["blog"]) for r in data["rows"]] == [("new", "b.example"), ("new", "c.example")]


@pytest.mark.parametrize(
    "command",
    [
        ["rank", "--by", "technorati", "--at", "2010-01-01"],
        ["rank", "--by", "pagerank", "--window", "30d", "--at", "2003-01-01"],
        ["why", "b.example", "--by", "technorati", "--at", "2010-01-01"],
        ["trends", "--window", "30d", "--at", "2010-01-01"],
    ],
)
def test_an_empty_window_is_one_line_with_the_dates_and_a_command_that_works(capsys, store, command):
    code, out, err = cli(capsys, *command, "--store", store)
    assert code == 65 and out == "" and err.count("\n") == 1
    assert "2004-06-01 – 2004-12-21" in err and "--at 2004-12-21" in err
    suggested = shlex.split(err.split("try ", 1)[1])
    assert suggested[0] == "graphscan" and cli(capsys, *suggested[1:])[0] == 0


def test_an_undated_store_says_technorati_needs_dated_links(capsys, tmp_path):
    edges, path = tmp_path / "undated.csv", tmp_path / "undated.db"
    edges.write_text("a.fr,b.fr\nc.fr,b.fr\n", encoding="utf-8")
    cli(capsys, "import", edges, "--store", path)
    for command in (["rank", "--by", "technorati"], ["trends"]):
        code, out, err = cli(capsys, *command, "--store", path)
        assert code == 65 and out == "" and "needs dated links" in err and err.count("\n") == 1
    assert cli(capsys, "rank", "--by", "indegree", "--store", path)[0] == 0


def test_cascade_since_after_every_post_names_the_posts_dates(capsys, tmp_path):
    path = tmp_path / "story.db"
    posts = [("first.fr", "2004-09-12"), ("second.fr", "2004-09-14")]
    records = [Blog(key=b, url=f"http://{b}/") for b, _ in posts]
    records += [
        Page(url=f"http://{b}/k", blog=b, title="K", text="Le cadenas Kryptonite est nul.", published=d)
        for b, d in posts
    ]
    records += [make_link("http://second.fr/k", "http://first.fr/k", "citation", published="2004-09-14")]
    with SQLiteStore(path) as db:
        db.write(records)
    assert cli(capsys, "brands", "scan", "--brand", "Kryptonite", "--store", path)[0] == 0
    code, out, err = cli(capsys, "cascade", "Kryptonite", "--since", "2010-01-01", "--store", path)
    assert code == 65 and out == "" and "2004-09-12 – 2004-09-14" in err and "--since 2004-09-12" in err
    assert cli(capsys, "cascade", "Kryptonite", "--since", "2004-09-12", "--store", path)[0] == 0
