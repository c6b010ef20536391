"""``graphscan serve-sample``: prints the proxy and seeds, serves them, writes the ground truth on request."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys

from sampleweb import proxy_opener

from graphscan.cli import run


def test_serve_sample_prints_proxy_and_seeds_and_writes_truth(tmp_path, capsys):
    code = run(["serve-sample", "--blogs", "10", "--seed", "3", "--write-dir", str(tmp_path), "--for", "0"])
    printed = capsys.readouterr().out
    assert code == 0
    assert re.search(r"^proxy: http://127\.0\.0\.1:\d+$", printed, re.MULTILINE)
    assert len(re.findall(r"^seed:  http://\S+\.test/$", printed, re.MULTILINE)) == 5
    truth = json.loads((tmp_path / "ground_truth.json").read_text(encoding="utf-8"))
    assert truth["generator"] == {"module": "graphscan.sample", "n_blogs": 10, "seed": 3}


def test_serve_sample_rejects_a_tiny_blogosphere(capsys):
    assert run(["serve-sample", "--blogs", "3"]) == 2


def test_serve_sample_on_a_busy_port_is_a_usage_error(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        assert (
            run(["serve-sample", "--blogs", "10", "--port", str(busy.getsockname()[1]), "--for", "0"]) == 64
        )
    assert "cannot listen on 127.0.0.1" in capsys.readouterr().err


def test_serve_sample_serves_until_ctrl_c():
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    child = subprocess.Popen(
        [sys.executable, "-c", "from graphscan.cli import main; main()", "serve-sample", "--blogs", "10"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        proxy = child.stdout.readline().split()[-1]
        child.stdout.readline(), child.stdout.readline()
        seed = child.stdout.readline().split()[-1]
        assert proxy_opener(proxy).open(seed, timeout=10).status == 200
        child.send_signal(signal.SIGINT)
        assert child.wait(timeout=20) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
