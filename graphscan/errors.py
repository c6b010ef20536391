"""The one error hierarchy of graphscan, and the exit code each error maps to at the CLI.

Library code raises these; only ``graphscan.cli`` turns them into a one-line message and an exit
code (sysexits-style). Messages never contain secrets (a Neo4j password is never formatted in).

    GraphscanError            70  unexpected internal failure
    ├── UsageError            64  a bad option value or combination
    ├── InputDataError        65  malformed input data (graph file, seed line, brand file)
    │   ├── InvalidURLError   65  a URL that is not an absolute http(s) URL
    │   ├── LedgerVersionError 65 a crawl ledger another Scrapy version left unfinished
    │   └── NoDataError       65  the store holds nothing the question needs (no link in the time
    │                             window, no dated link at all): the message says what would work
    ├── InputFileError        66  a missing or unreadable input file
    ├── StoreError            74  the store cannot be read or written (corrupt file, disk full)
    │   ├── UnknownStoreError 64  a --store value with an unknown scheme
    │   └── FrontierLost      74  Redis came back without a distributed crawl's frontier (persistence off)
    ├── OutputFileError       74  an output file (the map) cannot be written (disk full, read-only folder)
    ├── ServiceUnavailable    69  a server (Neo4j, the Redis of a distributed crawl) cannot be reached
    │   └── GdsUnavailable    69  the Neo4j server lacks Graph Data Science (rank --engine gds)
    ├── ConvergenceError      70  an iterative solver (PageRank, HITS) did not converge
    ├── TemporaryFailure      75  a transient failure; running again may succeed
    │   └── StoreBusy         75  another crawl holds the store's crawl lock
    ├── AuthenticationError   77  wrong credentials
    ├── CrawlIncomplete       3   a crawl finished, but some pages failed
    └── Interrupted           130 Ctrl-C stopped the work; nothing partial is reported as complete
"""

from __future__ import annotations


class GraphscanError(Exception):
    """Base of every error graphscan expects; ``exit_code`` is what the CLI exits with."""

    exit_code = 70


class UsageError(GraphscanError):
    exit_code = 64


class InputDataError(GraphscanError):
    exit_code = 65


class InvalidURLError(InputDataError, ValueError):
    exit_code = 65


class LedgerVersionError(InputDataError):
    exit_code = 65


class NoDataError(InputDataError):
    exit_code = 65


class InputFileError(GraphscanError):
    exit_code = 66


class StoreError(GraphscanError):
    exit_code = 74


class UnknownStoreError(StoreError):
    exit_code = 64


class FrontierLost(StoreError):
    """Redis restarted without the frontier of a distributed crawl (no AOF): the message says what was lost."""

    exit_code = 74


class OutputFileError(GraphscanError):
    exit_code = 74


class ServiceUnavailable(GraphscanError):
    exit_code = 69


class GdsUnavailable(ServiceUnavailable):
    """The Neo4j server has no Graph Data Science library (``rank --engine gds``)."""

    exit_code = 69


class ConvergenceError(GraphscanError):
    """An iterative solver did not reach its tolerance within its iteration budget."""


class TemporaryFailure(GraphscanError):
    exit_code = 75


class StoreBusy(TemporaryFailure):
    exit_code = 75


class AuthenticationError(GraphscanError):
    exit_code = 77


class CrawlIncomplete(GraphscanError):
    exit_code = 3


class Interrupted(GraphscanError):
    """Ctrl-C (SIGINT) stopped a command; the message says what was left and how to resume."""

    exit_code = 130
