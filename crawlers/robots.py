"""robots.txt as RFC 9309 says: a 4xx allows all, a 5xx or an unreachable file disallows all.

Scrapy's RobotsTxtMiddleware reads any answer's body as rules (a 503 page of HTML: allow all)
and allows all when robots.txt cannot be fetched at all. Here, for the rest of the crawl:

* 2xx: its rules (after redirects, which RedirectMiddleware follows up to REDIRECT_MAX_TIMES,
  each hop judged by the address guard);
* 4xx, or more redirects than allowed: "unavailable", so every URL is allowed;
* 5xx (after retries), a timeout, a refused or reset connection, a DNS failure, a body over
  the size limit (a bomb), a redirect to a private address: "unreachable", so the host is
  disallowed. Its requests are dropped unsent, and the run gets one ``robots_unavailable``
  row per host saying why and how many requests were not sent.

A site whose own address is refused by the guard keeps its ``private_address`` rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request, Response
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from corpus.records import FetchFailure
from crawlers import resolver
from crawlers.addresses import same_host
from crawlers.failures import Summarized, classify


class RobotsUnavailable(Summarized):
    """A request to a host whose robots.txt could not be read: not sent."""

    kind = "robots_unavailable"


@dataclass
class Unreachable:
    """The parser of a host whose robots.txt is unreachable: why, and what it cost."""

    url: str
    why: str
    status: int | None = None
    dropped: int = 0

    def allowed(self, url: str, user_agent: object) -> bool:
        return False


class RFCRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware with RFC 9309's outcomes (see the module)."""

    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        self.unreachable: dict[str, Unreachable] = {}  # netloc -> why

    def _settle(self, netloc: str, parser: object) -> None:
        """Give the host its parser and wake the requests waiting for it."""
        waiting = self._parsers[netloc]
        self._parsers[netloc] = parser
        if isinstance(waiting, Deferred):
            waiting.callback(parser)

    def _disallow(self, netloc: str, url: str, why: str, status: int | None = None) -> None:
        self.unreachable[netloc] = Unreachable(url, why, status)
        self._settle(netloc, self.unreachable[netloc])

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        url = f"{urlparse_cached(request).scheme}://{netloc}/robots.txt"
        if response.status >= 500:
            self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            self._disallow(
                netloc, url, f"robots.txt answered HTTP {response.status}", response.status
            )
        elif response.status >= 300:  # 4xx, or a redirect not followed: allow all
            self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            self._settle(netloc, None)
        else:
            await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        kind, reason, status = classify(Failure(exc))
        host = urlsplit(f"//{netloc}").hostname or ""
        message = str(exc)
        own_address = kind == "private_address" and (
            message.endswith(f" for {host}") or message.endswith(f" for {same_host(host)}")
        )
        refused = resolver.refused(host) or resolver.refused(same_host(host))
        if own_address or refused or kind == "redirect_loop":
            # the guard refuses the site itself (each request gets its row), or more
            # redirects than allowed: RFC 9309 calls that unavailable, so allow all
            super()._robots_error(exc, netloc)
            return
        self._stats.inc_value(f"robotstxt/unreachable/{kind}")
        self._disallow(netloc, f"http://{netloc}/robots.txt", reason, status)

    def process_request_2(self, rp, request: Request) -> None:
        if isinstance(rp, Unreachable):
            rp.url = (
                f"{urlparse_cached(request).scheme}://{urlparse_cached(request).netloc}/robots.txt"
            )
            rp.dropped += 1
            raise RobotsUnavailable(f"robots.txt of {urlparse_cached(request).netloc} unreachable")
        super().process_request_2(rp, request)

    def summary_failures(self) -> list[FetchFailure]:
        """One ``robots_unavailable`` row per host whose robots.txt could not be read."""
        source = getattr(self.crawler.spider, "source", None)
        return [
            FetchFailure(
                url=u.url,
                reason=(
                    f"robots_unavailable: {u.why}; the host is disallowed for this crawl"
                    f" (RFC 9309), {u.dropped} requests not sent"
                )[:500],
                status=u.status,
                source=source.key if source else None,
                discovered_via="robots",
                kind="robots_unavailable",
            )
            for u in self.unreachable.values()
        ]
