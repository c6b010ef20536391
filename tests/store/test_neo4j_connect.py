"""Opening a Neo4jStore against servers that fail: silent, closed, HTTP, wrong credentials.

None of these needs a real Neo4j: a loopback socket that accepts and says nothing, a closed port,
an HTTP server, and a tiny fake Bolt server that answers HELLO with an authentication FAILURE.
"""

from __future__ import annotations

import http.server
import logging
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from graphscan import errors
from graphscan.store.neo4j import Neo4jStore, display_uri, split_uri

PASSWORD = "pw-Secr3t-must-never-show"


def serve(handler, sock: socket.socket) -> None:
    """Accept connections on ``sock`` forever, one thread each, until it is closed."""
    while True:
        try:
            conn, _ = sock.accept()
        except OSError:
            return
        threading.Thread(target=handler, args=(conn,), daemon=True).start()


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield sock
    sock.close()


def port_of(sock: socket.socket) -> int:
    return sock.getsockname()[1]


def pack_string(text: str) -> bytes:
    data = text.encode()
    return (bytes([0x80 + len(data)]) if len(data) < 16 else b"\xd0" + bytes([len(data)])) + data


def bolt_failure(code: str, message: str) -> bytes:
    """A chunked Bolt FAILURE message {code, message}."""
    body = (
        b"\xb1\x7f\xa2"
        + pack_string("code")
        + pack_string(code)
        + pack_string("message")
        + pack_string(message)
    )
    return len(body).to_bytes(2, "big") + body + b"\x00\x00"


def read_message(conn: socket.socket) -> bytes:
    """One chunked Bolt message (empty at end of stream)."""
    data = b""
    while True:
        size = conn.recv(2, socket.MSG_WAITALL)
        if len(size) < 2:
            return b""
        n = int.from_bytes(size, "big")
        if n == 0:
            return data
        data += conn.recv(n, socket.MSG_WAITALL)


class FakeBolt:
    """Speaks Bolt 4.4 just far enough to reject every HELLO as unauthorized; records what it got."""

    def __init__(self) -> None:
        self.hellos: list[bytes] = []

    def __call__(self, conn: socket.socket) -> None:
        with conn:
            if conn.recv(20, socket.MSG_WAITALL)[:4] != b"\x60\x60\xb0\x17":
                return
            conn.sendall(b"\x00\x00\x04\x04")
            while message := read_message(conn):
                if message[:2] == b"\xb1\x01":  # HELLO
                    self.hellos.append(message)
                    conn.sendall(
                        bolt_failure("Neo.ClientError.Security.Unauthorized", "authentication failure")
                    )


@pytest.fixture
def fake_bolt(listener, monkeypatch) -> tuple[FakeBolt, int]:
    for name in ("NEO4J_USERNAME", "NEO4J_PASSWORD", "GRAPHSCAN_NEO4J_USERNAME", "GRAPHSCAN_NEO4J_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    server = FakeBolt()
    threading.Thread(target=serve, args=(server, listener), daemon=True).start()
    return server, port_of(listener)


def test_a_silent_port_fails_with_service_unavailable_within_10_seconds(listener):
    threading.Thread(target=serve, args=(lambda conn: time.sleep(30), listener), daemon=True).start()
    began = time.monotonic()
    with pytest.raises(errors.ServiceUnavailable) as caught:
        Neo4jStore(f"bolt://127.0.0.1:{port_of(listener)}", "neo4j", PASSWORD)
    assert time.monotonic() - began <= 10
    assert str(caught.value).startswith(f"Cannot connect to Neo4j at bolt://127.0.0.1:{port_of(listener)}: ")


def test_a_silent_port_behind_a_routing_uri_also_fails_within_10_seconds(listener):
    threading.Thread(target=serve, args=(lambda conn: time.sleep(30), listener), daemon=True).start()
    began = time.monotonic()
    with pytest.raises(errors.ServiceUnavailable):
        Neo4jStore(f"neo4j://127.0.0.1:{port_of(listener)}", "neo4j", PASSWORD)
    assert time.monotonic() - began <= 10


def test_a_closed_port_fails_fast():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = port_of(sock)
    began = time.monotonic()
    with pytest.raises(errors.ServiceUnavailable) as caught:
        Neo4jStore(f"bolt://127.0.0.1:{port}", "neo4j", PASSWORD)
    assert time.monotonic() - began <= 2
    assert f"Cannot connect to Neo4j at bolt://127.0.0.1:{port}" in str(caught.value)
    assert caught.value.exit_code == 69


def test_an_http_port_gets_a_hint_that_it_is_not_bolt():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(errors.ServiceUnavailable) as caught:
            Neo4jStore(f"bolt://127.0.0.1:{server.server_address[1]}", "neo4j", PASSWORD)
    finally:
        server.shutdown()
        server.server_close()
    assert "answers HTTP, not Bolt" in str(caught.value)


def test_wrong_credentials_fail_once_with_authentication_error_and_no_password(fake_bolt, caplog):
    server, port = fake_bolt
    caplog.set_level(logging.DEBUG)
    with pytest.raises(errors.AuthenticationError) as caught:
        Neo4jStore(f"bolt://127.0.0.1:{port}", "ann", PASSWORD)
    assert len(server.hellos) == 1
    assert PASSWORD.encode() in server.hellos[0]  # it was sent to the server, and only there
    error = caught.value
    assert error.exit_code == 77 and "'ann'" in str(error)
    for text in (str(error), repr(error), repr(error.args), caplog.text):
        assert PASSWORD not in text
    assert error.__cause__ is None and error.__suppress_context__


def test_credentials_in_the_uri_are_used_but_never_shown(fake_bolt, monkeypatch):
    server, port = fake_bolt
    monkeypatch.setenv("NEO4J_USERNAME", "env-user")
    monkeypatch.setenv("NEO4J_PASSWORD", "env-password")
    with pytest.raises(errors.AuthenticationError) as caught:
        Neo4jStore(f"bolt://bob:{PASSWORD}@127.0.0.1:{port}")
    assert b"bob" in server.hellos[0] and PASSWORD.encode() in server.hellos[0]
    assert b"env-" not in server.hellos[0]
    assert PASSWORD not in str(caught.value)
    assert f"bolt://127.0.0.1:{port}" in str(caught.value)


def test_graphscan_credentials_take_precedence_over_the_neo4j_ones(fake_bolt, monkeypatch):
    server, port = fake_bolt
    monkeypatch.setenv("NEO4J_USERNAME", "generic-user")
    monkeypatch.setenv("NEO4J_PASSWORD", "generic-password")
    monkeypatch.setenv("GRAPHSCAN_NEO4J_USERNAME", "graphscan-user")
    monkeypatch.setenv("GRAPHSCAN_NEO4J_PASSWORD", PASSWORD)
    with pytest.raises(errors.AuthenticationError):
        Neo4jStore(f"bolt://127.0.0.1:{port}")
    assert b"graphscan-user" in server.hellos[0] and PASSWORD.encode() in server.hellos[0]
    assert b"generic" not in server.hellos[0]


def test_unknown_schemes_are_refused_before_any_connection():
    with pytest.raises(errors.UnknownStoreError):
        Neo4jStore("http://127.0.0.1:7474")


@pytest.mark.parametrize("scheme", ["neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc"])
def test_every_driver_scheme_is_accepted_and_credentials_are_split_off(scheme):
    clean, user, secret = split_uri(f"{scheme}://ann:p%40ss@db.example.org:7687")
    assert (clean, user, secret) == (f"{scheme}://db.example.org:7687", "ann", "p@ss")


def test_display_uri_removes_user_info():
    assert display_uri("neo4j+s://u:secret@h.example.org:7687/db") == "neo4j+s://h.example.org:7687/db"
