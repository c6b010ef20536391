"""Names as people type them (issue 15): blogs by key, URL or title; "did you mean"; counts that reconcile."""

from __future__ import annotations

import json

import pytest

from graphscan.cli import run
from graphscan.model import Blog, Brand, make_link
from graphscan.resolve import BlogNames, address_form, did_you_mean
from graphscan.store.sqlite import SQLiteStore
from tests.conftest import shared_path


def cli(capsys, *args):
    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def polblogs(tmp_path_factory) -> str:
    store = tmp_path_factory.mktemp("pbnames") / "pb.db"
    assert run(["import", str(shared_path("datasets", "polblogs.gml")), "--store", str(store)]) == 0
    return str(store)


@pytest.mark.parametrize(
    "typed", ["dailykos", "dailykos.com", "http://www.dailykos.com/", "https://dailykos.com", "DailyKos.com/",
              "http://www.dailykos.com/story/2004/11/3/12345/6789"],
)  # fmt: skip
def test_why_resolves_a_blog_as_people_type_it(polblogs, capsys, typed):
    """Before: 'why dailykos' and 'why http://www.dailykos.com/' failed 'not in the graph'."""
    code, out, err = cli(capsys, "why", typed, "--format", "json", "--top", "1", "--store", polblogs)
    assert code == 0, err
    assert json.loads(out)["blog"] == "dailykos.com"


def test_a_misspelt_blog_exits_64_suggesting_the_closest_key(polblogs, capsys):
    code, out, err = cli(capsys, "why", "dailykso", "--store", polblogs)
    assert code == 64 and out == "" and err.count("\n") == 1
    assert "did you mean dailykos.com" in err


def test_a_measure_misspelt_or_in_capitals_is_understood_or_suggested(polblogs, capsys):
    code, out, err = cli(capsys, "rank", "--by", "pagrank", "--store", polblogs)
    assert code == 64 and "did you mean pagerank?" in err
    code, out, _ = cli(capsys, "rank", "--by", "PageRank", "-n", "1", "--format", "json", "--store", polblogs)
    assert code == 0 and json.loads(out)["measure"] == "pagerank"
    code, _, err = cli(capsys, "map", "--size", "indegre", "--out", "x.html", "--store", polblogs)
    assert code == 64 and "unknown --size 'indegre'; did you mean indegree?" in err


def test_rank_why_and_map_say_what_their_link_counts_count(polblogs, capsys, tmp_path):
    """Before: stats 19,090, rank 19,087, map 19,022, 'in-links 338 / cited by 337 blogs', none explained."""
    code, out, err = cli(capsys, "rank", "-n", "1", "--format", "csv", "--store", polblogs)
    assert code == 0 and "19,087 links (repeats counted; 3 self-links dropped)" in err
    assert "in-links count every link, 'cited by' distinct blogs" in err
    code, out, _ = cli(capsys, "rank", "-n", "1", "--format", "json", "--store", polblogs)
    assert json.loads(out)["self_links_dropped"] == 3
    code, out, _ = cli(capsys, "why", "dailykos.com", "--format", "csv", "--store", polblogs)
    assert code == 0
    code, out, err = cli(capsys, "why", "dailykos.com", "-n", "1", "--store", polblogs)
    assert "338 in-links (every link, repeats counted) from 337 distinct blogs" in out.replace("\n", " ")
    code, _, err = cli(capsys, "map", "--out", str(tmp_path / "m.html"), "--store", polblogs)
    assert code == 0
    assert "19,022 lines, one per linked pair of blogs and kind" in err and "19,087 links" in err
    assert "65 repeats merged, self-links not drawn" in err


@pytest.fixture
def small(tmp_path) -> str:
    path = tmp_path / "small.db"
    blogs = [Blog(key=k, url=f"http://{k}/", title=t) for k, t in
             [("kos.example.com", "Daily Kos"), ("kos.example.org", "Kos Weekly"), ("vanb.typepad.com/versac", ""),
              ("other.fr", "")]]  # fmt: skip
    links = [
        make_link(f"http://other.fr/{i}", f"http://{b.key}/p", "citation") for i, b in enumerate(blogs[:3])
    ]
    with SQLiteStore(path) as db:
        db.write([*blogs, *links, Brand("kryptonite", "Kryptonite", aliases=("kryptonite lock",))])
    return str(path)


def test_an_ambiguous_name_lists_the_candidates(small, capsys):
    code, _out, err = cli(capsys, "why", "kos", "--store", small)
    assert code == 64 and "'kos' names 2 blogs: kos.example.com, kos.example.org" in err


def test_a_title_and_a_path_blog_without_its_slash_resolve(small, capsys):
    code, out, _ = cli(capsys, "why", "daily kos", "--format", "json", "--store", small)
    assert code == 0 and json.loads(out)["blog"] == "kos.example.com"
    code, out, _ = cli(capsys, "why", "vanb.typepad.com/versac", "--format", "json", "--store", small)
    assert code == 0 and json.loads(out)["blog"] == "vanb.typepad.com/versac"
    code, out, _ = cli(
        capsys,
        "why",
        "http://vanb.typepad.com/versac/2005/05/a-post.html",
        "--format",
        "json",
        "--store",
        small,
    )
    assert code == 0 and json.loads(out)["blog"] == "vanb.typepad.com/versac"


def test_brands_are_found_by_alias_and_a_misspelt_one_is_suggested(small, capsys):
    code, _, err = cli(capsys, "brands", "report", "Kryptonit", "--store", small)
    assert code == 64 and "did you mean Kryptonite?" in err
    code, _, err = cli(capsys, "brands", "report", "KRYPTONITE LOCK", "--format", "json", "--store", small)
    assert code == 0, err


def test_address_form_and_suggestions():
    assert address_form("https://WWW.Example.com/blog/?p=1#c") == "example.com/blog"
    names = BlogNames(["www.arnaudcaron.net/", "bix.enix.org/"])
    assert names.resolve("arnaudcaron.net") == "www.arnaudcaron.net/"
    assert names.resolve("http://bix.enix.org") == "bix.enix.org/"
    assert did_you_mean("zzzz", ["pagerank"]) == ""


def test_brands_scan_help_shows_the_toml_table_name(capsys):
    code, out, _ = cli(capsys, "brands", "scan", "--help")
    assert code == 0 and "[[brand]]" in out


def test_misspelt_attributes_and_formats_are_suggested(polblogs, capsys):
    """Before: 'communities --group-by valeu' reported every blog ungrouped, exit 0."""
    code, out, err = cli(capsys, "communities", "--group-by", "valeu", "--store", polblogs)
    assert code == 64 and out == "" and "did you mean value?" in err and "(attributes: source, value)" in err
    code, _, err = cli(capsys, "map", "--color", "sourc", "--out", "x.html", "--store", polblogs)
    assert code == 64 and "did you mean source?" in err
    code, _, err = cli(capsys, "export", "--format", "graphmll", "--out", "x.graphml", "--store", polblogs)
    assert code == 64 and "did you mean graphml?" in err
