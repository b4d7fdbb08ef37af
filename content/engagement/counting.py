"""Unique readers per article per day, without personal data.

A reader is ``HMAC(secret key + the day's salt, address | user agent |
article | day)``: the address and user agent are read from the request and
never stored. The salt is random, made on the day's first view and deleted
with the day (Redis expiry, or the flush in the database), after which no
digest can be linked to anyone. Bots (by user agent) and prefetches
(``Sec-Purpose``/``Purpose: prefetch``) are not counted.

Counts accumulate in Redis when ``VIEW_COUNTER_REDIS_URL`` is set (one Lua
call per view: add the digest to the day's set and, if it is new, bump the
pending counter), else in the database (one insert per new reader, unique on
article, day and digest). ``flush`` moves pending counts into
``ArticleViewDay`` in batches; the worker runs it (``flush_view_counts``).
"""

import datetime
import hashlib
import hmac
import re
import secrets
import time
from collections import defaultdict
from functools import lru_cache

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F

from content.engagement.models import ArticleViewDay, ViewReader, ViewSalt

BOTS = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|"
    r"headless|lighthouse|pingdom|monitor|curl|wget|python-|httpclient|"
    r"java/|go-http|okhttp|node-fetch|axios|scrapy|phantomjs",
    re.IGNORECASE,
)
PENDING = "views:pending"
FLUSHING = "views:flushing"
SALT_KEY = "views:salt:{day}"
READERS_KEY = "views:readers:{day}:{article}"
# KEYS: readers set, pending hash; ARGV: digest, field, set expiry (seconds).
COUNT_SCRIPT = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[3])
  redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
  return 1
end
return 0
"""


def today() -> datetime.date:
    return datetime.datetime.now(datetime.UTC).date()


def _seconds_left_today() -> int:
    now = datetime.datetime.now(datetime.UTC)
    end = datetime.datetime.combine(now.date(), datetime.time(), datetime.UTC)
    return int((end + datetime.timedelta(days=1) - now).total_seconds()) + 1


def is_bot(user_agent: str) -> bool:
    return not user_agent.strip() or bool(BOTS.search(user_agent))


def is_prefetch(request) -> bool:
    headers = request.headers
    purpose = " ".join(
        headers.get(name, "") for name in ("Sec-Purpose", "Purpose", "X-Purpose")
    ).lower()
    moz = headers.get("X-Moz", "").lower()
    return "prefetch" in purpose or "prerender" in purpose or moz == "prefetch"


def digest(salt: str, address: str, user_agent: str, article_id: int, day) -> str:
    key = (settings.SECRET_KEY + salt).encode()
    message = f"{address}\x1f{user_agent}\x1f{article_id}\x1f{day}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


# --- backends ---------------------------------------------------------------


class DatabaseCounter:
    def salt(self, day) -> str:
        row = ViewSalt.objects.filter(day=day).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = ViewSalt.objects.create(day=day, salt=secrets.token_hex(32))
            except IntegrityError:  # another process made it first
                row = ViewSalt.objects.get(day=day)
        return row.salt

    def add(self, article_id: int, day, reader: str) -> bool:
        try:
            with transaction.atomic():
                ViewReader.objects.create(article_id=article_id, day=day, digest=reader)
        except IntegrityError:
            return False
        return True

    def pending(self) -> dict[tuple[int, datetime.date], int]:
        counts = defaultdict(int)
        for article_id, day in ViewReader.objects.filter(flushed=False).values_list(
            "article_id", "day"
        ):
            counts[(article_id, day)] += 1
        return dict(counts)

    def flush(self, batch: int) -> int:
        moved = 0
        while True:
            rows = list(
                ViewReader.objects.filter(flushed=False)
                .order_by("pk")
                .values_list("pk", "article_id", "day")[:batch]
            )
            if not rows:
                break
            groups = defaultdict(list)
            for pk, article_id, day in rows:
                groups[(article_id, day)].append(pk)
            with transaction.atomic():
                for (article_id, day), pks in groups.items():
                    # Only rows this flush marks are added: two flushes
                    # running at once never count a reader twice.
                    count = ViewReader.objects.filter(pk__in=pks, flushed=False).update(
                        flushed=True
                    )
                    _add_readers(article_id, day, count)
                    moved += count
        # Past days are over: their digests and salts go.
        ViewReader.objects.filter(flushed=True, day__lt=today()).delete()
        ViewSalt.objects.filter(day__lt=today()).delete()
        return moved


class RedisCounter:
    def __init__(self, url: str):
        import redis

        # A Redis outage must not hold a beacon for long (views.record_view).
        self.client = redis.Redis.from_url(
            url, socket_timeout=1, socket_connect_timeout=1
        )
        self.script = self.client.register_script(COUNT_SCRIPT)

    def salt(self, day) -> str:
        key = SALT_KEY.format(day=day)
        value = self.client.get(key)
        if value is None:
            self.client.set(
                key, secrets.token_hex(32), nx=True, ex=_seconds_left_today()
            )
            value = self.client.get(key)
        return value.decode()

    def add(self, article_id: int, day, reader: str) -> bool:
        keys = [READERS_KEY.format(day=day, article=article_id), PENDING]
        field = f"{article_id}:{day.isoformat()}"
        return bool(self.script(keys=keys, args=[reader, field, 2 * 86400]))

    def pending(self) -> dict[tuple[int, datetime.date], int]:
        counts = defaultdict(int)
        for key in (FLUSHING, PENDING):
            for field, value in self.client.hgetall(key).items():
                counts[_field(field)] += int(value)
        return dict(counts)

    def flush(self, batch: int) -> int:
        # What a failed flush left is moved first; then the pending hash is
        # renamed, so views counted meanwhile go to a fresh one.
        if not self.client.exists(FLUSHING):
            try:
                self.client.renamenx(PENDING, FLUSHING)
            except Exception as error:  # no pending hash: nothing counted
                if "no such key" not in str(error).lower():
                    raise
                return 0
        items = [
            (_field(field), int(value))
            for field, value in self.client.hgetall(FLUSHING).items()
        ]
        # Counts of articles deleted since are dropped, not written.
        article_ids = {article_id for (article_id, _day), _count in items}
        existing = set(
            apps.get_model("content", "ArticlePage")
            .objects.filter(pk__in=article_ids)
            .values_list("pk", flat=True)
        )
        items = [item for item in items if item[0][0] in existing]
        moved = 0
        for start in range(0, len(items), batch):
            with transaction.atomic():
                for (article_id, day), count in items[start : start + batch]:
                    _add_readers(article_id, day, count)
                    moved += count
        self.client.delete(FLUSHING)
        return moved


def _field(field) -> tuple[int, datetime.date]:
    article, day = (field.decode() if isinstance(field, bytes) else field).split(":")
    return int(article), datetime.date.fromisoformat(day)


def _add_readers(article_id: int, day, count: int) -> None:
    if count <= 0:
        return
    updated = ArticleViewDay.objects.filter(article_id=article_id, day=day).update(
        readers=F("readers") + count
    )
    if updated:
        return
    try:
        with transaction.atomic():
            ArticleViewDay.objects.create(article_id=article_id, day=day, readers=count)
    except IntegrityError:  # created meanwhile; the article may also be gone
        ArticleViewDay.objects.filter(article_id=article_id, day=day).update(
            readers=F("readers") + count
        )


@lru_cache(maxsize=4)
def _redis_counter(url: str) -> RedisCounter:
    return RedisCounter(url)


def counter():
    url = settings.VIEW_COUNTER_REDIS_URL
    return _redis_counter(url) if url else DatabaseCounter()


# --- entry points -----------------------------------------------------------


class CounterUnavailable(Exception):
    """The counters' store did not answer."""


def record(article_id: int, address: str, user_agent: str, *, day=None) -> bool:
    """Count one view; True when it is the reader's first of the day."""
    backend = counter()
    if isinstance(backend, RedisCounter):
        import redis

        try:
            return _record(backend, article_id, address, user_agent, day)
        except redis.RedisError as error:
            raise CounterUnavailable(str(error)) from error
    return _record(backend, article_id, address, user_agent, day)


def _record(backend, article_id, address, user_agent, day) -> bool:
    day = day or today()
    # SQLite allows one writer: a locked database is retried briefly.
    for attempt in range(50):
        try:
            reader = digest(backend.salt(day), address, user_agent, article_id, day)
            return backend.add(article_id, day, reader)
        except OperationalError as error:
            if "locked" not in str(error) or attempt == 49:
                raise
            time.sleep(0.01 * (attempt + 1))
    return False


def flush(batch: int | None = None) -> int:
    """Move pending counts into ``ArticleViewDay``; the number of readers moved."""
    return counter().flush(batch or settings.VIEW_FLUSH_BATCH)
