"""Benchmark ``corpus export``: throughput per format and peak memory of the export process.

Generates N articles (default 200,000; a quarter in Korean, 1-3 authors each, ~350 words) into a
temporary corpus through the real schema (``corpus.schema.open_db``) in batched inserts, then
runs ``corpus export`` in a child process per format and reads that child's peak RSS from
``wait4`` (so the memory used to generate the data does not count).

    .venv/bin/python benchmarks/export_bench.py                # 200,000 articles
    .venv/bin/python benchmarks/export_bench.py --rows 20000 --keep /tmp/bench

Exits 1 if any export's peak RSS is over the limit (300 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.benchkit import article_values  # noqa: E402
from corpus.columns import BY_NAME  # noqa: E402
from corpus.schema import open_db  # noqa: E402

LIMIT_MB = 300
BATCH = 5000
SOURCES = [("bench_en", "en"), ("bench_wire", "en"), ("bench_ko", "ko")]


def words(text: str) -> list[str]:
    """The vocabulary in a space-separated string."""
    return text.split()


EN_WORDS = words(
    "north korea pyongyang kim regime missile launch sanctions border trade rice price market"
    " jangmadang smuggling defector china dandong sinuiju hyesan yalu river officials ministry"
    " security party central committee plenary meeting economy harvest fertiliser electricity"
    " factory workers wages currency yuan dollar exchange rate crackdown inspection propaganda"
    " rodong sinmun kcna report sources said according to the a an of in on for with by from"
    " was were is are has have had been this that which who after before during week month"
)
KO_WORDS = words(
    "북한 평양 김정은 미사일 발사 제재 국경 무역 쌀값 시장 장마당 밀수 탈북민 중국 단둥 신의주 혜산"
    " 압록강 간부 당국 보위부 당중앙위원회 전원회의 경제 수확 비료 전기 공장 노동자 임금 환율 단속"
    " 검열 선전 노동신문 조선중앙통신 소식통은 말했다 전했다 지난 이번 주 달 올해 주민들 사이에서"
)
NAMES = [f"Reporter {chr(65 + i % 26)}{i}" for i in range(400)] + [
    f"{a}{b}" for a in "김이박최정강조윤장임" for b in ("민수", "지영", "성호", "은정")
]


def article_text(rng: random.Random, korean: bool) -> str:
    """About 350 words in 4-8 paragraphs."""
    words = KO_WORDS if korean else EN_WORDS
    paragraphs = [
        " ".join(rng.choices(words, k=rng.randint(30, 80))).capitalize() + "."
        for _ in range(rng.randint(4, 8))
    ]
    return "\n\n".join(paragraphs)


def generate(db_path: Path, rows: int, seed: int = 7) -> None:
    """Fill a new corpus with ``rows`` synthetic articles, BATCH per transaction."""
    rng = random.Random(seed)
    db = open_db(str(db_path))
    columns = list(BY_NAME)
    insert = (
        f"INSERT INTO articles ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    )
    with db.atomic():
        for key, lang in SOURCES:
            db.execute(
                "INSERT INTO sources (key, name, homepage, language, country, timezone, terms)"
                " VALUES (?,?,?,?,?,?,?)",
                [key, key.title(), f"https://{key}.example/", lang, "KR", "Asia/Seoul", "bench"],
            )
        db.conn.executemany(
            "INSERT INTO authors (id, name, name_key, aliases) VALUES (?,?,?,?)",
            [
                (i + 1, n, n.lower(), json.dumps([n], ensure_ascii=False))
                for i, n in enumerate(NAMES)
            ],
        )
    start = datetime(2015, 1, 1, tzinfo=UTC)
    span = (datetime(2025, 1, 1, tzinfo=UTC) - start).total_seconds()
    for first in range(0, rows, BATCH):
        batch, links = [], []
        for i in range(first, min(rows, first + BATCH)):
            key, lang = SOURCES[i % len(SOURCES)]
            korean = lang == "ko"
            when = start + timedelta(seconds=rng.random() * span)
            local = when.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Seoul"))
            authors = rng.sample(range(len(NAMES)), rng.randint(1, 3))
            text = article_text(rng, korean)
            aid = f"{i:016x}"
            names = [NAMES[a] for a in authors]
            row = article_values(
                aid=aid,
                source=key,
                url=f"https://{key}.example/{i}/",
                title=" ".join(rng.choices(KO_WORDS if korean else EN_WORDS, k=8)),
                names=names,
                when=when,
                local=local,
                language=lang,
                text=text,
                content_hash=f"{rng.getrandbits(128):032x}",
                tags=json.dumps(rng.sample(KO_WORDS if korean else EN_WORDS, 3)),
            )
            batch.append([row.get(c) for c in columns])
            links += [(aid, a + 1, pos) for pos, a in enumerate(authors)]
        with db.atomic():
            db.conn.executemany(insert, batch)
            db.conn.executemany(
                "INSERT INTO article_authors (article_id, author_id, position) VALUES (?,?,?)",
                links,
            )
        print(f"\rgenerated {min(rows, first + BATCH):,} / {rows:,}", end="", file=sys.stderr)
    print(file=sys.stderr)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()


def run_export(db_path: Path, out: Path, *args: str) -> tuple[float, float, float, int]:
    """Run ``corpus export`` in a child process.

    Returns wall seconds, CPU seconds (user + system, all threads), peak RSS in MB and the exit
    status. CPU seconds do not depend on what else the machine is running.
    """
    argv = [sys.executable, "-m", "corpus.cli", "export", "--db", str(db_path), "--out", str(out)]
    started = time.perf_counter()
    child = subprocess.Popen([*argv, "--no-progress", *args], cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024, child.returncode  # ru_maxrss: KiB on Linux


def folder_bytes(path: Path, suffixes: tuple[str, ...]) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.name.endswith(suffixes))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000, help="articles to generate")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument(
        "--formats", default="jsonl,csv,parquet,sqlite", help="formats to time one by one"
    )
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="export-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    db_path = work / "bench.db"
    try:
        if not db_path.exists():
            started = time.perf_counter()
            generate(db_path, args.rows)
            print(f"generated {args.rows:,} articles in {time.perf_counter() - started:.1f} s")
        print(f"database: {db_path.stat().st_size / 2**20:,.0f} MB")
        suffix = {
            "jsonl": (".jsonl.gz",),
            "csv": ("articles.csv",),
            "parquet": (".parquet",),
            "sqlite": (".sqlite",),
        }
        runs = [(fmt, fmt, ["--format", fmt]) for fmt in args.formats.split(",")]
        runs += [
            ("all formats", "all", []),
            ("all, by month", "month", ["--partition", "month"]),
            ("re-run, by month", "month", ["--partition", "month"]),
        ]
        print(
            f"{'export':18} {'seconds':>8} {'rows/s':>10} {'CPU s':>8} {'rows/CPU s':>12}"
            f" {'peak RSS':>10} {'output':>10}"
        )
        worst = 0.0
        for label, folder, extra in runs:
            out = work / f"out-{folder}"
            seconds, cpu, peak, code = run_export(db_path, out, *extra)
            if code != 0:
                print(f"{label}: export failed with exit status {code}")
                return 1
            size = folder_bytes(out, suffix.get(folder, (".gz", ".csv", ".parquet", ".sqlite")))
            worst = max(worst, peak)
            print(
                f"{label:18} {seconds:8.1f} {args.rows / seconds:10,.0f} {cpu:8.1f}"
                f" {args.rows / cpu:12,.0f} {peak:7.0f} MB {size / 2**20:7.0f} MB"
            )
        verdict = "OK" if worst < LIMIT_MB else "OVER"
        print(f"peak RSS {worst:.0f} MB (limit {LIMIT_MB} MB): {verdict}")
        return 0 if worst < LIMIT_MB else 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
