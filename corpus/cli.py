"""The ``corpus`` command line. Each command's docstring is its help text, with an example."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click

DEFAULT_DB = os.environ.get("CORPUS_DB", "corpus.db")


@click.group()
@click.version_option(package_name="osint-corpus")
def cli() -> None:
    """Build and publish a searchable corpus of news reporting.

    Example: corpus crawl daily_nk_en --db corpus.db && corpus serve --db corpus.db
    """


def crawl_command(
    key: str,
    db: str,
    *,
    base_url: str | None = None,
    limit: int | None = None,
    fast_loopback: bool = False,
    settings: tuple[str, ...] = (),
) -> list[str]:
    """The argv that runs one source's crawl in its own Scrapy process."""
    argv = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        "news",
        "-a",
        f"source={key}",
        "-s",
        f"CORPUS_DB={Path(db).resolve()}",
    ]
    if base_url:
        argv += ["-a", f"base_url={base_url}"]
    if limit:
        argv += ["-a", f"limit={limit}"]
    if fast_loopback:
        argv += ["-s", "CORPUS_LOOPBACK_FAST=True"]
    for setting in settings:
        argv += ["-s", setting]
    return argv


def run_crawl(argv: list[str]) -> int:
    """Run a crawl process with the project's settings, from any working directory."""
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawlers.settings"}
    return subprocess.run(argv, env=env, check=False).returncode


@cli.command()
@click.argument("keys", nargs=-1)
@click.option("--all", "all_sources", is_flag=True, help="Crawl every real (non-demo) source.")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Corpus database.")
@click.option("--limit", type=int, help="Stop each source after N article pages.")
@click.option("--base-url", help="Crawl a copy of the site at this origin (testing).")
@click.option("-s", "--set", "settings", multiple=True, help="Scrapy setting NAME=VALUE.")
def crawl(
    keys: tuple[str, ...],
    all_sources: bool,
    db: str,
    limit: int | None,
    base_url: str | None,
    settings: tuple[str, ...],
) -> None:
    """Crawl sources into the corpus, one Scrapy process per source.

    Example: corpus crawl daily_nk_en yonhap_en --db corpus.db
    """
    from crawlers.sources import UnknownSource, get_source, live_sources

    if all_sources:
        keys = tuple(live_sources())
    if not keys:
        raise click.UsageError("name at least one source, or --all (see `corpus sources`)")
    try:
        for key in keys:
            get_source(key)
    except UnknownSource as exc:
        raise click.ClickException(str(exc)) from None
    failed = [
        key
        for key in keys
        if run_crawl(crawl_command(key, db, base_url=base_url, limit=limit, settings=settings)) != 0
    ]
    if failed:
        raise click.ClickException(f"crawl failed for: {', '.join(failed)}")


@cli.command()
def sources() -> None:
    """List the sources (key, name, homepage, whether tested against the live site).

    Example: corpus sources
    """
    from crawlers.sources import all_sources

    for key, src in sorted(all_sources().items()):
        live = (
            "tested"
            if src.tested_live
            else "untested live"
            if not key.startswith("demo_")
            else "demo"
        )
        click.echo(f"{key:28} {src.name:32} {src.homepage}  [{live}]")


@cli.command()
@click.argument("page", required=False, type=click.Path(dir_okay=False))
@click.option("--json", "json_page", type=click.Path(dir_okay=False), help="Same as PAGE.")
@click.option("--url", help="The page's URL (resolves relative links, helps dates).")
@click.option("--source", "source_key", help="Use this source's timezone and hints.")
@click.option("--batch", is_flag=True, help='Read {"id","url","path"} JSON lines on stdin.')
@click.option(
    "--jobs",
    type=int,
    default=os.cpu_count() or 1,
    show_default=True,
    help="Worker processes for --batch.",
)
def extract(
    page: str | None,
    json_page: str | None,
    url: str | None,
    source_key: str | None,
    batch: bool,
    jobs: int,
) -> None:
    """Print the Article for a saved page as JSON (or stream many with --batch).

    Example: corpus extract saved.html --url https://www.dailynk.com/english/some-story/
    Example: echo '{"id":"1","url":"https://x.org/a","path":"a.html"}' | corpus extract --batch
    """
    from corpus.extract_cli import extract_file, load_source, main_batch
    from processing import ExtractionError

    if batch:
        main_batch(jobs, source_key)
        return
    path = page or json_page
    if not path:
        raise click.UsageError("give a PAGE (or --batch)")
    from crawlers.sources import UnknownSource

    try:
        article = extract_file(path, url, load_source(source_key))
    except (ExtractionError, OSError, UnknownSource) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(article, ensure_ascii=False, indent=2))


@cli.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Corpus database.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
def serve(db: str, host: str, port: int) -> None:
    """Publish the corpus with Datasette (read-only).

    Example: corpus serve --db corpus.db --port 8001
    """
    from corpus.schema import open_db
    from corpus.site import serve as serve_site

    open_db(db).conn.close()  # create or migrate first, so an empty corpus still serves
    click.echo(f"Serving {db} on http://{host}:{port}/")
    serve_site(db, host=host, port=port)


@cli.command()
@click.option("--db", default="demo.db", show_default=True, help="Database to build.")
@click.option(
    "--serve/--no-serve",
    "do_serve",
    default=True,
    help="Serve the result with Datasette on --port when done.",
)
@click.option("--port", default=8001, show_default=True, type=int)
def demo(db: str, do_serve: bool, port: int) -> None:
    """Serve the bundled sample sites on 127.0.0.1, crawl them, build the corpus, serve it.

    Example: corpus demo --no-serve --db /tmp/demo.db
    """
    from corpus.demo.server import DEMO_PORTS, SampleSites
    from crawlers.sources import demo_sources

    try:
        # Fixed ports: article URLs (and so their ids) stay the same from one demo to the next.
        sites = SampleSites(ports=DEMO_PORTS)
    except OSError as exc:
        ports = ", ".join(str(p) for p in DEMO_PORTS.values())
        raise click.ClickException(
            f"cannot serve the sample sites on ports {ports}: {exc}"
        ) from exc
    with sites:
        for key in sorted(demo_sources()):
            base = sites.base_urls[key.removeprefix("demo_")]
            click.echo(f"crawling {key} at {base} ...")
            code = run_crawl(
                crawl_command(
                    key, db, base_url=base, fast_loopback=True, settings=("LOG_LEVEL=WARNING",)
                )
            )
            if code != 0:
                raise click.ClickException(f"demo crawl of {key} failed (exit {code})")
    _summary(db)
    if do_serve:
        from corpus.site import serve as serve_site

        click.echo(f"Corpus ready: browse http://127.0.0.1:{port}/ (Ctrl-C to stop)")
        serve_site(db, port=port)


def _summary(db: str) -> None:
    import sqlite3

    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT source, count(*), min(published_date), max(published_date) FROM articles"
            " GROUP BY source ORDER BY source"
        ).fetchall()
        errors = conn.execute("SELECT count(*) FROM fetch_errors").fetchone()[0]
    for source, count, first, last in rows:
        click.echo(f"{source:28} {count:4} articles  {first} .. {last}")
    click.echo(f"{sum(r[1] for r in rows)} articles, {errors} recorded fetch errors in {db}")


def main() -> None:
    """Console-script entry point."""
    cli()


if __name__ == "__main__":
    main()
