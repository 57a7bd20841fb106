"""Polite crawl defaults. Override per run with ``-s NAME=VALUE`` or per source in its file."""

import os

BOT_NAME = "osint-corpus"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

CONTACT_URL = os.environ.get("CORPUS_CONTACT_URL", "https://github.com/osint-corpus/osint-corpus")
USER_AGENT = f"osint-corpus/0.1 (news research crawler; +{CONTACT_URL})"

ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
# Scrapy starts this many asyncio tasks for every response's output; an article page yields one
# item, so the default 100 spent ~10 % of the crawl process's CPU on tasks with nothing to do
CONCURRENT_ITEMS = 16
DOWNLOAD_DELAY = 2.0
# The delay is a floor: Scrapy would otherwise wait a random 0.5x-1.5x of it, i.e. 1 s here,
# under what a site asking for 2 s between requests expects (see also GapFloorMiddleware).
DOWNLOAD_DELAY_JITTER = 0.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

RETRY_ENABLED = True
CORPUS_RETRY_BACKOFF = 2.0  # seconds before the first retry, doubled for each next one
CORPUS_RETRY_BACKOFF_MAX = 60.0
CORPUS_RETRY_AFTER_MAX = 300.0  # a longer Retry-After gives up (the next run tries again)
# Hosts that may resolve to private/loopback addresses although the source is public.
CORPUS_ALLOW_PRIVATE_HOSTS: list[str] = []
# Refuses a host name resolving to a private address before any connection (crawlers/resolver.py)
TWISTED_DNS_RESOLVER = "crawlers.resolver.GuardedResolver"
CORPUS_MAX_CRAWL_DELAY = 60.0  # a robots.txt Crawl-delay is honoured up to this many seconds
CORPUS_PAGE_BUDGET = 20000  # requests per source and run (discovery and articles together)
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
# Scrapy's HTTP/1.1 handler with bounded response headers (DOWNLOAD_MAXSIZE bounds the body only)
DOWNLOAD_HANDLERS = {
    "http": "crawlers.handlers.BoundedHTTP11DownloadHandler",
    "https": "crawlers.handlers.BoundedHTTP11DownloadHandler",
}
CORPUS_MAX_HEADER_BYTES = 256 * 1024  # the whole header section of one response
CORPUS_MAX_HEADERS = 500  # header lines of one response
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # Scrapy 2.19 would open an HTTP control port
HTTPERROR_ALLOW_ALL = False

DOWNLOADER_MIDDLEWARES = {
    # robots.txt per RFC 9309 (a 5xx or unreachable file disallows the host) replaces Scrapy's.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawlers.robots.RFCRobotsTxtMiddleware": 100,
    # Our retries (Retry-After, back-off) replace Scrapy's, at the same place in the chain.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.middlewares.PoliteRetryMiddleware": 550,
    # Before RedirectMiddleware (600) in the response chain: judges each Location first.
    "crawlers.middlewares.AddressGuardMiddleware": 650,
    "crawlers.middlewares.LoopbackFastMiddleware": 50,
    "crawlers.middlewares.PageBudgetMiddleware": 45,
    # After robots.txt (100): applies its Crawl-delay to the host's slot.
    "crawlers.middlewares.CrawlDelayMiddleware": 110,
    # Low number: sees the final response, after redirects and decompression.
    "crawlers.middlewares.WarcArchiveMiddleware": 60,
    # The last before the download handler: the delay counted from when a request leaves.
    "crawlers.middlewares.GapFloorMiddleware": 990,
}
# Low number: the last to see an exception a spider callback raised, which it records.
SPIDER_MIDDLEWARES = {"crawlers.middlewares.SpiderErrorsMiddleware": 10}
ITEM_PIPELINES = {"crawlers.pipelines.StorePipeline": 300}

# Where the store pipeline writes; `corpus crawl --db` and `-s CORPUS_DB=...` override it.
CORPUS_DB = os.environ.get("CORPUS_DB", "corpus.db")
CORPUS_BATCH_SIZE = 25  # articles per transaction
# Articles waiting for their batch are written after this many seconds (and before a page over
# 1 MB is cleaned), so a page that later kills the process costs none of them.
CORPUS_FLUSH_SECONDS = 10.0
# What cleaning one page may cost: seconds (then the page is a `too_slow` failure) and elements
# (more: `too_complex`, refused before extraction; real article pages have a few thousand).
CORPUS_CLEAN_SECONDS = 20.0
CORPUS_MAX_ELEMENTS = 50_000
# Processes that clean pages beside the crawl (0: clean in the crawl process). Worth it when
# pages arrive faster than one core cleans them: backfills, reprocessing, local mirrors.
CORPUS_PROCESS_WORKERS = int(os.environ.get("CORPUS_PROCESS_WORKERS", "0"))
# Raw archive: every response in WARC files + index (default: archive/ beside the database).
CORPUS_ARCHIVE = True
CORPUS_ARCHIVE_DIR = os.environ.get("CORPUS_ARCHIVE_DIR", "")
# Re-check policy overrides for every source (None: each source's recheck_days/recheck_hours).
CORPUS_RECHECK_DAYS = None
CORPUS_RECHECK_HOURS = None
# Demo and tests only: no delay for 127.0.0.1 (never applies to any other host).
CORPUS_LOOPBACK_FAST = False

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = os.environ.get("CORPUS_LOG_LEVEL", "INFO")
