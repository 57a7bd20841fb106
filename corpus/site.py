"""The Datasette app over a corpus database: metadata, templates, plugins and safe settings."""

from __future__ import annotations

import sqlite3
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from datasette.app import Datasette

from corpus.columns import COLUMNS

SAFE_SETTINGS = {
    "sql_time_limit_ms": 3000,  # any one query; search pages stay in milliseconds
    "max_returned_rows": 1000,
    "allow_download": True,  # only ever offered for an --immutable database
    "default_page_size": 50,
    "suggest_facets": False,  # suggestions cost seconds per table page on a large corpus
    "default_allow_sql": False,  # arbitrary SQL off; `corpus serve --allow-sql` turns it on
}


def _package_dir(name: str) -> Path:
    return Path(str(resources.files("corpus") / "datasette" / name))


def source_notes(db_path: str) -> str:
    """HTML list of the sources in the database with their terms (for the home page)."""

    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
            rows = conn.execute(
                "SELECT key, name, homepage, terms, tested_live FROM sources ORDER BY key"
            ).fetchall()
    except sqlite3.Error:
        return ""
    items = [
        f"<li>{_source_name(name or key, home)} (<code>{escape(key)}</code>)"
        f"{': ' + escape(terms) if terms else ''}</li>"
        for key, name, home, terms, _ in rows
    ]
    return "<p>Sources:</p><ul>" + "".join(items) + "</ul>" if items else ""


def _source_name(name: str, homepage: str | None) -> str:
    """The source's name, linked to its homepage when one is known (a source only named by
    the articles written for it has none)."""
    if not homepage:
        return escape(name)
    return f'<a href="{escape(homepage)}">{escape(name)}</a>'


def build_metadata(db_path: str, allow_robots: bool = False) -> dict[str, Any]:
    """metadata.yml with the database's name filled in, the sources listed and the robots
    policy (``/robots.txt`` disallows everything unless ``allow_robots``)."""
    base = yaml.safe_load((_package_dir("") / "metadata.yml").read_text(encoding="utf-8"))
    tables, queries = base.pop("tables"), base.pop("queries", {})
    tables["articles"]["columns"] = {c.name: c.doc for c in COLUMNS}
    base["description_html"] = base.get("description_html", "") + source_notes(db_path)
    base["databases"] = {Path(db_path).stem: {"tables": tables, "queries": queries}}
    base.setdefault("plugins", {}).setdefault("corpus", {})["allow_robots"] = allow_robots
    return base


def build_datasette(
    db_path: str,
    settings: dict[str, Any] | None = None,
    *,
    allow_sql: bool = False,
    allow_robots: bool = False,
    immutable: bool = False,
) -> Datasette:
    """A Datasette instance serving ``db_path`` read-only with the corpus metadata.

    Datasette opens a database read-only either way; ``immutable`` also promises that nothing
    writes to it while served (a published snapshot: no locking, cached counts, downloadable).
    Leave it off while crawls write to the database.
    """
    templates, plugins = _package_dir("templates"), _package_dir("plugins")
    merged = {**SAFE_SETTINGS, **(settings or {})}
    if allow_sql:
        merged["default_allow_sql"] = True
    return Datasette(
        files=[] if immutable else [db_path],
        immutables=[db_path] if immutable else [],
        metadata=build_metadata(db_path, allow_robots=allow_robots),
        settings=merged,
        template_dir=str(templates) if templates.is_dir() else None,
        plugins_dir=str(plugins) if plugins.is_dir() else None,
    )


def serve(
    db_path: str,
    host: str = "127.0.0.1",
    port: int = 8001,
    *,
    allow_sql: bool = False,
    allow_robots: bool = False,
    immutable: bool = False,
) -> None:
    """Serve the corpus with uvicorn until interrupted (honours X-Forwarded-* from loopback)."""
    import uvicorn

    ds = build_datasette(
        db_path, allow_sql=allow_sql, allow_robots=allow_robots, immutable=immutable
    )
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", proxy_headers=True)
