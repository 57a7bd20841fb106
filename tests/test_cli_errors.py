"""A person's mistakes on the command line: one clear line and exit status 1, nothing created."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner

from corpus.cli import cli
from corpus.records import ArticleWrite
from corpus.store import Store
from tests.test_search import article

COMMANDS = {
    "serve": ["serve"],
    "report": ["report"],
    "export": ["export", "--out", "{tmp}/dumps"],
    "terms": ["terms"],
    "reprocess": ["reprocess"],
    "crawl": ["crawl", "demo_pyongyang_monitor"],
}


def run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def one_line_error(code: int, output: str) -> str:
    assert code == 1, output
    assert "Traceback" not in output and output.strip().count("\n") == 0, output
    assert output.startswith("Error: ")
    return output.strip()


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "corpus.db"
    store = Store(str(path))
    store.add_articles(
        [
            ArticleWrite(article("https://en.example/1", "Coal", "Coal exports."), "t", None),
            ArticleWrite(
                article("https://ko.example/1", "북한", "북한이 발사했다.", language="ko",
                        source="demo_ko"),
                "t",
                None,
            ),
        ]
    )  # fmt: skip
    store.close()
    return path


@pytest.mark.parametrize("command", ["serve", "report", "export", "terms"])
def test_a_missing_database_is_refused_not_created(tmp_path, command):
    missing = tmp_path / "missing.db"
    args = [a.format(tmp=tmp_path) for a in COMMANDS[command]] + ["--db", str(missing)]
    message = one_line_error(*run(args))
    assert f"no corpus database at {missing}" in message and "corpus demo" in message
    assert not missing.exists()


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("kind", ["text file", "other sqlite"])
def test_a_file_that_is_not_a_corpus_is_named(tmp_path, command, kind):
    path = tmp_path / "not-a-corpus"
    if kind == "text file":
        path.write_text("root:x:0:0:root:/root:/bin/bash\n")
    else:
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE notes (x)")
    before = path.read_bytes()
    args = [a.format(tmp=tmp_path) for a in COMMANDS[command]] + ["--db", str(path)]
    message = one_line_error(*run(args))
    assert f"{path} is not a corpus database" in message
    assert path.read_bytes() == before  # nothing migrated into someone else's file


@pytest.mark.parametrize("command", ["report", "export"])
def test_unknown_source_lists_the_known_ones(tmp_path, corpus, command):
    args = [a.format(tmp=tmp_path) for a in COMMANDS[command]]
    message = one_line_error(*run([*args, "--db", str(corpus), "--source", "nosuch"]))
    assert "unknown source nosuch" in message
    assert "demo_en" in message and "demo_ko" in message


def test_unknown_language_lists_the_known_ones(tmp_path, corpus):
    args = ["export", "--db", str(corpus), "--out", str(tmp_path / "d"), "--language", "xx"]
    message = one_line_error(*run(args))
    assert message == "Error: unknown language xx; this corpus has: en, ko"
    assert not (tmp_path / "d").exists()


def test_known_values_still_work(tmp_path, corpus):
    code, output = run(["report", "--db", str(corpus), "--source", "demo_ko"])
    assert code == 0, output
    code, output = run(
        ["export", "--db", str(corpus), "--out", str(tmp_path / "d"), "--language", "ko",
         "--format", "csv"]
    )  # fmt: skip
    assert code == 0, output
    assert "1 articles" in output


@pytest.mark.slow
def test_serve_refuses_a_missing_database_in_a_real_process(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "corpus.cli", "serve", "--db", str(tmp_path / "missing.db")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0 and "no corpus database at" in proc.stderr
    assert not (tmp_path / "missing.db").exists()
