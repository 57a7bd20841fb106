"""One generic spider for every source: ``scrapy crawl news -a source=KEY``.

Discovery follows what the source file declares: sitemaps (through Scrapy's SitemapSpider,
with a lastmod filter), RSS/Atom feeds, listing pages with pagination and the WordPress REST
API (``wpapi.py``). Every URL that
matches the source's article pattern and none of its exclusions is fetched once per run and
handed to the pipeline as a :class:`RawPage`; every failure becomes a :class:`FetchFailure`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin

from scrapy import Request
from scrapy.http import Response
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import SitemapSpider
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from corpus.source import Listing, Source
from corpus.sources import get_source
from corpus.store import Store
from crawlers.failures import Summarized, classify
from crawlers.feeds import read_feed
from crawlers.incremental import CrawlPlan
from crawlers.items import FetchFailure, RawPage
from crawlers.middlewares import LOOPBACK_SLOTS
from crawlers.spiders.wpapi import WordPressAPI
from processing.dates import parse_date
from processing.dedupe import canonical_url, strip_params


class NewsSpider(WordPressAPI, SitemapSpider):
    """Crawl one source. Arguments: ``source`` (key), optional ``base_url`` (crawl a local copy
    at another origin), ``limit`` (stop after N article pages)."""

    name = "news"

    def __init__(
        self,
        source: str,
        base_url: str | None = None,
        limit: str | int | None = None,
        **kwargs: Any,
    ) -> None:
        src = get_source(source)
        self.source: Source = src.rebased(base_url) if base_url else src
        self.allowed_domains = [d for d in self.source.allowed_domains if d]
        self.sitemap_urls = list(self.source.sitemaps)
        self.sitemap_rules = [("", "parse_article")]
        self.limit = int(limit) if limit else None
        self.hints: dict[str, dict[str, str]] = {}  # canonical URL -> discovery hints
        self.seen: set[str] = set()
        self.articles_requested = 0
        self.plan: CrawlPlan | None = None  # set when the crawl starts (needs the settings)
        super().__init__(**kwargs)
        if self.source.download_delay is not None:
            self.download_delay = self.source.download_delay
        # no allow_domains here: it compares host:port; the offsite filter checks hosts
        self.links = LinkExtractor(unique=True)

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        super().update_settings(settings)
        if settings.getbool("CORPUS_LOOPBACK_FAST"):
            slots = {**settings.getdict("DOWNLOAD_SLOTS"), **LOOPBACK_SLOTS}
            settings.set("DOWNLOAD_SLOTS", slots, priority="spider")
        if settings.get("CORPUS_REDIS_URL"):  # distributed mode: docs/scale-out.md
            from crawlers.distributed import apply_settings

            apply_settings(settings)

    # ------------------------------------------------------------------ discovery
    def _load_plan(self) -> CrawlPlan:
        """What earlier crawls stored about this source (nothing when the database is new)."""
        settings = self.settings
        days = settings.get("CORPUS_RECHECK_DAYS")
        hours = settings.get("CORPUS_RECHECK_HOURS")
        return CrawlPlan(
            state=self._crawl_state(),
            now=datetime.now(UTC),
            recheck_days=float(days) if days is not None else self.source.recheck_days,
            recheck_hours=float(hours) if hours is not None else self.source.recheck_hours,
        )

    def _crawl_state(self) -> dict[str, dict[str, Any]]:
        if self.settings.get("CORPUS_REDIS_URL"):  # distributed: the ingester's copy in Redis
            from crawlers.distributed import crawl_state

            return crawl_state(self.settings, self.source.key)
        store = Store(self.settings["CORPUS_DB"])
        try:
            return store.crawl_state(self.source.key)
        finally:
            store.close()

    async def start(self) -> AsyncIterator[Any]:
        self.plan = self._load_plan()
        for entry in self.plan.due_rechecks():  # catch edits and removals of recent articles
            for request in self._article_request(entry["url"], "recheck"):
                yield request
        for url in self.source.sitemaps:
            yield self._request(url, self._parse_sitemap, "sitemap")
        for url in self.source.feeds:
            yield self._request(url, self.parse_feed, "feed")
        for listing in self.source.listings:
            yield self._request(listing.url, self.parse_listing, "listing", listing=listing, page=1)
        for request in self.wp_api_requests():  # crawlers/spiders/wpapi.py
            yield request

    def _request(self, url: str, callback: Any, via: str, **meta: Any) -> Request:
        meta["via"] = via
        if self.source.download_timeout:
            meta["download_timeout"] = self.source.download_timeout
        if self.source.download_maxsize:
            meta["download_maxsize"] = self.source.download_maxsize
        return Request(url, callback=callback, errback=self.on_error, meta=meta)

    def sitemap_filter(self, entries: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """Drop entries older than the source's max age, excluded or non-article URLs."""
        cutoff = None
        if self.source.sitemap_max_age_days is not None:
            cutoff = datetime.now(UTC) - timedelta(days=self.source.sitemap_max_age_days)
        for entry in entries:
            loc = entry.get("loc") or ""
            lastmod = entry.get("lastmod")
            if cutoff and lastmod:
                when = parse_date(lastmod, self.source.timezone, rule="sitemap")
                if when and when.utc < cutoff:
                    continue
            if self.source.is_excluded(loc):
                continue
            if lastmod:
                self._hint(loc, "sitemap_lastmod", lastmod)
            yield entry

    def _parse_sitemap(self, response: Response) -> Iterable[Request | FetchFailure]:
        if not response.url.endswith("/robots.txt"):
            body = self._get_sitemap_body(response)
            if not body or Sitemap(body).type not in ("urlset", "sitemapindex"):
                yield FetchFailure(
                    response.url,
                    "invalid_sitemap: not a sitemap or sitemap index",
                    response.status,
                    self.source.key,
                    response.meta.get("via"),
                    "invalid_sitemap",
                )
                return
        for request in super()._parse_sitemap(response):
            if request.callback == self._parse_sitemap:
                yield self._request(request.url, self._parse_sitemap, "sitemap")
            else:
                yield from self._article_request(request.url, "sitemap")

    def parse_feed(self, response: Response) -> Iterator[Request]:
        """RSS or Atom: every entry link that looks like an article, with its date as a hint."""
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        parsed = read_feed(response.body, response.url, content_type)
        for entry in parsed.entries:
            link = entry.get("link")
            if not link:
                continue
            link = urljoin(response.url, link)
            date = entry.get("published") or entry.get("updated")
            if date:
                self._hint(link, "feed_date", date)
            if entry.get("author"):
                self._hint(link, "feed_author", entry["author"])
            yield from self._article_request(link, "feed")

    def parse_listing(self, response: Response) -> Iterator[Request]:
        """Article links on a listing page, then the next page while the budget allows."""
        listing: Listing = response.meta["listing"]
        page: int = response.meta["page"]
        found = 0
        for link in self.links.extract_links(response):
            if self.source.is_article_url(link.url):
                found += 1
                yield from self._article_request(link.url, "listing")
        if page >= listing.max_pages or not found:
            return
        next_url = self._next_page(response, listing, page)
        if next_url:
            yield self._request(
                next_url, self.parse_listing, "listing", listing=listing, page=page + 1
            )

    @staticmethod
    def _next_page(response: Response, listing: Listing, page: int) -> str | None:
        if listing.page_url:
            return listing.page_url.format(n=page + 1)
        css = listing.next_css or 'link[rel="next"]::attr(href), a[rel="next"]::attr(href)'
        href = response.css(css).get()
        return response.urljoin(href) if href else None

    def _hint(self, url: str, key: str, value: str) -> None:
        self.hints.setdefault(canonical_url(url, self.source.strip_params), {})[key] = value

    def _article_request(self, url: str, via: str) -> Iterator[Request]:
        if not self.source.is_article_url(url):
            return
        url = strip_params(url, self.source.strip_params)  # the source's own non-identifying names
        key = canonical_url(url)
        if key in self.seen:
            return
        if self.limit is not None and self.articles_requested >= self.limit:
            return
        hints = self.hints.get(key, {})
        if self.plan is not None and not self.plan.should_fetch(key, hints):
            return
        self.seen.add(key)
        self.articles_requested += 1
        request = self._request(
            url,
            self.parse_article,
            via,
            kind="article",
            hints=hints,
            handle_httpstatus_list=[304, 404, 410],
        )
        if self.plan is not None:
            request.headers.update(self.plan.conditional_headers(key))
        yield request

    # ------------------------------------------------------------------ pages
    def parse_article(self, response: Response) -> Iterator[RawPage]:
        """Hand the fetched page to the pipeline, untouched, with what discovery knew of it.

        304 (unchanged), 404 and 410 (gone) reach the pipeline too, with an empty body.
        """
        request_url = (response.meta.get("redirect_urls") or [response.url])[0]
        headers = {
            k.decode("latin-1").lower(): b", ".join(v).decode("latin-1")
            for k, v in response.headers.items()
        }
        yield RawPage(
            url=request_url,
            final_url=response.url,
            body=response.body,
            headers=headers,
            status=response.status,
            fetched_at=response.meta.get("fetched_at") or datetime.now(UTC),
            source=self.source.key,
            discovered_via=response.meta.get("via"),
            # meta: what the discovering crawler knew (another process, when distributed)
            hints={
                **(response.meta.get("hints") or {}),
                **self.hints.get(canonical_url(request_url), {}),
            },
        )

    def on_error(self, failure: Failure) -> Iterator[FetchFailure]:
        """Every failed request becomes a row: its kind, a readable reason, the HTTP status."""
        if failure.check(Summarized):
            return  # counted by its middleware in one row per run
        request = failure.request
        kind, reason, status = classify(failure)
        if status == 404 and request.meta.get("page", 1) > 1:
            return  # a listing's page_url template ran past the last page: the end, not an error
        yield FetchFailure(
            url=(request.meta.get("redirect_urls") or [request.url])[0],
            reason=reason,
            status=status,
            source=self.source.key,
            discovered_via=request.meta.get("via"),
            kind=kind,
        )
