"""Checklist D1-D3 on the sample blogosphere: ``kill -9`` at random points (20 trials) and Ctrl-C,
then resume: 0 pages lost, 0 duplicates by key, re-fetches within the in-flight window.

tests/crawl/test_resume.py proves the same on a hand-built fake web (3 trials by default); this
file runs the checklist's 20 on a generated blogosphere served by ``graphscan.sample.server``,
reusing that file's child-process helpers, and records the figures.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from test_resume import kill_after, start_child

from crawl.run import run_crawl
from crawl.settings import CrawlConfig, build_settings
from graphscan.model import RECORD_TYPES, CrawlState
from graphscan.sample import generate_blogosphere
from graphscan.sample.server import serve_blogosphere
from graphscan.store import open_store

pytestmark = pytest.mark.slow

TRIALS = int(os.environ.get("GRAPHSCAN_KILL_TRIALS_SAMPLE", "20"))
SIGINT_TRIALS = 2
SEED_BLOGS = 2
"""Blogs crawled (hops 0): about 90 pages, so one trial is a few seconds even on a loaded machine."""
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def world():
    return generate_blogosphere(10, seed=7)


def config_for(world, server, store: Path, log: Path) -> CrawlConfig:
    return CrawlConfig(
        seeds=tuple(world.seeds()[:SEED_BLOGS]),
        store=str(store),
        hops=0,
        max_pages_per_blog=10_000,
        allow_addresses=(f"127.0.0.1:{server.port}",),
        politeness=False,
        log_file=str(log),
        progress_interval=0.1,
    )


def proxy_env(server) -> dict[str, str]:
    return {"http_proxy": server.proxy_url, "https_proxy": server.proxy_url, "no_proxy": "", "NO_PROXY": ""}


def keys_by_label(store: Path) -> dict[str, list[str]]:
    """Every stored record's key, by label, duplicates kept (a duplicate shows up as a repeated key)."""
    with open_store(str(store)) as opened:
        return {t.label: sorted(r.record_key() for r in opened.iter_records(t)) for t in RECORD_TYPES}


def statuses(store: Path) -> dict[str, str]:
    with open_store(str(store)) as opened:
        return {s.url: s.status for s in opened.iter_records(CrawlState)}


def page_hits(server) -> Counter[str]:
    return Counter(f"http://{h.host}{h.path}" for h in server.hits() if not h.path.startswith("/robots"))


def refetches(hits: Counter[str], clean: Counter[str]) -> int:
    """Requests beyond those a clean crawl makes for the same URL (a clean crawl retries 5xx itself)."""
    return sum(max(0, n - clean.get(url, 0)) for url, n in hits.items())


@pytest.fixture(scope="module")
def clean(world, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("clean")
    with serve_blogosphere(world) as server:
        started = time.monotonic()
        summary = run_crawl(
            config_for(world, server, tmp / "crawl.db", tmp / "crawl.log"), env=proxy_env(server)
        )
        elapsed = time.monotonic() - started
        hits = page_hits(server)
    keys = keys_by_label(tmp / "crawl.db")
    assert len(keys["Page"]) >= 50 and summary.fatal == ""
    return keys, statuses(tmp / "crawl.db"), hits, elapsed


def assert_same_as_clean(store: Path, clean) -> dict[str, int]:
    clean_keys, clean_states, _, _ = clean
    keys = keys_by_label(store)
    for label, expected in clean_keys.items():
        assert keys[label] == expected, (
            f"{label}: lost {sorted(set(expected) - set(keys[label]))[:5]}, "
            f"extra {sorted(set(keys[label]) - set(expected))[:5]}"
        )
        assert not [k for k, n in Counter(keys[label]).items() if n > 1], f"duplicate {label} keys"
    assert statuses(store) == clean_states
    return {label: len(v) for label, v in keys.items()}


def test_the_clean_crawl_of_the_sample_has_no_duplicates_and_fetches_each_page_once(clean, figures):
    keys, states, hits, elapsed = clean
    for label, found in keys.items():
        assert len(found) == len(set(found)), label
    assert max(hits.values()) <= 3  # a URL answered 5xx is retried at most twice
    figures.set(
        "crash.clean",
        {
            "pages": len(keys["Page"]),
            "links": len(keys["Link"]),
            "comments": len(keys["Comment"]),
            "states": len(states),
            "seconds": round(elapsed, 1),
        },
    )


@pytest.mark.parametrize("trial", range(TRIALS))
def test_kill_9_at_a_random_point_then_resume(world, clean, tmp_path, trial, figures):
    rng = random.Random(1000 + trial)
    total = len(clean[0]["Page"])
    began = time.monotonic()
    with serve_blogosphere(world) as server:
        config = config_for(world, server, tmp_path / "crawl.db", tmp_path / "crawl.log")
        child, progress = start_child(config, proxy_env(server))
        target = rng.randint(1, total - 5)
        reached = kill_after(child, progress, target)
        assert child.returncode == -signal.SIGKILL
        before = keys_by_label(tmp_path / "crawl.db") if (tmp_path / "crawl.db").exists() else {"Page": []}
        summary = run_crawl(config, env=proxy_env(server))
        hits = page_hits(server)
    counts = assert_same_as_clean(tmp_path / "crawl.db", clean)
    window = build_settings(config)["CONCURRENT_REQUESTS"]
    again = refetches(hits, clean[2])
    assert again <= window
    figures.add(
        "crash.kill9",
        {
            "trial": trial,
            "kill_at_fetched": reached,
            "pages_at_kill": len(before["Page"]),
            "pages_final": counts["Page"],
            "lost": 0,
            "duplicates": 0,
            "refetched": again,
            "window": window,
            "resumed": summary.resumed,
            "seconds": round(time.monotonic() - began, 1),
        },
    )


def _cli(store: Path, seeds: list[str], log: Path) -> list[str]:
    return [
        sys.executable,
        "-c",
        "from graphscan.cli import main; main()",
        "crawl",
        *seeds,
        "--hops",
        "0",
        "--no-politeness",
        "--quiet",
        "--store",
        str(store),
        "--log-file",
        str(log),
    ]


def _wait_for_fetched(store: Path, n: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if sum(1 for s in statuses(store).values() if s == "fetched") >= n:
                return
        except Exception:
            pass
        time.sleep(0.05)
    raise AssertionError(f"the crawl did not fetch {n} pages in {timeout} s")


@pytest.mark.parametrize("presses", [1] * SIGINT_TRIALS + [2])
def test_ctrl_c_exits_130_and_resume_loses_nothing(world, clean, tmp_path, presses, figures):
    """One press: in-flight pages finish, resume fetches nothing twice. Two presses: as kill -9 (D3)."""
    rng = random.Random(len(os.listdir(tmp_path.parent)))
    store, log = tmp_path / "crawl.db", tmp_path / "crawl.log"
    began = time.monotonic()
    with serve_blogosphere(world) as server:
        env = {**os.environ, **proxy_env(server), "GRAPHSCAN_ALLOW_ADDRESSES": f"127.0.0.1:{server.port}"}
        command = _cli(store, list(world.seeds()[:SEED_BLOGS]), log)
        cli = subprocess.Popen(command, env=env, cwd=REPO, stderr=subprocess.PIPE, text=True)
        _wait_for_fetched(store, rng.randint(5, len(clean[0]["Page"]) // 2))
        for _ in range(presses):
            cli.send_signal(signal.SIGINT)
            time.sleep(0.05)
        _, stderr = cli.communicate(timeout=120)
        assert cli.returncode == 130, stderr
        assert stderr.count("\n") <= 2 and "Traceback" not in stderr
        at_stop = len(keys_by_label(store)["Page"])
        resumed = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
        assert resumed.returncode in (0, 3), resumed.stderr  # 3: the clean crawl's own failed pages
        hits = page_hits(server)
    counts = assert_same_as_clean(store, clean)
    again = refetches(hits, clean[2])
    if presses == 1:
        assert again == 0
    else:
        assert again <= build_settings(config_for(world, server, store, log))["CONCURRENT_REQUESTS"]
    figures.add(
        "crash.sigint",
        {
            "presses": presses,
            "pages_at_stop": at_stop,
            "pages_final": counts["Page"],
            "lost": 0,
            "duplicates": 0,
            "refetched": again,
            "seconds": round(time.monotonic() - began, 1),
        },
    )
