"""Made-up outlets shaped like real ones, for discovery tests: a WordPress site (REST API,
Yoast-style sitemap index, RSS feed, robots.txt ``Sitemap:`` line), a plain site with only a
sitemap, and a site with only a feed. Each is a :mod:`corpus.localsite` site."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from corpus.localsite import Request, Response

START = datetime(2024, 5, 1, 1, 0, tzinfo=UTC)


@dataclass
class Post:
    """One article: its path, title and the UTC instants it was published and last edited."""

    path: str
    title: str
    published: datetime
    modified: datetime


def article_page(post: Post, lang: str = "en", offset_hours: int = 9) -> bytes:
    """An article page whose dates carry the outlet's UTC offset."""
    zone = f"{'+' if offset_hours >= 0 else '-'}{abs(offset_hours):02d}:00"
    local = (post.published + timedelta(hours=offset_hours)).replace(tzinfo=None)
    stamp = local.isoformat(timespec="seconds") + zone
    paragraphs = "".join(
        f"<p>{post.title}, part {i}: traders in the border city said the customs office had "
        f"changed its rules for lorries carrying goods over the bridge, week {i}.</p>"
        for i in range(4)
    )
    return (
        f"<!doctype html><html lang='{lang}'><head><title>{post.title} - Outlet</title>"
        f"<meta property='og:title' content='{post.title}'>"
        f"<meta property='article:published_time' content='{stamp}'></head><body>"
        f"<article><h1>{post.title}</h1><p class='byline'>By Jane Roe | "
        f"<time datetime='{stamp}'>{local:%Y-%m-%d %H:%M}</time></p>{paragraphs}</article>"
        "</body></html>"
    ).encode()


def _json(data: object, status: int = 200, headers: tuple = ()) -> Response:
    body = json.dumps(data).encode()
    return Response(status, (("Content-Type", "application/json"), *headers), body)


def _xml(body: str, kind: str = "application/xml") -> Response:
    return Response.of(body.encode(), content_type=kind)


@dataclass
class WordPressSite:
    """A WordPress outlet under ``/``: posts at ``/YYYY/MM/slug/``, the REST API at
    ``/wp-json/`` (``page_size`` posts a page at most, ``modified_after`` honoured unless told
    not to; ``api="off"`` answers 401 like a security plugin, ``"html"`` a login page)."""

    posts: list[Post] = field(default_factory=list)
    page_size: int = 3
    api: str = "on"
    honour_modified_after: bool = True
    name: str = "Border Trade Daily"
    lang: str = "en-US"

    @classmethod
    def with_posts(cls, n: int, **kwargs: object) -> WordPressSite:
        posts = [
            Post(
                f"/2024/05/border-report-{i}/",
                f"Border report number {i}",
                START + timedelta(hours=i),
                START + timedelta(hours=i, minutes=30),
            )
            for i in range(1, n + 1)
        ]
        return cls(posts=posts, **kwargs)  # type: ignore[arg-type]

    def __call__(self, request: Request) -> Response:
        path, base = request.path, request.base
        if path == "/robots.txt":
            robots = f"User-agent: *\nDisallow: /wp-admin/\nSitemap: {base}/sitemap_index.xml\n"
            return Response.of(robots.encode(), content_type="text/plain")
        if path == "/":
            return Response.of(self.homepage(base))
        if path.startswith("/wp-json/"):
            return self.rest(request)
        if path == "/feed/":
            return _xml(self.feed(base), "application/rss+xml; charset=UTF-8")
        if path == "/sitemap_index.xml":
            return _xml(
                '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                f'sitemap/0.9"><sitemap><loc>{base}/post-sitemap.xml</loc></sitemap></sitemapindex>'
            )
        if path == "/post-sitemap.xml":
            return _xml(urlset(base, self.posts))
        post = next((p for p in self.posts if p.path == path), None)
        if post is None:
            return Response.of(b"<h1>Not found</h1>", status=404)
        return Response.of(article_page(post))

    def homepage(self, base: str) -> bytes:
        links = "".join(f"<li><a href='{p.path}'>{p.title}</a></li>" for p in self.posts[:10])
        return (
            f"<!doctype html><html lang='{self.lang}'><head><title>{self.name} - news</title>"
            f"<meta property='og:site_name' content='{self.name}'>"
            f"<link rel='alternate' type='application/rss+xml' title='{self.name} Feed' "
            f"href='{base}/feed/'>"
            f"<link rel='https://api.w.org/' href='{base}/wp-json/'>"
            "<meta name='generator' content='WordPress 6.5'></head>"
            f"<body><ul>{links}</ul><a href='/category/news/'>News</a>"
            "<a href='/tag/trade/'>trade</a><a href='/about/'>About</a></body></html>"
        ).encode()

    def feed(self, base: str) -> str:
        items = "".join(
            f"<item><title>{p.title}</title><link>{base}{p.path}</link>"
            f"<pubDate>{format_datetime(p.published)}</pubDate></item>"
            for p in sorted(self.posts, key=lambda p: p.published, reverse=True)[:10]
        )
        return (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>{self.name}</title>'
            f"<link>{base}/</link><language>{self.lang}</language>{items}</channel></rss>"
        )

    def rest(self, request: Request) -> Response:
        if self.api == "off":
            return _json({"code": "rest_cannot_access", "message": "REST API disabled"}, 401)
        if self.api == "html":
            return Response.of(b"<html><body><form id='loginform'></form></body></html>")
        if request.path == "/wp-json/":
            return _json({"name": self.name, "namespaces": ["oembed/1.0", "wp/v2"]})
        if request.path != "/wp-json/wp/v2/posts":
            return _json({"code": "rest_no_route"}, 404)
        posts = sorted(self.posts, key=lambda p: p.modified, reverse=True)
        after = request.query.get("modified_after")
        if after and self.honour_modified_after:
            cutoff = datetime.fromisoformat(after.replace("Z", "+00:00"))
            posts = [p for p in posts if p.modified > cutoff]
        size = min(int(request.query.get("per_page", 10)), self.page_size)
        pages = max(1, -(-len(posts) // size))
        page = int(request.query.get("page", 1))
        if page > pages:
            return _json({"code": "rest_post_invalid_page_number"}, 400)
        chunk = posts[(page - 1) * size : page * size]
        data = [
            {
                "link": request.base + p.path,
                "modified_gmt": p.modified.replace(tzinfo=None).isoformat(),
            }
            for p in chunk
        ]
        headers = (("X-WP-Total", str(len(posts))), ("X-WP-TotalPages", str(pages)))
        return _json(data, headers=headers)


def urlset(base: str, posts: list[Post]) -> str:
    """A sitemap of ``posts`` with their lastmod."""
    urls = "".join(
        f"<url><loc>{base}{p.path}</loc><lastmod>{p.modified.isoformat()}</lastmod></url>"
        for p in posts
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset '
        f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    )


@dataclass
class SitemapOnlySite:
    """A hand-built site: a sitemap at ``/sitemap.xml`` (not named in robots.txt), articles at
    ``/news/articleView.html?idxno=N``, Korean, no feed, no API."""

    n: int = 6

    def __call__(self, request: Request) -> Response:
        posts = [
            Post(
                f"/news/articleView.html?idxno={100 + i}",
                f"국경 무역 보도 {i}",
                START + timedelta(days=i),
                START + timedelta(days=i),
            )
            for i in range(1, self.n + 1)
        ]
        if request.path == "/robots.txt":
            return Response.of(b"User-agent: *\nDisallow: /member/\n", content_type="text/plain")
        if request.path == "/":
            return Response.of(
                "<html lang='ko'><head><title>평양 소식</title></head><body>"
                "<a href='/news/articleList.html'>목록</a></body></html>".encode()
            )
        if request.path == "/sitemap.xml":
            return _xml(urlset(request.base, posts))
        post = next((p for p in posts if p.path == request.target), None)
        if post is None:
            return Response.of(b"not found", status=404)
        return Response.of(article_page(post, lang="ko"))


@dataclass
class FeedOnlySite:
    """A site whose only channel is an Atom feed at ``/rss`` (no sitemap, no robots.txt),
    articles at ``/story/N-slug``, dates at UTC-05:00."""

    n: int = 5

    def posts(self) -> list[Post]:
        return [
            Post(
                f"/story/{i}-harbour-news",
                f"Harbour news {i}",
                START + timedelta(days=i),
                START + timedelta(days=i),
            )
            for i in range(1, self.n + 1)
        ]

    def __call__(self, request: Request) -> Response:
        if request.path == "/":
            return Response.of(
                b"<html><head><title>Harbour Times</title></head><body></body></html>"
            )
        if request.path == "/rss":
            entries = "".join(
                f"<entry><title>{p.title}</title><link href='{request.base}{p.path}'/>"
                f"<id>{request.base}{p.path}</id><updated>{p.published.isoformat()}</updated></entry>"
                for p in self.posts()
            )
            return _xml(
                '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
                f"<title>Harbour Times</title>{entries}</feed>",
                "application/atom+xml",
            )
        post = next((p for p in self.posts() if p.path == request.path), None)
        if post is None:
            return Response.of(b"not found", status=404)
        return Response.of(article_page(post, offset_hours=-5))
