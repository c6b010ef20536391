"""Fixtures of the sample blogosphere tests: one small world per session, served on loopback per module."""

from __future__ import annotations

import pytest

from graphscan.sample import Blogosphere, generate_blogosphere
from graphscan.sample.server import serve_blogosphere

SMALL = 30


@pytest.fixture(scope="session")
def world() -> Blogosphere:
    """A 30-blog blogosphere (seed 7)."""
    return generate_blogosphere(SMALL, seed=7)


@pytest.fixture(scope="session")
def truth(world: Blogosphere) -> dict:
    return world.ground_truth()


@pytest.fixture(scope="module")
def server(world: Blogosphere):
    """The small world served on a free loopback port, stopped after the module."""
    with serve_blogosphere(world) as srv:
        yield srv
