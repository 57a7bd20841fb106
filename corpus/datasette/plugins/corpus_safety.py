"""Safe public defaults: robots are told to stay away unless the deployment allows them.

``/robots.txt`` disallows everything and every response carries ``X-Robots-Tag: noindex``,
unless metadata has ``plugins: {corpus: {allow_robots: true}}`` (``corpus serve
--allow-robots``). Read-only serving, the SQL time limit and ``default_allow_sql`` are Datasette
settings chosen in corpus/site.py.
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import Response


def robots_allowed(datasette) -> bool:
    """Whether this deployment lets search engines in."""
    return bool((datasette.plugin_config("corpus") or {}).get("allow_robots"))


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/robots\.txt$", robots_txt)]


async def robots_txt(datasette) -> Response:
    rule = "Allow: /" if robots_allowed(datasette) else "Disallow: /"
    return Response.text(f"User-agent: *\n{rule}\n")


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def with_noindex(scope, receive, send):
            if scope["type"] != "http" or robots_allowed(datasette):
                await app(scope, receive, send)
                return

            async def send_noindex(event):
                if event["type"] == "http.response.start":
                    headers = list(event.get("headers") or [])
                    headers.append((b"x-robots-tag", b"noindex, nofollow"))
                    event = {**event, "headers": headers}
                await send(event)

            await app(scope, receive, send_noindex)

        return with_noindex

    return wrap
