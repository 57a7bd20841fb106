"""The /-/dumps/ Datasette route: listing, downloads with the right types, nothing undeclared."""

from __future__ import annotations

import asyncio
import hashlib
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from datasette.app import Datasette

from corpus.export import export_corpus
from corpus.site import _package_dir, build_datasette
from tests.test_export import build_corpus


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Path, Path]:
    """A corpus database and one export of it."""
    base = tmp_path_factory.mktemp("published")
    db = build_corpus(base / "corpus.db")
    export_corpus(db, base / "dumps", created=datetime(2024, 5, 1, tzinfo=UTC))
    return db, base / "dumps"


def get(ds: Datasette, path: str):
    async def fetch():
        await ds.invoke_startup()
        return await ds.client.get(path)

    return asyncio.run(fetch())


def served(db: Path, monkeypatch, folder: Path | None) -> Datasette:
    if folder is None:
        monkeypatch.delenv("CORPUS_DUMPS_DIR", raising=False)
    else:
        monkeypatch.setenv("CORPUS_DUMPS_DIR", str(folder))
    return build_datasette(str(db))


def test_without_a_folder_the_page_says_nothing_is_published(published, monkeypatch):
    db, _ = published
    response = get(served(db, monkeypatch, None), "/-/dumps/")
    assert response.status_code == 200
    assert "No dumps are published yet." in response.text
    assert "corpus export --db corpus.db --out" in response.text  # and how to publish them
    assert "corpus serve --db corpus.db --dumps" in response.text


def test_listing_shows_files_sizes_checksums_and_documents(published, monkeypatch):
    db, dumps = published
    response = get(served(db, monkeypatch, dumps), "/-/dumps/")
    assert response.status_code == 200
    package = json.loads((dumps / "datapackage.json").read_text(encoding="utf-8"))
    page = response.text
    assert "2024-05-01T00:00:00Z" in page and package["version"] in page
    for res in package["resources"]:
        assert f'href="/-/dumps/{res["path"]}"' in page
        assert res["hash"].removeprefix("sha256:") in page
    assert 'href="/-/dumps/datapackage.json"' in page
    assert 'href="/-/dumps/DATASHEET.md"' in page
    assert "Download the SQLite" in page


@pytest.mark.parametrize(
    ("path", "content_type", "download"),
    [
        ("articles.csv", "text/csv; charset=utf-8", True),
        ("articles.jsonl.gz", "application/gzip", True),
        ("articles.parquet", "application/vnd.apache.parquet", True),
        ("corpus.sqlite", "application/vnd.sqlite3", True),
        ("datapackage.json", "application/json; charset=utf-8", False),
        ("DATASHEET.md", "text/markdown; charset=utf-8", False),
    ],
)
def test_files_are_served_with_their_content_type(
    published, monkeypatch, path, content_type, download
):
    db, dumps = published
    response = get(served(db, monkeypatch, dumps), f"/-/dumps/{path}")
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert response.content == (dumps / path).read_bytes()
    assert ("attachment" in response.headers.get("content-disposition", "")) == download


def test_latest_names_the_sqlite_snapshot_with_its_checksum(published, monkeypatch):
    db, dumps = published
    response = get(served(db, monkeypatch, dumps), "/-/dumps/latest/corpus.sqlite")
    assert response.status_code == 200
    digest = hashlib.sha256(response.content).hexdigest()
    assert response.headers["etag"] == f'"{digest}"'
    assert digest == hashlib.sha256((dumps / "corpus.sqlite").read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "path", [".export-state.json", "../corpus.db", "nope.csv", "latest/../corpus.db"]
)
def test_only_declared_files_are_served(published, monkeypatch, path):
    db, dumps = published
    response = get(served(db, monkeypatch, dumps), f"/-/dumps/{path}")
    assert response.status_code == 404


def test_plugin_config_names_the_folder(published, monkeypatch):
    db, dumps = published
    monkeypatch.delenv("CORPUS_DUMPS_DIR", raising=False)
    ds = Datasette(
        files=[str(db)],
        metadata={"plugins": {"corpus-dumps": {"dir": str(dumps)}}},
        plugins_dir=str(_package_dir("plugins")),
    )
    assert get(ds, "/-/dumps/articles.csv").status_code == 200
    assert "No dumps are published yet." not in get(ds, "/-/dumps/").text


def test_a_folder_of_releases_lists_the_newest_first(published, monkeypatch, tmp_path):
    db, dumps = published
    shutil.copytree(dumps, tmp_path / "2024-05-01")
    export_corpus(
        db, tmp_path / "2024-06-01", formats=("csv",), created=datetime(2024, 6, 1, tzinfo=UTC)
    )
    ds = served(db, monkeypatch, tmp_path)
    page = get(ds, "/-/dumps/").text
    assert 'href="/-/dumps/2024-06-01/articles.csv"' in page
    assert "Earlier releases" in page and 'href="/-/dumps/2024-05-01/datapackage.json"' in page
    assert (
        get(ds, "/-/dumps/latest/articles.csv").content
        == (tmp_path / "2024-06-01" / "articles.csv").read_bytes()
    )
    old = get(ds, "/-/dumps/2024-05-01/corpus.sqlite")
    assert old.status_code == 200 and old.content == (dumps / "corpus.sqlite").read_bytes()
    assert get(ds, "/-/dumps/latest/corpus.sqlite").status_code == 404  # not in the csv-only one
