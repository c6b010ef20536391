"""The store contract: the same assertions against the embedded SQLite store and a real Neo4j.

The Neo4j half uses the ``neo4j_store`` fixture (tests/store/conftest.py): it skips when no
server is configured, and fails under CI=true, where a missing server is an error.
"""

from __future__ import annotations

import pytest

from graphscan.graph import links_by_kind
from graphscan.imports import read_graph
from graphscan.model import (
    LINK_KINDS,
    Blog,
    Comment,
    Link,
    Page,
    Person,
    make_blog,
    make_comment,
    make_link,
    make_person,
)
from graphscan.store.base import EdgeQuery
from tests.conftest import shared_path

HOSTILE = 'Robby\'); MATCH (n) DETACH DELETE n; // "quoted" `tick` $param {brace} \u2028 Hélène'


@pytest.fixture(params=["sqlite", "neo4j"])
def store(request):
    return request.getfixturevalue(f"{request.param}_store")


def small_crawl() -> list:
    """Two blogs, a post with a citation, a blogroll link, a nofollow comment and its commenter."""
    post = "http://alice.fr/2009/05/kryptonite"
    comment = make_comment(post, "alice.fr", "Hélène", "http://www.helene.fr/", "2009-05-02", "Bien vu !")
    return [
        make_blog("http://alice.fr/", title="Alice", platform="wordpress", attrs={"party": "green", "n": 3}),
        make_blog("http://bob.blogspot.com/", title="Bob"),
        make_blog("http://helene.fr/"),
        Page(url=post, blog="alice.fr", title="Kryptonite", published="2009-05-01", language="fr"),
        make_person("Hélène", "http://www.helene.fr/", "alice.fr"),
        comment,
        make_link(
            post,
            "http://bob.blogspot.com/2009/04/video",
            "citation",
            anchor="la vidéo",
            published="2009-05-01",
        ),
        make_link(post, "http://bob.blogspot.com/", "blogroll", rel="friend met", published="2009-05-01"),
        make_link(
            post, "http://www.helene.fr/", "comment_author", rel="nofollow ugc", published="2009-05-02"
        ),
        make_link(post, "http://alice.fr/about", "navigation"),
    ]


def test_counts_by_label_and_link_kind(store):
    store.write(small_crawl())
    counts = store.counts()
    assert (counts["Blog"], counts["Page"], counts["Person"], counts["Comment"]) == (3, 1, 1, 1)
    assert [counts[f"link:{k}"] for k in LINK_KINDS] == [1, 1, 1, 0, 0, 1]


def test_the_blog_graph_of_every_link_counts_each_kind_as_counts_does(store):
    """``stats`` takes its link counts from the (cached) blog graph of every link: they must agree."""
    store.write(small_crawl())
    store.write([make_link("http://alice.fr/", "http://unknown.example/x", "navigation")])
    counts = store.counts()
    edges = store.blog_edges(EdgeQuery(self_links=True))
    assert links_by_kind(edges) == {k: counts[f"link:{k}"] for k in LINK_KINDS}
    assert store.counts(links=False) == {k: n for k, n in counts.items() if not k.startswith("link:")}


def test_writing_the_same_crawl_twice_leaves_identical_counts_and_records(store):
    store.write(small_crawl())
    first = (store.counts(), list(store.iter_records(Link)), list(store.iter_records(Blog)))
    store.write(small_crawl())
    assert (store.counts(), list(store.iter_records(Link)), list(store.iter_records(Blog))) == first


def test_records_read_back_equal_what_was_written(store):
    records = small_crawl()
    store.write(records)
    for record_type in (Blog, Page, Person, Comment, Link):
        written = sorted((r for r in records if type(r) is record_type), key=lambda r: r.record_key())
        assert list(store.iter_records(record_type)) == written


def test_get_finds_a_record_by_key_and_none_otherwise(store):
    store.write(small_crawl())
    assert store.get(Blog, "alice.fr").attrs == {"party": "green", "n": 3}
    assert store.get(Page, "http://alice.fr/2009/05/kryptonite").title == "Kryptonite"
    assert store.get(Blog, "nobody.fr") is None


def test_an_upsert_replaces_the_fields_of_an_existing_record(store):
    store.write([Blog(key="a.fr", title="old")])
    store.write([Blog(key="a.fr", title="new", platform="dotclear")])
    assert store.get(Blog, "a.fr") == Blog(key="a.fr", title="new", platform="dotclear")
    assert store.counts()["Blog"] == 1


def test_hostile_text_is_stored_and_read_back_verbatim(store):
    blog = Blog(key="evil.fr", title=HOSTILE, attrs={"note": HOSTILE})
    link = make_link("http://evil.fr/p", "http://b.fr/", "citation", anchor=HOSTILE)
    store.write([blog, link])
    assert store.get(Blog, "evil.fr") == blog
    assert store.get(Link, link.key).anchor == link.anchor
    assert store.counts()["Blog"] == 1


def test_repeated_links_of_a_multigraph_are_all_kept(store):
    links = [make_link("http://a.fr/", "http://b.fr/", "citation", ordinal=i) for i in range(3)]
    store.write(links)
    edges = store.blog_edges()
    assert len(edges) == 3 and store.counts()["link:citation"] == 3


def test_a_write_larger_than_one_batch_lands_whole(store):
    links = [make_link(f"http://s{i % 97}.fr/p{i}", f"http://t{i % 89}.fr/", "citation") for i in range(2500)]
    result = store.write(links, batch_size=1000)
    assert result.received == {"Link": 2500}
    assert store.counts()["link:citation"] == 2500


def test_records_are_written_nodes_first_whatever_their_order(store):
    store.write(list(reversed(small_crawl())))
    assert store.counts()["Comment"] == 1 and store.counts()["link:citation"] == 1


def test_blog_edges_select_kinds(store):
    store.write(small_crawl())
    edges = store.blog_edges(EdgeQuery(kinds=("citation", "blogroll")))
    pairs = sorted(
        (edges.blogs[s], edges.blogs[t], LINK_KINDS[k]) for s, t, k in zip(edges.src, edges.dst, edges.kind)
    )
    assert pairs == [
        ("alice.fr", "bob.blogspot.com", "blogroll"),
        ("alice.fr", "bob.blogspot.com", "citation"),
    ]


def test_blog_edges_drop_nofollow_and_self_links_unless_asked(store):
    store.write(small_crawl())
    endorsing = store.blog_edges(EdgeQuery(endorsing_only=True))
    assert sorted(LINK_KINDS[k] for k in endorsing.kind) == ["blogroll", "citation"]
    with_self = store.blog_edges(EdgeQuery(self_links=True))
    assert "navigation" in {LINK_KINDS[k] for k in with_self.kind}


def test_blog_edges_filter_by_date_window(store):
    store.write(small_crawl())
    window = store.blog_edges(EdgeQuery(since="2009-05-02", until="2009-12-31"))
    assert [LINK_KINDS[k] for k in window.kind] == ["comment_author"]


def test_blog_edges_list_every_blog_with_its_attributes(store):
    store.write(small_crawl())
    edges = store.blog_edges(EdgeQuery(kinds=("trackback",)))
    assert edges.blogs == ["alice.fr", "bob.blogspot.com", "helene.fr"]
    assert len(edges) == 0
    assert edges.attrs["alice.fr"] == {"party": "green", "n": 3}


def test_same_commenter_on_two_blogs_is_one_person(store):
    people = [
        make_person("Hélène", "http://helene.fr", "alice.fr"),
        make_person("He\u0301le\u0300ne", "https://www.helene.fr/", "bob.fr"),
    ]
    store.write(people)
    assert store.counts()["Person"] == 1
    assert store.get(Person, "site:helene.fr").blog == "helene.fr"


def test_polblogs_imports_as_1490_blogs_and_19090_links(store):
    records = read_graph(shared_path("datasets", "polblogs.gml"))
    store.write(records)
    counts = store.counts()
    assert (counts["Blog"], counts["link:citation"]) == (1490, 19090)
    assert store.get(Blog, "100monkeystyping.com").attrs["value"] == 0
    assert len(store.blog_edges(EdgeQuery(self_links=True))) == 19090


def test_an_empty_value_never_erases_a_known_blog_or_person_field(store):
    store.write(
        [Blog(key="a.fr", url="http://a.fr/", title="Alice", platform="dotclear", attrs={"party": "vert"})]
    )
    store.write([Blog(key="a.fr"), make_person("Hélène", "http://helene.fr", "a.fr")])
    store.write([Person(key="site:helene.fr", name="", url="", blog="")])
    assert store.get(Blog, "a.fr") == Blog(
        key="a.fr", url="http://a.fr/", title="Alice", platform="dotclear", attrs={"party": "vert"}
    )
    assert store.get(Person, "site:helene.fr").name == "Hélène"


def test_a_store_is_directed_until_told_and_remembers_undirected(store):
    from graphscan.model import GraphMeta

    store.write(small_crawl())
    assert store.is_directed() and store.blog_edges().directed
    store.set_graph_meta(GraphMeta(directed=False))
    assert not store.is_directed() and store.blog_edges().directed is False
    assert store.counts()["Blog"] == 3  # bookkeeping, not a node the graph counts
    store.set_graph_meta(GraphMeta(directed=True))
    assert store.is_directed()


def test_date_range_spans_dated_links_of_the_kinds_asked(store):
    assert store.date_range() is None
    store.write(small_crawl())
    assert store.date_range() == ("2009-05-01", "2009-05-02")
    assert store.date_range(("citation", "blogroll")) == ("2009-05-01", "2009-05-01")
    assert store.date_range(("navigation",)) is None


def test_weighted_blog_edges_carry_each_links_weight(store):
    import dataclasses

    links = [
        dataclasses.replace(make_link(f"http://a.fr/{i}", "http://b.fr/", "citation", ordinal=i), weight=w)
        for i, w in enumerate((2.5, 0.5))
    ] + [make_link("http://b.fr/x", "http://a.fr/", "citation")]
    store.write(links)
    edges = store.blog_edges(EdgeQuery(weighted=True))
    pairs = sorted((edges.blogs[s], edges.blogs[d], w) for s, d, w in zip(edges.src, edges.dst, edges.weight))
    assert sum(w for s, d, w in pairs if s == "a.fr") == 3.0 and [w for s, d, w in pairs if s == "b.fr"] == [
        1.0
    ]
    assert store.blog_edges().weight is None


# -- scores written back (rank --write) ---------------------------------------------------------
def _ranking(key: str = "pagerank", blogs: int = 2):
    from graphscan.model import Ranking

    return Ranking(
        key=key,
        measure="pagerank",
        engine="python",
        params='{"layers": "citation"}',
        computed_at="2026-12-04T10:00:00Z",
        blogs=blogs,
    )


def test_scores_written_back_read_back_and_a_rerun_replaces_them(store):
    from graphscan.model import blog_score

    store.write(small_crawl())
    first = [blog_score("pagerank", "alice.fr", 0.75), blog_score("pagerank", "bob.blogspot.com", 0.25)]
    store.replace_scores(_ranking(), [*first, blog_score("pagerank", "nobody.example", 0.5)])
    assert store.scores("pagerank") == {"alice.fr": 0.75, "bob.blogspot.com": 0.25}
    store.replace_scores(_ranking(blogs=1), [blog_score("pagerank", "bob.blogspot.com", 1.0)])
    assert store.scores("pagerank") == {"bob.blogspot.com": 1.0}
    assert [(r.key, r.blogs, r.engine) for r in store.rankings()] == [("pagerank", 1, "python")]


def test_scores_under_two_properties_stay_apart_and_blogs_keep_their_fields(store):
    from graphscan.model import Blog, blog_score

    store.write(small_crawl())
    store.replace_scores(_ranking("pagerank"), [blog_score("pagerank", "alice.fr", 0.5)])
    store.replace_scores(_ranking("kcore"), [blog_score("kcore", "alice.fr", 2.0)])
    assert store.scores("pagerank") == {"alice.fr": 0.5} and store.scores("kcore") == {"alice.fr": 2.0}
    assert store.scores("hits_hub") == {}
    alice = store.get(Blog, "alice.fr")
    assert alice is not None and alice.title == "Alice" and alice.attrs == {"party": "green", "n": 3}


def test_a_score_property_that_would_overwrite_a_blog_field_is_refused():
    from graphscan.errors import UsageError
    from graphscan.model import check_score_property

    for bad in ("title", "key", "Pagerank", "page rank", "x" * 70, "a-b", ""):
        with pytest.raises(UsageError):
            check_score_property(bad)


def test_a_link_retyped_replaces_the_old_one_once_and_for_all(store):
    nav = make_link("http://a.fr/p1", "http://b.fr/", "navigation")
    kept = make_link("http://a.fr/p1", "http://c.fr/", "navigation")
    store.write([nav, kept])
    before = store.generation()
    roll = make_link("http://a.fr/p1", "http://b.fr/", "blogroll")
    for _ in range(2):  # idempotent: a resumed pass does it again
        store.replace_links([nav.key], [roll])
    counts = store.counts()
    assert (counts["link:blogroll"], counts["link:navigation"]) == (1, 1)
    assert store.get(Link, nav.key) is None and store.get(Link, roll.key) == roll
    assert store.generation() != before  # a cached blog graph is not reused after it
