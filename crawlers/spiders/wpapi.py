"""Article discovery through the WordPress REST API (``Source.wp_api``), for the news spider.

``GET {wp_api}wp/v2/posts?_fields=link,modified_gmt&orderby=modified&order=desc`` lists every
post, newest edit first, 100 a page. The spider pages through it while ``X-WP-TotalPages``
says there is more and the crawl's limit allows; each post's ``modified_gmt`` becomes the
``wp_modified`` discovery hint, so an incremental crawl refetches exactly the posts edited
since (``crawlers.incremental``) and asks the API only for posts modified after the newest
edit it saw last time (``modified_after``; where a server ignores that, paging stops at the
first post not newer). A disabled API (401, 403, 404, an HTML page, a ``{"code": ...}``
error) is recorded as a failure of the ``wp_api`` channel; sitemaps, feeds and listings run
all the same.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from scrapy import Request
from scrapy.http import Response

from crawlers.items import FetchFailure

PER_PAGE = 100
HINT = "wp_modified"


def posts_url(root: str, page: int, since: str | None) -> str:
    """The ``/wp/v2/posts`` URL of page ``page`` under an API root (pretty or ``?rest_route=``)."""
    params: dict[str, Any] = {
        "_fields": "link,modified_gmt",
        "orderby": "modified",
        "order": "desc",
        "per_page": PER_PAGE,
        "page": page,
    }
    if since:
        params["modified_after"] = since + "Z"  # modified_gmt is UTC without an offset
    if "rest_route=" in root:
        return f"{root.rstrip('/')}/wp/v2/posts&{urlencode(params)}"
    return f"{root.rstrip('/')}/wp/v2/posts?{urlencode(params)}"


class WordPressAPI:
    """Methods of the news spider that read the WordPress REST API."""

    source: Any
    plan: Any
    limit: int | None
    articles_requested: int

    def _wp_since(self) -> str | None:
        """The newest ``modified_gmt`` an earlier crawl saw (None: list every post)."""
        if self.plan is None:
            return None
        seen = [
            entry["hints"][HINT]
            for entry in self.plan.state.values()
            if isinstance(entry.get("hints"), dict) and entry["hints"].get(HINT)
        ]
        return max(seen) if seen else None

    def wp_api_requests(self) -> Iterator[Request]:
        """The first page of the source's post list, when it names a WordPress API."""
        if self.source.wp_api:
            since = self._wp_since()
            url = posts_url(self.source.wp_api, 1, since)
            yield self._request(url, self.parse_wp_posts, "wp_api", wp_page=1, wp_since=since)  # type: ignore[attr-defined]

    def parse_wp_posts(self, response: Response) -> Iterator[Request | FetchFailure]:
        """Article requests for one page of posts, then the next page while there are more."""
        page, since = response.meta["wp_page"], response.meta.get("wp_since")
        posts = self._wp_posts(response)
        if posts is None:
            yield FetchFailure(
                response.url,
                "invalid_wp_api: the WordPress API did not answer a list of posts",
                response.status,
                self.source.key,
                "wp_api",
                "invalid_wp_api",
            )
            return
        older = False
        for post in posts:
            link, modified = post.get("link"), post.get("modified_gmt")
            if not isinstance(link, str) or not link:
                continue
            if since and isinstance(modified, str) and modified <= since:
                older = True  # sorted newest edit first: the rest was seen last time
                break
            if isinstance(modified, str) and modified:
                self._hint(link, HINT, modified)  # type: ignore[attr-defined]
            yield from self._article_request(link, "wp_api")  # type: ignore[attr-defined]
        if older or not posts or self._limit_reached():
            return
        total = (response.headers.get("X-WP-TotalPages") or b"").decode("latin-1").strip()
        more = page < int(total) if total.isdigit() else len(posts) >= PER_PAGE
        if more:
            url = posts_url(self.source.wp_api, page + 1, since)
            yield self._request(
                url, self.parse_wp_posts, "wp_api", wp_page=page + 1, wp_since=since
            )  # type: ignore[attr-defined]

    def _limit_reached(self) -> bool:
        return self.limit is not None and self.articles_requested >= self.limit

    @staticmethod
    def _wp_posts(response: Response) -> list[dict[str, Any]] | None:
        """The posts of an API answer; None when it is not a JSON list (API off, error)."""
        try:
            data = json.loads(response.body)
        except ValueError:
            return None
        if not isinstance(data, list):
            return None
        return [post for post in data if isinstance(post, dict)]
