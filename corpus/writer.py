"""The one way fetched pages reach the corpus: a page's facts plus its Article (or failure).

The crawl pipeline, the Redis ingester and ``corpus reprocess`` all write through
:class:`Writer`; none of them holds SQL. A write decides new / updated / unchanged / gone,
keeps versions, answers 304 and 404/410, records failures as ``fetch_errors`` rows and counts
everything in the run's :class:`~corpus.runs.RunCounts`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from corpus.deadline import Deadline, TooSlow
from corpus.records import ArticleWrite, FetchFailure, iso_time
from corpus.runs import RunCounts
from corpus.store import Store, article_row, with_search_terms
from processing import EXTRACTOR_VERSION
from processing.article import Article, RawPage
from processing.dedupe import article_id, canonical_url
from processing.hints import SourceProfile

log = logging.getLogger(__name__)

Outcome = Article | BaseException  # what cleaning a page gave


class ProcessingFailure(Exception):
    """An unexpected exception while cleaning a page, carried as a picklable value."""

    kind = "processing"


@dataclass(frozen=True)
class CleanBudget:
    """What cleaning one page may cost: ``seconds`` of time (0: no limit) and
    ``max_elements`` elements (more: ``too_complex`` before any extraction)."""

    seconds: float = 20.0
    max_elements: int = 50_000


def clean_page(
    page: RawPage, source: SourceProfile | None, budget: CleanBudget | None = None
) -> Outcome:
    """``processing.clean`` within ``budget``, with a failure returned instead of raised (for
    worker pools): ``too_complex`` for too many elements, ``too_slow`` past the time limit."""
    from processing import ExtractionError, clean

    budget = budget or CleanBudget()
    deadline = Deadline(budget.seconds)
    try:
        with deadline:
            return clean(page, source, max_elements=budget.max_elements)
    except TooSlow:
        return ExtractionError(f"cleaning took longer than {budget.seconds:g} s", "too_slow")
    except ExtractionError as exc:
        return exc
    except Exception as exc:  # a bug on one page must not stop the crawl
        log.exception("processing failed for %s", page.url)
        return ProcessingFailure(f"{type(exc).__name__}: {exc}")
    finally:
        deadline.lift()


def failure_of(page: RawPage, exc: BaseException) -> FetchFailure:
    """The ``fetch_errors`` record of a page that processing could not read."""
    kind = getattr(exc, "kind", None) or "processing"
    if isinstance(exc, ProcessingFailure):
        reason = f"processing: {exc}"
    elif hasattr(exc, "kind"):
        reason = f"{kind}: {exc}"
    else:
        reason = f"processing: {type(exc).__name__}: {exc}"
    return FetchFailure.of_page(page, kind, reason)


@dataclass
class Run:
    """A crawl run being written: its ``crawl_runs`` id and counts."""

    id: int
    source: str
    counts: RunCounts = field(default_factory=RunCounts)
    dirty: bool = False  # counts changed since they were last saved


@dataclass
class ReprocessCounts:
    """What ``corpus reprocess`` did."""

    pages: int = 0
    inserted: int = 0
    changed: int = 0
    same: int = 0
    failed: int = 0


class Writer:
    """Writes pages to a :class:`Store` in batched transactions of ``batch_size`` articles.

    Pending articles are written by :meth:`flush` (also when the batch is full, and before a
    304/404 that may concern one of them). With ``track`` the writer collects, per source, the
    canonical URLs whose stored crawl state changed (:meth:`take_touched`), for a caller that
    mirrors that state elsewhere (the Redis ingester).
    """

    def __init__(self, store: Store, batch_size: int = 25, *, track: bool = False) -> None:
        self.store = store
        self.batch_size = batch_size
        self.pending: list[tuple[ArticleWrite, Run]] = []
        self.track = track
        self.touched: dict[str, set[str]] = defaultdict(set)

    def take_touched(self) -> dict[str, set[str]]:
        """The canonical URLs touched since the last call, by source (with ``track``)."""
        touched, self.touched = self.touched, defaultdict(set)
        return touched

    # ------------------------------------------------------------------ runs
    def open_run(self, source: str) -> Run:
        """Start a new crawl run of ``source``."""
        return Run(self.store.start_run(source), source)

    def resume_run(self, run_id: int, source: str) -> Run | None:
        """Continue a run an earlier writer opened (None if it is not in the database)."""
        counts = self.store.load_counts(run_id)
        return None if counts is None else Run(run_id, source, counts)

    def save(self, runs: list[Run]) -> None:
        """Keep the rows of runs whose counts changed current (their status stays)."""
        for run in runs:
            if run.dirty:
                self.store.save_counts(run.id, run.counts)
                run.dirty = False

    def finish(self, run: Run, status: str) -> None:
        """Write what is pending and close the run with its counts."""
        self.flush()
        self.store.finish_run(run.id, run.counts, status)
        run.dirty = False

    # ------------------------------------------------------------------ pages
    def page(self, page: RawPage, outcome: Outcome | None, run: Run) -> None:
        """Write one fetched page: a 200 with its Article (or the failure cleaning it gave),
        a 304, 404/410 or another status. A page counts once: as a page (stored, unchanged or
        gone) or as an error."""
        run.dirty = True
        if page.status != 200:
            self._not_modified_or_gone(page, run)
        elif isinstance(outcome, Article):
            run.counts.pages += 1
            self.pending.append((ArticleWrite.of_page(outcome, page), run))
            if self.track:
                touched = self.touched[outcome.source or ""]
                touched.update((outcome.canonical_url, canonical_url(page.url)))
            if len(self.pending) >= self.batch_size:
                self.flush()
        else:
            self.failure(failure_of(page, outcome or ProcessingFailure("no outcome")), run)

    def failure(self, failure: FetchFailure, run: Run | None) -> None:
        """Record a failure (a fetch that gave no page, or a page processing could not read)."""
        log.warning("recorded failure for %s: %s", failure.url, failure.reason)
        if run is not None:
            run.counts.count_failure(failure.kind or "error")
            run.dirty = True
        self.store.record_errors(run.id if run else None, [failure])

    def flush(self) -> None:
        """Write the pending articles in one transaction and count what each write did."""
        if not self.pending:
            return
        pending, self.pending = self.pending, []
        outcomes = self.store.add_articles([write for write, _ in pending])
        for (write, run), outcome in zip(pending, outcomes, strict=True):
            run.counts.count_write(outcome, write.article)

    def _not_modified_or_gone(self, page: RawPage, run: Run) -> None:
        """304: the stored article is current. 404/410: a stored article is gone."""
        self.flush()  # the article may be pending
        key, when = canonical_url(page.url), iso_time(page)
        if page.status == 304 and self.store.touch(key, when):
            run.counts.pages += 1
            run.counts.unchanged += 1
        elif page.status in (404, 410) and self.store.mark_gone(key, when):
            run.counts.pages += 1
            run.counts.gone += 1
        else:
            self.failure(
                FetchFailure.of_page(page, f"http_{page.status}", f"HTTP {page.status}"), run
            )
            return
        if self.track:
            self.touched[page.source or ""].add(key)

    # ------------------------------------------------------------------ reprocess
    def refresh(self, page: RawPage, outcome: Outcome, counts: ReprocessCounts) -> None:
        """Bring the row of a page cleaned again up to date, in place (reprocess).

        An archived page with no row is stored as a crawl would have stored it. A row whose
        recomputed columns or extractor version differ is updated without a new version.
        """
        counts.pages += 1
        if not isinstance(outcome, Article):
            if getattr(outcome, "kind", "processing") == "processing":
                raise outcome  # a bug in processing stops reprocess
            counts.failed += 1
            log.warning("%s: %s", page.url, outcome)
            return
        write = ArticleWrite(outcome, iso_time(page), page.discovered_via)
        stored = self.store.derived(article_id(outcome.canonical_url))
        if stored is None:
            self.store.add_articles([write])
            counts.inserted += 1
            return
        old, version = stored
        row = article_row(write)
        if old["content_hash"] == row["content_hash"]:  # same title and text: same terms
            fresh = {**row, "search_terms": old["search_terms"]}
        else:
            fresh = with_search_terms(row)
        if any(old[c] != fresh[c] for c in old) or version != EXTRACTOR_VERSION:
            self.store.replace_derived(fresh, outcome.authors)
            counts.changed += 1
        else:
            counts.same += 1
