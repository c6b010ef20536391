"""A crawl process started by hand, as the CLI starts it: its config on stdin, its progress events on a pipe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from crawl.run import PROGRESS_FD_ENV
from crawl.settings import CrawlConfig

REPO = Path(__file__).resolve().parents[2]


def spawn_with_progress(
    module: str, config: CrawlConfig, env: dict[str, str]
) -> tuple[subprocess.Popen[str], object]:
    """Start ``python -m module`` with ``config`` on its stdin; return it and its progress stream."""
    read_fd, write_fd = os.pipe()
    child = subprocess.Popen(
        [sys.executable, "-m", module],
        stdin=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ, **env, PROGRESS_FD_ENV: str(write_fd)},
        pass_fds=(write_fd,),
    )
    os.close(write_fd)
    child.stdin.write(config.to_json())
    child.stdin.close()
    return child, os.fdopen(read_fd, encoding="utf-8")
