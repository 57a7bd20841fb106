"""The dashboard (/-/dashboard): articles per week by source and by language, and crawl health,
as SVG charts drawn on the server (no JavaScript, no CDN: works offline and in any browser)."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
PERIODS = {"week": 52, "month": 36, "year": 30}  # bins shown, ending at the newest article
CACHE_SECONDS = 300
_CACHE: dict[tuple, tuple[float, Any]] = {}


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/-/dashboard$", dashboard)]


# ---------------------------------------------------------------------- bins
def bin_start(day: date, period: str) -> date:
    """The first day of the week (Monday), month or year holding ``day``."""
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def _next_bin(start: date, period: str) -> date:
    if period == "week":
        return start + timedelta(days=7)
    if period == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)


def bins_ending(last: date, period: str, count: int) -> list[date]:
    """``count`` consecutive bins, the last one holding ``last``."""
    starts = [bin_start(last, period)]
    for _ in range(count - 1):
        starts.insert(0, bin_start(starts[0] - timedelta(days=1), period))
    return starts


# ---------------------------------------------------------------------- the SVG chart
def bar_chart(
    labels: list[str], series: dict[str, list[int]], title: str, width: int = 960
) -> Markup:
    """A stacked bar chart as inline SVG, with a legend and a tooltip on every bar."""
    height, left, top, bottom = 260, 44, 28, 44
    plot_w, plot_h = width - left - 10, height - top - bottom
    totals = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    peak = max(totals, default=0) or 1
    step = plot_w / max(len(labels), 1)
    bar_w = min(max(step * 0.8, 1), 48)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 20}"'
        f' viewBox="0 0 {width} {height + 20}" role="img" aria-label="{escape(title)}"'
        ' font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<text x="{left}" y="14" font-size="13" font-weight="bold">{escape(title)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}"'
        ' stroke="#999"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end">{peak}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>',
    ]
    for i, label in enumerate(labels):
        x, base = left + i * step, top + plot_h
        for s, (name, values) in enumerate(series.items()):
            if not values[i]:
                continue
            h = values[i] / peak * plot_h
            base -= h
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" height="{h:.1f}"'
                f' fill="{PALETTE[s % len(PALETTE)]}"><title>{escape(name)}, {escape(label)}:'
                f" {values[i]}</title></rect>"
            )
    every = max(1, len(labels) // 8)
    for i in range(0, len(labels), every):
        x = left + i * step
        parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 14}">{escape(labels[i])}</text>')
    lx = left
    for s, name in enumerate(series):
        parts.append(
            f'<rect x="{lx}" y="{height}" width="10" height="10"'
            f' fill="{PALETTE[s % len(PALETTE)]}"/>'
            f'<text x="{lx + 14}" y="{height + 9}">{escape(name)}</text>'
        )
        lx += 24 + 7 * len(str(name))
    parts.append("</svg>")
    return Markup("".join(parts))


# ---------------------------------------------------------------------- data
async def _rows(datasette, sql: str, params: Any = None) -> list[tuple]:
    db = datasette.get_database()
    key = (db.path, db.name, sql, repr(params))
    hit = _CACHE.get(key)
    if hit and hit[0] > time.monotonic():
        return hit[1]
    rows = [tuple(r) for r in await db.execute(sql, params or [])]
    _CACHE[key] = (time.monotonic() + CACHE_SECONDS, rows)
    return rows


async def daily_counts(datasette, first: date) -> list[tuple]:
    """(day, source, language, articles) since ``first``: one pass over the covering index
    ``articles_volume`` (published_date, source, language), in index order, with no sort."""
    return await _rows(
        datasette,
        "SELECT published_date, source, language, count(*) FROM articles"
        " WHERE published_date >= :first GROUP BY published_date, source, language",
        {"first": first.isoformat()},
    )


def stacked(
    rows: list[tuple], starts: list[date], period: str, column: int
) -> dict[str, list[int]]:
    """Counts per bin for each value of ``column`` (1: source, 2: language)."""
    index = {d: i for i, d in enumerate(starts)}
    series: dict[str, list[int]] = {}
    for row in rows:
        try:
            i = index.get(bin_start(date.fromisoformat(row[0][:10]), period))
        except (TypeError, ValueError):
            continue
        if i is not None:
            series.setdefault(str(row[column] or "?"), [0] * len(starts))[i] += row[3]
    return dict(sorted(series.items()))


def chart(starts: list[date], period: str, series: dict[str, list[int]], title: str) -> dict:
    """A chart's SVG and total, with empty bins before the first article dropped."""
    width = {"week": 10, "month": 7, "year": 4}[period]
    labels = [d.isoformat()[:width] for d in starts]
    first = min((v.index(next(n for n in v if n)) for v in series.values()), default=0)
    labels, series = labels[first:], {k: v[first:] for k, v in series.items()}
    total = sum(sum(v) for v in series.values())
    return {"svg": bar_chart(labels, series, title), "total": total}


async def volume_charts(datasette, period: str) -> tuple[dict, dict]:
    """Articles per bin by source and by language, ending at the newest article."""
    newest = await _rows(datasette, "SELECT max(published_date) FROM articles")
    last = newest[0][0] if newest else None
    if not last:
        empty = {"svg": None, "total": 0}
        return empty, empty
    starts = bins_ending(date.fromisoformat(last[:10]), period, PERIODS[period])
    rows = await daily_counts(datasette, starts[0])
    return (
        chart(starts, period, stacked(rows, starts, period, 1), f"Articles per {period} by source"),
        chart(
            starts, period, stacked(rows, starts, period, 2), f"Articles per {period} by language"
        ),
    )


async def crawl_chart(datasette) -> dict[str, Any]:
    """Crawl health per day over the last 60 days of crawling: pages, new, errors, failures."""
    rows = await _rows(
        datasette,
        "SELECT substr(started_at, 1, 10) AS day, sum(new), sum(updated), sum(unchanged),"
        " sum(errors), sum(status NOT IN ('finished', 'running')), count(*) FROM crawl_runs"
        " GROUP BY day ORDER BY day DESC LIMIT 60",
    )
    rows = rows[::-1]
    labels = [r[0] or "?" for r in rows]
    series = {
        "new": [r[1] or 0 for r in rows],
        "updated": [r[2] or 0 for r in rows],
        "unchanged": [r[3] or 0 for r in rows],
        "fetch errors": [r[4] or 0 for r in rows],
    }
    title = "Crawl health per day: articles seen and fetch errors"
    runs = [
        {"day": r[0], "failed": r[5] or 0, "runs": r[6], "errors": r[4] or 0} for r in rows[::-1]
    ]
    return {"svg": bar_chart(labels, series, title) if rows else None, "days": runs}


async def latest_runs(datasette) -> list[dict[str, Any]]:
    """The newest run of each source, for the health table."""
    rows = await _rows(
        datasette,
        "SELECT source, started_at, finished_at, status, pages, new, updated, errors FROM"
        " crawl_runs WHERE id IN (SELECT max(id) FROM crawl_runs GROUP BY source) ORDER BY source",
    )
    keys = ("source", "started_at", "finished_at", "status", "pages", "new", "updated", "errors")
    return [dict(zip(keys, r, strict=True)) for r in rows]


async def dashboard(datasette, request) -> Response:
    """Volume per week (or month, year) by source and language; crawl health."""
    period = request.args.get("period") or "week"
    period = period if period in PERIODS else "week"
    context: dict[str, Any] = {"period": period, "periods": list(PERIODS), "error": ""}
    try:
        context["by_source"], context["by_language"] = await volume_charts(datasette, period)
        context["crawl"] = await crawl_chart(datasette)
        context["runs"] = await latest_runs(datasette)
    except QueryInterrupted:
        context["error"] = "The dashboard queries took too long; try a coarser period."
    context["site_title"] = datasette.metadata("title") or "osint-corpus"
    html = await datasette.render_template("corpus_dashboard.html", context, request=request)
    return Response.html(html)
