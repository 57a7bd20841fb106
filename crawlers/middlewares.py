"""Downloader middlewares."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

LOOPBACK_SLOTS = {"127.0.0.1": {"delay": 0.0}, "localhost": {"delay": 0.0}}


def is_loopback(url: str) -> bool:
    """True for http://127.x.x.x, ::1 and localhost URLs."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
