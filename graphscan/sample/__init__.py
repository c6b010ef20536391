"""A generated blogosphere served on loopback, with its ground truth: the test bed of the crawler and the analyses."""

from graphscan.sample.generate import generate_blogosphere
from graphscan.sample.world import Blogosphere

__all__ = ["Blogosphere", "generate_blogosphere"]
