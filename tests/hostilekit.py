"""Crawls of one hostile local site, measured: wall time and peak memory of the process tree."""

from __future__ import annotations

import sqlite3
import subprocess
import time
from dataclasses import dataclass

from benchmarks.benchkit import TreeMonitor
from corpus.runner import crawl_command, crawl_env
from tests.sitekit import Route, RouteServer, sitemap, write_source

FAST = (
    "LOG_LEVEL=WARNING",
    "RETRY_TIMES=2",
    "CORPUS_RETRY_BACKOFF=0.2",
    "DOWNLOAD_TIMEOUT=2",
    "DOWNLOAD_MAXSIZE=1000000",
    "DOWNLOAD_WARNSIZE=0",
)


@dataclass
class Measured:
    """A finished crawl: its database, the server's log, how long it took and its peak."""

    conn: sqlite3.Connection
    server: RouteServer
    seconds: float
    peak_mib: float  # highest summed RSS of the crawl process and its children

    def errors(self) -> dict[str, str]:
        """path -> failure kind of every fetch_errors row."""
        rows = self.conn.execute("SELECT url, kind FROM fetch_errors")
        return {url.split("/", 3)[3]: kind for url, kind in rows}

    def stored(self) -> set[str]:
        """Paths of the stored articles."""
        return {url.split("/", 3)[3] for (url,) in self.conn.execute("SELECT url FROM articles")}


def crawl_measured(
    tmp_path,
    monkeypatch,
    routes: dict[str, Route],
    paths: list[str],
    *,
    extra: str = "",
    settings: tuple[str, ...] = (),
    timeout: float = 120,
    allowed: str | None = None,
) -> Measured:
    """Serve ``routes``, list ``paths`` in /sitemap.xml, crawl the site as a source; the crawl
    must end by itself within ``timeout`` seconds and leave an intact database."""
    folder = tmp_path / "sources"
    folder.mkdir(exist_ok=True)
    monkeypatch.setenv("CORPUS_SOURCES_DIR", str(folder))
    server = RouteServer(routes)
    with server:
        base = server.base_url
        for path, route in list(routes.items()):  # bodies may name the server as BASE
            if b"BASE" in route.body:
                routes[path] = Route(
                    route.body.replace(b"BASE", base.encode()),
                    route.status,
                    route.headers,
                    route.delay,
                    route.handler,
                )
        routes.setdefault(
            "/sitemap.xml", Route(sitemap(base, paths), headers={"Content-Type": "application/xml"})
        )
        write_source(folder, "hostile", base, extra.replace("BASE", base))
        if allowed is not None:
            text = (folder / "hostile.py").read_text()
            (folder / "hostile.py").write_text(
                text.replace('allowed_domains=("127.0.0.1",)', f"allowed_domains={allowed}")
            )
        db = tmp_path / "c.db"
        argv = crawl_command("hostile", str(db), fast_loopback=True, settings=FAST + settings)
        started = time.monotonic()
        process = subprocess.Popen(argv, env=crawl_env())
        with TreeMonitor(process.pid, interval=0.05) as monitor:
            try:
                code = process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                raise AssertionError(f"the crawl did not end within {timeout} s") from None
        seconds = time.monotonic() - started
    peak = monitor.usage.peak_total_rss_mib
    print(f"crawl of {len(paths)} listed pages: {seconds:.1f} s, peak {peak:.0f} MiB")
    assert code == 0
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    return Measured(conn, server, seconds, peak)
