"""Record hooks the crawl's store pipeline runs on each crawled page: today, brand mentions.

The crawl loads a hook by its dotted name (``CrawlConfig.record_hooks``), so ``crawl/`` never imports
the analysis that finds mentions; this workflow does.

A hook gets the page's records and returns more records, written in the same transaction as the
page (so a ``kill -9`` never leaves a page without its mentions, nor mentions without their page).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphscan.analysis.brands import compile_brands, load_brands, scan_records
from graphscan.errors import UsageError
from graphscan.model import Brand, Record

BRANDS_SETTING = "GRAPHSCAN_BRANDS_FILE"
BRAND_HOOK = "graphscan.workflows.mentions.BrandMentions"
"""The dotted name a ``CrawlConfig`` lists in ``record_hooks`` to store brand mentions as it crawls."""


class BrandMentions:
    """Find brand mentions in each crawled page and its comments, as the crawl goes.

    Mentions found here see only their own page; ``graphscan brands scan`` re-scans the whole store
    and also treats other pages' anchor text quoting a page as a quote, not an opinion.
    """

    def __init__(self, brands: list[Brand]) -> None:
        if not brands:
            raise UsageError("the brands file defines no brand")
        self.brands = brands
        self.matcher = compile_brands(brands)

    @classmethod
    def from_crawler(cls, crawler: Any) -> BrandMentions:
        path = crawler.settings.get(BRANDS_SETTING)
        if not path:
            raise UsageError(f"BrandMentions needs the {BRANDS_SETTING} setting")
        return cls(load_brands(path))

    def __call__(self, records: Iterable[Record]) -> list[Record]:
        mentions = scan_records(records, self.matcher)
        return [*self.brands, *mentions] if mentions else []
