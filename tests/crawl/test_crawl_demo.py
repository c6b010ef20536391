"""``graphscan demo`` end to end on a small sample: store, map and top authorities."""

from __future__ import annotations

import re

from graphscan.cli import run
from graphscan.model import Page
from graphscan.store import open_store


def test_demo_crawls_ranks_and_maps_a_small_blogosphere(tmp_path, capsys):
    out = tmp_path / "demo"
    code = run(["demo", "--blogs", "12", "--out", str(out), "--quiet"])
    stdout = capsys.readouterr().out
    assert code == 0
    assert (out / "graphscan.db").exists() and (out / "map.html").exists()
    with open_store(str(out / "graphscan.db")) as store:
        assert sum(1 for _ in store.iter_records(Page)) > 100
    ranked = [line for line in stdout.splitlines() if re.match(r"^\s*\d+\. \S+\.test\s+0\.\d+$", line)]
    assert len(ranked) == 10


def test_demo_stores_brand_mentions_during_the_crawl_and_names_the_first_poster(tmp_path, capsys):
    from graphscan.model import Mention
    from graphscan.sample import generate_blogosphere

    out = tmp_path / "demo"
    assert run(["demo", "--blogs", "30", "--out", str(out), "--quiet"]) == 0
    stdout = capsys.readouterr().out
    truth = generate_blogosphere(30, seed=7).ground_truth()["brands"]["kryptonite"]
    assert f"first poster: {truth['first']['blog']} " in stdout
    for rank, amp in enumerate(truth["amplifiers"][:3], start=1):
        assert f"amplifier {rank}: {amp['blog']} (downstream reach {amp['reach']})" in stdout
    share = re.search(r"(\d+)% of posts negative", stdout)
    assert share and abs(int(share.group(1)) - 100 * truth["negative_share"]) <= 5
    with open_store(str(out / "graphscan.db")) as store:
        brands = {m.brand for m in store.iter_records(Mention)}
    assert brands == {"kryptonite", "orange"}
