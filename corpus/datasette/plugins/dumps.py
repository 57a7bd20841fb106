"""Datasette plugin: publish the researchers' dumps (``corpus export``) at ``/-/dumps/``.

The folder is the ``dir`` of the plugin config (``plugins: {corpus-dumps: {dir: ...}}``) or else
the ``CORPUS_DUMPS_DIR`` environment variable. It holds one export (a ``datapackage.json`` at its
top) or several, one per sub-folder; the newest by ``created`` is the latest. Only the files a
``datapackage.json`` declares (plus itself and ``DATASHEET.md``) are served, so nothing else in
the folder leaks. ``/-/dumps/latest/<file>`` always names the latest release's file, e.g.
``/-/dumps/latest/corpus.sqlite`` for the SQLite snapshot.
"""

# No `from __future__ import annotations`: Datasette loads this file without registering it in
# sys.modules, and dataclasses then cannot resolve string annotations.
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import Response, asgi_send_file

from corpus.export_model import human_bytes

PLUGIN = "corpus-dumps"
ENV = "CORPUS_DUMPS_DIR"
DOCS = ("datapackage.json", "DATASHEET.md")
CONTENT_TYPES = {
    ".json": "application/json; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".gz": "application/gzip",
    ".parquet": "application/vnd.apache.parquet",
    ".sqlite": "application/vnd.sqlite3",
}


@dataclass
class Release:
    """One export: its folder, URL prefix and parsed datapackage.json."""

    name: str  # "" for a folder that is itself an export, else the sub-folder's name
    folder: Path
    package: dict[str, Any]

    @property
    def created(self) -> str:
        return str(self.package.get("created", ""))

    def files(self) -> dict[str, dict[str, Any]]:
        """Servable paths -> their resource (documents get an empty one)."""
        found: dict[str, dict[str, Any]] = {doc: {} for doc in DOCS}
        for res in self.package.get("resources", []):
            if isinstance(res, dict) and isinstance(res.get("path"), str):
                found[res["path"]] = res
        return found

    def url(self, path: str) -> str:
        return f"/-/dumps/{self.name + '/' if self.name else ''}{path}"


def dumps_dir(datasette: Any) -> Path | None:
    """The configured dumps folder, or None."""
    config = datasette.plugin_config(PLUGIN) or {}
    value = config.get("dir") or os.environ.get(ENV)
    return Path(value) if value else None


def _load(name: str, folder: Path) -> Release | None:
    try:
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Release(name, folder, package) if isinstance(package, dict) else None


def releases(root: Path | None) -> list[Release]:
    """The exports under ``root``, newest first."""
    if root is None or not root.is_dir():
        return []
    top = _load("", root)
    if top:
        return [top]
    found = [_load(d.name, d) for d in sorted(root.iterdir()) if d.is_dir()]
    return sorted((r for r in found if r), key=lambda r: (r.created, r.name), reverse=True)


PAGE = """{% extends "base.html" %}
{% block title %}Dumps for researchers{% endblock %}
{% block content %}
<h1>Dumps for researchers</h1>
{% if not latest %}
<p>No dumps are published yet.</p>
<p>To publish them, write an export into a folder and serve that folder here:</p>
<pre>corpus export --db corpus.db --out /srv/corpus/dumps
corpus serve --db corpus.db --dumps /srv/corpus/dumps</pre>
<p>Each export writes JSONL.gz, CSV, Parquet and SQLite files with checksums, a
<code>datapackage.json</code> and a <code>DATASHEET.md</code> (see <code>docs/exports.md</code>);
this page then lists the newest one and its files.</p>
{% else %}
{% set p = latest.package %}
<p>{{ p.title }}, version <strong>{{ p.version }}</strong>, created {{ p.created }}
{%- if p.temporal %}; articles published {{ p.temporal.start }} to {{ p.temporal.end }}{% endif %}.
Content fingerprint <code>{{ p.id }}</code>.</p>
<p><a href="{{ latest.url('datapackage.json') }}">datapackage.json</a> (schema, checksums,
row counts) &middot; <a href="{{ latest.url('DATASHEET.md') }}">DATASHEET.md</a> (what is in it,
how it was collected, known gaps, how to cite)
{% if snapshot %}&middot; <a href="{{ latest.url(snapshot.path) }}"><strong>Download the SQLite
snapshot</strong></a> ({{ size(snapshot.bytes) }}){% endif %}</p>
{% if p.citation %}<p>Cite as: {{ p.citation }}</p>{% endif %}
<table class="rows-and-columns">
<thead><tr><th>file</th><th>format</th><th>rows</th><th>size</th><th>sha256</th></tr></thead>
<tbody>
{% for r in resources %}
<tr><td><a href="{{ latest.url(r.path) }}">{{ r.path }}</a></td><td>{{ r.format }}</td>
<td>{{ r.rows if r.rows is defined else r.rowCount }}</td>
<td>{{ size(r.bytes or 0) }}</td><td><code>{{ (r.hash or '')[7:] }}</code></td></tr>
{% endfor %}
</tbody></table>
<p>Verify a download with <code>sha256sum FILE</code>; load it in one line: see the
<a href="{{ p.documentation }}">export documentation</a>.</p>
{% if older %}
<h2>Earlier releases</h2>
<ul>{% for r in older %}<li><a href="{{ r.url('datapackage.json') }}">{{ r.name }}</a>,
version {{ r.package.version }}, created {{ r.created }}</li>{% endfor %}</ul>
{% endif %}
{% endif %}
{% endblock %}
"""


async def dumps_page(datasette: Any, request: Any) -> Response:
    """The listing: the latest release's files with sizes and sha256, and older releases."""
    found = releases(dumps_dir(datasette))
    latest = found[0] if found else None
    resources = latest.package.get("resources", []) if latest else []
    snapshot = next((r for r in resources if r.get("format") == "sqlite"), None)
    template = datasette.jinja_env.from_string(PAGE)
    context = {
        "latest": latest,
        "older": found[1:],
        "resources": resources,
        "snapshot": snapshot,
        "size": human_bytes,
    }
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html)


def _not_found() -> Response:
    return Response.text("Not found: this file is not part of a published dump.", status=404)


def resolve(found: list[Release], path: str) -> tuple[Path, dict[str, Any]] | None:
    """The file a /-/dumps/ path names, if a datapackage declares it."""
    if not found:
        return None
    head, _, rest = path.partition("/")
    named = {r.name: r for r in found if r.name}
    if head == "latest":
        release, name = found[0], rest
    elif head in named:
        release, name = named[head], rest
    else:
        release, name = found[0], path
    if name not in release.files():
        return None
    target = (release.folder / name).resolve()
    if not target.is_relative_to(release.folder.resolve()) or not target.is_file():
        return None
    return target, release.files()[name]


async def dumps_file(datasette: Any, request: Any, send: Any) -> Response | None:
    """Serve one declared file with its content type; data files as downloads."""
    found = releases(dumps_dir(datasette))
    hit = resolve(found, request.url_vars["path"])
    if hit is None:
        return _not_found()
    target, res = hit
    suffix = target.suffix.lower()
    headers = {"cache-control": "public, max-age=300"}
    if res.get("hash", "").startswith("sha256:"):
        headers["etag"] = f'"{res["hash"][7:]}"'
    download = target.name if suffix not in (".json", ".md") else None
    await asgi_send_file(
        send,
        target,
        filename=download,
        content_type=CONTENT_TYPES.get(suffix, "application/octet-stream"),
        chunk_size=1 << 16,
        headers=headers,
    )
    return None


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/-/dumps/?$", dumps_page),
        (r"^/-/dumps/(?P<path>.+)$", dumps_file),
    ]
