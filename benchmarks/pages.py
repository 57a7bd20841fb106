"""Generated news pages for the benchmarks: varied layouts, lengths, bylines, dates, some Korean.

Page ``n`` is a pure function of ``n`` (and the seed), so a server can render pages on request
(20,000 pages cost no memory) and a baseline can rebuild exactly the bytes the crawler fetched.
Five layouts imitate real outlets: a WordPress magazine, a JSON-LD wire service, a plain
``<article>`` page with Open Graph tags, a Korean newspaper CMS (tables, EUC-KR for some pages)
and a bare legacy page whose date and byline are only visible text. Every page carries the
furniture trafilatura must remove: navigation, share bars, related links, footers.

    .venv/bin/python benchmarks/pages.py --pages 2000 --out /tmp/pages   # write them to a folder
    .venv/bin/python benchmarks/pages.py --serve --pages 2000            # serve them until Ctrl-C
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: import this checkout's corpus
    sys.path.insert(0, str(ROOT))

from corpus.localsite import LocalServer, Request, Response  # noqa: E402

KST = timezone(timedelta(hours=9))
LAYOUTS = ("wordpress", "wire", "opengraph", "korean_cms", "legacy")
KOREAN_SHARE = 0.25  # a quarter of the pages are in Korean
SITEMAP_CHUNK = 5000  # URLs per child sitemap
EPOCH = datetime(2015, 1, 1, tzinfo=KST)

EN_PLACES = [
    "Sinuiju",
    "Hyesan",
    "Pyongyang",
    "Wonsan",
    "Chongjin",
    "Kaesong",
    "Dandong",
    "Hamhung",
    "Rason",
    "Nampo",
]
EN_SUBJECTS = (
    "Traders in {place}",
    "Residents of {place}",
    "Officials of the {org}",
    "A source in {place}",
    "Security agents in {place}",
    "Farmers near {place}",
    "Workers at the {place} {facility}",
    "The {org}",
)
EN_VERBS = (
    "said on {day} that",
    "told reporters that",
    "confirmed that",
    "warned that",
    "denied reports that",
    "claimed in a statement that",
)
EN_CLAUSES = (
    "the price of rice had risen by {num} percent since the harvest",
    "border trade in {goods} resumed after a pause of {num} days",
    "inspections of {goods} smuggling were stepped up across the province",
    "the {org} ordered a new mobilisation campaign for the {season}",
    "electricity supplies to the {facility} were cut for {num} hours a day",
    "the exchange rate of the yuan reached {num} won in private markets",
    "a missile launch from near {place} was reported by neighbouring militaries",
    "sanctions on {goods} exports were being evaded through ship-to-ship transfers",
    "defectors described new restrictions on mobile phones near the border",
    "state media praised the {season} campaign as a great victory",
)
EN_FILL = {
    "org": (
        "Ministry of State Security",
        "Central Committee",
        "Korean People's Army",
        "Cabinet",
        "Workers' Party",
        "provincial people's committee",
    ),
    "facility": ("steel complex", "fertiliser plant", "textile mill", "power station", "mine"),
    "goods": ("seafood", "coal", "textiles", "fuel", "medicine", "mobile phones", "flour"),
    "season": ("spring planting", "autumn harvest", "winter", "flood recovery"),
    "day": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
KO_PLACES = ["신의주", "혜산", "평양", "원산", "청진", "개성", "단둥", "함흥", "라선", "남포"]
KO_SENTENCES = (
    '{place}의 소식통은 {num}일 데일리NK에 "최근 {goods} 가격이 크게 올랐다"고 전했다.',
    "{place}에서는 당국이 {goods} 밀수 단속을 강화하면서 주민들의 불만이 커지고 있다.",
    "북한 당국은 {season}을 앞두고 주민들을 대상으로 총동원령을 내린 것으로 알려졌다.",
    "소식통에 따르면 {place} 시장에서 쌀 1kg 가격은 {num}원으로 지난달보다 올랐다.",
    "조선중앙통신은 김정은 국무위원장이 {place}의 {facility}을 현지지도했다고 보도했다.",
    "합동참모본부는 북한이 {place} 일대에서 탄도미사일을 발사했다고 밝혔다.",
    "국가보위성은 국경 지역에서 휴대전화 사용을 단속하는 검열을 진행하고 있다.",
    "주민들 사이에서는 전기 공급이 하루 {num}시간밖에 되지 않는다는 불만이 나온다.",
    "대북제재에도 불구하고 {goods} 수출이 선박 간 환적을 통해 이뤄지고 있다는 분석이다.",
    "노동신문은 {season} 전투에서 큰 성과를 거뒀다고 선전했다.",
)
KO_FILL = {
    "goods": ("수산물", "석탄", "옷감", "연유", "의약품", "휴대전화", "밀가루"),
    "facility": ("제철소", "비료공장", "방직공장", "발전소", "광산"),
    "season": ("모내기", "가을걷이", "월동 준비", "수해 복구"),
}
EN_NAMES = (
    "Jane Roe",
    "Kim Min-ji",
    "Lee Sang-yong",
    "Ha Yoon-ah",
    "Jang Seul-gi",
    "Mun Dong-hui",
    "Peter Ward",
    "Anna Fifield",
    "Seo Ji-eun",
    "Kang Mi-jin",
)
KO_NAMES = ("김민지", "이상용", "하윤아", "장슬기", "문동희", "서지은", "강미진", "박성호")
EN_SECTIONS = ("Economy", "Politics", "Society", "Military", "International")
KO_SECTIONS = ("경제", "정치", "사회", "군사", "국제")


@dataclass(frozen=True)
class Page:
    """One generated article page."""

    n: int
    path: str
    layout: str
    korean: bool
    charset: str
    published: datetime
    title: str
    authors: tuple[str, ...]
    paragraphs: tuple[str, ...]
    body: bytes

    @property
    def content_type(self) -> str:
        return f"text/html; charset={self.charset}"

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)


def _fill(template: str, rng: random.Random, places: list[str], fill: dict) -> str:
    values = {k: rng.choice(v) for k, v in fill.items()}
    return template.format(place=rng.choice(places), num=rng.randint(2, 90), **values)


def english_paragraph(rng: random.Random) -> str:
    """Three to six English sentences about life in and around North Korea."""
    sentences = []
    for _ in range(rng.randint(3, 6)):
        subject = _fill(rng.choice(EN_SUBJECTS), rng, EN_PLACES, EN_FILL)
        verb = _fill(rng.choice(EN_VERBS), rng, EN_PLACES, EN_FILL)
        clause = _fill(rng.choice(EN_CLAUSES), rng, EN_PLACES, EN_FILL)
        sentences.append(f"{subject} {verb} {clause}.")
    return " ".join(sentences)


def korean_paragraph(rng: random.Random) -> str:
    """Two to five Korean news sentences (particles and endings included)."""
    return " ".join(
        _fill(rng.choice(KO_SENTENCES), rng, KO_PLACES, KO_FILL) for _ in range(rng.randint(2, 5))
    )


def _length(rng: random.Random) -> int:
    """Paragraph count: mostly 300-600 words, some short briefs, some long features."""
    roll = rng.random()
    if roll < 0.15:
        return rng.randint(2, 3)
    if roll < 0.85:
        return rng.randint(5, 9)
    return rng.randint(14, 24)


def _title(rng: random.Random, korean: bool, n: int) -> str:
    if korean:
        place, goods = rng.choice(KO_PLACES), rng.choice(KO_FILL["goods"])
        return f"{place}서 {goods} 가격 급등…당국 단속 강화 ({n})"
    place, goods = rng.choice(EN_PLACES), rng.choice(EN_FILL["goods"])
    return f"{goods.capitalize()} prices surge in {place} as crackdown widens ({n})"


def _authors(rng: random.Random, korean: bool) -> tuple[str, ...]:
    names = KO_NAMES if korean else EN_NAMES
    return tuple(rng.sample(names, k=rng.choice((1, 1, 1, 2, 2, 3))))


def page_path(n: int) -> str:
    """The URL path of article ``n`` (a date folder and a slug, like most CMSs)."""
    return f"/a/{published_at(n):%Y/%m/%d}/report-{n}/"


def published_at(n: int) -> datetime:
    """Publication time of article ``n``: spread over ten years, later n is newer."""
    return EPOCH + timedelta(minutes=157 * n + (n * 7919) % 150)


# ---------------------------------------------------------------------- layouts
NAV = (
    "<nav class='menu'><ul>"
    + "".join(f"<li><a href='/category/{s.lower()}/'>{s}</a></li>" for s in EN_SECTIONS)
    + "<li><a href='/about/'>About us</a></li><li><a href='/donate/'>Donate</a></li></ul></nav>"
)
SHARE = (
    "<div class='share'><a href='#'>Share on Facebook</a> <a href='#'>Tweet</a> "
    "<a href='#'>Email</a> <a href='#'>Print</a></div>"
)
FOOTER = (
    "<footer><p>© 2024 The Benchmark Monitor. All rights reserved.</p>"
    "<p><a href='/privacy/'>Privacy policy</a> | <a href='/terms/'>Terms of use</a> | "
    "<a href='/contact/'>Contact</a></p></footer>"
)


def _related(rng: random.Random, n: int) -> str:
    items = "".join(
        f"<li><a href='{page_path(max(0, n - k))}'>Related report {max(0, n - k)}</a></li>"
        for k in rng.sample(range(1, 50), 4)
    )
    return f"<aside class='related'><h3>Related stories</h3><ul>{items}</ul></aside>"


def _ps(paragraphs: tuple[str, ...]) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)


def _byline_en(authors: tuple[str, ...]) -> str:
    if len(authors) == 1:
        return f"By {authors[0]}"
    return "By " + ", ".join(authors[:-1]) + f" and {authors[-1]}"


def _byline(page: Page) -> str:
    if page.korean:
        return " · ".join(f"{a} 기자" for a in page.authors)
    return _byline_en(page.authors)


CSS_RULE = ".c{k} .item-{k} > a:hover {{ color: #{k:06x}; margin: {m}px {m}px; }}\n"


def page_weight(n: int) -> str:
    """What real pages carry in their head: a stylesheet, analytics and ad configuration."""
    rng = random.Random(n * 31 + 7)
    css = "".join(CSS_RULE.format(k=k, m=k % 17) for k in range(rng.randint(40, 300)))
    config = {
        "slots": [
            {"id": f"ad-{k}", "sizes": [[300, 250], [728, 90]], "targeting": {"pos": k}}
            for k in range(rng.randint(20, 150))
        ],
        "analytics": {"site": "benchmark", "page": n, "tags": ["news"] * rng.randint(5, 50)},
    }
    return (
        f"<style>{css}</style><script>window.__CONFIG__ = {json.dumps(config)};</script>"
        f"<script async src='/static/app.{n % 5}.js'></script>"
    )


def megamenu(n: int) -> str:
    """A visible mega-menu: sections, each a column of topic links with icons."""
    rng = random.Random(n * 37 + 11)
    columns = "".join(
        f"<li class='col c{c}'><span class='head'>Section {c}</span><ul>"
        + "".join(
            f"<li class='item-{k}'><a href='/topic/{c}/{k}/'><i class='icon'></i>"
            f"<span>Topic {c}.{k}</span></a></li>"
            for k in range(rng.randint(4, 14))
        )
        + "</ul></li>"
        for c in range(rng.randint(4, 12))
    )
    return (
        "<div class='site-header'><div class='container'><div class='row'>"
        f"<div class='megamenu'><ul class='columns'>{columns}</ul></div>"
        "<form class='search'><input name='q'><button>Search</button></form></div></div></div>"
    )


def site_footer(n: int) -> str:
    """A footer sitemap: link columns, social icons, newsletter sign-up."""
    rng = random.Random(n * 41 + 13)
    columns = "".join(
        f"<div class='footer-col'><h4>More {c}</h4><ul>"
        + "".join(f"<li><a href='/more/{c}/{k}/'>Link {c}.{k}</a></li>" for k in range(8))
        + "</ul></div>"
        for c in range(rng.randint(3, 8))
    )
    social = "".join(
        f"<a class='social s{k}' href='#'><svg><path d='M0 0h{k}'/></svg></a>" for k in range(6)
    )
    return (
        f"<div class='site-footer'><div class='container'>{columns}<div class='social'>{social}"
        "</div><form class='newsletter'><input name='email'><button>Sign up</button></form>"
        "</div></div>"
    )


def _head(page: Page, extra: str = "") -> str:
    lang = "ko" if page.korean else "en"
    return (
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='{page.charset}'>"
        f"<title>{escape(page.title)} | Benchmark Monitor</title>"
        f"<meta name='viewport' content='width=device-width'>{extra}{page_weight(page.n)}"
        "</head>"
    )


def wordpress(page: Page, rng: random.Random) -> str:
    """A WordPress magazine: entry-content, time element, byline link, sidebar widgets."""
    authors = ", ".join(
        f"<a href='/author/{i}/' rel='author'>{escape(a)}</a>" for i, a in enumerate(page.authors)
    )
    when = page.published.isoformat()
    return (
        _head(page, f"<meta property='article:published_time' content='{when}'>")
        + f"<body class='post-template'><header><div class='logo'>Benchmark Monitor</div>{NAV}"
        + "</header><main><article class='post'><header class='entry-header'>"
        + f"<h1 class='entry-title'>{escape(page.title)}</h1>"
        + f"<div class='entry-meta'><span class='byline'>By {authors}</span> "
        + f"<time class='entry-date published' datetime='{when}'>"
        + f"{page.published:%B %d, %Y}</time></div></header>{SHARE}"
        + f"<div class='entry-content'>{_ps(page.paragraphs)}"
        + "<p><em>Subscribe to our newsletter for weekly updates.</em></p></div>"
        + f"{SHARE}</article>{_related(rng, page.n)}</main>"
        + "<aside class='sidebar'><h3>Most read</h3><ol><li>Market prices</li>"
        + f"<li>Defector testimony</li></ol></aside>{FOOTER}</body></html>"
    )


def wire(page: Page, rng: random.Random) -> str:
    """A wire service: everything in JSON-LD, a dateline in the first paragraph."""
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title,
        "datePublished": page.published.astimezone(UTC).isoformat(),
        "author": [{"@type": "Person", "name": a} for a in page.authors],
        "publisher": {"@type": "Organization", "name": "Benchmark Wire"},
        "articleSection": rng.choice(KO_SECTIONS if page.korean else EN_SECTIONS),
    }
    first, *rest = page.paragraphs
    dateline = "SEOUL, " if not page.korean else "(서울=벤치마크) "
    return (
        _head(page, f"<script type='application/ld+json'>{json.dumps(ld)}</script>")
        + f"<body><div id='top'>{NAV}</div><div class='story'>"
        + f"<h1>{escape(page.title)}</h1><p class='dateline'>{_byline(page)}</p>"
        + f"<div class='story-body'><p>{dateline}{escape(first)}</p>{_ps(tuple(rest))}</div>"
        + f"</div>{_related(rng, page.n)}{FOOTER}</body></html>"
    )


def opengraph(page: Page, rng: random.Random) -> str:
    """A modern CMS: Open Graph and author meta tags, an <article> element."""
    when = page.published.isoformat(timespec="minutes")
    meta = (
        f"<meta property='og:title' content='{escape(page.title)}'>"
        "<meta property='og:site_name' content='Benchmark Monitor'>"
        f"<meta name='author' content='{escape(', '.join(page.authors))}'>"
        f"<meta property='article:published_time' content='{when}'>"
        f"<link rel='canonical' href='{page.path}'>"
    )
    return (
        _head(page, meta)
        + f"<body><header>{NAV}</header><article><h1>{escape(page.title)}</h1>"
        + f"<p class='byline'>{escape(_byline(page))}</p>{_ps(page.paragraphs)}</article>"
        + f"{SHARE}{_related(rng, page.n)}{FOOTER}</body></html>"
    )


def korean_cms(page: Page, rng: random.Random) -> str:
    """A Korean newspaper CMS: table layout, '입력 2024.05.03 10:00', reporter line at the end."""
    return (
        _head(page)
        + "<body><table width='100%'><tr><td class='top'>벤치마크뉴스 | 정치 | 경제 | 사회</td>"
        + f"</tr><tr><td><div class='article-head'><h2 class='headline'>{escape(page.title)}</h2>"
        + f"<div class='info'><span>입력 {page.published:%Y.%m.%d %H:%M}</span> | "
        + f"<span class='byline'>{escape(_byline(page))}</span></div></div>"
        + f"<div id='article-view-content-div'>{_ps(page.paragraphs)}"
        + f"<p>{escape(page.authors[0])} 기자 reporter@example.kr</p></div>"
        + "<p class='copyright'>저작권자 © 벤치마크뉴스 무단전재 및 재배포 금지</p>"
        + f"</td></tr></table>{_related(rng, page.n)}</body></html>"
    )


def legacy(page: Page, rng: random.Random) -> str:
    """A bare legacy page: no metadata; the date and byline are visible text only."""
    if page.korean:
        line = f"{page.published:%Y년 %m월 %d일} {escape(_byline(page))}"
    else:
        line = f"{escape(_byline(page))} | {page.published:%d %B %Y, %H:%M} KST"
    return (
        _head(page)
        + f"<body><div class='nav'>{NAV}</div><div id='content'><h1>{escape(page.title)}</h1>"
        + f"<div class='meta'>{line}</div>{_ps(page.paragraphs)}</div>"
        + f"{_related(rng, page.n)}{FOOTER}</body></html>"
    )


RENDER = {
    "wordpress": wordpress,
    "wire": wire,
    "opengraph": opengraph,
    "korean_cms": korean_cms,
    "legacy": legacy,
}


def make_page(n: int, seed: int = 0) -> Page:
    """Article page ``n``: layout, language, length, byline and date all vary with ``n``."""
    rng = random.Random(seed * 1_000_003 + n)
    korean = rng.random() < KOREAN_SHARE
    others = LAYOUTS[:3] + LAYOUTS[4:]
    layout = "korean_cms" if korean and rng.random() < 0.5 else rng.choice(others)
    paragraph = korean_paragraph if korean else english_paragraph
    paragraphs = tuple(paragraph(rng) for _ in range(_length(rng)))
    charset = "euc-kr" if korean and layout == "korean_cms" and n % 3 == 0 else "utf-8"
    page = Page(
        n=n,
        path=page_path(n),
        layout=layout,
        korean=korean,
        charset=charset,
        published=published_at(n),
        title=_title(rng, korean, n),
        authors=_authors(rng, korean),
        paragraphs=paragraphs,
        body=b"",
    )
    html = RENDER[layout](page, rng)
    body_at = html.index(">", html.index("<body")) + 1
    html = f"{html[:body_at]}{megamenu(n)}{html[body_at:-14]}{site_footer(n)}</body></html>"
    return Page(**{**page.__dict__, "body": html.encode(charset, "xmlcharrefreplace")})


def pages(count: int, seed: int = 0) -> Iterator[Page]:
    """Pages 0 .. count-1."""
    return (make_page(n, seed) for n in range(count))


# ---------------------------------------------------------------------- sitemaps and serving
def sitemap_index(base: str, count: int) -> bytes:
    """A sitemap index pointing at one child sitemap per SITEMAP_CHUNK articles."""
    chunks = range((count + SITEMAP_CHUNK - 1) // SITEMAP_CHUNK)
    items = "".join(f"<sitemap><loc>{base}/sitemap-{k}.xml</loc></sitemap>" for k in chunks)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>'
    ).encode()


def sitemap_chunk(base: str, k: int, count: int) -> bytes:
    """Child sitemap ``k``: its articles' URLs with their publication time as lastmod."""
    numbers = range(k * SITEMAP_CHUNK, min(count, (k + 1) * SITEMAP_CHUNK))
    urls = "".join(
        f"<url><loc>{base}{page_path(n)}</loc><lastmod>{published_at(n).isoformat()}</lastmod>"
        "</url>"
        for n in numbers
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    ).encode()


def number_of(path: str) -> int | None:
    """The article number in a page path (``/a/2015/01/03/report-12/`` -> 12)."""
    parts = path.strip("/").split("/")
    if len(parts) != 5 or parts[0] != "a" or not parts[4].startswith("report-"):
        return None
    tail = parts[4].removeprefix("report-")
    return int(tail) if tail.isdigit() else None


class SiteServer(LocalServer):
    """Serve ``count`` generated pages on 127.0.0.1 (HTTP/1.1 keep-alive, threaded, GET only).

    A :class:`corpus.localsite.LocalServer` whose site is the generated pages: robots.txt, a
    sitemap index, its child sitemaps and the articles. Pages are rendered on request
    (``cache=False``: constant memory) or once and kept. ``requests`` counts the requests and
    ``first_request_at`` is the ``time.perf_counter()`` of the first one (the benchmarks reset
    it to None before a crawl).
    """

    def __init__(self, count: int, seed: int = 0, cache: bool = True) -> None:
        self.count, self.seed = count, seed
        self.cache: dict[int, Page] | None = {} if cache else None
        self.requests = 0
        self.first_request_at: float | None = None
        super().__init__(self._answer, methods=("GET",))

    def _answer(self, request: Request) -> Response:
        self.requests += 1
        if self.first_request_at is None:
            self.first_request_at = time.perf_counter()
        status, content_type, body = self.respond(request.target)
        return Response.of(body, status, content_type)

    def page(self, n: int) -> Page:
        """Page ``n``, from the cache when there is one."""
        if self.cache is None:
            return make_page(n, self.seed)
        if n not in self.cache:
            self.cache[n] = make_page(n, self.seed)
        return self.cache[n]

    def respond(self, path: str) -> tuple[int, str, bytes]:
        """(status, content type, body) for a request path."""
        xml = "application/xml"
        if path == "/robots.txt":
            return 200, "text/plain", b"User-agent: *\nAllow: /\n"
        if path == "/sitemap.xml":
            return 200, xml, sitemap_index(self.base_url, self.count)
        if path.startswith("/sitemap-") and path.endswith(".xml"):
            return 200, xml, sitemap_chunk(self.base_url, int(path[9:-4]), self.count)
        n = number_of(path)
        if n is None or n >= self.count or path != page_path(n):
            return 404, "text/html", b"<h1>Not found</h1>"
        page = self.page(n)
        return 200, page.content_type, page.body


SOURCE_FILE = """from corpus.source import Hints, Source

SOURCE = Source(
    key={key!r}, name="Benchmark Monitor", homepage={base!r} + "/", language="en",
    timezone="Asia/Seoul", country="KR", allowed_domains=("127.0.0.1",),
    sitemaps=({base!r} + "/sitemap.xml",), article_url=r"/a/\\d{{4}}/\\d{{2}}/\\d{{2}}/report-",
    hints=Hints(byline_css=".byline, .dateline"),
    page_budget={budget},
)
"""


def write_source(folder: Path, key: str, base: str, budget: int) -> Path:
    """A source file for the generated site, for a folder named by CORPUS_SOURCES_DIR."""
    path = folder / f"{key}.py"
    path.write_text(SOURCE_FILE.format(key=key, base=base, budget=budget), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000, help="number of pages [2000]")
    parser.add_argument("--seed", type=int, default=0, help="generator seed [0]")
    parser.add_argument("--out", type=Path, help="write the pages (n.html) to this folder")
    parser.add_argument("--serve", action="store_true", help="serve them until interrupted")
    parser.add_argument("--quick", action="store_true", help="only 50 pages (smoke run)")
    args = parser.parse_args(argv)
    count = 50 if args.quick else args.pages
    if args.serve:
        with SiteServer(count, args.seed) as site:
            print(f"serving {count} pages at {site.base_url}/sitemap.xml (Ctrl-C to stop)")
            try:
                while True:
                    time.sleep(1)
            except KeyboardInterrupt:
                return
    started = time.perf_counter()
    layouts: dict[str, int] = {}
    total_bytes = korean = words = 0
    for page in pages(count, args.seed):
        layouts[page.layout] = layouts.get(page.layout, 0) + 1
        total_bytes += len(page.body)
        korean += page.korean
        words += page.words
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{page.n}.html").write_bytes(page.body)
    elapsed = time.perf_counter() - started
    print(
        f"pages: {count} generated in {elapsed:.2f} s; korean: {korean}; "
        f"mean size: {total_bytes / max(count, 1) / 1024:.1f} KiB; "
        f"mean words: {words / max(count, 1):.0f}; layouts: {json.dumps(layouts)}"
    )


if __name__ == "__main__":
    sys.exit(main())
