"""Blogrolls on 16 hand-written skins of old platforms (``bench/data/blogrolls``), written with their
labels by a helper that had not read the extractor: every labelled blogroll link is typed blogroll,
nothing else is, and the labelled citations and commenter links to other blogs stay what they are.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawl.extract import extract_file
from graphscan.model import normalize_url

SET = Path(__file__).resolve().parents[2] / "bench" / "data" / "blogrolls"
LABELS = json.loads((SET / "labels.json").read_text(encoding="utf-8"))


def kinds_of(label: dict) -> dict[str, set[str]]:
    kinds: dict[str, set[str]] = {}
    for link in extract_file(SET / label["file"], label["url"]).links:
        kinds.setdefault(link.target, set()).add(link.kind)
    return kinds


@pytest.mark.parametrize("label", LABELS, ids=[label["file"] for label in LABELS])
def test_every_blogroll_link_and_nothing_else(label):
    kinds = kinds_of(label)
    gold = {normalize_url(href) for href in label["blogroll"]}
    typed = {target for target, found in kinds.items() if "blogroll" in found}
    assert gold - typed == set(), "missed"
    assert typed - gold == set(), "typed blogroll, labelled otherwise"


@pytest.mark.parametrize("label", LABELS, ids=[label["file"] for label in LABELS])
def test_citations_and_commenters_to_other_blogs_are_not_blogroll(label):
    kinds = kinds_of(label)
    for href in label.get("not_blogroll_other_blogs", []):
        found = kinds.get(normalize_url(href), set())
        assert found and "blogroll" not in found, (href, found)


def test_spip_forum_messages_are_comments_signed_after_their_date():
    label = next(label for label in LABELS if label["file"] == "13_spip.html")
    comments = extract_file(SET / label["file"], label["url"]).comments
    assert [(c.author, c.author_url, c.published[:10]) for c in comments] == [
        ("Yann", "http://chroniquesdeloire.canalblog.com/", "2007-03-18"),
        ("Benoît", "http://lesvoyagesdebenoit.free.fr/blog/", "2007-03-22"),
    ]
