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
DOWNLOAD_DELAY = 2.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
HTTPERROR_ALLOW_ALL = False

DOWNLOADER_MIDDLEWARES = {"crawlers.middlewares.LoopbackFastMiddleware": 50}
ITEM_PIPELINES = {"crawlers.pipelines.StorePipeline": 300}

# Where the store pipeline writes; `corpus crawl --db` and `-s CORPUS_DB=...` override it.
CORPUS_DB = os.environ.get("CORPUS_DB", "corpus.db")
CORPUS_BATCH_SIZE = 25  # articles per transaction
# Demo and tests only: no delay for 127.0.0.1 (never applies to any other host).
CORPUS_LOOPBACK_FAST = False

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = os.environ.get("CORPUS_LOG_LEVEL", "INFO")
