"""A generated blogosphere served on loopback, with its ground truth: the test bed of the crawler and the analyses."""

from graphscan.sample.generate import Blogosphere, generate_blogosphere

__all__ = ["Blogosphere", "generate_blogosphere"]
