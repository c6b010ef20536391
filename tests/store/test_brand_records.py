"""Brand and Mention records round-trip through both stores (a Mention is a relationship in Neo4j)."""

from __future__ import annotations

import pytest

from graphscan.analysis.brands import make_brand, scan_records
from graphscan.model import Brand, Mention, Page, make_comment


@pytest.fixture(params=["sqlite", "neo4j"])
def store(request):
    return request.getfixturevalue(f"{request.param}_store")


def crawl() -> list:
    page = Page(
        url="http://alice.fr/2004/09/kryptonite",
        blog="alice.fr",
        title="Kryptonite",
        text="Le cadenas Kryptonite s'ouvre avec un stylo : c'est vraiment pas terrible.",
        published="2004-09-12",
    )
    comment = make_comment(page.url, "alice.fr", "Bob", "", "2004-09-13", "Kryptonite, not bad at all.")
    return [page, comment]


def brands() -> list[Brand]:
    return [
        make_brand(
            "Kryptonite", aliases=["Kryptonite Evolution"], context=["cadenas", "lock"], exclude=["Superman"]
        )
    ]


def test_brands_and_mentions_read_back_equal_what_was_written(store):
    records = crawl()
    mentions = scan_records(records, brands())
    store.write([*records, *brands(), *mentions])
    assert list(store.iter_records(Brand)) == brands()
    assert list(store.iter_records(Mention)) == sorted(mentions, key=lambda m: m.key)
    assert store.get(Mention, mentions[0].key) == mentions[0]


def test_rescanning_leaves_one_mention_per_post_or_comment(store):
    records = crawl()
    for _ in range(2):
        store.write([*records, *brands(), *scan_records(records, brands())])
    assert store.counts()["Mention"] == 2
    assert {m.polarity for m in store.iter_records(Mention)} == {"negative", "positive"}
