"""The Redis message format of distributed crawls: key names, and the messages crawlers push.

Crawler processes (``crawlers.distributed``) encode what they fetch with these functions; the
single writer (``corpus ingest``) decodes them. A message is JSON with its kind (``"t"``),
source, run and (when rebased) base URL; bodies travel zlib-compressed in base64.

Kinds: ``page`` (a RawPage), ``failure`` (a FetchFailure), ``archive`` (a response that is not
an article page, for the raw archive), ``closed`` (a crawler stopped) and ``end`` (the last
crawler of a run found the frontier empty: the run is finished).
"""

from __future__ import annotations

import base64
import json
import zlib
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import click

from corpus.archive import ArchivedResponse
from corpus.records import FetchFailure
from processing.article import RawPage


@dataclass(frozen=True)
class Keys:
    """Every Redis key of distributed mode, under one prefix (``CORPUS_REDIS_PREFIX``)."""

    prefix: str = "corpus"

    @property
    def items(self) -> str:
        return f"{self.prefix}:items"

    @property
    def processing(self) -> str:
        return f"{self.prefix}:items:processing"

    @property
    def dead(self) -> str:
        """Messages the ingester could not read (kept for a look, never retried)."""
        return f"{self.prefix}:items:dead"

    @property
    def lock(self) -> str:
        return f"{self.prefix}:ingest:lock"

    @property
    def runs(self) -> str:
        """Hash ``source:run`` -> crawl_runs.id, so a restarted ingester continues a run."""
        return f"{self.prefix}:ingest:runs"

    def state(self, source: str) -> str:
        """Hash canonical URL -> JSON of what the corpus knows (``Store.crawl_state``)."""
        return f"{self.prefix}:state:{source}"

    def current_run(self, source: str) -> str:
        return f"{self.prefix}:{source}:run"

    def run_counter(self, source: str) -> str:
        return f"{self.prefix}:{source}:runs"

    def requeued(self, source: str) -> str:
        """Capped log of requests re-queued because their lease expired (``run url``)."""
        return f"{self.prefix}:{source}:requeued"

    def of_run(self, source: str, run: str, name: str) -> str:
        """Per-run keys: requests, dupefilter, inflight, scores, leases, seeding, seeded."""
        return f"{self.prefix}:{source}:{run}:{name}"


def _b64z(body: bytes) -> str:
    return base64.b64encode(zlib.compress(body, 3)).decode("ascii")


def _unb64z(text: str) -> bytes:
    return zlib.decompress(base64.b64decode(text))


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _parse_when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def message(kind: str, source: str, run: str, base: str | None = None, **fields: Any) -> bytes:
    """A queue message: JSON with its kind, source, run and (when rebased) base URL."""
    return json.dumps({"t": kind, "source": source, "run": run, "base": base, **fields}).encode()


def page_message(page: RawPage, source: str, run: str, base: str | None = None) -> bytes:
    data = asdict(page)
    data["body"] = _b64z(page.body)
    data["fetched_at"] = _when(page.fetched_at)
    return message("page", source, run, base, page=data)


def archive_message(record: ArchivedResponse, source: str, run: str) -> bytes:
    data = asdict(record)
    data["body"] = _b64z(record.body)
    data["fetched_at"] = _when(record.fetched_at)
    return message("archive", source, run, record=data)


def failure_message(failure: FetchFailure, source: str, run: str, base: str | None) -> bytes:
    return message("failure", source, run, base, failure=asdict(failure))


def decode(raw: bytes) -> dict[str, Any]:
    """A message back, with ``page`` as a RawPage, ``record`` as an ArchivedResponse and
    ``failure`` as a FetchFailure."""
    msg = json.loads(raw)
    if msg["t"] == "page":
        data = msg["page"]
        data["body"] = _unb64z(data["body"])
        data["fetched_at"] = _parse_when(data["fetched_at"])
        msg["page"] = RawPage(**data)
    elif msg["t"] == "archive":
        data = msg["record"]
        data["body"] = _unb64z(data["body"])
        data["fetched_at"] = _parse_when(data["fetched_at"])
        msg["record"] = ArchivedResponse(**data)
    elif msg["t"] == "failure":
        msg["failure"] = FetchFailure(**msg["failure"])
    return msg


def crawl_state_from_redis(server: Any, keys: Keys, source: str) -> dict[str, dict[str, Any]]:
    """The ingester's copy of ``Store.crawl_state(source)``."""
    state = {}
    for field_, value in server.hscan_iter(keys.state(source), count=1000):
        state[field_.decode()] = json.loads(value)
    return state


def connect(url: str) -> Any:
    """A Redis client (bytes in, bytes out) that fails with one clear line."""
    import redis

    server = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10)
    try:
        server.ping()
    except redis.RedisError as exc:
        raise click.ClickException(f"cannot reach Redis at {url}: {exc}") from None
    return server
