"""The ``corpus`` command line. Each command's docstring is its help text, with an example."""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path

import click

from corpus.dbcheck import checked

DEFAULT_DB = os.environ.get("CORPUS_DB", "corpus.db")


class _LazyGroup(click.Group):
    """Commands written in other modules, imported only when run or listed, so that a command
    that needs little (``corpus extract --batch``) starts fast."""

    lazy = {"export": "corpus.export", "ingest": "corpus.ingest", "sources": "corpus.sources_cli"}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy:
            return getattr(importlib.import_module(self.lazy[name]), name)
        return super().get_command(ctx, name)


@click.group(cls=_LazyGroup)
@click.version_option(package_name="osint-corpus")
def cli() -> None:
    """Build and publish a searchable corpus of news reporting.

    Example: corpus crawl daily_nk_en --db corpus.db && corpus serve --db corpus.db
    """


def resolve_sources(keys: tuple[str, ...], all_sources: bool) -> tuple[str, ...]:
    """The source keys a crawl command names (every real source with --all) that pass
    `corpus sources check`. An unknown key stops the command; a named source whose file has
    a problem is left out with one line (already printed by the registry)."""
    from corpus.sources import UnknownSource, live_sources
    from corpus.sources import all_sources as known

    if all_sources:
        keys = tuple(live_sources())  # files with problems were skipped, each with a line
    if not keys:
        raise click.UsageError("name at least one source, or --all (see `corpus sources`)")
    broken = skipped_keys()
    for key in keys:
        if key not in known() and key not in broken:
            raise click.ClickException(str(UnknownSource(key)))
    healthy = tuple(key for key in keys if key in known())
    if not healthy:  # only sources whose files have problems: say why for the first
        raise click.ClickException(str(UnknownSource(keys[0])))
    return healthy


def skipped_keys() -> set[str]:
    """Keys (or file names) of the source files skipped for a problem."""
    from corpus.sources import _registry

    return set(_registry().broken)


def skipped_live_files() -> int:
    """How many real-outlet source files were skipped for a problem (already reported)."""
    from corpus.sources import DEMO_DIR, skipped_files

    return sum(1 for loaded in skipped_files() if loaded.path.parent != DEMO_DIR)


@cli.command()
@click.argument("keys", nargs=-1)
@click.option("--all", "all_sources", is_flag=True, help="Crawl every real (non-demo) source.")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Corpus database.")
@click.option("--limit", type=int, help="Stop each source after N article pages.")
@click.option("--base-url", help="Crawl a copy of the site at this origin (testing).")
@click.option("-s", "--set", "settings", multiple=True, help="Scrapy setting NAME=VALUE.")
@click.option(
    "--log-file",
    help="Also log to this rotating file [default: logs/crawl.log beside the database].",
)
@click.option("--distributed", is_flag=True, help="Join a shared Redis frontier (scale-out).")
@click.option("--redis", "redis_url", envvar="CORPUS_REDIS_URL", help="Redis URL (--distributed).")
@click.option(
    "--processes",
    default=1,
    show_default=True,
    help="Crawl processes the sources are spread over (with --distributed: per source).",
)
@click.option(
    "--workers",
    type=int,
    help="Processes that clean pages beside each crawl process, shared by its sources "
    "[default: 1 for several sources, else CORPUS_PROCESS_WORKERS or 0].",
)
@click.option("--verbose", is_flag=True, help="Show Scrapy's own log, not only progress lines.")
@click.option(
    "--low-memory",
    is_flag=True,
    help="Analyse Korean search terms after each source's crawl, not beside it (one large "
    "process at a time; see docs/performance.md).",
)
def crawl(
    keys: tuple[str, ...],
    all_sources: bool,
    db: str,
    limit: int | None,
    base_url: str | None,
    settings: tuple[str, ...],
    log_file: str | None,
    distributed: bool = False,
    redis_url: str | None = None,
    processes: int = 1,
    workers: int | None = None,
    verbose: bool = False,
    low_memory: bool = False,
) -> None:
    """Crawl sources into the corpus, all at the same time, each under a lock.

    Every source keeps its own delay, AutoThrottle and robots.txt; they share one Scrapy
    process (or --processes N). Prints a progress line every few seconds and one summary line
    per source; Scrapy's own log goes to the log file (--verbose shows it). Safe to run from
    cron: a source still being crawled by an earlier run is skipped. Exit status: 0 all
    crawled, 1 a source failed (it could not start, stopped, or stored nothing and failed), 75
    a source was skipped because another run holds its lock.

    With --low-memory (or CORPUS_KOREAN_ANALYSER=deferred) the crawl stores Korean articles
    without their search morphemes and `corpus terms` analyses them once the crawl is done.

    Example: corpus crawl --all --db /srv/corpus/corpus.db
    Example: corpus crawl --all --low-memory --db /srv/corpus/corpus.db
    Example: corpus crawl --all --distributed --redis redis://10.0.0.5:6379/0 --processes 2
    """
    named = keys
    keys = resolve_sources(keys, all_sources)
    checked(db, may_create=True)
    if distributed and low_memory:
        raise click.UsageError(
            "--low-memory is for local crawls; in a distributed crawl `corpus ingest` writes: "
            "run it with CORPUS_KOREAN_ANALYSER=deferred, then `corpus terms`"
        )
    if distributed:  # crawlers push to Redis; `corpus ingest` writes (docs/scale-out.md)
        from corpus.runner import crawl_distributed

        sys.exit(
            crawl_distributed(
                keys,
                db,
                redis_url,
                processes,
                base_url=base_url,
                limit=limit,
                settings=settings,
            )
        )
    from corpus import analyser
    from corpus.runner import crawl_env, crawl_sources, exit_code, many_command, setup_logging

    log_file = log_file or str(Path(db).resolve().parent / "logs" / "crawl.log")
    setup_logging(log_file)
    env = crawl_env()
    env["CORPUS_SKIPPED_REPORTED"] = "1"  # this process printed the skipped source files
    if low_memory:
        env["CORPUS_KOREAN_ANALYSER"] = "deferred"
    try:
        defer = low_memory or analyser.deferred()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    if workers is None and len(keys) > 1 and "CORPUS_PROCESS_WORKERS" not in os.environ:
        # cleaning off the reactor: inline, a busy process sends requests late and the next
        # one of a slot then follows it by less than the delay (measured: docs/performance.md)
        workers = 1
    scrapy_log = str(Path(log_file).with_name(Path(log_file).stem + "-scrapy.log"))
    outcomes = crawl_sources(
        list(keys),
        db,
        lambda group: many_command(
            group,
            db,
            base_urls=dict.fromkeys(group, base_url) if base_url else None,
            limit=limit,
            settings=settings,
            log_file=scrapy_log,
            verbose=verbose,
            workers=workers,
        ),
        env,
        terms_argv=terms_command(db),
        terms_always=defer,
        processes=processes,
    )
    for outcome in outcomes:
        click.echo(outcome.summary)
    code = exit_code(outcomes)
    skipped = skipped_live_files() if all_sources else len(set(named) - set(keys))
    if code == 0 and skipped:
        code = 1  # a broken source file is a failed source: see `corpus sources check`
    sys.exit(code)


@cli.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Corpus database.")
@click.option("--source", help="Only this source.")
def report(db: str, source: str | None) -> None:
    """Print each source's last crawl and flag sources that look broken (exit 1 if any).

    Broken: an error rate over 20%; no new articles while most of the last 5 runs had some;
    a field (title, authors, published, 50-word body) covered 20 points under its median.

    Example: corpus report --db corpus.db
    """
    from corpus.health import report as health_report

    checked(db, sources=[source] if source else [])
    sources_health = health_report(db, source)
    for health in sources_health:
        click.echo(health.line())
    if not sources_health:
        click.echo("no crawl runs recorded yet")
    from corpus.runner import pending_terms

    waiting = pending_terms(db)
    if waiting:
        click.echo(f"{waiting} Korean article(s) wait for their search terms: run `corpus terms`")
    if any(h.broken for h in sources_health):
        sys.exit(1)


@cli.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Corpus database.")
@click.option("--source", help="Only this source.")
@click.option("--archive", help="Raw archive folder [default: archive/ beside the database].")
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=(os.cpu_count() or 1) if (os.cpu_count() or 1) > 1 else 0,
    show_default="the number of cores, 0 on one core",
    help="Processes that clean pages (0: clean in this process).",
)
def reprocess(db: str, source: str | None, archive: str | None, workers: int) -> None:
    """Rebuild articles from the raw archive (no network) with the current processing.

    Rows whose processed fields changed are updated in place and stamped with the extractor
    version; this is not counted as a new version of the article. Pages are cleaned on every
    core (--workers) and written in order, in batched transactions.

    Example: corpus reprocess --source daily_nk_en --db corpus.db --workers 2
    """
    from corpus.archive import default_archive_dir
    from corpus.reprocess import reprocess as run_reprocess
    from corpus.sources import all_sources
    from corpus.store import Store

    checked(db, may_create=True)  # the archive may hold sources the database has not seen
    folder = Path(archive) if archive else default_archive_dir(db)
    if not (folder / "index.sqlite").exists():
        raise click.ClickException(f"no raw archive at {folder}")
    store = Store(db)
    try:
        counts = run_reprocess(store, folder, all_sources(), source, workers=workers)
    finally:
        store.close()
    click.echo(
        f"reprocessed {counts.pages} pages: {counts.inserted} inserted, {counts.changed} "
        f"updated, {counts.same} unchanged, {counts.failed} failed"
    )


@cli.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Corpus database.")
@click.option("--limit", type=click.IntRange(min=1), help="Analyse at most N articles.")
@click.option(
    "--parallel",
    is_flag=True,
    help="Analyse on every core (about twice as fast on two cores, ~35 MiB more memory).",
)
def terms(db: str, limit: int | None, parallel: bool) -> None:
    """Analyse the Korean search terms that deferred writes left pending.

    Crawls run with --low-memory (or CORPUS_KOREAN_ANALYSER=deferred) store Korean articles
    without their kiwipiepy morphemes; until this runs, search finds those articles by the
    words as printed (북한이) but not by morpheme (북한). `corpus crawl --low-memory` runs it
    after each source by itself. Safe to interrupt: finished batches stay written.

    Example: corpus terms --db corpus.db
    Example: corpus terms --parallel --db corpus.db   # after a bulk import
    """
    from corpus.terms import BATCH, TermsCounts, analyse_pending

    checked(db)

    def progress(counts: TermsCounts) -> None:
        if counts.analysed and counts.analysed % 1000 < BATCH:  # about every 1,000 articles
            click.echo(f"... {counts.analysed} analysed", err=True)

    click.echo(analyse_pending(db, limit=limit, parallel=parallel, progress=progress).line())


def terms_command(db: str) -> list[str]:
    """The argv that runs ``corpus terms`` on ``db`` in a process of its own."""
    return [sys.executable, "-m", "corpus.cli", "terms", "--db", str(Path(db).resolve())]


@cli.command()
@click.argument("page", required=False, type=click.Path(dir_okay=False))
@click.option("--json", "json_page", type=click.Path(dir_okay=False), help="Same as PAGE.")
@click.option("--url", help="The page's URL (resolves relative links, helps dates).")
@click.option(
    "--source",
    "source_key",
    help="Use this source's timezone and hints (default: the source whose domains match --url).",
)
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
    from corpus.extract_cli import extract_file, load_source, main_batch, source_for
    from processing import ExtractionError

    if batch:
        main_batch(jobs, source_key)
        return
    path = page or json_page
    if not path:
        raise click.UsageError("give a PAGE (or --batch)")
    from corpus.sources import UnknownSource

    try:
        article = extract_file(path, url, load_source(source_key) or source_for(url))
    except (ExtractionError, OSError, UnknownSource) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(article, ensure_ascii=False, indent=2))


@cli.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Corpus database.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--allow-sql", is_flag=True, help="Let visitors run arbitrary (read-only) SQL.")
@click.option("--allow-robots", is_flag=True, help="Let search engines index the site.")
@click.option(
    "--immutable", is_flag=True, help="Promise nothing writes the database while it is served."
)
@click.option(
    "--dumps",
    type=click.Path(file_okay=False),
    help="Publish the exports in this folder at /-/dumps/ (see `corpus export`).",
)
def serve(
    db: str,
    host: str,
    port: int,
    allow_sql: bool,
    allow_robots: bool,
    immutable: bool,
    dumps: str | None,
) -> None:
    """Publish the corpus with Datasette (read-only; no arbitrary SQL, robots kept out).

    Example: corpus serve --db corpus.db --port 8001 --dumps /srv/corpus/dumps
    """
    from corpus.schema import open_db

    checked(db)  # a missing path is a mistake here: `corpus demo` builds a corpus to serve
    if dumps:
        os.environ["CORPUS_DUMPS_DIR"] = str(Path(dumps).resolve())
    from corpus.site import serve as serve_site

    open_db(db).conn.close()  # create or migrate first, so an empty corpus still serves
    click.echo(f"Serving {db} on http://{host}:{port}/")
    serve_site(
        db,
        host=host,
        port=port,
        allow_sql=allow_sql,
        allow_robots=allow_robots,
        immutable=immutable,
    )


@cli.command()
@click.option("--db", default="demo.db", show_default=True, help="Database to build.")
@click.option(
    "--serve/--no-serve",
    "do_serve",
    default=True,
    help="Serve the result with Datasette on --port when done.",
)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option("--allow-sql", is_flag=True, help="Let visitors run arbitrary (read-only) SQL.")
def demo(db: str, do_serve: bool, port: int, allow_sql: bool) -> None:
    """Serve the bundled sample sites on 127.0.0.1, crawl them, build the corpus, serve it.

    Example: corpus demo --no-serve --db /tmp/demo.db
    """
    from corpus.demo.server import DEMO_PORTS, SampleSites
    from corpus.runner import crawl_command, run_crawl
    from corpus.sources import demo_sources, enable_demo_sources

    enable_demo_sources()  # the demo outlets are registered for the demo only

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
        serve_site(db, port=port, allow_sql=allow_sql)


def _summary(db: str) -> None:
    import sqlite3

    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT source, count(*), min(published_date), max(published_date) FROM articles"
            " GROUP BY source ORDER BY source"
        ).fetchall()
        errors = conn.execute("SELECT count(*) FROM fetch_errors").fetchone()[0]
        copies, stories = conn.execute(
            "SELECT count(near_dup_of), count(DISTINCT story_id) FROM articles"
        ).fetchone()
    for source, count, first, last in rows:
        click.echo(f"{source:28} {count:4} articles  {first} .. {last}")
    click.echo(
        f"{sum(r[1] for r in rows)} articles ({copies} near duplicates of an earlier one,"
        f" in {stories} stories), {errors} recorded fetch errors in {db}"
    )


def main() -> None:
    """Console-script entry point."""
    cli()


if __name__ == "__main__":
    main()
