"""Property test: every search result set is what the documented query language says.

Hypothesis writes random queries (words, "phrases", prefix*, -exclusions, NOT, OR, Korean and
Japanese words) over a small generated corpus; each query's results are compared with a
plain-Python reading of docs/datasette.md, computed from the query's parts and the words each
article was generated from (never from the search code).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus import search as cs
from corpus.records import ArticleWrite
from corpus.store import Store
from tests.factories import make_article

ENGLISH = ("coal", "port", "border", "market", "steel", "gold", "ship", "train", "grain", "tank")
KOREAN = ("북한", "미사일", "정부", "경제", "군대", "주민")  # nouns; articles add particles
PARTICLES = (
    "",
    ("이", "가"),
    ("을", "를"),
    "의",
    "에서",
    ("은", "는"),
)  # (after a consonant, a vowel)
JAPANESE = ("津波", "金融庁", "警報", "密輸", "市場")  # written without spaces, in runs
ARTICLES = 40


@dataclass(frozen=True)
class Doc:
    """What one generated article says: its English words in order, Korean nouns, kanji runs."""

    words: tuple[str, ...]
    nouns: frozenset[str]
    runs: tuple[str, ...]


def generate_docs(seed: int = 7) -> list[Doc]:
    rng = random.Random(seed)
    docs = []
    for _ in range(ARTICLES):
        words = tuple(rng.choices(ENGLISH, k=rng.randint(0, 8)))
        nouns = frozenset(rng.sample(KOREAN, k=rng.randint(0, 3)))
        runs = tuple(
            "".join(rng.sample(JAPANESE, k=rng.randint(1, 3))) for _ in range(rng.randint(0, 2))
        )
        docs.append(Doc(words, nouns, runs))
    return docs


def with_particle(noun: str, rng: random.Random) -> str:
    """The noun with a particle, in the form its last syllable takes (북한이, 정부가)."""
    particle = rng.choice(PARTICLES)
    if isinstance(particle, tuple):
        final_consonant = (ord(noun[-1]) - 0xAC00) % 28 != 0
        particle = particle[0] if final_consonant else particle[1]
    return noun + particle


def doc_text(doc: Doc, rng: random.Random) -> str:
    korean = [with_particle(noun, rng) for noun in sorted(doc.nouns)]
    return " ".join([*doc.words, *korean, *(run + "。" for run in doc.runs)]) or "nothing"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The generated articles in a real store, and their ids newest first."""
    store = Store(str(tmp_path_factory.mktemp("semantics") / "c.db"))
    docs, rng = generate_docs(), random.Random(3)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    writes = [
        ArticleWrite(
            make_article(
                f"https://example.org/a/{i}",
                f"no{i}",
                doc_text(doc, rng),
                when=start + timedelta(hours=rng.randint(0, 5000)),
                authors=("Reporter",),
                raw="x",
                rule="meta",
            ),
            "t",
            None,
        )
        for i, doc in enumerate(docs)
    ]
    store.add_articles(writes)
    rows = store.db.execute("SELECT id, url FROM articles ORDER BY published_at DESC, rowid DESC")
    order = [(aid, int(url.rsplit("/", 1)[1])) for aid, url in rows.fetchall()]
    yield store, docs, order
    store.close()


# ---------------------------------------------------------------------- the query language
@dataclass(frozen=True)
class T:
    """One term as the analyst writes it, and whether a document matches it."""

    kind: str  # word, phrase, prefix, korean, japanese
    text: str

    def written(self) -> str:
        return {"phrase": f'"{self.text}"', "prefix": f"{self.text}*"}.get(self.kind, self.text)

    def matches(self, doc: Doc) -> bool:
        if self.kind == "word":
            return self.text in doc.words
        if self.kind == "prefix":
            return any(w.startswith(self.text) for w in doc.words)
        if self.kind == "phrase":
            wanted = tuple(self.text.split())
            n = len(wanted)
            return any(doc.words[i : i + n] == wanted for i in range(len(doc.words) - n + 1))
        if self.kind == "korean":
            return self.text in doc.nouns
        return any(self.text in run for run in doc.runs)  # japanese: inside running text


def _japanese_piece(word: str, start: int, size: int) -> str:
    return word[start : start + size] or word


terms = st.one_of(
    st.builds(T, st.just("word"), st.sampled_from(ENGLISH)),
    st.builds(
        T,
        st.just("phrase"),
        st.tuples(st.sampled_from(ENGLISH), st.sampled_from(ENGLISH)).map(" ".join),
    ),
    st.builds(
        T,
        st.just("prefix"),
        st.tuples(st.sampled_from(ENGLISH), st.integers(2, 4)).map(lambda p: p[0][: p[1]]),
    ),
    st.builds(T, st.just("korean"), st.sampled_from(KOREAN)),
    st.builds(
        T,
        st.just("japanese"),
        st.builds(
            _japanese_piece,
            st.sampled_from(["".join(JAPANESE), *JAPANESE]),
            st.integers(0, 12),
            st.integers(1, 4),
        ),
    ),
)
# A clause: ("any", [alternatives]) must match (OR between them) or ("not", term) must not.
clauses = st.one_of(
    st.tuples(st.just("any"), st.lists(terms, min_size=1, max_size=3)),
    st.tuples(st.sampled_from(["-", "NOT "]), terms),
)


def written(clause) -> str:
    kind, body = clause
    if kind == "any":
        return " OR ".join(t.written() for t in body)
    return kind + body.written()


def expected(clause_list, doc: Doc) -> bool:
    """The documented reading: every OR group matches, no exclusion does."""
    for kind, body in clause_list:
        if kind == "any" and not any(t.matches(doc) for t in body):
            return False
        if kind != "any" and body.matches(doc):
            return False
    return True


@pytest.mark.slow
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(clauses, min_size=1, max_size=4))
def test_results_are_what_the_query_says(corpus, clause_list):
    store, docs, order = corpus
    q = " ".join(written(c) for c in clause_list)
    sql, params = cs.search_sql(cs.Search(q=q, limit=1000))
    found = [row[1] for row in store.db.execute(sql, params).fetchall()]
    want = [aid for aid, index in order if expected(clause_list, docs[index])]
    assert found == want, f"query {q!r} ({cs.match_expression(q)})"


def test_the_generated_corpus_exercises_every_kind_of_term(corpus):
    """The property test is only as good as its corpus: each vocabulary item is in some but
    not all articles, so both outcomes of every term are tried."""
    _, docs, _ = corpus
    for word in ENGLISH:
        assert 0 < sum(word in d.words for d in docs) < len(docs)
    for noun in KOREAN:
        assert 0 < sum(noun in d.nouns for d in docs) < len(docs)
    for word in JAPANESE:
        assert 0 < sum(any(word in r for r in d.runs) for d in docs) < len(docs)
