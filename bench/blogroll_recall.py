"""Blogroll recall and precision on the blind set of old platform skins (``bench/data/blogrolls/``).

The pages were written, with their labels, by a helper that had not read the extractor: blogrolls of
Hautetfort, Typepad, Over-blog, Canalblog, classic Blogger, WordPress, Dotclear, LiveJournal, Skyrock,
Eklablog, SPIP, Serendipity, Movable Type... among navigation, citations, commenters, feeds and ads.
Each page is extracted alone (``graphscan extract``), so the site-wide repetition the crawl adds
(``crawl/sitewide.py``) does not help: these figures are what one page gives.

    python bench/blogroll_recall.py [--pages]

Recall: labelled blogroll links typed ``blogroll``. Precision: links typed ``blogroll`` that are
labelled so. Also printed: what the missed links were typed instead, and the labelled non-blogroll
links to other blogs (citations, commenters) that were typed ``blogroll``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawl.extract import extract_file  # noqa: E402
from graphscan.model import normalize_url  # noqa: E402

SET = ROOT / "bench" / "data" / "blogrolls"


def measure_page(label: dict) -> dict:
    """Found, missed and wrongly typed blogroll links of one labelled page."""
    extract = extract_file(SET / label["file"], label["url"])
    kinds: dict[str, set[str]] = {}
    for link in extract.links:
        kinds.setdefault(link.target, set()).add(link.kind)
    gold = {normalize_url(href) for href in label["blogroll"]}
    others = {normalize_url(href) for href in label.get("not_blogroll_other_blogs", [])}
    typed = {target for target, found in kinds.items() if "blogroll" in found}
    return {
        "file": label["file"],
        "gold": len(gold),
        "found": len(gold & typed),
        "extra": sorted(typed - gold),
        "missed": {href: sorted(kinds.get(href, {"(no link)"})) for href in sorted(gold - typed)},
        "others_as_blogroll": sorted(others & typed),
        "typed": len(typed),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", action="store_true", help="Print every page's row, not only the summary.")
    args = parser.parse_args()
    labels = json.loads((SET / "labels.json").read_text(encoding="utf-8"))
    rows = [measure_page(label) for label in labels]
    gold = sum(r["gold"] for r in rows)
    found = sum(r["found"] for r in rows)
    typed = sum(r["typed"] for r in rows)
    missed_as = Counter(kind for r in rows for kinds in r["missed"].values() for kind in kinds)
    for r in rows if args.pages else []:
        print(f"{r['file']:32} {r['found']:>3}/{r['gold']:<3} extra {len(r['extra'])}")
        for href, kinds in r["missed"].items():
            print(f"    missed {href} typed {','.join(kinds)}")
        for href in r["extra"]:
            print(f"    extra  {href}")
    print(f"pages: {len(rows)}; blogroll links labelled: {gold}")
    print(
        f"recall: {found}/{gold} = {found / gold:.3f}; pages with every link: "
        f"{sum(r['found'] == r['gold'] for r in rows)}/{len(rows)}"
    )
    print(f"precision: {found}/{typed} = {found / typed if typed else 0:.3f}")
    print(f"missed links typed as: {dict(missed_as) or '-'}")
    print(f"labelled citations/commenters typed blogroll: {sum(len(r['others_as_blogroll']) for r in rows)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
