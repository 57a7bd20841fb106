"""Pure processing: a fetched page in, a clean Article out. No scrapy, no database."""

from processing.article import Article, ParsedDate, RawPage
from processing.clean import clean
from processing.extract import ExtractionError
from processing.source import Hints, Listing, Source

__all__ = [
    "Article",
    "ExtractionError",
    "Hints",
    "Listing",
    "ParsedDate",
    "RawPage",
    "Source",
    "clean",
]

EXTRACTOR_VERSION = "0.1.0"
