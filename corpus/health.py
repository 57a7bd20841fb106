"""Is a source healthy? Judged from its recent crawl runs."""

from __future__ import annotations

import json
import sqlite3
import statistics
from collections import Counter
from dataclasses import dataclass, field

FIELDS = ("title", "authors", "published", "body_50_words")
HISTORY = 5  # runs compared against
COVERAGE_DROP = 0.20  # a field this much under its recent median is broken
MAX_ERROR_RATE = 0.20


@dataclass
class SourceHealth:
    """The last run of a source and what looks wrong with it."""

    source: str
    run: dict
    problems: list[str] = field(default_factory=list)
    # articles of the last run with fields that failed to read, and the commonest field/rule
    field_errors: int = 0
    common_error: str | None = None

    @property
    def broken(self) -> bool:
        return bool(self.problems)

    def line(self) -> str:
        """One line for a terminal or a log."""
        r = self.run
        cov = json.loads(r.get("coverage") or "{}")
        shares = " ".join(
            f"{k.split('_')[0]}={cov[k]:.0%}" for k in FIELDS if cov.get(k) is not None
        )
        verdict = "BROKEN: " + "; ".join(self.problems) if self.problems else "ok"
        failed = f" field_errors={self.field_errors}" if self.field_errors else ""
        if self.common_error:
            failed += f" (most: {self.common_error})"
        return (
            f"{self.source}: run {r['id']} {r['status']} pages={r['pages']} new={r['new']} "
            f"updated={r['updated']} unchanged={r['unchanged']} gone={r.get('gone') or 0} "
            f"errors={r['errors']}{failed} {shares} -> {verdict}"
        )


def _coverage(run: dict) -> dict[str, float]:
    return {k: v for k, v in json.loads(run.get("coverage") or "{}").items() if v is not None}


def real_errors(run: dict) -> int:
    """The run's failures that say something about the source: the one ``over_budget`` row
    (URLs left for the next run by the page budget, a limit we chose) is not one of them."""
    try:
        failures = json.loads(run.get("failures") or "{}")
    except ValueError:
        failures = {}
    return max(0, (run.get("errors") or 0) - int(failures.get("over_budget") or 0))


def judge(runs: list[dict]) -> list[str]:
    """Problems of the newest run (``runs`` newest first, the history after it)."""
    last, history = runs[0], runs[1 : HISTORY + 1]
    problems = []
    if str(last["status"]).startswith(("failed", "stopped")):
        problems.append(f"crawl {last['status']}")
    kept = sum(last.get(k) or 0 for k in ("new", "updated", "unchanged", "gone", "skipped"))
    errors = real_errors(last)
    if kept == 0 and errors > 0:
        problems.append(f"failed: nothing stored and {errors} failures")
    attempts = (last["pages"] or 0) + errors
    if attempts and errors / attempts > MAX_ERROR_RATE:
        problems.append(f"error rate {errors / attempts:.0%} > 20%")
    if history and not last["new"] and sum(1 for r in history if r["new"]) > len(history) / 2:
        problems.append("no new articles, while most recent runs had some")
    now = _coverage(last)
    for name in FIELDS:
        past = [c[name] for c in map(_coverage, history) if name in c]
        if name in now and past and now[name] < statistics.median(past) - COVERAGE_DROP:
            problems.append(
                f"{name} coverage {now[name]:.0%} vs median {statistics.median(past):.0%}"
            )
    return problems


def field_errors(conn: sqlite3.Connection, source: str, run: dict) -> tuple[int, str | None]:
    """(articles fetched in ``run`` with field errors, the commonest "field/rule" among them)."""
    columns = {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
    if "field_errors" not in columns or not run.get("started_at"):
        return 0, None
    rows = conn.execute(
        "SELECT field_errors FROM articles WHERE source = ? AND last_fetched_at >= ?"
        " AND (? IS NULL OR last_fetched_at <= ?) AND field_errors NOT IN ('', '[]')",
        [source, run["started_at"], run.get("finished_at"), run.get("finished_at")],
    ).fetchall()
    seen: Counter[str] = Counter()
    for (value,) in rows:
        try:
            errors = json.loads(value or "[]")
        except ValueError:
            continue
        seen.update(f"{e.get('field')}/{e.get('rule')}" for e in errors if isinstance(e, dict))
    return len(rows), (seen.most_common(1)[0][0] if seen else None)


def report(db_path: str, source: str | None = None) -> list[SourceHealth]:
    """The health of every source (or one) from its finished runs, newest first."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        keys = (
            [source]
            if source
            else [
                r[0] for r in conn.execute("SELECT DISTINCT source FROM crawl_runs ORDER BY source")
            ]
        )
        out = []
        for key in keys:
            runs = [
                dict(r)
                for r in conn.execute(
                    "SELECT * FROM crawl_runs WHERE source = ? AND status != 'running'"
                    " ORDER BY id DESC LIMIT ?",
                    [key, HISTORY + 1],
                )
            ]
            if runs:
                health = SourceHealth(key, runs[0], judge(runs))
                health.field_errors, health.common_error = field_errors(conn, key, runs[0])
                out.append(health)
        return out
    finally:
        conn.close()
