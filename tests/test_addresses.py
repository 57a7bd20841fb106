"""Private addresses in every notation (crawlers/addresses.py) and the resolver's judgement."""

from __future__ import annotations

import pytest

from crawlers import resolver
from crawlers.addresses import is_private, same_host


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1", "127.1", "2130706433", "0x7f000001", "0177.0.0.1", "localhost", "localhost.",
        "a.localhost", "2852039166", "0xa9fea9fe", "0251.0376.0251.0376", "169.254.43518",
        "10.0.0.1", "192.168.1.1", "::1", "[::1]", "::ffff:127.0.0.1", "[::ffff:a9fe:a9fe]",
        "fe80::1", "224.0.0.1", "0.0.0.0", "100.64.0.1",
    ],
)  # fmt: skip
def test_private_in_every_notation(host):
    assert is_private(host)


@pytest.mark.parametrize("host", ["8.8.8.8", "93.184.216.34", "example.com", "3com.com", "vm"])
def test_public_hosts_and_names(host):
    assert not is_private(host)


def test_spellings_of_one_address_compare_equal():
    assert same_host("2130706433") == same_host("127.1") == "127.0.0.1"
    assert same_host("News.Example.") == "news.example"


def test_the_resolver_refuses_private_answers_unless_the_name_is_allowed():
    resolver.allow(["allowed.test"])
    assert resolver.GuardedResolver._judge("10.1.2.3", "allowed.test") == "10.1.2.3"
    assert resolver.GuardedResolver._judge("93.184.216.34", "public.test") == "93.184.216.34"
    with pytest.raises(resolver.PrivateAddressRefused, match="10.1.2.3 for alias.test"):
        resolver.GuardedResolver._judge("10.1.2.3", "alias.test")
    assert resolver.refused("alias.test.") == "10.1.2.3"
