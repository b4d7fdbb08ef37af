"""A TCP proxy of the test suite's own, for fault tests through real sockets.

``TcpProxy(host, port)`` listens on a free loopback port and forwards each
connection to the target (PostgreSQL, Redis). Between requests a test can:

- ``cut()``: close every open connection and refuse new ones (each is
  accepted and closed at once, as a host that went away looks to a driver);
- ``drop()``: close the open connections, in the middle of whatever they
  were doing, and keep accepting new ones;
- ``slow(seconds)``: hold every reply from the target that long (past a
  statement or socket timeout);
- ``restore()``: forward normally again.
"""

import contextlib
import socket
import threading
import time

CHUNK = 65536


class TcpProxy:
    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.refusing = False
        self.delay = 0.0
        self.accepted = 0
        self._lock = threading.Lock()
        self._pairs: set[tuple[socket.socket, socket.socket]] = set()
        self._closed = False
        threading.Thread(target=self._accept_loop, daemon=True).start()

    # --- faults ---------------------------------------------------------------

    def cut(self) -> None:
        self.refusing = True
        self.drop()

    def drop(self) -> None:
        with self._lock:
            pairs, self._pairs = self._pairs, set()
        for pair in pairs:
            for sock in pair:
                _close(sock)

    def slow(self, seconds: float) -> None:
        self.delay = seconds

    def restore(self) -> None:
        self.refusing = False
        self.delay = 0.0

    def close(self) -> None:
        self._closed = True
        self.cut()
        _close(self.listener)

    # --- plumbing ---------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.accepted += 1
            if self.refusing:
                _close(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                _close(client)
                continue
            pair = (client, upstream)
            with self._lock:
                self._pairs.add(pair)
            threading.Thread(
                target=self._pump, args=(client, upstream, pair, False), daemon=True
            ).start()
            threading.Thread(
                target=self._pump, args=(upstream, client, pair, True), daemon=True
            ).start()

    def _pump(self, source, sink, pair, replies: bool) -> None:
        try:
            while True:
                data = source.recv(CHUNK)
                if not data:
                    break
                if replies and self.delay:
                    time.sleep(self.delay)
                with self._lock:
                    alive = pair in self._pairs
                if not alive:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self._pairs.discard(pair)
            for sock in pair:
                _close(sock)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
