"""The Datasette app over a corpus database: metadata, templates, plugins and safe settings."""

from __future__ import annotations

import sqlite3
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from datasette.app import Datasette

SAFE_SETTINGS = {
    "sql_time_limit_ms": 3000,
    "max_returned_rows": 1000,
    "allow_download": True,
    "default_page_size": 50,
}


def _package_dir(name: str) -> Path:
    return Path(str(resources.files("corpus") / "datasette" / name))


def source_notes(db_path: str) -> str:
    """HTML list of the sources in the database with their terms (for the home page)."""
    from html import escape

    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
            rows = conn.execute(
                "SELECT key, name, homepage, terms, tested_live FROM sources ORDER BY key"
            ).fetchall()
    except sqlite3.Error:
        return ""
    items = [
        f'<li><a href="{escape(home)}">{escape(name)}</a> (<code>{escape(key)}</code>)'
        f"{': ' + escape(terms) if terms else ''}</li>"
        for key, name, home, terms, _ in rows
    ]
    return "<p>Sources:</p><ul>" + "".join(items) + "</ul>" if items else ""


def build_metadata(db_path: str) -> dict[str, Any]:
    """metadata.yml with the database's name filled in and the sources listed."""
    base = yaml.safe_load((_package_dir("") / "metadata.yml").read_text(encoding="utf-8"))
    tables = base.pop("tables")
    base["description_html"] = base.get("description_html", "") + source_notes(db_path)
    base["databases"] = {Path(db_path).stem: {"tables": tables}}
    return base


def build_datasette(db_path: str, settings: dict[str, Any] | None = None) -> Datasette:
    """A Datasette instance serving ``db_path`` read-only with the corpus metadata."""
    templates, plugins = _package_dir("templates"), _package_dir("plugins")
    return Datasette(
        files=[db_path],
        metadata=build_metadata(db_path),
        settings={**SAFE_SETTINGS, **(settings or {})},
        template_dir=str(templates) if templates.is_dir() else None,
        plugins_dir=str(plugins) if plugins.is_dir() else None,
    )


def serve(db_path: str, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Serve the corpus with uvicorn until interrupted."""
    import uvicorn

    app = build_datasette(db_path).app()
    uvicorn.run(app, host=host, port=port, log_level="warning")
