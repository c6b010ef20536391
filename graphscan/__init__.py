"""graphscan: influence-graph analyser for the blogosphere."""

__version__ = "0.1.0"
