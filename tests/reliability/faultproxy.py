"""A tiny threaded TCP forwarder on loopback that tests can cut, to fail a Neo4j connection on purpose.

It sits between the driver and the real server (``bolt://127.0.0.1:<proxy port>``), so a test can
make the server vanish mid-write, or drop a connection right after the client sends Bolt COMMIT,
without ever stopping the shared server.

    with FaultProxy("127.0.0.1", 7687) as proxy:
        proxy.cut_after(50_000)       # close everything once 50 kB went to the server, refuse new connections
        proxy.cut(hold_server=True)   # a partition: clients reset, the server's ends left open and silent
        proxy.restore()               # accept and forward again
        proxy.drop_on_commit()        # forward the next COMMIT, then close that connection before the answer
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading

COMMIT = b"\x00\x02\xb0\x12\x00\x00"
"""A chunked Bolt COMMIT message: a 2-byte chunk (struct, 0 fields, tag 0x12) and the end marker."""


def _reset(sock: socket.socket) -> None:
    """Close with a TCP RST, as a vanished server or a cut cable looks to the client.

    ``shutdown`` first: a plain ``close`` does not wake a pump thread blocked in ``recv`` on the
    socket, and the kernel keeps the connection open for as long as that ``recv`` waits (for ever
    when the server is waiting for the rest of a half-forwarded message).
    """
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


class FaultProxy:
    """Forward 127.0.0.1:<port> to ``target``; ``down`` refuses, ``cut_after`` and ``drop_on_commit`` break.

    A cut resets the client's end of every connection and, by default, the server's end too (the
    server rolls back what was in flight). With ``hold_server=True`` the server's ends stay open and
    nothing more reaches them, until the proxy closes: what the server sees when the network between
    it and the client is partitioned, or a NAT dropped the connection, so a transaction the client
    had open stays open on the server, with its locks.
    """

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.lock = threading.Lock()
        self.pairs: list[tuple[socket.socket, socket.socket]] = []
        self.down = False
        self.sent = 0
        self.cut_at: int | None = None
        self.hold_at_cut = False
        self.held: list[socket.socket] = []
        self.commit_drops = 0
        self.commits_dropped = 0
        self.commits_seen = 0
        self.refused = 0
        self.cuts = 0
        self.thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def port(self) -> int:
        return self.listener.getsockname()[1]

    def uri(self, scheme: str = "bolt") -> str:
        return f"{scheme}://127.0.0.1:{self.port}"

    # -- controls ------------------------------------------------------------------------------
    def cut(self, hold_server: bool = False) -> None:
        """Go down now: reset every connection (not the server's ends if ``hold_server``), refuse new ones."""
        with self.lock:
            self.down = True
            self.cuts += 1
            pairs, self.pairs = self.pairs, []
            if hold_server:
                self.held += [server for _, server in pairs]
        for client, server in pairs:
            _reset(client)
            if not hold_server:
                _reset(server)

    def cut_after(self, nbytes: int, hold_server: bool = False) -> None:
        """Go down once ``nbytes`` more bytes have been forwarded to the server (see ``cut``)."""
        with self.lock:
            self.cut_at = self.sent + nbytes
            self.hold_at_cut = hold_server

    def restore(self) -> None:
        with self.lock:
            self.down = False
            self.cut_at = None

    def drop_on_commit(self, times: int = 1) -> None:
        """Forward the next ``times`` COMMIT messages, each time closing that connection before the answer."""
        with self.lock:
            self.commit_drops += times

    # -- forwarding ----------------------------------------------------------------------------
    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.down:
                self.refused += 1
                _reset(client)
                continue
            try:
                server = socket.create_connection(self.target, timeout=5)
                server.settimeout(None)
            except OSError:
                _reset(client)
                continue
            with self.lock:
                self.pairs.append((client, server))
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, upstream: bool) -> None:
        try:
            while data := source.recv(65536):
                if upstream and self._upstream(data, source, sink):
                    return
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                if sock in self.held:  # partitioned: the server hears nothing more, not even a close
                    continue
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def _upstream(self, data: bytes, client: socket.socket, server: socket.socket) -> bool:
        """Count bytes to the server and apply the armed fault; True when the connection was broken."""
        with self.lock:
            self.sent += len(data)
            cut = self.cut_at is not None and self.sent >= self.cut_at
            is_commit = COMMIT in data
            self.commits_seen += is_commit
            drop = is_commit and self.commit_drops > 0
            if drop:
                self.commit_drops -= 1
                self.commits_dropped += 1
        if cut:
            self.cut(hold_server=self.hold_at_cut)
            return True
        if drop:
            server.sendall(data)  # the server gets the COMMIT and commits ...
            _reset(client)  # ... the client never hears back
            return True
        return False

    def __enter__(self) -> FaultProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.listener.close()
        self.cut()
        held, self.held = self.held, []
        for server in held:
            _reset(server)
