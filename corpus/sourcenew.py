"""Draft a source file from a live site (``corpus sources new KEY --homepage URL``).

A handful of polite requests (:mod:`corpus.politefetch`): robots.txt (its ``Sitemap:`` lines),
the homepage (``<link rel=alternate>`` feeds, the WordPress API link, ``lang``, site name,
``og:`` tags), then the usual places only for what is still missing (``/sitemap_index.xml``,
``/sitemap.xml``, ``/feed/``, ``/rss``, ``/wp-json/``). Article URLs sampled from the feed and
the sitemap give an ``article_url`` pattern; the UTC offsets of a few articles' dates give a
time zone. Everything found, and everything not, is listed for the person to review.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import feedparser
from lxml import etree, html

from corpus.politefetch import Fetched, PoliteClient
from processing.wordlists import table

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")
SITEMAP_PLACES = ("sitemap_index.xml", "sitemap.xml", "news-sitemap.xml")
FEED_PLACES = ("feed/", "rss", "rss.xml", "feed.xml")
NOT_ARTICLES = re.compile(r"/(?:tag|tags|category|categories|author|page|feed|search|about)/")
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?([+-]\d{2}:?\d{2}|Z)")


@dataclass
class Draft:
    """What was learnt about a site, and what was not."""

    key: str
    homepage: str
    name: str = ""
    language: str = ""
    country: str | None = None
    timezone: str | None = None
    sitemaps: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    wp_api: str | None = None
    article_url: str = ""
    samples: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def source_text(self) -> str:
        """The drafted source file."""
        host = urlsplit(self.homepage).hostname or ""
        domain = host.removeprefix("www.")
        lines = [
            f'"""{self.name or self.key}: drafted by `corpus sources new` on '
            f"{datetime.now(UTC):%Y-%m-%d} from {self.homepage}.",
            "",
            "Review every field, run `corpus sources check`, crawl a few pages",
            f"(`corpus crawl {self.key} --limit 5 --db trial.db`), then record fixtures",
            f"(`corpus sources record {self.key}`) and set tested_live=True.",
            '"""',
            "",
            "from corpus.source import Hints, Source",
            "",
            "SOURCE = Source(",
            f"    key={self.key!r},",
            f"    name={(self.name or self.key)!r},",
            f"    homepage={self.homepage!r},",
            f"    language={(self.language or 'en')!r},"
            + ("" if self.language else "  # not found on the site: check it"),
            f"    timezone={self.timezone!r},"
            + ("" if self.timezone else "  # None: read from each page's own date offsets"),
            f"    country={self.country!r},",
            f"    allowed_domains=({domain!r},),",
            f"    sitemaps={tuple(self.sitemaps)!r},",
            f"    feeds={tuple(self.feeds)!r},",
        ]
        if self.wp_api:
            lines.append(f"    wp_api={self.wp_api!r},")
        lines += [
            f"    article_url={_raw(self.article_url or '.*')},",
            '    exclude_url=(r"/(tag|category|author|page|feed|search)/", r"/wp-(admin|login)"),',
            "    hints=Hints(),",
            "    tested_live=False,",
            ")",
            "",
        ]
        return "\n".join(lines)

    def report(self) -> list[str]:
        """One line per finding, then one per thing not found."""
        return [f"found: {line}" for line in self.found] + [
            f"not found: {line}" for line in self.missing
        ]


def _raw(pattern: str) -> str:
    """A regex as Python source: a raw string where that is exact."""
    if '"' not in pattern and not pattern.endswith("\\"):
        return f'r"{pattern}"'
    return repr(pattern)


def _root(homepage: str) -> str:
    parts = urlsplit(homepage)
    return f"{parts.scheme}://{parts.netloc}/"


def _is_sitemap(answer: Fetched) -> str | None:
    """``"urlset"`` or ``"sitemapindex"`` when the answer is a sitemap."""
    if not answer.ok:
        return None
    try:
        root = etree.fromstring(
            answer.body, etree.XMLParser(resolve_entities=False, no_network=True)
        )
    except etree.XMLSyntaxError:
        return None
    kind = etree.QName(root).localname
    return kind if kind in ("urlset", "sitemapindex") else None


def _locs(answer: Fetched) -> list[str]:
    root = etree.fromstring(answer.body, etree.XMLParser(resolve_entities=False, no_network=True))
    return [el.text.strip() for el in root.iter("{*}loc") if el.text]


def _is_feed(answer: Fetched) -> feedparser.FeedParserDict | None:
    if not answer.ok:
        return None
    parsed = feedparser.parse(answer.body)
    return parsed if parsed.get("version") and parsed.entries else None


def _read_homepage(draft: Draft, page: Fetched) -> None:
    tree = html.fromstring(page.text())
    base = page.final_url or page.url
    lang = (tree.get("lang") or "").strip()
    locale = tree.xpath("string(//meta[@property='og:locale']/@content)").strip()
    lang = lang or locale.replace("_", "-")
    if lang:
        draft.language = lang.split("-")[0].lower()
        region = lang.split("-")[1] if "-" in lang else ""
        if len(region) == 2 and region.upper() not in ("US", "GB"):
            draft.country = region.upper()
        draft.found.append(f"language {draft.language} (<html lang={lang!r}>)")
    else:
        draft.missing.append("language: no <html lang> or og:locale")
    name = tree.xpath("string(//meta[@property='og:site_name']/@content)").strip()
    title = tree.xpath("string(//title)").strip()
    draft.name = name or (re.split(r"\s+[-|–—:]\s+", title)[0] if title else "")
    if draft.name:
        draft.found.append(f"name {draft.name!r}")
    else:
        draft.missing.append("name: no og:site_name or <title>")
    for link in tree.xpath("//link[@rel='alternate'][@href]"):
        if (link.get("type") or "").split(";")[0].strip().lower() in FEED_TYPES:
            url = urljoin(base, link.get("href"))
            if url not in draft.feeds and not re.search(r"/comments/feed/?$", url):
                draft.feeds.append(url)
    for href in tree.xpath("//link[@rel='https://api.w.org/']/@href"):
        draft.wp_api = urljoin(base, href)
        draft.found.append(f"WordPress REST API {draft.wp_api} (<link rel=https://api.w.org/>)")
    if draft.feeds:
        draft.found.append(f"feeds {', '.join(draft.feeds)} (<link rel=alternate>)")


def _country(draft: Draft) -> str | None:
    if draft.country:
        return draft.country
    tld = (urlsplit(draft.homepage).hostname or "").rsplit(".", 1)[-1]
    return tld.upper() if tld in table("pagedates", "tld_zones") else None


def guess_zone(draft: Draft, offsets: Counter[timedelta], when: datetime) -> str | None:
    """The zone of the outlet's country (or language) when it has the pages' usual offset."""
    if not offsets:
        draft.missing.append("time zone: no article date carries a UTC offset")
        return None
    offset = offsets.most_common(1)[0][0]
    shown = f"{'+' if offset >= timedelta(0) else '-'}{abs(offset) // timedelta(hours=1):02d}:" + (
        f"{abs(offset) % timedelta(hours=1) // timedelta(minutes=1):02d}"
    )
    tld_zones = table("pagedates", "tld_zones")
    country = _country(draft)
    candidates = [tld_zones.get(country.lower())] if country else []
    candidates.append(table("pagedates", "language_zones").get(draft.language))
    for name in filter(None, candidates):
        if ZoneInfo(name).utcoffset(when) == offset:
            draft.found.append(f"time zone {name} (article dates at {shown})")
            return name
    if offset == timedelta(0):
        draft.found.append("article dates are written in UTC: the outlet's zone is not known")
    else:
        draft.missing.append(f"time zone: article dates carry {shown}; set the outlet's zone")
    return None


def url_pattern(urls: list[str]) -> str:
    """A regex for the article URLs' common shapes: URLs with as many path segments (and the
    same query names) form a shape; a segment all samples share stays literal, others become
    ``\\d{4}`` (years), ``\\d+``, ``\\d+-[a-z0-9-]+`` or ``[^/]+``. Shapes holding at least a
    quarter of the samples are kept (three at most)."""
    groups: dict[tuple[int, tuple[str, ...]], list[tuple[list[str], list[str]]]] = {}
    for url in urls:
        parts = urlsplit(url)
        segments = parts.path.split("/")
        pairs = [p.partition("=") for p in parts.query.split("&")] if parts.query else []
        names = tuple(name for name, _, _ in pairs)
        groups.setdefault((len(segments), names), []).append(
            (segments, [value for _, _, value in pairs])
        )
    chosen = sorted(groups.items(), key=lambda item: -len(item[1]))
    chosen = [g for g in chosen if len(g[1]) * 4 >= len(urls)][:3]
    shapes = []
    for (count, names), members in chosen:
        path = "/".join(_column([m[0][i] for m in members]) for i in range(count))
        query = "&".join(
            re.escape(name) + "=" + (r"\d+" if all(m[1][i].isdigit() for m in members) else "[^&]+")
            for i, name in enumerate(names)
        )
        shapes.append(path + (r"\?" + query if names else ""))
    if not shapes:
        return ""
    body = shapes[0] if len(shapes) == 1 else "(?:" + "|".join(shapes) + ")"
    return "^https?://[^/]+" + body + "$"


def _column(tokens: list[str]) -> str:
    """The pattern of one path segment across samples."""
    distinct = set(tokens)
    if distinct == {""}:
        return ""
    if len(distinct) == 1 and not _variable(tokens[0]):
        return re.escape(tokens[0])
    if all(re.fullmatch(r"(19|20)\d\d", t) for t in distinct):
        return r"\d{4}"
    if all(t.isdigit() for t in distinct):
        return r"\d+"
    if all(re.fullmatch(r"\d+-[a-z0-9-]+", t) for t in distinct):
        return r"\d+-[a-z0-9-]+"
    return r"[^/]+"


def _variable(token: str) -> bool:
    """A segment that names one article (a number, a slug), not a fixed place of the site."""
    if "." in token and not re.search(r"\d", token):
        return False  # articleView.html, index.php
    return bool(re.search(r"\d", token)) or "-" in token or len(token) > 20


def draft_source(key: str, homepage: str, client: PoliteClient, articles: int = 3) -> Draft:
    """Learn what a site offers and draft its source (never raises for what the site does)."""
    draft = Draft(key, homepage)
    root = _root(homepage)
    draft.sitemaps = [u for u in client.sitemaps_in_robots(homepage)]
    if draft.sitemaps:
        draft.found.append(f"sitemaps {', '.join(draft.sitemaps)} (robots.txt)")
    page = client.get(homepage)
    if page.ok:
        _read_homepage(draft, page)
    else:
        draft.missing.append(f"homepage: {page.error or f'HTTP {page.status}'}")
    if not draft.sitemaps:
        for place in SITEMAP_PLACES:
            answer = client.get(root + place)
            if _is_sitemap(answer):
                draft.sitemaps.append(root + place)
                draft.found.append(f"sitemap {root + place}")
                break
        else:
            draft.missing.append("sitemap: none in robots.txt, " + ", ".join(SITEMAP_PLACES))
    feed = None
    if draft.feeds:
        feed = _is_feed(client.get(draft.feeds[0]))
    else:
        for place in FEED_PLACES:
            url = urljoin(homepage, place)
            feed = _is_feed(client.get(url))
            if feed is not None:
                draft.feeds.append(url)
                draft.found.append(f"feed {url}")
                break
        else:
            draft.missing.append("feed: no <link rel=alternate>, " + ", ".join(FEED_PLACES))
    if draft.wp_api is None:
        _probe_wp_api(draft, client, homepage)
    samples = [urljoin(homepage, e.get("link", "")) for e in (feed.entries if feed else [])]
    samples += _sitemap_samples(draft, client)
    host = urlsplit(homepage).hostname or ""
    draft.samples = list(
        dict.fromkeys(
            u
            for u in samples
            if (urlsplit(u).hostname or "").removeprefix("www.") == host.removeprefix("www.")
            and urlsplit(u).path not in ("", "/")
            and not NOT_ARTICLES.search(u)
        )
    )[:30]
    if draft.samples:
        draft.article_url = url_pattern(draft.samples)
        draft.found.append(f"article_url {draft.article_url} (from {len(draft.samples)} URLs)")
    else:
        draft.missing.append("article URLs: no feed entry or sitemap URL to learn from")
    offsets: Counter[timedelta] = Counter()
    for url in draft.samples[:articles]:
        answer = client.get(url)
        if answer.ok:
            offsets.update(_offsets(answer.text()))
    draft.timezone = guess_zone(draft, offsets, datetime.now(UTC))
    return draft


def _probe_wp_api(draft: Draft, client: PoliteClient, homepage: str) -> None:
    url = urljoin(homepage, "wp-json/")
    answer = client.get(url)
    try:
        data = json.loads(answer.body) if answer.ok else None
    except ValueError:
        data = None
    if isinstance(data, dict) and "wp/v2" in (data.get("namespaces") or []):
        draft.wp_api = url
        draft.found.append(f"WordPress REST API {url}")
    else:
        draft.missing.append(f"WordPress REST API: {url} does not answer wp/v2")


def _sitemap_samples(draft: Draft, client: PoliteClient) -> list[str]:
    """Up to 30 URLs from the first sitemap (through one index level, posts first)."""
    if not draft.sitemaps:
        return []
    answer = client.get(draft.sitemaps[0])
    kind = _is_sitemap(answer)
    if kind == "sitemapindex":
        children = _locs(answer)
        children.sort(key=lambda u: (not re.search(r"post|article|news", u), 0))
        answer = client.get(children[0]) if children else answer
        kind = _is_sitemap(answer)
    return _locs(answer)[:30] if kind == "urlset" else []


def _offsets(text: str) -> list[timedelta]:
    found = []
    for match in _STAMP.finditer(text):
        zone = match.group(1)
        if zone == "Z":
            found.append(timedelta(0))
            continue
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        found.append(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    return found
