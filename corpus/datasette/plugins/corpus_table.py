"""The articles table for people: a readable default set of columns, titles that link to the
article page, and one search.

* ``/DB/articles`` without a choice of columns redirects to the same page with the default
  columns (:data:`DEFAULT_COLUMNS`) and ``_columns=default``; the table page's "All columns"
  link (and Datasette's own "Show all columns") keep ``_columns`` and so show every column.
* The table's search box (``_search=``) sends the analyst to ``/-/search`` with the same words
  and the source and language filters, so both searches give the same results.
* ``?_search=`` on the table's JSON and CSV, ``?_search_COLUMN=`` and ``?_searchmode=raw`` run on
  ``articles_search``, the one full-text index (:func:`filters_from_request`), whose rowids are
  search keys, not article rowids, so Datasette's own ``fts_table`` cannot serve them.
* Titles and ids of articles, on table, row and canned-query pages, link to ``/-/articles/ID``.
* Links hide near-duplicate copies (``near_dup_of__isnull=1``: originals only) or show only
  them (``near_dup_of__notnull=1``), Datasette's own filters.
"""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils import escape_fts
from datasette.utils.asgi import BadRequest
from markupsafe import Markup

from corpus.search import ROWID_MASK, SEARCH_TABLE

TABLE = "articles"
DEFAULT_COLUMNS = ("title", "source", "published_at", "authors", "language", "section")
CHOSEN = ("_col", "_nocol", "_columns")
SEARCH_FILTERS = {"source": "source", "language": "language", "source__exact": "source"}


def _redirect(location: str) -> dict[str, Any]:
    return {
        "type": "http.response.start",
        "status": 302,
        "headers": [(b"location", location.encode("latin-1")), (b"content-length", b"0")],
    }


def table_redirect(datasette, path: str, query: str) -> str | None:
    """Where a request for the articles table should go instead, or None to serve it."""
    db = datasette.get_database()
    if path != datasette.urls.table(db.name, TABLE, format=None):
        return None
    params = parse_qsl(query, keep_blank_values=True)
    names = {name for name, _ in params}
    words = next((value for name, value in params if name == "_search"), None)
    if words is not None:
        kept = [("q", words)] + [
            (SEARCH_FILTERS[name], value)
            for name, value in params
            if name in SEARCH_FILTERS and value
        ]
        return datasette.urls.path("/-/search") + "?" + urlencode(kept)
    if names & set(CHOSEN):
        return None
    chosen = [("_col", name) for name in DEFAULT_COLUMNS] + [("_columns", "default")]
    return path + "?" + urlencode(params + chosen)


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def redirecting(scope, receive, send):
            if scope["type"] == "http" and scope.get("method") in ("GET", "HEAD"):
                query = scope.get("query_string", b"").decode("latin-1")
                target = table_redirect(datasette, scope["path"], query)
                if target:
                    await send(_redirect(target))
                    await send({"type": "http.response.body", "body": b""})
                    return
            await app(scope, receive, send)

        return redirecting

    return wrap


SEARCH_COLUMNS = ("title", "authors", "text", "terms", "meta")


def search_clause(match: str) -> str:
    """The WHERE clause keeping the articles whose index row matches ``match`` (SQL)."""
    return (
        f"rowid IN (SELECT rowid & {ROWID_MASK} FROM {SEARCH_TABLE}"
        f" WHERE {SEARCH_TABLE} MATCH {match})"
    )


@hookimpl(trylast=True)  # after Datasette's own search filter, so supports_search stays on
def filters_from_request(request, database, table, datasette):
    """Datasette's table search (``_search``, ``_search_COLUMN``, ``_searchmode``) over
    ``articles_search``: ``_search`` takes the analysts' query language (``corpus_match``:
    English stems, Korean morphemes, CJK bigrams, phrases, prefixes, exclusions), a column
    search Datasette's quoted words; ``_searchmode=raw`` passes FTS5 syntax through."""
    if table != TABLE:
        return None

    async def inner() -> FilterArguments:
        raw = request.args.get("_searchmode") == "raw"
        wheres: list[str] = []
        params: dict[str, str] = {}
        described: list[str] = []
        context: dict[str, Any] = {"supports_search": True}
        for i, key in enumerate(k for k in request.args if k.startswith("_search")):
            value = request.args[key]
            if key == "_searchmode" or not value.strip():
                continue
            name = f"corpus_search_{i}"
            if key == "_search":
                wheres.append(search_clause(f":{name}" if raw else f"corpus_match(:{name})"))
                params[name] = value
                described.append(f'search matches "{value}"')
                context["search"] = value
                continue
            column = key.removeprefix("_search_")
            if not key.startswith("_search_") or column not in SEARCH_COLUMNS:
                raise BadRequest(f"Cannot search by that column: {column or key}")
            expression = value if raw else escape_fts(value)
            if not expression:
                continue
            wheres.append(search_clause(f":{name}"))
            params[name] = f"{{{column}}} : ({expression})"
            described.append(f'search column "{column}" matches "{value}"')
            context.setdefault("search", value)
        return FilterArguments(wheres, params, described, context)

    return inner


def _without_choice(request) -> list[tuple[str, str]]:
    return [
        (k, v)
        for k, v in parse_qsl(request.query_string, keep_blank_values=True)
        if k not in CHOSEN and k != "_next"
    ]


@hookimpl
def extra_template_vars(template, table, request):
    """The table page's links to every column and back to the main ones."""
    if table != TABLE or request is None or not template.startswith("table"):
        return {}
    kept = _without_choice(request)
    return {
        "corpus_default_columns": bool(request.args.get("_col"))
        and request.args.get("_columns") == "default",
        "corpus_all_columns_url": "?" + urlencode([*kept, ("_columns", "all")]),
        "corpus_main_columns_url": "?" + urlencode(kept),
        **copies_links(request),
    }


COPY_FILTERS = {"originals": "near_dup_of__isnull", "copies": "near_dup_of__notnull"}


def copies_links(request) -> dict[str, Any]:
    """Links that hide near duplicates (originals only), show only them, or show all rows,
    through Datasette's own filters; which of them is on."""
    params = [
        (k, v)
        for k, v in parse_qsl(request.query_string, keep_blank_values=True)
        if k not in COPY_FILTERS.values() and k != "_next"
    ]
    on = [name for name, arg in COPY_FILTERS.items() if request.args.get(arg) == "1"]
    return {
        "corpus_copies_shown": on[0] if len(on) == 1 else "all",
        "corpus_all_rows_url": "?" + urlencode(params),
        **{
            f"corpus_{name}_url": "?" + urlencode([*params, (arg, "1")])
            for name, arg in COPY_FILTERS.items()
        },
    }


def article_link(datasette, article_id: str, label: str) -> Markup:
    href = datasette.urls.path("/-/articles/" + quote(article_id, safe=""))
    return Markup(f'<a class="corpus-article-link" href="{escape(href)}">{escape(label)}</a>')


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Article titles and ids link to the readable article page."""
    if table not in (TABLE, None) or column not in ("title", "id") or value is None:
        return None
    try:
        article_id = row["id"]
    except (KeyError, IndexError):
        return None
    if not isinstance(article_id, str) or (table is None and "title" not in set(row.keys())):
        return None  # a canned query's rows are articles when they carry an id and a title
    if column == "title":
        return article_link(datasette, article_id, str(value) or "(untitled)")
    return None if table == TABLE else article_link(datasette, article_id, article_id)
