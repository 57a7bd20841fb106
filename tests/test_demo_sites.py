"""The bundled demo sites (corpus.demo) and their server, checked over HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest

from corpus.demo.server import DEMO_PORTS, SampleSites, load_expected
from corpus.demo.sites import KST, build_sites, long_date
from corpus.demo.sources.demo_northeast_wire import SOURCE as WIRE
from corpus.demo.sources.demo_pyongyang_monitor import SOURCE as MONITOR
from corpus.demo.sources.demo_pyongyang_report_ko import SOURCE as REPORT_KO

SOURCES = {
    "pyongyang_monitor": MONITOR,
    "pyongyang_report_ko": REPORT_KO,
    "northeast_wire": WIRE,
}
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"


@dataclass(frozen=True)
class Fetched:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode(self.headers.get_content_charset() or "utf-8")

    def tree(self) -> lxml.html.HtmlElement:
        return lxml.html.document_fromstring(self.text)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, user_agent: str = "demo-sites-test/1.0", method: str = "GET") -> Fetched:
    """GET (or HEAD) ``url`` without following redirects; HTTP errors are returned, not raised."""
    req = urllib.request.Request(url, headers={"User-Agent": user_agent}, method=method)
    try:
        with _OPENER.open(req, timeout=10) as resp:
            return Fetched(resp.status, resp.headers, resp.read())
    except urllib.error.HTTPError as err:
        return Fetched(err.code, err.headers, err.read())


@pytest.fixture(scope="module")
def sites() -> Iterator[SampleSites]:
    with SampleSites() as running:
        yield running
        assert running.errors == []  # no renderer raised during the module


@pytest.fixture(scope="module")
def expected() -> list[dict]:
    return load_expected()


def of_site(expected: list[dict], site: str) -> list[dict]:
    return [row for row in expected if row["site"] == site]


def url_of(sites: SampleSites, row: dict) -> str:
    return sites.base_urls[row["site"]] + row["path"]


ITEM_LINKS = {  # the links of a listing's own items (not sidebars or "most read" boxes)
    "pyongyang_monitor": '//main//h2[@class="entry-title"]/a/@href',
    "pyongyang_report_ko": '//ul[@id="section-list"]//h4/a/@href',
    "northeast_wire": '//div[@class="cards"]//h3/a/@href',
}
NEXT_LINK = {
    "pyongyang_monitor": '//a[@class="next page-numbers"]/@href',
    "pyongyang_report_ko": '//a[@class="next"]/@href',
}


def item_links(page: Fetched, page_url: str, site: str) -> set[str]:
    """A listing page's item links, absolute; all must be articles (or members teasers)."""
    links = {urljoin(page_url, h) for h in page.tree().xpath(ITEM_LINKS[site])}
    source = SOURCES[site]
    assert all(source.is_article_url(u) or "/members/" in u for u in links)
    return {u for u in links if source.is_article_url(u)}


def follow_listing(sites: SampleSites, site: str, start: str) -> list[set[str]]:
    """Article links of every listing page reached from ``start`` by following next links."""
    pages: list[set[str]] = []
    url: str | None = sites.base_urls[site] + start
    while url and len(pages) < 20:
        page = fetch(url)
        assert page.status == 200, url
        pages.append(item_links(page, url, site))
        nxt = page.tree().xpath(NEXT_LINK[site])
        url = urljoin(url, nxt[0]) if nxt else None
    return pages


# --- content ----------------------------------------------------------------------------------


def test_there_are_enough_articles(expected):
    counts = Counter(row["site"] for row in expected)
    assert len(expected) >= 40
    assert counts["pyongyang_monitor"] >= 20
    assert counts["pyongyang_report_ko"] >= 12
    assert counts["northeast_wire"] >= 12
    total = sum(len(site.articles) for site in build_sites().values())
    assert total >= 44
    assert total - len(expected) == 2  # the two paywalled members articles


def test_articles_have_plausible_shape():
    for site in build_sites().values():
        dates = [a.published for a in site.articles]
        assert len(set(dates)) == len(dates), f"{site.key}: two articles share a date"
        assert min(d.year for d in dates) == 2017 and max(d.year for d in dates) == 2025
        for a in site.articles:
            words = sum(len(p.split()) for p in a.paragraphs)
            assert 4 <= len(a.paragraphs) <= 9, a.ref
            assert 120 <= words <= 400, (a.ref, words)
            assert a.published.utcoffset() is not None, a.ref
            assert a.authors or a.credited, a.ref


def test_content_covers_the_tricky_cases(expected):
    names = {n for row in expected for n in row["authors"]}
    assert any("-" in n and " " in n for n in names)  # "Jung Da-eun"
    assert any(re.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+ [A-Z][a-z]+", n) for n in names)
    assert any(len(row["authors"]) >= 2 for row in expected)
    assert any(row["credited"] and not row["authors"] for row in expected)
    text = " ".join(p for row in expected for p in row["paragraphs"])
    assert "’" in text and "“" in text and "”" in text
    assert "북한이" in text and "북한은" in text and "탄도미사일을" in text
    assert sum(1 for row in expected if row["encoding"] == "euc-kr") >= 2
    assert sum(1 for row in expected if row["caption"]) >= 3


def test_expected_rows_carry_the_fields_tests_compare(expected):
    for row in expected:
        assert row["source_key"] == f"demo_{row['site']}"
        assert row["path"].startswith("/")
        assert datetime.fromisoformat(row["published"]).utcoffset() is not None
        assert isinstance(row["authors"], list) and isinstance(row["credited"], list)


# --- robots, sitemaps, feeds ------------------------------------------------------------------


@pytest.mark.parametrize("site", list(SOURCES))
def test_robots_txt_names_the_sitemaps(sites, site):
    page = fetch(sites.base_urls[site] + "/robots.txt")
    assert page.status == 200
    assert page.headers.get_content_type() == "text/plain"
    assert "User-agent: *" in page.text
    rebased = SOURCES[site].rebased(sites.base_urls[site])
    listed = re.findall(r"^Sitemap: (\S+)$", page.text, re.M)
    assert set(rebased.sitemaps) <= set(listed)


def test_monitor_robots_disallows_only_wp_admin(sites):
    text = fetch(sites.base_urls["pyongyang_monitor"] + "/robots.txt").text
    assert re.findall(r"^Disallow: (\S+)$", text, re.M) == ["/wp-admin/"]


def test_monitor_sitemap_index_lists_every_article(sites, expected):
    base = sites.base_urls["pyongyang_monitor"]
    index = fetch(base + "/sitemap_index.xml")
    assert index.headers.get_content_type() == "application/xml"
    root = ET.fromstring(index.body)
    children = [(s.findtext(f"{SM}loc"), s.findtext(f"{SM}lastmod")) for s in root]
    assert [urlsplit(loc).path for loc, _ in children] == [
        "/post-sitemap.xml",
        "/post-sitemap2.xml",
        "/page-sitemap.xml",
    ]
    locs: dict[str, str] = {}
    for loc, lastmod in children:
        assert datetime.fromisoformat(lastmod).utcoffset() is not None
        urlset = ET.fromstring(fetch(loc).body)
        for url in urlset:
            locs[url.findtext(f"{SM}loc")] = url.findtext(f"{SM}lastmod")
    wanted = {url_of(sites, row) for row in of_site(expected, "pyongyang_monitor")}
    assert wanted <= set(locs)
    assert sum("/english/members/" in loc for loc in locs) == 2
    assert base + "/english/about/" in locs and base + "/english/contact/" in locs
    for row in of_site(expected, "pyongyang_monitor"):
        truth = datetime.fromisoformat(row["modified"] or row["published"])
        assert datetime.fromisoformat(locs[url_of(sites, row)]) == truth


def test_monitor_feed_holds_the_ten_newest(sites, expected):
    page = fetch(sites.base_urls["pyongyang_monitor"] + "/english/feed/")
    assert page.headers.get_content_type() == "application/rss+xml"
    items = ET.fromstring(page.body).findall("./channel/item")
    assert len(items) == 10
    rows = sorted(of_site(expected, "pyongyang_monitor"), key=lambda r: r["published"])[::-1]
    by_url = {url_of(sites, row): row for row in rows}
    assert [i.findtext("link") for i in items] == [url_of(sites, r) for r in rows[:10]]
    dates = [i.findtext("pubDate") for i in items]
    assert any(re.search(r" \d\d \d\d:\d\d:\d\d [+-]\d{4}$", d) for d in dates)  # "Feb 24 15:"
    for item, raw in zip(items, dates, strict=True):
        row = by_url[item.findtext("link")]
        assert parsedate_to_datetime(raw) == datetime.fromisoformat(row["published"])
        creators = [c.text for c in item.findall(f"{DC}creator")]
        assert creators == (row["authors"] or row["credited"])
    assert not any("/members/" in i.findtext("link") for i in items)


def test_report_ko_sitemap_and_feed(sites, expected):
    base = sites.base_urls["pyongyang_report_ko"]
    urlset = ET.fromstring(fetch(base + "/sitemap.xml").body)
    locs = {u.findtext(f"{SM}loc") for u in urlset}
    assert {url_of(sites, row) for row in of_site(expected, "pyongyang_report_ko")} == locs
    feed = fetch(base + "/rss/allArticle.xml")
    assert feed.headers.get_content_type() == "application/rss+xml"
    items = ET.fromstring(feed.body).findall("./channel/item")
    assert len(items) == 10
    assert all(
        re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", i.findtext("pubDate")) for i in items
    )


def test_wire_news_sitemap_and_atom_feed(sites, expected):
    base = sites.base_urls["northeast_wire"]
    rows = {url_of(sites, row): row for row in of_site(expected, "northeast_wire")}
    urlset = ET.fromstring(fetch(base + "/sitemap-news.xml").body)
    published = {
        u.findtext(f"{SM}loc"): u.findtext(f"{NEWS}news/{NEWS}publication_date") for u in urlset
    }
    assert set(published) == set(rows)
    for url, raw in published.items():
        assert datetime.fromisoformat(raw) == datetime.fromisoformat(rows[url]["published"])
    feed = fetch(base + "/feeds/latest.atom")
    assert feed.headers.get_content_type() == "application/atom+xml"
    entries = ET.fromstring(feed.body).findall(f"{ATOM}entry")
    assert len(entries) == 10
    assert all(e.find(f"{ATOM}link").get("href") in rows for e in entries)


# --- listings ---------------------------------------------------------------------------------


def test_monitor_category_pagination_reaches_every_article(sites, expected):
    rows = of_site(expected, "pyongyang_monitor")
    found: set[str] = set()
    for category in ("economy", "politics", "society"):
        start = f"/english/category/{category}/"
        pages = follow_listing(sites, "pyongyang_monitor", start)
        in_category = {url_of(sites, r) for r in rows if r["section"].lower() == category}
        assert set().union(*pages) == in_category
        assert all(len(p) <= 5 for p in pages)
        if category == "economy":
            assert len(pages) >= 3
        found |= in_category
    assert found == {url_of(sites, r) for r in rows}


def test_monitor_listing_heads_carry_rel_next(sites):
    base = sites.base_urls["pyongyang_monitor"]
    first = fetch(base + "/english/category/economy/").tree()
    assert first.xpath('//head/link[@rel="next"]/@href') == [
        base + "/english/category/economy/page/2/"
    ]
    last = fetch(base + "/english/category/economy/page/3/").tree()
    assert not last.xpath('//link[@rel="next"]') and last.xpath('//link[@rel="prev"]')
    assert fetch(base + "/english/category/economy/page/4/").status == 404


def test_listing_page_url_templates_work_after_rebasing(sites):
    answers = {}
    for site in ("pyongyang_monitor", "northeast_wire"):
        for listing in SOURCES[site].rebased(sites.base_urls[site]).listings:
            assert fetch(listing.url).status == 200
            answers[listing.url] = fetch(listing.page_url.format(n=2)).status
    # Society fits on one page: like WordPress, its page 2 is a 404.
    assert [url for url, status in answers.items() if status == 404] == [
        sites.base_urls["pyongyang_monitor"] + "/english/category/society/"
    ]
    assert set(answers.values()) == {200, 404}


def test_report_ko_list_follows_next_links(sites, expected):
    pages = follow_listing(sites, "pyongyang_report_ko", "/news/articleList.html")
    assert len(pages) == 3 and all(len(p) <= 6 for p in pages)
    assert set().union(*pages) == {
        url_of(sites, r) for r in of_site(expected, "pyongyang_report_ko")
    }


def test_wire_listing_pages(sites, expected):
    base = sites.base_urls["northeast_wire"]
    found: set[str] = set()
    for n in (1, 2, 3):
        url = f"{base}/news/?page={n}"
        page = fetch(url)
        assert page.status == 200
        found |= item_links(page, url, "northeast_wire")
    assert found == {url_of(sites, r) for r in of_site(expected, "northeast_wire")}
    assert fetch(f"{base}/news/?page=4").status == 404


# --- article pages ----------------------------------------------------------------------------


def test_monitor_article_pages(sites, expected):
    meta_dates = 0
    for row in of_site(expected, "pyongyang_monitor"):
        page = fetch(url_of(sites, row))
        assert page.status == 200
        tree = page.tree()
        assert tree.findtext(".//title") == f"{row['title']} - Pyongyang Monitor"
        assert tree.xpath('string(//h1[@class="entry-title"])') == row["title"]
        assert tree.xpath('//meta[@property="og:site_name"]/@content') == ["Pyongyang Monitor"]
        assert tree.xpath('//link[@rel="canonical"]/@href') == [url_of(sites, row)]
        byline = tree.xpath('string(//div[@class="byline"])')
        when = datetime.fromisoformat(row["published"]).astimezone(KST)
        names = " and ".join(row["authors"] or row["credited"])
        assert byline == f"{names}  |  {when:%Y-%m-%d %H:%M}"
        meta_dates += bool(tree.xpath('//meta[@property="article:published_time"]'))
        assert "datePublished" not in page.text
        paragraphs = tree.xpath('//div[@class="entry-content"]/p/text()')
        assert paragraphs[: len(row["paragraphs"])] == row["paragraphs"]
        assert paragraphs[-1].startswith(("Advertisements, links", "Please direct any comments"))
        captions = tree.xpath("//figure/figcaption/text()")
        assert captions == ([row["caption"]] if row["caption"] else [])
        related = tree.xpath('//aside[@class="related-posts"]//span[@class="related-date"]/text()')
        assert len(related) == 3 and f"{when:%Y-%m-%d}" not in related
    assert meta_dates == 3


def test_monitor_members_pages_are_teasers(sites):
    base = sites.base_urls["pyongyang_monitor"]
    site = build_sites(["pyongyang_monitor"])["pyongyang_monitor"]
    members = [a for a in site.articles if a.paywalled]
    assert len(members) == 2
    for article in members:
        page = fetch(base + site.path_for(article))
        assert page.status == 200 and "Subscribe to read" in page.text
        assert article.paragraphs[1] not in page.text
        assert fetch(f"{base}/english/{article.ref}/").status == 404


def test_header_widget_shows_today(sites, expected):
    row = of_site(expected, "pyongyang_monitor")[0]
    before = datetime.now(UTC).astimezone(KST)
    text = fetch(url_of(sites, row)).text
    after = datetime.now(UTC).astimezone(KST)
    shown = re.search(r'<div class="header-date">([^<]+)</div>', text).group(1)
    assert shown in {long_date(before), long_date(after)}


def test_header_widget_follows_the_clock():
    pinned = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
    with SampleSites(clock=lambda: pinned) as running:
        text = fetch(running.base_urls["pyongyang_monitor"] + "/english/about/").text
    assert '<div class="header-date">Saturday, November 28, 2026</div>' in text


def test_report_ko_article_pages(sites, expected):
    styles = Counter()
    for row in of_site(expected, "pyongyang_report_ko"):
        page = fetch(url_of(sites, row))
        tree = page.tree()
        assert tree.xpath('string(//h1[@class="headline"])') == row["title"]
        writers = tree.xpath('string(//span[@class="writer"])')
        assert writers == ", ".join(f"{n} 기자" for n in row["authors"])
        truth = datetime.fromisoformat(row["published"]).astimezone(KST)
        times = tree.xpath('//div[@class="article-byline"]/time')
        if times:
            styles["time"] += 1
            attr, shown = times[0].get("datetime"), times[0].text
            assert attr == truth.replace(tzinfo=UTC).isoformat()  # mislabelled on purpose
            half = "오전" if truth.hour < 12 else "오후"
            assert shown == f"{truth:%Y.%m.%d} {truth.hour % 12 or 12}:{truth:%M} {half}"
        else:
            styles["info"] += 1
            info = tree.xpath('string(//div[@class="info"])')
            assert info.startswith(f"입력 {truth:%Y.%m.%d %H:%M} 수정 ")
        body = tree.xpath('//*[@id="article-view-content-div"]/p/text()')
        assert body == [*row["paragraphs"], "ⓒ 평양리포트, 무단전재 및 재배포 금지"]
    assert styles["time"] >= 4 and styles["info"] >= 3
    assert any(len(row["authors"]) == 2 for row in of_site(expected, "pyongyang_report_ko"))


def test_euc_kr_pages_declare_the_charset_only_in_the_header(sites, expected):
    rows = [r for r in of_site(expected, "pyongyang_report_ko") if r["encoding"] == "euc-kr"]
    assert len(rows) >= 2
    for row in rows:
        page = fetch(url_of(sites, row))
        assert page.headers["Content-Type"] == "text/html; charset=EUC-KR"
        with pytest.raises(UnicodeDecodeError):
            page.body.decode("utf-8")
        html = page.body.decode("euc-kr")
        assert row["title"] in html and row["paragraphs"][0] in html
        assert "charset" not in html.lower()
    utf8 = next(r for r in of_site(expected, "pyongyang_report_ko") if r["encoding"] == "utf-8")
    page = fetch(url_of(sites, utf8))
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<meta charset="utf-8">' in page.body.decode("utf-8")


def _json_ld(tree: lxml.html.HtmlElement) -> dict:
    return json.loads(tree.xpath('//script[@type="application/ld+json"]/text()')[0])


def test_wire_article_pages(sites, expected):
    offsets, shouted, orgs = set(), 0, 0
    for row in of_site(expected, "northeast_wire"):
        tree = fetch(url_of(sites, row)).tree()
        assert tree.findtext(".//title") == f"{row['title']} | Northeast Wire"
        ld = _json_ld(tree)
        assert ld["@type"] == "NewsArticle" and ld["headline"] == row["title"]
        assert ld["publisher"]["@type"] == "Organization"
        assert ld["publisher"]["name"] == "Northeast Wire"
        published = datetime.fromisoformat(ld["datePublished"])
        assert published == datetime.fromisoformat(row["published"])
        assert tree.xpath('//meta[@property="article:published_time"]/@content') == [
            ld["datePublished"]
        ]
        offsets.add(ld["datePublished"][-6:])
        authors = ld["author"] if isinstance(ld["author"], list) else [ld["author"]]
        people = [a["name"] for a in authors if a["@type"] == "Person"]
        credits = [a["name"] for a in authors if a["@type"] == "Organization"]
        assert credits == row["credited"]
        orgs += bool(credits)
        if people and people[0].isupper():
            shouted += 1
            assert people == [n.upper() for n in row["authors"]]
            assert tree.xpath('string(//p[@class="byline"])').startswith("By " + people[0])
        else:
            assert people == row["authors"]
        first = tree.xpath('//div[@class="story-body"]/p/text()')[0]
        dateline = r"[A-Z]+, [A-Z][a-z]+\.? \d{1,2} \(Northeast Wire\) -- "
        assert re.fullmatch(dateline, row["dateline"])
        assert first == row["dateline"] + row["paragraphs"][0]
    assert {"+09:00", "+00:00", "-05:00"} <= offsets
    assert shouted >= 2 and orgs >= 3


def test_last_modified_header(sites, expected):
    for row in expected[::7]:
        page = fetch(url_of(sites, row))
        truth = datetime.fromisoformat(row["modified"] or row["published"])
        assert parsedate_to_datetime(page.headers["Last-Modified"]) == truth


# --- server behaviour -------------------------------------------------------------------------


def test_content_types(sites):
    cases = {
        ("pyongyang_monitor", "/sitemap_index.xml"): "application/xml",
        ("pyongyang_monitor", "/english/feed/"): "application/rss+xml",
        ("pyongyang_monitor", "/english/"): "text/html",
        ("pyongyang_report_ko", "/sitemap.xml"): "application/xml",
        ("northeast_wire", "/feeds/latest.atom"): "application/atom+xml",
        ("northeast_wire", "/robots.txt"): "text/plain",
    }
    for (site, path), kind in cases.items():
        page = fetch(sites.base_urls[site] + path)
        assert page.status == 200 and page.headers.get_content_type() == kind, path


@pytest.mark.parametrize("site", list(SOURCES))
def test_unknown_paths_are_404_html(sites, site):
    for path in ("/no/such/page", "/article/1-nothing", "/news/articleView.html?idxno=1"):
        page = fetch(sites.base_urls[site] + path)
        assert page.status == 404
        assert page.headers.get_content_type() == "text/html" and b"404" in page.body


def test_redirects_to_canonical_urls(sites, expected):
    monitor = of_site(expected, "pyongyang_monitor")[0]
    page = fetch(url_of(sites, monitor).rstrip("/"))
    assert page.status == 301 and page.headers["Location"] == url_of(sites, monitor)
    wire = of_site(expected, "northeast_wire")[0]
    page = fetch(url_of(sites, wire) + "/")
    assert page.status == 301 and page.headers["Location"] == url_of(sites, wire)
    page = fetch(sites.base_urls["pyongyang_monitor"] + "/english/category/economy/page/1/")
    assert page.status == 301


def test_request_log_counts_requests(sites, expected):
    row = of_site(expected, "northeast_wire")[1]
    agent = "log-counter/2.0"
    fetch(url_of(sites, row), user_agent=agent)
    fetch(url_of(sites, row), user_agent=agent)
    fetch(url_of(sites, row), user_agent=agent, method="HEAD")
    fetch(sites.base_urls["northeast_wire"] + "/missing", user_agent=agent)
    mine = [r for r in sites.requests if r.user_agent == agent]
    assert [(r.method, r.status) for r in mine] == [
        ("GET", 200),
        ("GET", 200),
        ("HEAD", 200),
        ("GET", 404),
    ]
    assert {r.site for r in mine} == {"northeast_wire"}
    assert mine[0].path == row["path"]
    assert sites.count("northeast_wire", re.escape(row["path"]) + "$") >= 3


def test_sites_start_on_requested_ports_and_stop():
    with SampleSites(ports={"northeast_wire": 0}) as running:
        assert set(running.base_urls) == set(SOURCES)
        ports = {urlsplit(u).port for u in running.base_urls.values()}
        assert len(ports) == 3 and all(ports)
        url = running.base_urls["northeast_wire"] + "/robots.txt"
        assert fetch(url).status == 200
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=2)


# --- the source files -------------------------------------------------------------------------


def test_source_files_point_at_the_demo_ports():
    assert DEMO_PORTS == {
        "pyongyang_monitor": 8101,
        "pyongyang_report_ko": 8102,
        "northeast_wire": 8103,
    }
    for site, source in SOURCES.items():
        assert source.key == f"demo_{site}"
        assert urlsplit(source.homepage).port == DEMO_PORTS[site]
    assert MONITOR.timezone == REPORT_KO.timezone == "Asia/Seoul"
    assert WIRE.timezone == "UTC"
    assert REPORT_KO.language == "ko"


@pytest.mark.parametrize("site", list(SOURCES))
def test_rebased_discovery_urls_answer(sites, site):
    source = SOURCES[site].rebased(sites.base_urls[site])
    assert source.allowed_domains == ("127.0.0.1",)
    for url in (source.homepage, *source.sitemaps, *source.feeds):
        assert url.startswith(sites.base_urls[site])
        assert fetch(url).status == 200, url


def test_sources_accept_every_article_url(sites, expected):
    for row in expected:
        source = SOURCES[row["site"]].rebased(sites.base_urls[row["site"]])
        assert source.is_article_url(url_of(sites, row)), row["path"]


NOT_ARTICLES = {
    "pyongyang_monitor": (
        "/",
        "/english/",
        "/english/about/",
        "/english/contact/",
        "/english/feed/",
        "/english/category/economy/",
        "/english/category/economy/page/2/",
        "/english/tag/food-prices/",
        "/english/tag/hyesan/",
        "/sitemap_index.xml",
        "/post-sitemap.xml",
        "/robots.txt",
        "/wp-admin/",
        "/english/members/",
        "/english/members/inside-the-accounts-of-a-sinuiju-trading-company/",
        "/english/rice-prices-climb-in-hyesan-markets-as-lean-season-begins/feed/",
    ),
    "pyongyang_report_ko": (
        "/",
        "/news/articleList.html",
        "/news/articleList.html?page=2",
        "/sitemap.xml",
        "/rss/allArticle.xml",
        "/robots.txt",
        "/news/articleView.html",
    ),
    "northeast_wire": (
        "/",
        "/news/",
        "/news/?page=2",
        "/about",
        "/feeds/latest.atom",
        "/sitemap-news.xml",
        "/sitemap-sections.xml",
        "/robots.txt",
        "/article/",
        "/article/4102",
    ),
}


@pytest.mark.parametrize("site", list(SOURCES))
def test_sources_reject_other_urls(sites, site):
    source = SOURCES[site].rebased(sites.base_urls[site])
    for path in NOT_ARTICLES[site]:
        assert not source.is_article_url(sites.base_urls[site] + path), path
    if site == "pyongyang_monitor":
        assert source.is_excluded(sites.base_urls[site] + NOT_ARTICLES[site][-2])


def test_every_page_is_reachable_from_links(sites):
    """Tag, about and related links on an article page answer (no dead internal links)."""
    base = sites.base_urls["pyongyang_monitor"]
    row_url = base + "/english/border-closure-sends-sugar-and-cooking-oil-prices-soaring/"
    tree = fetch(row_url).tree()
    links = {urljoin(row_url, h) for h in tree.xpath("//a/@href")}
    internal = {u for u in links if u.startswith(base)}
    assert any("/english/tag/" in u for u in internal)
    for url in sorted(internal):
        assert fetch(url).status in (200, 301), url
