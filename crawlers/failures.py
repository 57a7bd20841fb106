"""Names for the ways a fetch fails, so crawl summaries can count each kind."""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import exceptions as scrapy_exceptions
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectionDone,
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from crawlers import resolver


def _scrapy_errors(*names: str) -> tuple[type[Exception], ...]:
    """Scrapy's own download exceptions (recent versions); absent ones are skipped."""
    return tuple(c for n in names if (c := getattr(scrapy_exceptions, n, None)) is not None)


_CANCELLED = _scrapy_errors("DownloadCancelledError")
_TIMEOUT = _scrapy_errors("DownloadTimeoutError")
_DNS = _scrapy_errors("CannotResolveHostError")
_CONNECTION = _scrapy_errors(
    "DownloadConnectionRefusedError", "DownloadFailedError", "ResponseDataLossError"
)


class Summarized(IgnoreRequest):
    """A request dropped without a row of its own: the middleware that dropped it records one
    summary row per run (over the page budget, a host whose robots.txt is unavailable)."""

    kind = "ignored"


class OverBudget(Summarized):
    """A request past the crawl's page budget."""

    kind = "over_budget"


_IGNORED = (
    ("forbidden by robots.txt", "robots"),
    ("max redirections", "redirect_loop"),
    ("redirect loop", "redirect_loop"),
    ("offsite", "offsite"),
    ("private address", "private_address"),
    ("decompress", "too_large"),
    ("max size", "too_large"),
    ("budget", "budget"),
)


def classify(failure: Failure) -> tuple[str, str, int | None]:
    """(kind, human reason, HTTP status) for a failed request."""
    if failure.check(HttpError):
        status = failure.value.response.status
        return f"http_{status}", f"HTTP {status}", status
    message = failure.getErrorMessage()
    if failure.check(Summarized):
        kind = failure.value.kind
        return kind, f"{kind}: {message}"[:500], None
    if failure.check(IgnoreRequest):
        lowered = message.lower()
        kind = next((k for needle, k in _IGNORED if needle in lowered), "ignored")
        return kind, f"{kind}: {message}"[:500], None
    if failure.check(*_CANCELLED) or "max size" in message.lower():
        return "too_large", f"too_large: {message}"[:500], None
    request = getattr(failure, "request", None)
    host = urlsplit(request.url).hostname or "" if request is not None else ""
    if failure.check(DNSLookupError, *_DNS) and (address := resolver.refused(host)):
        reason = f"private_address: refused private address {address} for {host}"
        return "private_address", reason, None
    if failure.check(TimeoutError, TCPTimedOutError, *_TIMEOUT):
        return "timeout", f"timeout: {message}"[:500], None
    if failure.check(DNSLookupError, *_DNS):
        return "dns", f"dns: {message}"[:500], None
    if failure.check(
        ConnectionRefusedError,
        ConnectionLost,
        ConnectionDone,
        ResponseNeverReceived,
        *_CONNECTION,
    ):
        return "connection", f"connection: {message}"[:500], None
    if failure.check(ResponseFailed):
        text = message + " ".join(str(r.value) for r in getattr(failure.value, "reasons", []))
        if "max size" in text.lower() or "maxsize" in text.lower():
            return "too_large", f"too_large: {text}"[:500], None
        return "connection", f"connection: {text}"[:500], None
    name = failure.type.__name__ if failure.type else "Error"
    if "Cancel" in name:  # DOWNLOAD_MAXSIZE cancels the download
        return "too_large", f"too_large: {message}"[:500], None
    return "error", f"{name}: {message}"[:500], None


def summary_failures(crawler: object) -> list:
    """The one-per-run failure rows of downloader middlewares that drop requests without a
    row each (``summary_failures()``: URLs over the page budget, robots.txt unavailable)."""
    engine = getattr(crawler, "engine", None)
    downloader = getattr(engine, "downloader", None)
    return [
        failure
        for middleware in (downloader.middleware.middlewares if downloader else ())
        for failure in getattr(middleware, "summary_failures", lambda: [])()
    ]
