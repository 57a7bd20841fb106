"""Search over the corpus in English, Korean, Japanese and Chinese, fast at a million articles.

The design, in four parts:

* **Index.** ``articles_search`` is a contentless FTS5 table (migration ``m003_search``) with the
  ``porter unicode61`` tokenizer over ``title``, ``authors``, ``text``, ``terms`` and ``meta``.
  Porter gives English stemming (``sanction`` finds ``sanctions``). Korean words carry
  particles and endings (``북한이``, ``북한은``, ``탄도미사일을``) that unicode61 cannot strip, so
  :func:`search_terms` runs the kiwipiepy morphological analyser over Korean articles and the
  store saves the content morphemes, space separated, in ``articles.search_terms`` (indexed as
  ``terms``): ``북한 탄도 미사일 발사``. The database stays plain SQLite: any client can query
  it; no custom tokenizer has to be registered.
* **Order.** The FTS rowid is :func:`search_key`: the publication time in seconds shifted left
  by 28 bits, plus the article's rowid in the low 28 bits. Rowid order is publication order, so
  ``ORDER BY rowid DESC LIMIT n`` (which FTS5 serves by walking its doclists backwards and
  stopping after n) gives the newest matches without visiting the others, and a date range is
  a rowid range. The article's own rowid comes back as ``key & ROWID_MASK``.
* **Filters.** ``meta`` holds ``xall``, ``xsrc<source>`` and ``xlang<language>`` tokens, so
  narrowing by source or language intersects doclists inside FTS5 rather than filtering rows
  afterwards; an author filter matches the ``authors`` column, then is checked exactly.
* **Queries.** :func:`parse_query` turns whatever the analyst typed into terms (words,
  ``"phrases"``, ``word*`` prefixes, ``-word`` / ``NOT word`` exclusions, ``OR`` between terms)
  and :func:`match_expression` writes them as FTS5 strings, so no input can be an FTS syntax
  error. A Korean term also matches the phrase of its own morphemes in ``terms``; Japanese
  and Chinese terms match their character bigrams (``corpus.cjk``).
* **Stories.** With ``collapse`` a story of near duplicates (``story_id``, ``corpus.neardup``)
  is one result, its earliest match: a match is kept when no article of its story that also
  matches has a smaller key, checked through the ``story_id`` index and the FTS rowid, so the
  walk down the index still stops after one page.

Highlighting matched terms in results and snippets is ``corpus.highlight``.

The migration and the triggers use :func:`key_sql` and :func:`meta_sql`: changing either (or
the kept part-of-speech tags) needs a new migration that recreates the triggers, then
:func:`rebuild_index` (with ``refresh_terms`` for the tags) on existing databases.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from corpus.cjk import article_bigrams, has_cjk, query_pieces

TOKENIZER = "porter unicode61 remove_diacritics 2"
SEARCH_TABLE = "articles_search"
KEY_SHIFT = 28
ROWID_MASK = (1 << KEY_SHIFT) - 1
MAX_SECONDS = (1 << 34) - 1  # keys stay below 2**62
MAX_QUERY_CHARS, MAX_QUERY_TERMS = 500, 32  # a pasted essay is cut, not analysed whole

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
WORDLIKE = re.compile(r"\w")
# Kiwi part-of-speech tags kept as index terms: nouns, numerals, pronouns, verb and adjective
# stems, roots, noun prefixes/suffixes, adverbs, foreign words, hanja, numbers, URLs and the
# like. Particles (J*), endings (E*), copulas, auxiliary verbs, 하다-suffixes and punctuation
# are dropped, so "발사했다" and "발사한" both index as "발사".
KEEP_TAG = re.compile(r"^(NN[GPB]|NR|NP|VV|VA|XR|XPN|XSN|MAG|SL|SH|SN|UN|W_(?!EMOJI))")

_kiwi: Any = None
_kiwi_lock = threading.Lock()


def _analyser() -> Any:
    """The shared Kiwi analyser, loaded on first use (about 2 s; the model ships on PyPI).

    The multi-word and typo dictionaries stay unloaded: search wants morphemes, not merged
    expressions, and loading them triples the start-up time.
    """
    global _kiwi
    with _kiwi_lock:
        if _kiwi is None:
            from kiwipiepy import Kiwi

            kiwi = Kiwi(load_multi_dict=False, load_typo_dict=False)
            kiwi.tokenize("북한")  # the first analysis finishes loading the model
            _kiwi = kiwi
        return _kiwi


def preload() -> None:
    """Load the analyser now (servers call this at start-up, in a background thread)."""
    _analyser()


def has_hangul(text: str | None) -> bool:
    """Whether ``text`` contains Korean script."""
    return bool(text and HANGUL.search(text))


def _kept(tokens: Any) -> list[str]:
    return [t.form for t in tokens if KEEP_TAG.match(t.tag) and t.form.strip()]


def morphemes(text: str) -> list[str]:
    """The content morphemes of Korean ``text``, in order: "탄도미사일을" -> ["탄도", "미사일"]."""
    return _kept(_analyser().tokenize(unicodedata.normalize("NFC", text)))


def _korean_parts(title: str | None, text: str | None) -> list[str]:
    return [part for part in (title, text) if has_hangul(part)]


def _joined(korean: list[str], cjk: str | None) -> str | None:
    lines = [*korean, cjk] if cjk else korean
    return "\n".join(lines) if lines else None


def search_terms(title: str | None, text: str | None, language: str | None = None) -> str | None:
    """The extra text indexed for an article, or None: the Korean morphemes of its title and
    text, then the bigrams of its Japanese and Chinese (:mod:`corpus.cjk`).

    The script decides, whatever the detected ``language``, so a mis-detected language loses no
    terms.
    """
    del language
    korean = [" ".join(morphemes(part)) for part in _korean_parts(title, text)]
    return _joined(korean, article_bigrams(title, text))


def search_terms_many(articles: list[tuple[str | None, str | None]]) -> list[str | None]:
    """:func:`search_terms` of many (title, text) pairs, analysed by kiwipiepy's threads on
    every core at once: the same results, about twice as fast on two cores, ~35 MiB more."""
    parts = [_korean_parts(title, text) for title, text in articles]
    flat = [unicodedata.normalize("NFC", part) for each in parts for part in each]
    analysed = iter(_analyser().tokenize(flat)) if flat else iter(())
    return [
        _joined([" ".join(_kept(next(analysed))) for _ in each], article_bigrams(title, text))
        for each, (title, text) in zip(parts, articles, strict=True)
    ]


# ---------------------------------------------------------------------- keys and meta tokens
def epoch_seconds(published_at: str | None) -> int:
    """Seconds since 1970 of an ISO 8601 instant, clamped to the key's range (0 when unknown)."""
    if not published_at:
        return 0
    try:
        moment = datetime.fromisoformat(published_at)
    except ValueError:
        return 0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0, min(MAX_SECONDS, int(moment.timestamp())))


def search_key(published_at: str | None, rowid: int) -> int:
    """The FTS rowid of an article: publication second, then the article's rowid."""
    return (epoch_seconds(published_at) << KEY_SHIFT) | (rowid & ROWID_MASK)


def key_sql(row: str) -> str:
    """SQL computing :func:`search_key` for ``row`` (NEW or OLD in a trigger, or a table)."""
    seconds = f"CAST(strftime('%s', {row}.published_at) AS INTEGER)"
    return (
        f"((max(0, min({MAX_SECONDS}, coalesce({seconds}, 0))) << {KEY_SHIFT})"
        f" | ({row}.rowid & {ROWID_MASK}))"
    )


def _token(value: str | None) -> str:
    return re.sub(r"[^0-9a-z]", "", (value or "").lower())


def source_token(source: str | None) -> str:
    """The ``meta`` token that marks an article from ``source``."""
    return "xsrc" + _token(source)


def language_token(language: str | None) -> str:
    """The ``meta`` token that marks an article in ``language``."""
    return "xlang" + _token(language)


def meta_sql(row: str) -> str:
    """SQL building the ``meta`` column (same tokens as the Python helpers) for ``row``."""

    def tok(col: str) -> str:
        expr = f"lower(coalesce({row}.{col}, ''))"
        for ch in "_-. ":
            expr = f"replace({expr}, '{ch}', '')"
        return expr

    return f"'xall xsrc' || {tok('source')} || ' xlang' || {tok('language')}"


def rebuild_index(conn: sqlite3.Connection, refresh_terms: bool = False) -> None:
    """Rebuild the search index from ``articles``, in one transaction.

    Needed after ``VACUUM`` (which may renumber the rowids the index's keys hold) and, with
    ``refresh_terms``, after a kiwipiepy upgrade (so old and new analyses agree).
    """
    with conn:
        if refresh_terms:  # the triggers' index updates are thrown away just below
            conn.create_function("corpus_search_terms", 3, search_terms)
            conn.execute(
                "UPDATE articles SET search_terms = corpus_search_terms(title, text, language)"
            )
        conn.execute(f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}) VALUES ('delete-all')")
        conn.execute(
            f"INSERT INTO {SEARCH_TABLE} (rowid, title, authors, text, terms, meta)"
            f" SELECT {key_sql('articles')}, title, authors, text, search_terms,"
            f" {meta_sql('articles')} FROM articles"
        )


# ---------------------------------------------------------------------- queries
@dataclass(frozen=True)
class Term:
    """One thing to look for: a word or a phrase, maybe a prefix, maybe excluded."""

    text: str
    phrase: bool = False
    prefix: bool = False
    negated: bool = False
    morphs: tuple[str, ...] = ()

    @property
    def korean(self) -> bool:
        return has_hangul(self.text)


@dataclass(frozen=True)
class Query:
    """A parsed query: groups of alternatives (OR inside, AND between) and exclusions."""

    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()

    @property
    def positive(self) -> list[Term]:
        return [t for group in self.groups for t in group]


def _scan(q: str) -> list[tuple[str, bool]]:
    """Split into (chunk, quoted); an unbalanced quote runs to the end."""
    chunks: list[tuple[str, bool]] = []
    i, n = 0, len(q)
    while i < n:
        if q[i].isspace():
            i += 1
        elif q[i] == '"':
            end = q.find('"', i + 1)
            end = n if end < 0 else end
            chunks.append((q[i + 1 : end], True))
            i = end + 1
        else:
            j = i
            while j < n and not q[j].isspace() and q[j] != '"':
                j += 1
            chunks.append((q[i:j], False))
            i = j
    return chunks


def _term(chunk: str, quoted: bool, negated: bool) -> Term | None:
    prefix = not quoted and chunk.endswith("*")
    text = chunk.rstrip("*") if prefix else chunk
    text = " ".join(text.split())
    if not WORDLIKE.search(text):
        return None
    if has_hangul(text):
        morphs = tuple(morphemes(text))
    elif has_cjk(text):
        morphs = query_pieces(text)
    else:
        morphs = ()
    return Term(text=text, phrase=quoted, prefix=prefix, negated=negated, morphs=morphs)


OPERATORS = frozenset({"OR", "AND", "NOT"})


def parse_query(q: str) -> Query:
    """Read a user's query; never fails.

    Terms are words, ``"phrases"`` and ``prefix*``; every term must match (AND is implied).
    ``OR`` (in capitals) between two terms lets either match; ``-term`` and ``NOT term`` leave
    out the articles that match the term, and a query of exclusions only finds every article
    without them. ``AND`` is a no-op; an operator with no term to act on is dropped (quote it,
    ``"NOT"``, or write it in lower case to search for the word).
    """
    q = unicodedata.normalize("NFC", q or "")[:MAX_QUERY_CHARS]
    chunks = _scan(q)[:MAX_QUERY_TERMS]
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = negate_next = last_positive = False
    for chunk, quoted in chunks:
        if not quoted and chunk in OPERATORS:
            if chunk == "NOT":
                negate_next, join_next = True, False
            elif chunk == "OR":
                join_next = last_positive and not negate_next
            continue
        if not quoted and chunk == "-":  # -"a phrase"
            negate_next, join_next = True, False
            continue
        dashed = not quoted and chunk.startswith("-") and len(chunk) > 1
        negated = negate_next or dashed
        term = _term(chunk[1:] if dashed else chunk, quoted, negated)
        if term is None:
            pass
        elif negated:
            excluded.append(term)
        elif join_next and groups:
            groups[-1].append(term)
        else:
            groups.append([term])
        last_positive = term is not None and not negated
        join_next = negate_next = False
    return Query(tuple(tuple(g) for g in groups), tuple(excluded))


def fts_string(text: str) -> str:
    """``text`` as an FTS5 string: tokenized like the index, never read as an operator."""
    return '"' + text.replace('"', '""') + '"'


def term_expression(term: Term) -> str:
    """FTS5 for one term: the words as typed, or its Korean morphemes or Japanese/Chinese
    bigrams in ``terms``."""
    plain = fts_string(term.text) + (" *" if term.prefix else "")
    if not term.morphs:
        return plain
    pieces = fts_string(" ".join(term.morphs))
    if term.prefix or (not term.korean and len(term.morphs) == 1 and len(term.morphs[0]) == 1):
        pieces += " *"  # a one-character Japanese or Chinese word: the bigrams it starts
    return f"({plain} OR terms : {pieces})"


def _any(expressions: list[str]) -> str:
    return expressions[0] if len(expressions) == 1 else "(" + " OR ".join(expressions) + ")"


def match_expression(
    query: Query | str,
    *,
    sources: tuple[str, ...] = (),
    languages: tuple[str, ...] = (),
    authors: tuple[str, ...] = (),
) -> str:
    """The FTS5 MATCH expression for a query and filters; ``meta : xall`` when empty."""
    if isinstance(query, str):
        query = parse_query(query)
    clauses = [_any([term_expression(t) for t in group]) for group in query.groups]
    if sources:
        clauses.append("meta : " + _any([fts_string(source_token(s)) for s in sources]))
    if languages:
        clauses.append("meta : " + _any([fts_string(language_token(x)) for x in languages]))
    names = [a for a in authors if WORDLIKE.search(a)]
    if names:
        clauses.append("authors : " + _any([fts_string(a) for a in names]))
    expression = " AND ".join(clauses) or "meta : xall"  # only exclusions: every article, less
    if query.excluded:
        expression += " NOT " + _any([term_expression(t) for t in query.excluded])
    return expression


# ---------------------------------------------------------------------- the search SQL
@dataclass(frozen=True)
class Search:
    """What an analyst asked for: a query, filters, an order and a page."""

    q: str = ""
    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()  # spellings of one author; matched exactly
    date_from: date | None = None  # the source's local day, inclusive
    date_to: date | None = None
    newest_first: bool = True
    cursor: int | None = None  # the last key of the previous page
    limit: int = 50
    collapse: bool = False  # one result per story of near duplicates: its earliest match
    story: str | None = None  # only the articles of this story (a ``story_id``)
    copies: str = ""  # "hide": originals only (no ``near_dup_of``); "only": near duplicates only
    query: Query = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "query", parse_query(self.q))

    @property
    def match(self) -> str:
        return match_expression(
            self.query, sources=self.sources, languages=self.languages, authors=self.authors
        )


def _day_key(day: date, hours: int) -> int:
    """The key ``hours`` after midnight UTC of ``day``, clamped to the keys' range (no date
    arithmetic: year 1 and year 9999 are valid filter values, not errors)."""
    seconds = (day.toordinal() - _EPOCH_DAY) * 86_400 + hours * 3_600
    return max(0, min(MAX_SECONDS, seconds)) << KEY_SHIFT


_EPOCH_DAY = date(1970, 1, 1).toordinal()


def _where(search: Search, f: str = "f", a: str = "a") -> tuple[list[str], dict[str, Any]]:
    """The conditions of a search on the index row ``f`` and the article row ``a``."""
    where = [f"{f}.{SEARCH_TABLE} MATCH :match"]
    params: dict[str, Any] = {"match": search.match}
    if search.date_from:  # widen by the largest UTC offsets, then check the local day
        where += [f"{f}.rowid >= :key_from", f"{a}.published_date >= :day_from"]
        params.update(key_from=_day_key(search.date_from, -14), day_from=str(search.date_from))
    if search.date_to:
        where += [f"{f}.rowid < :key_to", f"{a}.published_date <= :day_to"]
        params.update(key_to=_day_key(search.date_to, 24 + 14), day_to=str(search.date_to))
    if search.authors:
        marks = ", ".join(f":author{i}" for i in range(len(search.authors)))
        where.append(f"EXISTS (SELECT 1 FROM json_each({a}.authors) j WHERE j.value IN ({marks}))")
        params.update({f"author{i}": name for i, name in enumerate(search.authors)})
    if search.copies in COPIES:
        where.append(f"{a}.near_dup_of {COPIES[search.copies]}")
    return where, params


COPIES = {"hide": "IS NULL", "only": "IS NOT NULL"}


def story_matches(search: Search, stories: str = "a.story_id") -> tuple[str, dict[str, Any]]:
    """FROM and WHERE (after ``SELECT ... FROM``) of the articles of the ``stories`` (SQL
    values) that match the search (``b`` the article, ``g`` its index row): the stories' rows
    through the ``story_id`` index, each looked up in the index by its rowid, never a scan of
    every match."""
    where, params = _where(search, "g", "b")
    return (
        f"articles b CROSS JOIN {SEARCH_TABLE} g ON g.rowid = {key_sql('b')}"
        f" WHERE b.story_id IN ({stories}) AND {' AND '.join(where)}",
        params,
    )


def story_members_sql(search: Search, stories: list[str]) -> tuple[str, dict[str, Any]]:
    """SQL listing (story_id, id, source) of the articles of ``stories`` matching the search:
    the copies behind each collapsed result of a page."""
    marks = ", ".join(f":story{i}" for i in range(len(stories))) or "NULL"
    inner, params = story_matches(search, marks)
    params.update({f"story{i}": story for i, story in enumerate(stories)})
    return f"SELECT b.story_id, b.id, b.source FROM {inner}", params


def _conditions(search: Search) -> tuple[list[str], dict[str, Any]]:
    """Every condition of a search: its filters, its story and its collapsing."""
    where, params = _where(search)
    if search.story is not None:
        where.append("a.story_id = :story")
        params["story"] = search.story
    if search.collapse:  # the earliest match of its story stands for the story
        inner, _ = story_matches(search)
        where.append(
            f"(a.story_id IS NULL OR NOT EXISTS (SELECT 1 FROM {inner} AND g.rowid < f.rowid))"
        )
    return where, params


RESULT_COLUMNS = (
    "f.rowid AS key, a.id, a.title, a.source, a.language, a.authors, a.published_at,"
    " a.published_local, a.published_date, a.url, a.last_changed_at, a.text, a.story_id,"
    " a.near_dup_of"
)
FROM = f"{SEARCH_TABLE} f JOIN articles a ON a.rowid = (f.rowid & {ROWID_MASK})"
STORY_FROM = f"articles a CROSS JOIN {SEARCH_TABLE} f ON f.rowid = {key_sql('a')}"


def _from(search: Search) -> str:
    """The join: from the index, or from one story's articles (a story is small)."""
    return STORY_FROM if search.story is not None else FROM


def search_sql(search: Search) -> tuple[str, dict[str, Any]]:
    """SQL and parameters for one page of results, in publication order, keyset-paginated."""
    where, params = _conditions(search)
    if search.cursor is not None:
        where.append("f.rowid < :cursor" if search.newest_first else "f.rowid > :cursor")
        params["cursor"] = search.cursor
    order = "DESC" if search.newest_first else "ASC"
    sql = (
        f"SELECT {RESULT_COLUMNS} FROM {_from(search)} WHERE {' AND '.join(where)}"
        f" ORDER BY f.rowid {order} LIMIT {int(search.limit)}"
    )
    return sql, params


def count_sql(search: Search, cap: int = 1000) -> tuple[str, dict[str, Any]]:
    """SQL counting matches up to ``cap`` + 1 (an exact count of a common term is slow)."""
    where, params = _conditions(search)
    inner = f"SELECT 1 FROM {_from(search)} WHERE {' AND '.join(where)} LIMIT {int(cap) + 1}"
    return f"SELECT count(*) FROM ({inner})", params
