"""Integer reads that Redis keeps current: client-side caching with tracking.

Every response-cache hit checks a dozen counters (the generation and its
tags' versions, ``cms.graphql.versions``). They change only when content
does, so each thread keeps the values it read, and Redis tells it when one
changes: the thread's connection speaks RESP3 with ``CLIENT TRACKING ON``,
so Redis remembers the keys it read and sends an invalidation message on the
same connection as soon as one of them is written (by any client). Before
answering from its values, a read takes in whatever messages have arrived
(a poll of the socket, no round trip); a key not held, or dropped by a
message, is read with one MGET, which tracks it again.

What this keeps exact:

- **Order.** Invalidations travel on the connection the values were read
  on, so a message about a write that came before a read is always taken in
  before that read's reply, and one about a later write after it.
- **This process's writes.** Redis queues a writer's reply and the readers'
  messages in the same pass of its event loop, but may send the reply
  first; ``forget`` (called after each version bump here) drops every
  thread's values, so a bump is never followed by a hit on the old version
  in the process that made it. Another process or host sees it once the
  message arrives: microseconds on one host, a network delay across hosts.
- **Lost messages.** Values are dropped whenever the connection is opened
  again (messages sent while it was down are lost), on an error, on a
  ``FLUSHDB`` (a message without keys), and ``MAX_AGE`` seconds after the
  connection last answered: a link that stopped delivering without closing
  costs at most that long before the next read is a round trip again.
- **Memory.** At most ``MAX_VALUES`` values per thread, then all dropped.

Where tracking is refused (a server or proxy without RESP3), every read is
one MGET, as before.
"""

import itertools
import time

from redis.exceptions import ResponseError

MAX_VALUES = 65_536
MAX_AGE = 1.0

# Bumped by ``forget``: every thread's values older than it are dropped.
_forgotten = itertools.count(1)
_epoch = [0]


def forget() -> None:
    """Drop every thread's values (this process just wrote a version)."""
    _epoch[0] = next(_forgotten)


class TrackedInts:
    """One thread's connection for integer reads, and the values it holds."""

    def __init__(self, connection_class, connection_kwargs: dict):
        self.values: dict[str, int | None] = {}
        self.answered = 0.0  # monotonic time the server last answered
        self.epoch = _epoch[0]
        self.tracked = True
        self.conn = connection_class(**{**connection_kwargs, "protocol": 3})
        self.conn.register_connect_callback(self._on_connect)
        try:
            self.conn.connect()
        except ResponseError:  # no RESP3 or no tracking: plain reads
            self.conn.disconnect()
            self.tracked = False
            self.conn = connection_class(**connection_kwargs)

    def _on_connect(self, conn) -> None:
        # A new server-side client: nothing is tracked for it yet, and
        # messages sent while the old one was gone are lost.
        self.values.clear()
        conn._parser.set_invalidation_push_handler(self._invalidated)
        conn.send_command("CLIENT", "TRACKING", "ON", check_health=False)
        if conn.read_response() not in (b"OK", "OK"):
            raise ResponseError("CLIENT TRACKING was not turned on")

    def _invalidated(self, message) -> None:
        keys = message[1]
        if keys is None:  # FLUSHDB, FLUSHALL, or the server dropped tracking
            self.values.clear()
            return
        for key in keys:
            self.values.pop(key.decode() if isinstance(key, bytes) else key, None)

    def read(self, keys: list[str], as_int) -> list[int | None]:
        """The values under ``keys`` (made keys), in order. Raises
        ``RedisError`` on any failure, after dropping the connection."""
        conn = self.conn
        try:
            values = self._current() if self.tracked else {}
            if all(key in values for key in keys):
                return [values[key] for key in keys]
            # All of them again, not only the missing ones: one round trip
            # either way, and one moment for every value returned.
            conn.send_packed_command(
                conn.pack_command("MGET", *keys), check_health=False
            )
            read = [as_int(value) for value in conn.read_response()]
        except BaseException:
            self.values.clear()
            conn.disconnect()
            raise
        self.answered = time.monotonic()
        if self.tracked:
            if len(values) + len(keys) > MAX_VALUES:
                values.clear()
            values.update(zip(keys, read, strict=True))
        return read

    def _current(self) -> dict:
        """The values held, once every message that arrived is taken in."""
        values = self.values
        if self.epoch != _epoch[0] or time.monotonic() - self.answered > MAX_AGE:
            self.epoch = _epoch[0]
            values.clear()
        conn = self.conn
        while conn.can_read(timeout=0):  # opens the connection when closed
            conn.read_response(push_request=True)
        return values
