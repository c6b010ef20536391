"""Sentiment on the shared labelled set, split into tune / check halves by a hash of each item's id.

Scores every item as ``../shared/sentiment/check.py`` does (the brand's sentences, or every
sentence of a review; the detected language) beside VADER in the same run, and prints polar
accuracy, the share of polar items scored neutral and language detection per set and half. Rules
are tuned on the ``tune`` half only; ``check`` says whether a change generalises.

    PYTHONPATH=. python bench/sentiment_dev.py [--data ../shared/sentiment] [--failures tune]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from pathlib import Path

from graphscan.analysis.language import detect_language
from graphscan.analysis.sentiment import mention_sentiment, polarity, sentence_spans

DATA = Path(__file__).resolve().parents[2] / "shared" / "sentiment"


def half(item_id: str) -> str:
    """``tune`` or ``check``: a stable half of the set, by the first byte of the id's SHA-1."""
    return "tune" if hashlib.sha1(item_id.encode()).digest()[0] % 2 == 0 else "check"


def offsets(item: dict) -> list[int]:
    """Where the brand is named, or the start of every sentence (as check.py scores a review)."""
    text = item["text"]
    found = (
        [m.start() for m in re.finditer(re.escape(item["brand"]), text, re.I)] if item.get("brand") else []
    )
    return found or [a for a, _ in sentence_spans(text)] or [0]


def score(item: dict) -> dict:
    """graphscan's (and, for English, VADER's) score of one item."""
    text = item["text"]
    detected = detect_language(text)
    out = {
        "gs": mention_sentiment(text, offsets(item), detected) if text.strip() else 0.0,
        "lang_ok": detected == item["lang"],
    }
    if item["lang"] == "en":
        out["vader"] = _vader().polarity_scores(text)["compound"]
    return out


def _vader():
    global _VADER
    if _VADER is None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        _VADER = SentimentIntensityAnalyzer()
    return _VADER


_VADER = None


def summarise(rows: list[tuple[dict, dict]]) -> str:
    """Polar accuracy of graphscan (and VADER), neutral share on polar items, language detected."""
    polar = [(it, s) for it, s in rows if it["label"] != "neutral"]
    acc = sum(polarity(s["gs"]) == it["label"] for it, s in polar) / len(polar)
    neutral = sum(polarity(s["gs"]) == "neutral" for _, s in polar) / len(polar)
    line = f"n={len(rows):4d} acc={acc:.3f} neutral={neutral:.2f}"
    if "vader" in polar[0][1]:
        vader = sum(polarity(s["vader"]) == it["label"] for it, s in polar) / len(polar)
        line += f" vader={vader:.3f} diff={acc - vader:+.3f}"
    return line + f" lang={sum(s['lang_ok'] for _, s in rows) / len(rows):.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--failures", choices=["tune", "check"], help="print that half's wrong polar items")
    parser.add_argument("--set", default="", help="only sets whose name contains this")
    args = parser.parse_args()
    scored = []
    for path in sorted(args.data.glob("*.jsonl")):
        if args.set not in path.name:
            continue
        for line in path.open(encoding="utf-8"):
            item = json.loads(line)
            item["set"] = path.stem
            scored.append((item, score(item)))
    for part in ("tune", "check"):
        rows = [r for r in scored if half(r[0]["id"]) == part]
        for name in sorted({it["set"] for it, _ in rows}):
            print(f"{part:5s} {name:20s} {summarise([r for r in rows if r[0]['set'] == name])}")
        for lang in ("en", "fr"):
            sub = [r for r in rows if r[0]["lang"] == lang]
            if sub:
                print(f"{part:5s} {'ALL ' + lang:20s} {summarise(sub)}")
    if args.failures:
        for it, s in scored:
            if (
                half(it["id"]) == args.failures
                and it["label"] != "neutral"
                and polarity(s["gs"]) != it["label"]
            ):
                print(
                    f"{it['label'][:3]} {s['gs']:+.2f} [{it['id']}] {it.get('brand', '')}: {it['text'][:300]!r}"
                )


if __name__ == "__main__":
    main()
