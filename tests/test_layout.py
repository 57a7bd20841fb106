"""The package layout rules of ARCHITECTURE.md, checked."""

import subprocess
import sys


def _loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_processing_imports_neither_scrapy_nor_sqlite_utils():
    loaded = _loaded_after("import processing; import processing.pipeline")
    assert "processing.pipeline" in loaded
    assert not {m for m in loaded if m == "scrapy" or m.startswith("scrapy.")}
    assert "sqlite_utils" not in loaded


def test_source_registry_loads_no_scrapy():
    loaded = _loaded_after("import corpus.sources as s; s.all_sources()")
    assert "corpus.sources.daily_nk_en" in loaded
    assert "scrapy" not in loaded


def test_corpus_store_loads_no_scrapy():
    loaded = _loaded_after("import corpus.store, corpus.cli")
    assert "scrapy" not in loaded


def test_reading_sources_loads_no_extraction():
    """`corpus crawl` waits on its crawl processes for hours: it reads the source files but
    never extracts, so it must not carry trafilatura and the language models."""
    loaded = _loaded_after("import corpus.cli, corpus.runner, corpus.analyser as a; a.deferred()")
    loaded |= _loaded_after("import corpus.sources as s; s.all_sources()")
    assert not loaded & {"trafilatura", "langdetect", "py3langid", "processing.pipeline", "lxml"}


def test_importing_processing_loads_no_extraction():
    loaded = _loaded_after("import processing; processing.Hints; processing.EXTRACTOR_VERSION")
    assert not loaded & {"trafilatura", "langdetect", "py3langid", "processing.pipeline", "lxml"}


def test_the_lazy_processing_names_are_the_real_ones():
    code = (
        "import sys, types, processing.pipeline, processing.extract, processing.hints;"
        "from processing import clean, ExtractionError, Hints;"
        "assert clean is sys.modules['processing.pipeline'].clean;"
        "assert isinstance(clean, types.FunctionType) and processing.clean is clean;"
        "assert ExtractionError is processing.extract.ExtractionError;"
        "assert Hints is processing.hints.Hints"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
