"""Cleaning one page keeps to its budget: elements (too_complex) and time (too_slow)."""

from __future__ import annotations

import contextlib
import signal
import time

import pytest

from corpus.deadline import Deadline, TooSlow
from corpus.workers import warm_processing, worker_pool
from corpus.writer import CleanBudget, clean_page
from processing.article import RawPage
from tests.sitekit import article_html


def page_of(paragraphs: int, nested: bool = False) -> RawPage:
    inner = b"<p>One more short paragraph of words.</p>" * paragraphs
    if nested:
        inner = b"<div>" * paragraphs + b"deep" + b"</div>" * paragraphs
    body = b"<html><body><article><h1>Endless</h1>" + inner + b"</article></body></html>"
    return RawPage(url="https://news.example/a/1", body=body)


def test_a_page_of_too_many_elements_is_too_complex_before_it_is_parsed():
    started = time.monotonic()
    outcome = clean_page(page_of(1_000_000), None)
    assert getattr(outcome, "kind", None) == "too_complex"
    assert "tags" in str(outcome)  # refused on the raw text
    assert time.monotonic() - started < 2


def test_a_parsed_tree_over_the_limit_is_too_complex():
    # few tags per element would pass the raw count: the tree's own count decides
    outcome = clean_page(page_of(3_000), None, CleanBudget(max_elements=2_000))
    assert getattr(outcome, "kind", None) == "too_complex"
    assert "elements" in str(outcome)


def test_a_real_article_is_within_the_budget():
    outcome = clean_page(RawPage(url="https://news.example/a/2", body=article_html(2)), None)
    assert outcome.title == "Report number 2"


def test_cleaning_past_its_deadline_is_too_slow_and_the_timer_is_gone():
    before = signal.getsignal(signal.SIGALRM)
    started = time.monotonic()
    outcome = clean_page(page_of(30_000), None, CleanBudget(seconds=0.2))
    assert getattr(outcome, "kind", None) == "too_slow"
    assert time.monotonic() - started < 1.5
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is before
    time.sleep(0.3)  # no late alarm


def test_the_deadline_holds_in_a_worker_process():
    pool = worker_pool(1, warm=warm_processing)
    try:
        future = pool.submit(clean_page, page_of(30_000), None, CleanBudget(seconds=0.2))
        outcome = future.result(timeout=30)
        assert getattr(outcome, "kind", None) == "too_slow"
        good = pool.submit(
            clean_page, RawPage(url="https://n.example/a/3", body=article_html(3)), None
        )
        assert good.result(timeout=30).title == "Report number 3"  # the worker goes on
    finally:
        pool.shutdown()


def test_a_deadline_that_is_not_reached_changes_nothing():
    with Deadline(5):
        total = sum(range(1000))
    assert total == 499500
    with pytest.raises(TooSlow), Deadline(0.05):
        while True:
            with contextlib.suppress(Exception):  # code swallowing errors cannot hide it
                time.sleep(0.01)
