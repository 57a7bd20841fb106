"""Downloader middlewares: raw archive, polite retries, address guard, crawl delay, page budget."""

from __future__ import annotations

import asyncio
import random
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.response import response_status_message

from corpus.archive import ArchivedResponse, WarcArchive, default_archive_dir
from corpus.records import FetchFailure
from crawlers import resolver
from crawlers.addresses import ip_of, is_private, same_host
from crawlers.failures import OverBudget
from processing.dedupe import canonical_url

LOOPBACK_SLOTS = {
    "127.0.0.1": {"delay": 0.0, "concurrency": 1},
    "localhost": {"delay": 0.0, "concurrency": 1},
}


def is_loopback(url: str) -> bool:
    """True for http://127.x.x.x, ::1 and localhost URLs."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    ip = ip_of(host)
    return ip is not None and ip.is_loopback


class LoopbackFastMiddleware:
    """With CORPUS_LOOPBACK_FAST (demo and tests), keep AutoThrottle off loopback requests so
    their slot keeps the zero delay that NewsSpider.update_settings gives it. Other hosts keep
    every politeness setting."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LoopbackFastMiddleware:
        if not crawler.settings.getbool("CORPUS_LOOPBACK_FAST"):
            raise NotConfigured
        return cls()

    def process_request(self, request: Request, spider: object = None) -> None:
        if is_loopback(request.url):
            request.meta["autothrottle_dont_adjust_delay"] = True


class WarcArchiveMiddleware:
    """Write every response the crawl receives (after redirects and decompression) to the raw
    archive, so `corpus reprocess` can rebuild articles without the network. The time it
    stamps on the response is the article's fetch time too (``meta["fetched_at"]``)."""

    def __init__(self, crawler: Crawler, folder: Path) -> None:
        self.crawler = crawler
        self.folder = folder
        self.archive: WarcArchive | None = None
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcArchiveMiddleware:
        settings = crawler.settings
        if not settings.getbool("CORPUS_ARCHIVE"):
            raise NotConfigured
        folder = settings.get("CORPUS_ARCHIVE_DIR") or default_archive_dir(settings["CORPUS_DB"])
        return cls(crawler, Path(folder))

    def process_response(self, request: Request, response: Response, spider: object = None):
        fetched_at = datetime.now(UTC)
        request.meta["fetched_at"] = fetched_at
        if self.archive is None:
            source = getattr(self.crawler.spider, "source", None)
            self.archive = WarcArchive(self.folder, source.key if source else "unknown")
        headers = {
            k.decode("latin-1"): b", ".join(v).decode("latin-1")
            for k, v in response.headers.items()
        }
        first_url = (request.meta.get("redirect_urls") or [request.url])[0]
        self.archive.write(
            ArchivedResponse(
                url=response.url,
                request_url=first_url,
                status=response.status,
                headers=headers,
                body=response.body,
                fetched_at=fetched_at,
                source=self.archive.relative.parts[0],
                kind=request.meta.get("kind", "discovery"),
                discovered_via=request.meta.get("via"),
                hints=request.meta.get("hints"),
            )
        )
        return response

    def close(self, spider: object = None) -> None:
        if self.archive is not None:
            self.archive.close()
            self.archive = None


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds asked for by a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class PoliteRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, but waiting before each one: as long as the server's Retry-After asks
    (up to CORPUS_RETRY_AFTER_MAX seconds; longer requests give up at once), else with
    exponential back-off and jitter (CORPUS_RETRY_BACKOFF * 2^(n-1), drawn up to 1.5 times
    that, capped at CORPUS_RETRY_BACKOFF_MAX), for error statuses and connection errors alike
    (refused, reset, timeout)."""

    JITTER = 0.5  # a wait is drawn from [base, base * (1 + JITTER)]

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.backoff = settings.getfloat("CORPUS_RETRY_BACKOFF", 2.0)
        self.backoff_max = settings.getfloat("CORPUS_RETRY_BACKOFF_MAX", 60.0)
        self.retry_after_max = settings.getfloat("CORPUS_RETRY_AFTER_MAX", 300.0)

    def backoff_seconds(self, attempt: int) -> float:
        """The wait before retry ``attempt`` (1 for the first): exponential, with jitter, so
        retries of many requests to one struggling host do not arrive together."""
        base = self.backoff * 2 ** (attempt - 1)
        return min(base * random.uniform(1.0, 1.0 + self.JITTER), self.backoff_max)

    def process_response(self, request: Request, response: Response, spider: object = None):
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        asked = retry_after_seconds(response.headers.get("Retry-After", b"").decode("latin-1"))
        if asked is not None and asked > self.retry_after_max:
            return response  # the server wants a long pause: give up now, next run retries
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        attempt = retry.meta.get("retry_times", 1)
        wait = asked if asked is not None else self.backoff_seconds(attempt)
        retry.meta["corpus_not_before"] = time.monotonic() + wait
        return retry

    def process_exception(self, request: Request, exception: Exception, spider: object = None):
        if resolver.refused(urlsplit(request.url).hostname or ""):
            return None  # a refused private address: asking again changes nothing
        retry = super().process_exception(request, exception)
        if isinstance(retry, Request):  # a connection error: back off as for a 503
            attempt = retry.meta.get("retry_times", 1)
            retry.meta["corpus_not_before"] = time.monotonic() + self.backoff_seconds(attempt)
        return retry

    async def process_request(self, request: Request, spider: object = None) -> None:
        wait = request.meta.get("corpus_not_before", 0.0) - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)


class GapFloorMiddleware:
    """Keep each download slot's delay as a floor between the moments requests really leave.

    Scrapy counts the delay from when it takes a request off the slot's queue. A crawl process
    busy with other work (cleaning pages of a hundred sources) may send that request later, and
    the next one then follows it by less than the delay; this holds it back for the rest."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.last_sent: dict[str, float] = {}  # slot key -> time.monotonic() it last sent

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GapFloorMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request, spider: object = None) -> None:
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is not None and slot.delay > 0 and key in self.last_sent:
            wait = self.last_sent[key] + slot.delay - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
        self.last_sent[key] = time.monotonic()


class AddressGuardMiddleware:
    """Guard every hop of a crawl. Refuses (as recorded failures, never silently):

    * loopback, private, link-local and reserved addresses, whether asked for directly, reached
      through a redirect, or resolved from a host name, except hosts the source itself names in
      ``allowed_domains`` (a local test site) or CORPUS_ALLOW_PRIVATE_HOSTS lists. Through a
      proxy (``http_proxy``/``https_proxy`` or ``request.meta["proxy"]``) the host asked for is
      judged, never the proxy's own address, which may well be private;
    * redirects to a domain the source does not allow (``offsite``);
    * redirect loops (a hop back to a URL already in the chain).

    It sits before RedirectMiddleware in the response chain, so it judges each Location first.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.extra = set(crawler.settings.getlist("CORPUS_ALLOW_PRIVATE_HOSTS"))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AddressGuardMiddleware:
        return cls(crawler)

    def _allowed(self) -> set[str]:
        source = getattr(self.crawler.spider, "source", None)
        allowed = {same_host(h) for h in self.extra | set(source.allowed_domains if source else ())}
        # the resolver lets the local sites a source names resolve to themselves
        resolver.allow(h for h in allowed if is_private(h))
        return allowed

    def _check_address(self, host: str, address: str | None) -> None:
        allowed = self._allowed()
        local_site = same_host(host) in allowed and is_private(host)  # e.g. a test site
        for candidate in filter(None, (host, address)):
            if is_private(candidate) and same_host(candidate) not in allowed and not local_site:
                raise IgnoreRequest(f"refused private address {candidate} for {host}")

    def _check_redirect(self, request: Request, target: str) -> None:
        host = same_host(urlsplit(target).hostname or "")
        self._check_address(host, None)
        source = getattr(self.crawler.spider, "source", None)
        domains = {same_host(d) for d in (source.allowed_domains if source else ())}
        robots = request.meta.get("dont_obey_robotstxt")  # RFC 9309: robots.txt may move hosts
        if domains and not robots and not any(host == d or host.endswith("." + d) for d in domains):
            raise IgnoreRequest(f"offsite redirect to {host}")
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if canonical_url(target) in {canonical_url(u) for u in chain}:
            raise IgnoreRequest(f"redirect loop back to {target}")

    def process_request(self, request: Request, spider: object = None) -> None:
        self._check_address(urlsplit(request.url).hostname or "", None)

    def process_response(self, request: Request, response: Response, spider: object = None):
        # Through a proxy the connected address is the proxy's own: judge the host asked for.
        proxied = bool(request.meta.get("proxy") or request.meta.get("_auth_proxy"))
        address = str(response.ip_address) if response.ip_address and not proxied else None
        self._check_address(urlsplit(response.url).hostname or "", address)
        location = response.headers.get("Location")
        if 300 <= response.status < 400 and location:
            self._check_redirect(request, urljoin(response.url, location.decode("latin-1")))
        return response


class CrawlDelayMiddleware:
    """Honour a robots.txt Crawl-delay: the host's download slot waits at least that long
    between requests (capped at CORPUS_MAX_CRAWL_DELAY), and AutoThrottle may not shorten it."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.cap = crawler.settings.getfloat("CORPUS_MAX_CRAWL_DELAY", 60.0)
        self.agent = crawler.settings.get("USER_AGENT", "*")
        self.robots: RobotsTxtMiddleware | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlDelayMiddleware:
        if not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        return cls(crawler)

    def _robots(self) -> RobotsTxtMiddleware | None:
        if self.robots is None:
            chain = self.crawler.engine.downloader.middleware.middlewares
            self.robots = next((m for m in chain if isinstance(m, RobotsTxtMiddleware)), None)
        return self.robots

    async def process_request(self, request: Request, spider: object = None) -> None:
        robots = self._robots()
        if robots is None or request.meta.get("dont_obey_robotstxt"):
            return
        parser = await robots.robot_parser(request)
        protego = getattr(parser, "rp", None)
        delay = protego.crawl_delay(self.agent) if protego is not None else None
        if not delay:
            return
        _, slot = self.crawler.engine.downloader._get_slot(request)
        floor = min(float(delay), self.cap)
        # Scrapy draws each wait from delay * (1 ± jitter); lift the mean so the shortest
        # draw still honours the floor.
        slot.delay = max(slot.delay, floor / (1 - min(_slot_jitter(slot), 0.9)))
        request.meta["autothrottle_dont_adjust_delay"] = True


def _slot_jitter(slot: object) -> float:
    """The random spread of a download slot's delay (Scrapy ≥2.19 ``jitter``, older
    ``randomize_delay`` meaning ±50%)."""
    jitter = getattr(slot, "jitter", None)
    if jitter is not None:
        return float(jitter)
    return 0.5 if getattr(slot, "randomize_delay", False) else 0.0


class PageBudgetMiddleware:
    """Stop one crawl of one source after CORPUS_PAGE_BUDGET requests (the source's
    ``page_budget`` when it sets one): an endless chain of "next" pages, a calendar trap or a
    200,000-URL sitemap ends with one ``over_budget`` row counting the URLs left unsent,
    not a row or a log line for each."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.default = crawler.settings.getint("CORPUS_PAGE_BUDGET", 20000)
        self.count = 0
        self.over = 0  # requests dropped past the budget
        self.first_over: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageBudgetMiddleware:
        return cls(crawler)

    def _budget(self) -> int:
        source = getattr(self.crawler.spider, "source", None)
        return getattr(source, "page_budget", None) or self.default

    def process_request(self, request: Request, spider: object = None) -> None:
        if request.meta.get("dont_obey_robotstxt"):  # robots.txt itself is always allowed
            return
        budget = self._budget()
        self.count += 1
        if self.count > budget:
            self.over += 1
            self.first_over = self.first_over or request.url
            raise OverBudget(f"page budget of {budget} requests reached")

    def summary_failures(self) -> list[FetchFailure]:
        """The run's one ``over_budget`` row (none when the budget sufficed)."""
        if not self.over:
            return []
        source = getattr(self.crawler.spider, "source", None)
        reason = (
            f"over_budget: {self.over} URLs over the page budget of {self._budget()}"
            f" (the first: {self.first_over})"
        )
        home = source.homepage if source else (self.first_over or "")
        return [
            FetchFailure(
                home, reason[:500], None, source.key if source else None, None, "over_budget"
            )
        ]


class SpiderErrorsMiddleware:
    """A spider callback that raises (a bad pattern in a source file, a page that breaks a
    parser) becomes a recorded failure of that page instead of only a line in Scrapy's log."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SpiderErrorsMiddleware:
        return cls(crawler)

    def process_spider_exception(
        self, response: Response, exception: Exception, spider: object = None
    ) -> list[FetchFailure]:
        source = getattr(self.crawler.spider, "source", None)
        return [
            FetchFailure(
                url=response.url,
                reason=f"spider_error: {type(exception).__name__}: {exception}"[:500],
                status=response.status,
                source=source.key if source else None,
                discovered_via=response.meta.get("via"),
                kind="spider_error",
            )
        ]
