"""The brand-mention record hook the store pipeline runs on each crawled page."""

from __future__ import annotations

import pytest

from graphscan.analysis.brands import make_brand
from graphscan.errors import UsageError
from graphscan.model import Brand, Mention, Page
from graphscan.workflows.mentions import BrandMentions


def test_a_page_naming_a_brand_brings_its_mention_and_the_brand():
    hook = BrandMentions([make_brand("Kryptonite")])
    page = Page(
        url="http://a.fr/p",
        blog="a.fr",
        title="Vélo",
        text="Mon antivol Kryptonite s'ouvre avec un stylo, c'est nul.",
    )
    out = hook([page])
    assert [type(r) for r in out] == [Brand, Mention]
    assert out[1].page == "http://a.fr/p" and out[1].polarity == "negative"


def test_a_page_without_the_brand_adds_nothing():
    hook = BrandMentions([make_brand("Kryptonite")])
    assert hook([Page(url="http://a.fr/q", blog="a.fr", text="Rien à voir.")]) == []


def test_an_empty_brand_list_is_refused():
    with pytest.raises(UsageError):
        BrandMentions([])
