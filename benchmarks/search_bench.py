"""Search at scale: a generated corpus of 1,000,000 articles, searched through Datasette.

Builds (or reuses) a corpus of N generated articles (~300 words; 60% English, 20% Korean,
10% Japanese, 10% Chinese; eight sources; ten years of publication times in random order; a
Zipf-distributed long tail of names so that queries range from terms in nearly every article
to terms in a handful) in the real schema (``corpus.schema.open_db``): rows go into
``articles``, whose triggers fill the full-text index exactly as the store's writes do,
10,000 rows per transaction. Korean articles carry ``search_terms`` from the real analyser
(kiwipiepy), run once per distinct sentence and name and cached; Japanese and Chinese ones
their bigrams (``corpus.cjk``).

Then it serves the corpus with ``corpus serve`` and times, per query (after one warm-up pass,
the median of ``--repeats``):

* the canned query ``/DB/search.json?q=...`` (JSON, newest 100) for 50 varied queries;
* the analyst page ``/-/search?...`` (HTML: first page, capped count, snippets), with filters;
* table pages with facets (``/DB/articles.json``: source, language, published_month, authors);
* the same searches straight on SQLite: ``corpus.search.search_sql`` and the bare FTS query
  ``SELECT rowid FROM articles_search WHERE articles_search MATCH ? ORDER BY rowid DESC
  LIMIT 100``.

    .venv/bin/python benchmarks/search_bench.py --db /tmp/search-1m.db   # build once, reuse
    .venv/bin/python benchmarks/search_bench.py --articles 200000 --db /tmp/s200k.db
    .venv/bin/python benchmarks/search_bench.py --quick                   # 2,000 articles

Targets (issue): search p95 <= 300 ms, facet page <= 1 s.
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import pages as gen  # noqa: E402
from benchmarks.benchkit import article_values, header, load  # noqa: E402

SEARCH_P95_MS = 300
FACET_MS = 1000
BATCH = 10_000
TAIL_WORDS = 60_000
SEOUL = ZoneInfo("Asia/Seoul")
START = datetime(2015, 1, 1, tzinfo=UTC)
SPAN = (datetime(2025, 1, 1, tzinfo=UTC) - START).total_seconds()
SOURCES = (  # key, name, language, share of articles
    ("nk_daily_en", "NK Daily (English)", "en", 0.2),
    ("border_wire", "Border Wire", "en", 0.15),
    ("seoul_monitor", "Seoul Monitor", "en", 0.15),
    ("unification_news", "Unification News", "en", 0.1),
    ("nk_daily_ko", "NK 데일리", "ko", 0.12),
    ("pyongyang_report_ko", "평양리포트", "ko", 0.08),
    ("tokyo_kita_ja", "東京北朝鮮ニュース", "ja", 0.1),
    ("dandong_bao_zh", "丹东边境报", "zh", 0.1),
)
# Japanese and Chinese sentences: templates whose {x} slots take words of the same kind.
JA_SENTENCES = (
    "{place}で{thing}の価格が急騰したと関係者が明らかにした。",
    "北朝鮮は{when}、日本海に向けて弾道ミサイルを発射した。",
    "気象庁は{place}の沿岸に津波注意報を発表した。",
    "金融庁は{thing}の取引について調査を始めたと発表した。",
    "政府関係者によると、{place}周辺での{thing}の密輸が増えている。",
    "防衛省は{when}の発射について分析を続けている。",
    "{place}の市場では{thing}の取引が禁止されたという。",
    "国連安全保障理事会は北朝鮮への制裁の履行状況を協議した。",
)
JA_FILL = {
    "place": ("新義州", "恵山", "平壌", "清津", "丹東", "羅先", "咸興", "元山"),
    "thing": ("コメ", "トウモロコシ", "石炭", "携帯電話", "ガソリン", "海産物", "鉄鋼", "肥料"),
    "when": ("今朝", "昨夜", "先週", "今月初め", "午前", "未明"),
}
ZH_SENTENCES = (
    "据消息人士透露，{place}的{thing}价格近日大幅上涨。",
    "朝鲜{when}向东部海域发射了一枚弹道导弹。",
    "韩国联合参谋本部表示，朝鲜发射的導彈飞行了约{n}公里。",
    "{place}海关加强了对{thing}走私的检查。",
    "联合国安理会讨论了对朝制裁的执行情况。",
    "{place}市场上的{thing}交易{when}被当局禁止。",
    "边境贸易商说，{thing}的汇率在{place}持续波动。",
    "中国外交部发言人{when}就半岛局势回答了记者提问。",
)
ZH_FILL = {
    "place": ("新义州", "惠山", "平壤", "清津", "丹东", "罗先", "咸兴", "元山"),
    "thing": ("大米", "玉米", "煤炭", "手机", "汽油", "海产品", "钢铁", "化肥"),
    "when": ("今天上午", "昨晚", "上周", "本月初", "凌晨", "日前"),
    "n": ("三百", "五百", "八百", "一千"),
}
HAN_NAME_CHARS = "金李朴崔鄭姜趙尹張林韓吳申徐權黃安宋柳洪田高文孫梁裴白許南沈盧河郭成車朱禹具"
SYLLABLES = [
    "ka",
    "ri",
    "mo",
    "ta",
    "sen",
    "lu",
    "vo",
    "ni",
    "pe",
    "ra",
    "do",
    "shu",
    "gan",
    "mir",
    "tel",
    "os",
    "ba",
    "ke",
    "zu",
    "fin",
    "hal",
]
KO_SYLLABLES = [
    "가",
    "나",
    "다",
    "라",
    "마",
    "바",
    "사",
    "아",
    "자",
    "차",
    "카",
    "타",
    "파",
    "하",
    "민",
    "성",
    "영",
    "수",
    "진",
    "호",
    "철",
    "훈",
    "선",
    "경",
]


# ---------------------------------------------------------------------- vocabulary
def tail_word(rank: int) -> str:
    """The long-tail name of Zipf rank ``rank`` (1 is the most frequent), in Latin script."""
    rng = random.Random(rank * 7919)
    return "".join(rng.choice(SYLLABLES) for _ in range(3 + rank % 3)).capitalize()


def korean_tail_word(rank: int) -> str:
    """The Hangul long-tail name of Zipf rank ``rank``."""
    rng = random.Random(rank * 104729)
    return "".join(rng.choice(KO_SYLLABLES) for _ in range(3))


def han_tail_word(rank: int) -> str:
    """The Han-script long-tail name of Zipf rank ``rank`` (Japanese and Chinese articles)."""
    rng = random.Random(rank * 15485863)
    return "".join(rng.choice(HAN_NAME_CHARS) for _ in range(3))


def template_sentence(rng: random.Random, templates: tuple, fill: dict) -> str:
    slots = {k: rng.choice(v) for k, v in fill.items()}
    return rng.choice(templates).format(**slots)


def en_sentence(rng: random.Random) -> str:
    subject = gen._fill(rng.choice(gen.EN_SUBJECTS), rng, gen.EN_PLACES, gen.EN_FILL)
    verb = gen._fill(rng.choice(gen.EN_VERBS), rng, gen.EN_PLACES, gen.EN_FILL)
    clause = gen._fill(rng.choice(gen.EN_CLAUSES), rng, gen.EN_PLACES, gen.EN_FILL)
    return f"{subject} {verb} {clause}."


def ko_sentence(rng: random.Random) -> str:
    return gen._fill(rng.choice(gen.KO_SENTENCES), rng, gen.KO_PLACES, gen.KO_FILL)


class Vocabulary:
    """Sentence pools, Zipf tails and cached Korean morphemes for fast article generation."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(seed)
        self.en = [en_sentence(rng) for _ in range(40_000)]
        self.ko = [ko_sentence(rng) for _ in range(20_000)]
        self.tail = [tail_word(r) for r in range(1, TAIL_WORDS + 1)]
        self.ko_tail = [korean_tail_word(r) for r in range(1, TAIL_WORDS // 4 + 1)]
        self.ja = [template_sentence(rng, JA_SENTENCES, JA_FILL) for _ in range(5_000)]
        self.zh = [template_sentence(rng, ZH_SENTENCES, ZH_FILL) for _ in range(5_000)]
        self.han_tail = [han_tail_word(r) for r in range(1, TAIL_WORDS // 4 + 1)]
        self.han_authors = _unique(self.han_tail[:400])  # distinct: an article lists each once
        self.cum = list(_zipf_cumulative(TAIL_WORDS))
        self.ko_cum = list(_zipf_cumulative(TAIL_WORDS // 4))
        self.authors = _unique(
            [*gen.EN_NAMES, *(f"{tail_word(r)} {tail_word(r + 1)}" for r in range(2, 600, 2))]
        )
        self.ko_authors = _unique([*gen.KO_NAMES, *(korean_tail_word(r) for r in range(1, 150))])
        self._morphs: dict[str, str] = {}

    def morphs(self, text: str) -> str:
        """The analyser's content morphemes of ``text``, space separated (cached)."""
        found = self._morphs.get(text)
        if found is None:
            from corpus.search import morphemes

            found = self._morphs[text] = " ".join(morphemes(text))
        return found

    def names(self, rng: random.Random, korean: bool, k: int, han: bool = False) -> list[str]:
        if han:
            words, cum = self.han_tail, self.ko_cum
        else:
            words, cum = (self.ko_tail, self.ko_cum) if korean else (self.tail, self.cum)
        return [words[bisect.bisect(cum, rng.random() * cum[-1])] for _ in range(k)]


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _zipf_cumulative(size: int, s: float = 1.07) -> Iterator[float]:
    total = 0.0
    for rank in range(1, size + 1):
        total += 1 / rank**s
        yield total


# ---------------------------------------------------------------------- building the corpus
def pick_source(roll: float) -> tuple[str, str]:
    """(key, language) of the source that a uniform ``roll`` in [0, 1) falls on."""
    acc = 0.0
    for key, _, language, share in SOURCES:
        acc += share
        if roll < acc:
            return key, language
    return SOURCES[-1][0], SOURCES[-1][2]


@dataclass(frozen=True)
class Generated:
    """One generated article row (the columns the store fills) and its author names."""

    values: dict
    authors: list[str]


def generate(i: int, rng: random.Random, vocab: Vocabulary) -> Generated:
    """Article ``i``: ~300 words in 3-6 paragraphs, 1-3 authors, a random publication time."""
    key, language = pick_source(rng.random())
    if language in ("ja", "zh"):
        return generate_han(i, rng, vocab, key, language)
    korean = language == "ko"
    pool = vocab.ko if korean else vocab.en
    sentences = rng.choices(pool, k=rng.randint(12, 26) if not korean else rng.randint(14, 30))
    tail = vocab.names(rng, korean, rng.randint(2, 8))
    cut = rng.randint(1, len(sentences) - 1)
    people = " ".join(tail)
    mention = f"{people} 등이 이번 사안에 관여했다." if korean else f"Named: {people}."
    sentences = sentences[:cut] + [mention] + sentences[cut:]
    paragraphs, at = [], 0
    while at < len(sentences):
        step = rng.randint(3, 6)
        paragraphs.append(" ".join(sentences[at : at + step]))
        at += step
    text = "\n\n".join(paragraphs)
    if korean:
        place, goods = rng.choice(gen.KO_PLACES), rng.choice(gen.KO_FILL["goods"])
        title = f"{place}서 {goods} 가격 급등…{tail[0]} 단속 강화"
        terms = "\n".join(
            [
                " ".join(
                    [
                        vocab.morphs(f"{place}서 {goods} 가격 급등"),
                        vocab.morphs(tail[0]),
                        vocab.morphs("단속 강화"),
                    ]
                ),
                " ".join(vocab.morphs(s) for s in sentences),
            ]
        )
    else:
        place, goods = rng.choice(gen.EN_PLACES), rng.choice(gen.EN_FILL["goods"])
        title = f"{goods.capitalize()} prices surge in {place} as {tail[0]} widens crackdown"
        terms = None
    names = rng.sample(vocab.ko_authors if korean else vocab.authors, k=rng.choice((1, 1, 2, 3)))
    return _generated(i, rng, key, language, title, text, terms, names)


def generate_han(i: int, rng: random.Random, vocab: Vocabulary, key: str, lang: str) -> Generated:
    """A Japanese or Chinese article: ~600 characters in 3-5 paragraphs, bigrams as terms."""
    from corpus.cjk import article_bigrams

    pool = vocab.ja if lang == "ja" else vocab.zh
    tail = vocab.names(rng, False, rng.randint(2, 6), han=True)
    mention = ("関係者として" if lang == "ja" else "涉及人员包括") + "、".join(tail) + "。"
    sentences = rng.choices(pool, k=rng.randint(14, 24))
    sentences.insert(rng.randint(1, len(sentences) - 1), mention)
    paragraphs = ["".join(sentences[at : at + 5]) for at in range(0, len(sentences), 5)]
    text = "\n\n".join(paragraphs)
    title = sentences[0].rstrip("。") + ("　" if lang == "ja" else "，") + tail[0]
    names = rng.sample(vocab.han_authors, k=rng.choice((1, 1, 2)))
    return _generated(i, rng, key, lang, title, text, article_bigrams(title, text), names)


def _generated(
    i: int,
    rng: random.Random,
    key: str,
    language: str,
    title: str,
    text: str,
    terms: str | None,
    names: list[str],
) -> Generated:
    when = START + timedelta(seconds=rng.random() * SPAN)
    local = when.astimezone(SEOUL)
    url = f"https://{key}.example/{local:%Y/%m/%d}/{i}/"
    from processing.dedupe import article_id, content_hash

    values = article_values(
        aid=article_id(url),
        source=key,
        url=url,
        title=title,
        names=names,
        when=when,
        local=local,
        language=language,
        text=text,
        content_hash=content_hash(title, text),
        search_terms=terms,
    )
    return Generated(values, names)


def build(path: Path, count: int, seed: int = 11) -> None:
    """Write ``count`` generated articles into a new corpus at ``path``, printing progress."""
    from corpus.schema import open_db

    db = open_db(str(path))
    db.execute("PRAGMA synchronous=OFF")  # a benchmark build: durability does not matter
    conn = db.conn
    vocab = Vocabulary(seed)
    rng = random.Random(seed)
    author_ids: dict[str, int] = {}
    with db.atomic():
        conn.executemany(
            "INSERT INTO sources (key, name, homepage, language, country, timezone, terms)"
            " VALUES (?,?,?,?,?,?,?)",
            [
                (k, n, f"https://{k}.example/", lang, "KR", "Asia/Seoul", "benchmark data")
                for k, n, lang, _ in SOURCES
            ],
        )
    columns: list[str] = []
    started = time.perf_counter()
    for first in range(0, count, BATCH):
        rows, links = [], []
        for i in range(first, min(count, first + BATCH)):
            item = generate(i, rng, vocab)
            columns = columns or list(item.values)
            rows.append([item.values[c] for c in columns])
            for position, name in enumerate(item.authors):
                if name not in author_ids:
                    author_ids[name] = len(author_ids) + 1
                links.append((item.values["id"], author_ids[name], position))
        marks = ", ".join("?" * len(columns))
        insert = f"INSERT INTO articles ({', '.join(columns)}) VALUES ({marks})"
        with db.atomic():
            conn.executemany(
                "INSERT OR IGNORE INTO authors (id, name, name_key, aliases) VALUES (?,?,?,?)",
                [
                    (n, name, name.lower(), json.dumps([name], ensure_ascii=False))
                    for name, n in author_ids.items()
                ],
            )
            conn.executemany(insert, rows)
            conn.executemany(
                "INSERT INTO article_authors (article_id, author_id, position) VALUES (?,?,?)",
                links,
            )
        done = min(count, first + BATCH)
        elapsed = time.perf_counter() - started
        if done % 50_000 == 0 or done == count:
            eta = elapsed / done * (count - done)
            print(
                f"  built {done:,}/{count:,} articles in {elapsed:.0f} s "
                f"({done / elapsed:.0f}/s, ~{eta:.0f} s to go; load {load()})",
                flush=True,
            )
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def article_count(path: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


# ---------------------------------------------------------------------- queries
def queries(vocab_seed: int = 11) -> list[dict[str, str]]:
    """50 searches: common and rare terms, phrases, prefixes, OR, exclusions, Korean, filters."""
    tail = [tail_word(r) for r in (1, 3, 10, 30, 100, 300, 1000, 3000, 10_000, 30_000)]
    ko_tail = [korean_tail_word(r) for r in (1, 10, 100, 1000)]
    plain = [
        "north korea",  # absent from the generated English: an empty AND of two terms
        "said",  # in nearly every English article (the hard case for FTS)
        "pyongyang",
        "missile",
        "sanctions",
        "rice price",
        '"ministry of state security"',
        '"korean people\'s army"',
        "dandong smuggling",
        "fertiliser plant",
        "missil*",
        "sanction*",
        "coal OR seafood",
        "sanctions -coal",
        "border trade -rice",
        "yuan exchange rate",
        "mobile phones border",
        '"officials said"',
        "defectors",
        "steel complex electricity",
        "북한",
        "미사일",
        "탄도미사일",
        "김정은",
        "밀수 단속",
        "발사했다",
        "신의주 쌀",
        "노동신문",
        "국가보위성 검열",
        "휴대전화",
        "津波",  # Japanese and Chinese words inside running text (bigram index)
        "金融庁",
        "弾道ミサイル",
        "密輸 -石炭",
        "导弹",
        "導彈",
        "走私 海关",
        "对朝制裁",
        "米",  # one character: the bigrams it starts
        *tail,
        *ko_tail,
        *[han_tail_word(r) for r in (1, 30, 1000)],
    ]
    filtered = [
        {"q": "missile", "source": "nk_daily_en"},
        {"q": "북한", "language": "ko"},
        {"q": "sanctions", "from": "2020-01-01", "to": "2020-12-31"},
        {"q": "", "source": "border_wire", "from": "2023-06-01", "to": "2023-06-30"},
        {"q": "rice", "author": "Jane Roe"},
        {"q": "pyongyang", "sort": "oldest"},
        {"q": "-said"},  # exclusions only: every article without the word
        {"q": "津波", "language": "ja"},
    ]
    return [{"q": q} for q in plain] + filtered


def _search(params: dict[str, str]):
    from corpus import search as cs

    return cs.Search(
        q=params.get("q", ""),
        sources=(params["source"],) if "source" in params else (),
        languages=(params["language"],) if "language" in params else (),
        authors=(params["author"],) if "author" in params else (),
        date_from=date.fromisoformat(params["from"]) if "from" in params else None,
        date_to=date.fromisoformat(params["to"]) if "to" in params else None,
        newest_first=params.get("sort") != "oldest",
        limit=31,
    )


FACET_PAGES = (
    "/{db}/articles.json?_size=50",
    "/{db}/articles.json?_size=50&language=ko",
    "/{db}/articles.json?_size=50&source=border_wire&_facet=published_date",
    "/{db}/articles?_size=50",
    "/{db}/articles.json?_size=50&_search=sanctions",
)


# ---------------------------------------------------------------------- timing
def timed(call: Callable[[], object], repeats: int) -> tuple[float, object]:
    """Median milliseconds of ``repeats`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def percentiles(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return f"p50 {statistics.median(values):.1f} ms, p95 {p95:.1f} ms, max {values[-1]:.1f} ms"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


class Server:
    """``corpus serve`` on a free port, until the block ends."""

    def __init__(self, db: Path, immutable: bool) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        argv = [
            sys.executable,
            "-m",
            "corpus.cli",
            "serve",
            "--db",
            str(db),
            "--port",
            str(self.port),
        ]
        self.argv = argv + (["--immutable"] if immutable else [])

    def __enter__(self) -> Server:
        self.proc = subprocess.Popen(self.argv, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                fetch(self.base + "/-/versions.json")
                return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("corpus serve did not start")

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def http_search(server: Server, db_name: str, qs: list[dict], repeats: int) -> None:
    json_ms, page_ms = [], []
    for params in qs:
        if set(params) == {"q"}:
            url = f"{server.base}/{db_name}/search.json?_shape=array&q={quote(params['q'])}"
            fetch(url)  # warm-up
            ms, (status, body) = timed(lambda u=url: fetch(u), repeats)
            rows = len(json.loads(body)) if status == 200 else f"HTTP {status}"
            json_ms.append(ms)
            print(f"  json  {ms:7.1f} ms  {rows!s:>4} rows  {params['q']}")
        url = f"{server.base}/-/search?{urlencode(params)}"
        fetch(url)
        ms, (status, body) = timed(lambda u=url: fetch(u), repeats)
        page_ms.append(ms)
        error = " (search error shown)" if b"took too long" in body else ""
        print(f"  page  {ms:7.1f} ms  HTTP {status}{error}  {urlencode(params)}")
    print(
        f"RESULT search JSON (canned query, {len(json_ms)} queries): {percentiles(json_ms)}"
        f" (target p95 <= {SEARCH_P95_MS} ms)"
    )
    print(
        f"RESULT search page /-/search ({len(page_ms)} queries incl. filters): "
        f"{percentiles(page_ms)} (target p95 <= {SEARCH_P95_MS} ms)"
    )


CONFIGURED_FACETS = {"source", "language", "published_month", "authors"}  # metadata.yml


def facet_note(body: bytes) -> str:
    """Which facets a table JSON page returned, and its row count."""
    data = json.loads(body)
    facets = set(data.get("facet_results", {}))
    missing = sorted(CONFIGURED_FACETS - facets)
    return (
        f"{len(facets & CONFIGURED_FACETS)}/{len(CONFIGURED_FACETS)} configured facets"
        + (f" (missing, timed out: {', '.join(missing)})" if missing else "")
        + f", {len(data.get('suggested_facets', []))} suggested, "
        f"count {data.get('filtered_table_rows_count')}"
    )


def http_facets(server: Server, db_name: str, repeats: int) -> None:
    """Each facet page as configured, and with ``_nosuggest=1`` (the cost of Datasette's facet
    suggestions, which the ``suggest_facets`` setting turns off)."""
    worst = {"": 0.0, "&_nosuggest=1": 0.0}
    for template in FACET_PAGES:
        for extra in worst:
            path = template.format(db=db_name) + extra
            fetch(server.base + path)
            ms, (status, body) = timed(lambda u=server.base + path: fetch(u), repeats)
            worst[extra] = max(worst[extra], ms)
            note = facet_note(body) if status == 200 and ".json" in path else ""
            print(f"  facet {ms:8.1f} ms  HTTP {status}  {path}  {note}")
    print(
        f"RESULT facet pages ({len(FACET_PAGES)}), as configured: slowest {worst['']:.0f} ms; "
        f"without facet suggestions: slowest {worst['&_nosuggest=1']:.0f} ms "
        f"(target <= {FACET_MS} ms)"
    )


FACET_SQL = (
    "SELECT source, count(*) FROM articles GROUP BY source",
    "SELECT language, count(*) FROM articles GROUP BY language",
    "SELECT published_month, count(*) FROM articles GROUP BY published_month"
    " ORDER BY 2 DESC LIMIT 31",
    "SELECT j.value, count(*) FROM articles, json_each(articles.authors) j GROUP BY j.value"
    " ORDER BY 2 DESC LIMIT 31",
    "SELECT count(*) FROM articles",
)


def index_sizes(db: Path) -> None:
    """Bytes of each search index (SQLite's dbstat), and the Japanese/Chinese bigrams' share."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT CASE WHEN name LIKE 'articles_search%' THEN 'articles_search'"
            " ELSE 'other' END, sum(pgsize)"
            " FROM dbstat GROUP BY 1"
        ).fetchall()
        terms = conn.execute(
            "SELECT sum(length(search_terms)), sum(CASE WHEN language IN ('ja', 'zh')"
            " THEN length(search_terms) ELSE 0 END) FROM articles"
        ).fetchone()
    except sqlite3.Error as exc:  # SQLite built without dbstat
        print(f"index sizes unavailable: {exc}")
        return
    finally:
        conn.close()
    sizes = ", ".join(f"{name} {size / 2**20:,.0f} MiB" for name, size in sorted(rows))
    print(f"RESULT index sizes: {sizes}")
    share = terms[1] / terms[0] if terms[0] else 0
    print(f"RESULT search_terms characters: {terms[0]:,}, Japanese/Chinese bigrams {share:.0%}")


def bare_facets(db: Path) -> None:
    """The facet queries themselves, straight on SQLite, once each (no time limit)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        for sql in FACET_SQL:
            ms, _ = timed(lambda q=sql: conn.execute(q).fetchall(), 1)
            print(f"RESULT SQLite facet query {ms:8.1f} ms  {sql}")
    finally:
        conn.close()


COUNT_FTS = "SELECT count(*) FROM articles_search WHERE articles_search MATCH ?"
BARE_FTS = (
    "SELECT rowid FROM articles_search WHERE articles_search MATCH ? ORDER BY rowid DESC LIMIT 100"
)


def bare_sqlite(db: Path, qs: list[dict], repeats: int) -> None:
    from corpus import search as cs

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    full_ms, bare_ms, matches = [], [], []
    try:
        for params in qs:
            search = _search(params)
            sql, args = cs.search_sql(search)
            conn.execute(sql, args).fetchall()
            ms, _ = timed(lambda s=sql, a=args: conn.execute(s, a).fetchall(), repeats)
            full_ms.append(ms)
            match = search.match
            conn.execute(BARE_FTS, [match]).fetchall()
            ms, _ = timed(lambda m=match: conn.execute(BARE_FTS, [m]).fetchall(), repeats)
            bare_ms.append(ms)
            matches.append(conn.execute(COUNT_FTS, [match]).fetchone()[0])
    finally:
        conn.close()
    print(
        f"matches per query (whole corpus, before filters): min {min(matches):,}, "
        f"median {statistics.median(matches):,.0f}, max {max(matches):,}"
    )
    print(
        f"RESULT SQLite search_sql (first page, join, filters; {len(full_ms)} queries): "
        f"{percentiles(full_ms)}"
    )
    print(
        f"RESULT SQLite bare FTS (rowid DESC LIMIT 100; {len(bare_ms)} queries): "
        f"{percentiles(bare_ms)}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Search latency on a generated 1M corpus.")
    parser.add_argument("--articles", type=int, default=1_000_000, help="corpus size [1000000]")
    parser.add_argument("--db", type=Path, help="build here, or reuse if it holds the corpus")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per query [3]")
    parser.add_argument("--immutable", action="store_true", help="serve with --immutable")
    parser.add_argument("--build-only", action="store_true", help="build the corpus and stop")
    parser.add_argument("--quick", action="store_true", help="2,000 articles (smoke run)")
    args = parser.parse_args(argv)
    count = 2000 if args.quick else args.articles
    folder = None
    db = args.db
    if db is None:
        folder = Path(tempfile.mkdtemp(prefix="search-bench-"))
        db = folder / "search.db"
    header(f"search at scale: {count:,} articles in {db}")
    try:
        have = article_count(db) if db.exists() else 0
        if have != count:
            if db.exists():
                raise SystemExit(f"{db} holds {have} articles, not {count}: pick another --db")
            started = time.perf_counter()
            build(db, count)
            print(
                f"built {count:,} articles in {time.perf_counter() - started:.0f} s; "
                f"file {db.stat().st_size / 2**30:.2f} GiB"
            )
        else:
            print(f"reusing {db} ({have:,} articles, {db.stat().st_size / 2**30:.2f} GiB)")
        if args.build_only:
            return 0
        qs = queries()
        with Server(db, args.immutable) as server:
            http_search(server, db.stem, qs, args.repeats)
            http_facets(server, db.stem, args.repeats)
        bare_sqlite(db, qs, args.repeats)
        bare_facets(db)
        index_sizes(db)
        print(f"load after the run: {load()}")
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
