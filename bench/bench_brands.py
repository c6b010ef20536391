"""Benchmark: brand scanning + sentiment throughput on synthetic French/English posts.

Prints posts/s for ``scan_records`` (one compiled regex over all aliases, then sentiment of the
sentences around each mention), its ratio to the 2,000 posts/s target, and its ratio to a
reference measured in the same run: a naive matcher that runs one regex per alias over the
folded text (no sentiment), so the figure is comparable across machines.

    PYTHONPATH=. python bench/bench_brands.py --posts 20000
    PYTHONPATH=. python bench/bench_brands.py --posts 100000     # the issue's size
"""

from __future__ import annotations

import argparse
import random
import re
import time

from graphscan.analysis.brands import fold_keep_offsets, make_brand, scan_records
from graphscan.model import Page

TARGET_POSTS_PER_SECOND = 2000.0
REFERENCE_POSTS = 3000

BRANDS = [
    make_brand("Kryptonite", aliases=["Kryptonite Evolution"], context=["lock", "cadenas", "vélo", "bike"]),
    make_brand(
        "Orange",
        aliases=["Livebox"],
        context=["forfait", "réseau", "box", "opérateur"],
        exclude=["jus", "recette"],
    ),
    make_brand("Société Générale", aliases=["SocGen"]),
    make_brand(
        "Free", aliases=["Freebox"], context=["forfait", "box", "fibre"], exclude=["free time", "for free"]
    ),
    make_brand("Apple", aliases=["iPhone", "MacBook"], exclude=["pie", "tarte", "cider"]),
] + [make_brand(f"Marque{i}", aliases=[f"Produit{i}", f"Gamme {i}"]) for i in range(40)]

FILLER = {
    "fr": (
        "Le week-end dernier nous sommes partis à la campagne avec les enfants et il faisait beau . "
        "La recette de la tarte aux pommes de ma grand-mère reste la meilleure du monde . "
        "Je lis beaucoup en ce moment , surtout des romans policiers et des essais sur la ville . "
        "Le marché du samedi matin est plein de couleurs et les prix ont encore augmenté . "
    ),
    "en": (
        "Last weekend we drove to the coast with the kids and the weather was fine . "
        "My grandmother's apple pie recipe is still the best thing I have ever baked . "
        "I have been reading a lot lately , mostly crime novels and essays about cities . "
        "The Saturday market is full of colour and prices have gone up again . "
    ),
}
OPINIONS = {
    "fr": [
        "Le cadenas {b} est vraiment pas terrible , il s'ouvre avec un stylo .",
        "Mon forfait {b} est excellent et le réseau est très fiable .",
        "Franchement {b} c'est pas mal du tout pour le prix .",
        "Le service de {b} est nul , je suis très déçu .",
    ],
    "en": [
        "The {b} lock is not good at all , a pen opens it in seconds .",
        "I love my new {b} , the network is excellent and very reliable .",
        "Honestly {b} is not bad for the price .",
        "Customer service at {b} was terrible and I am disappointed .",
    ],
}


def make_posts(n: int, mention_share: float, seed: int = 7) -> list[Page]:
    """Build ``n`` posts of about 250 words; ``mention_share`` of them mention a brand."""
    rng = random.Random(seed)
    names = [b.name for b in BRANDS[:5]] + [a for b in BRANDS[5:] for a in b.aliases]
    posts = []
    for i in range(n):
        lang = "fr" if i % 2 else "en"
        parts = [FILLER[lang]] * 3
        if rng.random() < mention_share:
            parts.insert(rng.randrange(4), rng.choice(OPINIONS[lang]).format(b=rng.choice(names)))
        posts.append(
            Page(
                url=f"http://blog{i % 997}.example/p{i}",
                blog=f"blog{i % 997}.example",
                title=f"Post {i}",
                text=" ".join(parts),
            )
        )
    return posts


def naive_reference(posts: list[Page]) -> int:
    """One regex per alias over each folded post: the approach the compiled matcher replaces."""
    patterns = [
        re.compile(r"\b" + re.escape(fold_keep_offsets(a)) + r"\b") for b in BRANDS for a in b.aliases
    ]
    hits = 0
    for post in posts:
        folded = fold_keep_offsets(f"{post.title}\n{post.text}")
        hits += sum(1 for p in patterns if p.search(folded))
    return hits


def timed(fn, *args):
    """Run ``fn``; return its result, wall-clock seconds and CPU seconds (other loads show as a gap)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn(*args)
    return result, time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--posts", type=int, default=20_000, help="number of synthetic posts (issue target: 100000)"
    )
    parser.add_argument(
        "--mention-share", type=float, default=0.3, help="share of posts that mention a brand"
    )
    args = parser.parse_args()
    posts = make_posts(args.posts, args.mention_share)
    scan_records(posts[:200], BRANDS)  # load lexicons and compile once, outside the timing
    mentions, elapsed, cpu = timed(scan_records, posts, BRANDS)
    sample = posts[: min(len(posts), REFERENCE_POSTS)]
    _, reference, reference_cpu = timed(naive_reference, sample)
    rate, reference_rate = len(posts) / elapsed, len(sample) / reference
    cpu_rate, reference_cpu_rate = len(posts) / cpu, len(sample) / reference_cpu
    print(
        f"posts={len(posts)} brands={len(BRANDS)} aliases={sum(len(b.aliases) for b in BRANDS)} mentions={len(mentions)}"
    )
    target = TARGET_POSTS_PER_SECOND
    print(
        f"scan+sentiment: {elapsed:.2f} s wall  {rate:,.0f} posts/s  ratio to target {target:,.0f}/s: {rate / target:.2f}"
    )
    print(
        f"scan+sentiment: {cpu:.2f} s CPU   {cpu_rate:,.0f} posts/s  ratio to target {target:,.0f}/s: {cpu_rate / target:.2f}"
    )
    print(
        f"reference (one regex per alias, no sentiment, {len(sample)} posts): {reference_rate:,.0f} posts/s"
    )
    print(
        f"ratio scan+sentiment / reference: {rate / reference_rate:.2f}x wall, {cpu_rate / reference_cpu_rate:.2f}x CPU"
    )


if __name__ == "__main__":
    main()
