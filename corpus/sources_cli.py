"""The ``corpus sources`` commands: list, check, draft (``new``) and record sources."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.group(invoke_without_command=True)
@click.pass_context
def sources(ctx: click.Context) -> None:
    """List the sources (key, name, homepage, whether tested against the live site).

    Subcommands check source files, draft a new one from a live site and record test fixtures.

    Example: corpus sources
    Example: corpus sources check my_outlet
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_sources)


@sources.command("list")
def list_sources() -> None:
    """List the sources (the default when no subcommand is given).

    Example: corpus sources list
    """
    from corpus.sources import all_sources, demo_sources

    demo = demo_sources()
    for key, src in sorted(all_sources().items()):
        status = "demo" if key in demo else "tested" if src.tested_live else "untested live"
        click.echo(f"{key:28} {src.name:32} {src.homepage}  [{status}]")


def _targets(names: tuple[str, ...]) -> list[tuple[Path, str | None]]:
    """The files to check: every source file, or those named (as KEY or FILE)."""
    from corpus.sources import load_checked, source_files

    every = source_files()
    if not names:
        return [(path, module) for path, module in every]
    chosen: list[tuple[Path, str | None]] = []
    by_key: dict[str, tuple[Path, str]] | None = None
    for name in names:
        if name.endswith(".py") or Path(name).is_file():
            if not Path(name).is_file():
                raise click.ClickException(f"no source file {name}")
            chosen.append((Path(name), None))
            continue
        if by_key is None:
            by_key = {}
            for path, module in every:
                loaded = load_checked(path, module)
                key = loaded.source.key if loaded.source is not None else path.stem
                by_key.setdefault(str(key), (path, module))
                by_key.setdefault(path.stem, (path, module))
        if name not in by_key:
            known = ", ".join(sorted(k for k in by_key))
            raise click.ClickException(f"no source {name!r} (and no such file); known: {known}")
        chosen.append(by_key[name])
    return chosen


@sources.command()
@click.argument("names", nargs=-1, metavar="[KEY|FILE]...")
def check(names: tuple[str, ...]) -> None:
    """Check source files: one line per problem (file:line: field: what is wrong); exit 1 on any.

    Without arguments every source file is checked (this package's, the demo sites' and
    CORPUS_SOURCES_DIR's). `corpus crawl` runs the same checks before its first request.

    Example: corpus sources check
    Example: corpus sources check ~/sources/my_outlet.py
    """
    from corpus.sources import load_checked, source_files

    module_of = dict(source_files())
    seen: dict[str, Path] = {}
    problems = 0
    targets = _targets(names)
    for path, module in targets:
        loaded = load_checked(path, module or module_of.get(path))
        source = loaded.source
        if source is not None and isinstance(source.key, str) and not loaded.problems:
            if source.key in seen and seen[source.key] != path:
                loaded.problems.append(
                    loaded.problem(
                        "key", f"{source.key!r} is already defined by {seen[source.key]}"
                    )
                )
            seen.setdefault(source.key, path)
        for problem in loaded.problems:
            click.echo(str(problem))
        problems += len(loaded.problems)
        if not loaded.problems and source is not None:
            click.echo(f"{path}: ok ({source.key})")
    click.echo(f"{len(targets)} file(s) checked, {problems} problem(s)", err=True)
    if problems:
        sys.exit(1)


def _default_folder() -> Path:
    """Where `sources new` writes: the first CORPUS_SOURCES_DIR folder, else this package's."""
    import os

    from corpus.sources import source_folders

    extra = [f for f in os.environ.get("CORPUS_SOURCES_DIR", "").split(os.pathsep) if f]
    return Path(extra[0]) if extra else source_folders()[0][0]


@sources.command()
@click.argument("key")
@click.option("--homepage", required=True, help="The outlet's homepage (absolute URL).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    help="File to write [default: KEY.py "
    "in the first CORPUS_SOURCES_DIR folder, else corpus/sources/].",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option("--delay", default=1.0, show_default=True, help="Seconds between requests.")
def new(key: str, homepage: str, out: str | None, force: bool, delay: float) -> None:
    """Draft a source file from the live site, print what was found and what was not.

    About a dozen requests, robots.txt obeyed: robots.txt, the homepage, the usual sitemap,
    feed and WordPress API places, a sitemap and a few articles (for the time zone).

    Example: corpus sources new border_daily --homepage https://news.example.org/
    """
    import re
    from urllib.parse import urlsplit

    from corpus.politefetch import PoliteClient
    from corpus.sourcenew import draft_source
    from corpus.sources import load_checked

    if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", key):
        raise click.UsageError(f"KEY {key!r} may hold only letters, digits, `_`, `.` and `-`")
    parts = urlsplit(homepage)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.UsageError(f"--homepage {homepage!r} is not an absolute http(s) URL")
    path = Path(out) if out else _default_folder() / f"{key}.py"
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists (use --force to overwrite, or --out)")
    with PoliteClient(delay=delay, budget=25) as client:
        draft = draft_source(key, homepage, client)
        used = client.used
    for line in draft.report():
        click.echo(line)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(draft.source_text(), encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc}") from None
    click.echo(f"wrote {path} ({used} requests); review it, then: corpus sources check {path}")
    for problem in load_checked(path).problems:
        click.echo(f"check: {problem}")


@sources.command()
@click.argument("key")
@click.option("--url", "urls", multiple=True, help="An article page to record (repeatable).")
@click.option("--limit", default=3, show_default=True, help="Pages to record without --url.")
@click.option(
    "--folder",
    type=click.Path(file_okay=False),
    help="Where KEY/ goes [default: tests/fixtures/sources of this checkout].",
)
@click.option("--delay", default=1.0, show_default=True, help="Seconds between requests.")
def record(key: str, urls: tuple[str, ...], limit: int, folder: str | None, delay: float) -> None:
    """Fetch a few articles politely and write test fixtures: each page gzipped plus its
    expected Article values as JSON, for a person to review and commit.

    Without --url the newest articles of the source's feeds (then sitemaps) are taken. The
    fixture test then checks on every run that extraction still gives the recorded values.
    Recording a real outlet and reviewing the values is how a source becomes tested_live.

    Example: corpus sources record daily_nk_en --limit 3
    """
    from corpus.politefetch import PoliteClient
    from corpus.sourcerecord import record as record_pages
    from corpus.sources import UnknownSource, get_source

    try:
        source = get_source(key)
    except UnknownSource as exc:
        raise click.ClickException(str(exc)) from None
    for url in urls:
        if not source.is_article_url(url):
            click.echo(f"warning: {url} does not match the source's article_url", err=True)
    with PoliteClient(delay=delay, budget=limit + 10 + len(urls)) as client:
        result = record_pages(source, client, list(urls), limit, Path(folder) if folder else None)
    for path in result.written:
        click.echo(f"wrote {path} (+ {path.name.removesuffix('.json')}.html.gz)")
    for line in result.failed:
        click.echo(f"not recorded: {line}")
    if not result.written:
        raise click.ClickException("no page recorded")
