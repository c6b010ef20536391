"""``graphscan crawl --frontier``, ``graphscan worker`` and ``--status`` as users run them: the whole
command in a subprocess against the loopback sample blogosphere, and one line and an exit code for
every way Redis can be wrong."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from distributedfixture import REPO, crawl_config, outstanding, sample_server, stored

from crawl.frontier import Frontier
from crawl.run import run_crawl

CLI = [sys.executable, "-c", "from graphscan.cli import main; main()"]


def graphscan(
    *args: str, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, *args],
        env={**os.environ, **(env or {})},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.redis
def test_crawl_with_a_frontier_seeds_runs_three_workers_and_reports_the_whole_crawl(redis_url, tmp_path):
    store = tmp_path / "crawl.db"
    spec = f"{redis_url}?crawl=cli-{uuid.uuid4().hex[:8]}"
    server, proxy = sample_server()
    with server:
        env = {**proxy, "GRAPHSCAN_ALLOW_ADDRESSES": f"127.0.0.1:{server.port}"}
        seeds = server.world.seeds()
        crawl = graphscan(
            "crawl", *seeds, "--frontier", spec, "--processes", "3", "--store", str(store),
            "--hops", "20", "--no-politeness", "--quiet", "--log-file", str(tmp_path / "w.log"),
            env=env,
        )  # fmt: skip
        late = graphscan("worker", "--frontier", spec, "--store", str(store), "--quiet", env=env)
    assert crawl.returncode in (0, 3), (
        crawl.stderr
    )  # 3: the sample has a few broken links, as in a plain crawl
    assert len(stored(store)["Page"]) > 300
    assert late.returncode == 0, late.stderr  # a worker joining a finished crawl finds nothing to do
    status = graphscan("crawl", "--status", "--frontier", spec)
    assert status.returncode == 0, status.stderr
    assert "still to do:    0 (0 queued, 0 in flight)" in status.stdout
    assert "(the crawl is finished)" in status.stdout


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["crawl", "http://a.test/", "--frontier", "http://127.0.0.1:6379/0"], 64, "is not a Redis URL"),
        (["worker", "--frontier", "redis//nothing"], 64, "is not a Redis URL"),
        (["crawl", "--status"], 64, "--status needs --frontier"),
        (["crawl", "--status", "--frontier", "redis://127.0.0.1:port/0"], 64, "is not a usable Redis URL"),
        (["crawl", "http://a.test/", "--frontier", "redis://127.0.0.1:1/0"], 69, "unreachable for 5 s"),
        (["worker", "--frontier", "redis://:s3cret@127.0.0.1:1/0"], 69, "redis://127.0.0.1:1/0 unreachable"),
    ],
)
def test_a_wrong_or_unreachable_frontier_is_one_line_and_an_exit_code(tmp_path, args, code, said):
    done = graphscan(*args, "--store", str(tmp_path / "crawl.db"), timeout=60)
    assert done.returncode == code, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and said in lines[0], done.stderr
    assert "s3cret" not in done.stderr


@pytest.mark.redis
def test_joining_a_crawl_that_was_never_seeded_says_how_to_start_one(redis_url, tmp_path):
    done = graphscan(
        "worker",
        "--frontier",
        f"{redis_url}?crawl=none-{uuid.uuid4().hex[:6]}",
        "--store",
        str(tmp_path / "c.db"),
    )
    assert done.returncode == 65
    assert "start one with graphscan crawl SEEDS... --frontier" in done.stderr


@pytest.mark.redis
def test_ctrl_c_stops_the_workers_with_130_and_graphscan_worker_resumes_to_the_whole_graph(
    redis_url, tmp_path
):
    store = tmp_path / "crawl.db"
    spec = f"{redis_url}?crawl=ctrlc-{uuid.uuid4().hex[:8]}"
    server, proxy = sample_server()
    with server:
        run_crawl(crawl_config(server, tmp_path / "single.db"), env=proxy)
        env = {**os.environ, **proxy, "GRAPHSCAN_ALLOW_ADDRESSES": f"127.0.0.1:{server.port}"}
        crawl = subprocess.Popen(
            [*CLI, "crawl", *server.world.seeds(), "--frontier", spec, "--processes", "2", "--store", str(store),
             "--hops", "20", "--no-politeness", "--quiet"],
            env=env, cwd=REPO, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        frontier = Frontier(spec, wait=5)
        deadline = time.monotonic() + 120
        while (
            time.monotonic() < deadline and int(frontier.redis.hget(frontier.keys.stats, "fetched") or 0) < 40
        ):
            time.sleep(0.05)
        frontier.close()
        crawl.send_signal(signal.SIGINT)
        _, stderr = crawl.communicate(timeout=120)
        left = outstanding(spec)
        resumed = graphscan("worker", "--frontier", spec, "--store", str(store), "--quiet", env=env)
    assert crawl.returncode == 130, stderr
    assert "crawl interrupted after" in stderr and len(stderr.strip().splitlines()) == 1
    assert left > 0
    assert resumed.returncode in (0, 3), resumed.stderr
    assert outstanding(spec) == 0
    assert stored(store) == stored(tmp_path / "single.db")
