"""The retry back-off of PoliteRetryMiddleware: exponential, jittered, capped."""

from __future__ import annotations

from scrapy.settings import Settings

from crawlers.middlewares import PoliteRetryMiddleware


def test_backoff_doubles_with_jitter_up_to_the_cap() -> None:
    retry = PoliteRetryMiddleware(
        Settings({"CORPUS_RETRY_BACKOFF": 2.0, "CORPUS_RETRY_BACKOFF_MAX": 60.0})
    )
    for attempt, base in ((1, 2.0), (2, 4.0), (3, 8.0), (4, 16.0)):
        waits = [retry.backoff_seconds(attempt) for _ in range(200)]
        assert all(base <= w <= base * 1.5 for w in waits), (attempt, min(waits), max(waits))
        assert max(waits) - min(waits) > base * 0.1  # jitter: not all the same
    assert all(retry.backoff_seconds(10) == 60.0 for _ in range(20))  # 1024 s, capped
