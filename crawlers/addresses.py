"""Which addresses a crawl may never reach: private, loopback, link-local, multicast, reserved.

A host is read in every notation a resolver accepts: dotted, decimal (``2130706433``), hex
(``0x7f000001``), octal (``0177.0.0.1``), short forms (``127.1``, ``169.254.43518``), IPv6
with an embedded or mapped IPv4 address (``::ffff:127.0.0.1``) and names with a trailing dot.
"""

from __future__ import annotations

import ipaddress
import re
import socket

_NUMERIC = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}$", re.IGNORECASE)


def ip_of(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address ``host`` spells in any notation, None for a host name."""
    host = host.strip("[]").rstrip(".").lower()
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        if not _NUMERIC.match(host):
            return None
        try:  # inet_aton reads the decimal, hex, octal and short forms as resolvers do
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            return embedded
        if ip in ipaddress.IPv6Network("::/96") and int(ip) > 1:  # IPv4-compatible (::a.b.c.d)
            return ipaddress.IPv4Address(int(ip))
    return ip


def is_private(host: str) -> bool:
    """True for ``localhost`` names and any address no public site has."""
    name = host.strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    ip = ip_of(name)
    if ip is None:
        return False
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global
    )


def same_host(host: str) -> str:
    """One spelling of a host for comparisons: an address in dotted form, a name lower-case
    without its trailing dot."""
    ip = ip_of(host)
    return str(ip) if ip is not None else host.strip("[]").rstrip(".").lower()
