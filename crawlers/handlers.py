"""The HTTP download handler: Scrapy's HTTP/1.1 handler with bounded response headers.

``DOWNLOAD_MAXSIZE`` bounds only the body: Twisted's parser keeps every header line a server
sends, so an endless header stream grows the crawl process by gigabytes before the download
timeout ends it. Here a response whose header section passes ``CORPUS_MAX_HEADER_BYTES`` bytes
or ``CORPUS_MAX_HEADERS`` lines is dropped at once (a ``too_large`` failure). One header line
is already bounded by Twisted (16 KiB), and the whole response by ``DOWNLOAD_TIMEOUT``.
"""

from __future__ import annotations

from scrapy.core.downloader.handlers.http11 import (
    HTTP11DownloadHandler,
    _LenientHTTP11ClientFactory,
    _LenientHTTP11ClientProtocol,
    _LenientHTTPClientParser,
)
from scrapy.crawler import Crawler

MAX_HEADER_BYTES = 256 * 1024  # browsers allow about as much (Chrome: 256 KiB)
MAX_HEADERS = 500  # header lines; real responses send a few dozen


class HeadersTooLarge(Exception):
    """The server's header section is over the limit."""


class _BoundedParser(_LenientHTTPClientParser):
    """Scrapy's lenient parser, counting the header section as it arrives (no extra state in
    ``__init__``: the protocol swaps the class of a parser it has already built)."""

    max_bytes = MAX_HEADER_BYTES
    max_lines = MAX_HEADERS

    def lineReceived(self, line: bytes) -> None:  # noqa: N802 (Twisted's naming)
        seen = self.__dict__.get("_corpus_seen", (0, 0))
        seen = (seen[0] + len(line) + 1, seen[1] + 1)
        self._corpus_seen = seen
        if seen[0] > self.max_bytes or seen[1] > self.max_lines:
            raise HeadersTooLarge(
                f"response headers over the limit ({self.max_bytes:,} bytes or "
                f"{self.max_lines:,} lines): max size"
            )
        super().lineReceived(line)


class _BoundedProtocol(_LenientHTTP11ClientProtocol):
    parser_class: type[_BoundedParser] = _BoundedParser

    def request(self, request):  # noqa: ANN001, ANN201 (Twisted's types)
        answer = super().request(request)
        self._parser.__class__ = self.parser_class
        return answer


class BoundedHTTP11DownloadHandler(HTTP11DownloadHandler):
    """``http``/``https`` handler: Scrapy's, with the header limits of its settings."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        parser = type(
            "BoundedParser",
            (_BoundedParser,),
            {
                "max_bytes": settings.getint("CORPUS_MAX_HEADER_BYTES", MAX_HEADER_BYTES),
                "max_lines": settings.getint("CORPUS_MAX_HEADERS", MAX_HEADERS),
            },
        )
        protocol = type("BoundedProtocol", (_BoundedProtocol,), {"parser_class": parser})

        class Factory(_LenientHTTP11ClientFactory):
            def buildProtocol(self, addr):  # noqa: ANN001, ANN201, N802
                return protocol(self._quiescentCallback)

        self._pool._factory = Factory
