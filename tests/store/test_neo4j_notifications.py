"""The driver's notices that a fresh database always gives are kept off stderr; others are not."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import neo4j

import graphscan.store.neo4j  # noqa: F401 - installs the filter on the driver's notification logger


def _notice(classification: neo4j.NotificationClassification) -> logging.LogRecord:
    printer = SimpleNamespace(notification=SimpleNamespace(classification=classification))
    return logging.LogRecord(
        "neo4j.notifications",
        logging.WARNING,
        __file__,
        1,
        "Received notification from DBMS server: %s",
        (printer,),
        None,
    )


def test_unrecognized_property_notices_are_dropped_and_deprecations_kept():
    logger = logging.getLogger("neo4j.notifications")
    assert not logger.filter(_notice(neo4j.NotificationClassification.UNRECOGNIZED))
    assert logger.filter(_notice(neo4j.NotificationClassification.DEPRECATION))
    plain = logging.LogRecord("neo4j.notifications", logging.WARNING, __file__, 1, "no args", None, None)
    assert logger.filter(plain)
