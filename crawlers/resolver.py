"""The crawl's DNS resolver: a host name resolving to a private address is refused before any
connection, and the connection goes to the address that was checked.

Scrapy's caching resolver, with one check on every answer: a private, loopback, link-local,
multicast or reserved address (:mod:`crawlers.addresses`) fails the lookup ("refused private
address ..."), so nothing, not even ``/robots.txt``, is sent to it. Names allowed to be
private: ``CORPUS_ALLOW_PRIVATE_HOSTS``, the proxies of the environment, and the literal local
hosts a source names in ``allowed_domains`` (registered by the address guard with
:func:`allow`). The address connected to is the one this lookup returned and checked: Twisted
connects to the resolver's answer, and Scrapy caches it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit
from urllib.request import getproxies

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

from crawlers.addresses import is_private, same_host

ALLOWED: set[str] = set()  # names and addresses that may be private, for this process
REFUSED: dict[str, str] = {}  # host name -> the private address it resolved to


def refused(host: str) -> str | None:
    """The private address ``host`` was refused for, if it was (Twisted reports the refusal
    as "no results", so failures are told apart by the host)."""
    return REFUSED.get(host.rstrip(".").lower())


def allow(hosts: Iterable[str]) -> None:
    """Let ``hosts`` resolve to private addresses in this process. Judged by the name asked
    for: another name resolving to the same address is still refused."""
    ALLOWED.update(same_host(h) for h in hosts if h)


class PrivateAddressRefused(DNSLookupError):
    """A host name resolved to an address a crawl may not reach."""


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching resolver that refuses private answers (see the module docstring)."""

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        allow(crawler.settings.getlist("CORPUS_ALLOW_PRIVATE_HOSTS"))
        allow(urlsplit(url).hostname or "" for url in getproxies().values())
        return super().from_crawler(crawler, reactor)

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> defer.Deferred:  # noqa: N802
        answer = super().getHostByName(name, timeout)
        return answer.addCallback(self._judge, name)

    @staticmethod
    def _judge(address: str, name: str) -> str:
        if is_private(address) and same_host(name) not in ALLOWED:  # by name: an alias is not
            REFUSED[name.rstrip(".").lower()] = address
            raise PrivateAddressRefused(f"refused private address {address} for {name}")
        return address
