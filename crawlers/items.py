"""Items the spider yields: a fetched page (RawPage), or a failure to record (FetchFailure)."""

from __future__ import annotations

from corpus.records import FetchFailure
from processing.article import RawPage

__all__ = ["FetchFailure", "RawPage"]
