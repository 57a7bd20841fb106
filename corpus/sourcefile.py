"""Load one source file safely: every mistake becomes a one-line :class:`Problem`, never a raise.

A source file is Python that assigns ``SOURCE = Source(...)``. Before running it, its syntax
tree is read: a syntax error, a field given twice, an unknown field of ``Source``, ``Hints`` or
``Listing`` (with the closest known name) or a missing required field is reported at its line.
Then the file runs; an exception in it is reported at the line that raised. Finally the file
must define ``SOURCE`` as a ``Source``. The tree also gives the line of every field, so later
checks (``corpus.sourcecheck``) can point at the line of a bad value.
"""

from __future__ import annotations

import ast
import difflib
import importlib.util
import re
import sys
import traceback
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from types import ModuleType

from corpus.source import Hints, Listing, Source

CLASSES: dict[str, type] = {"Source": Source, "Hints": Hints, "Listing": Listing}
_NESTED = {"hints": "Hints", "listings": "Listing"}  # Source field -> class of its value(s)


@dataclass(frozen=True)
class Problem:
    """One mistake in a source file: where it is, which field, what is wrong."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


@dataclass
class LoadedFile:
    """What loading one file gave: its source (None when it could not be built), the line of
    each field (``"sitemaps"``, ``"hints.body_css"``, ``"listings.page_url"``) and problems."""

    path: Path
    source: Source | None = None
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    module: ModuleType | None = None

    def problem(self, field_name: str, message: str, line: int | None = None) -> Problem:
        """A problem of this file, at ``line`` or else at the line of ``field_name``."""
        if line is None:
            line = self.lines.get(field_name) or self.lines.get(field_name.split(".")[0])
            line = line or self.lines.get("")
        return Problem(str(self.path), line, field_name, message)


def did_you_mean(word: str, choices: list[str] | set[str]) -> str:
    """``"; did you mean `x`?"`` when a close match exists, else ``""``."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""


def field_names(cls: type) -> list[str]:
    """The fields of a dataclass, in order."""
    return [f.name for f in fields(cls)]


def required_fields(cls: type) -> list[str]:
    """The fields of a dataclass that have no default."""
    return [f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING]


def _call_class(node: ast.Call) -> str | None:
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    return name if name in CLASSES else None


def _read_tree(loaded: LoadedFile, tree: ast.AST) -> None:
    """Record field lines and report unknown or missing fields of every Source/Hints/Listing."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not (cls_name := _call_class(node)):
            continue
        cls = CLASSES[cls_name]
        known = field_names(cls)
        given = set(known[: len(node.args)])
        for keyword in node.keywords:
            if keyword.arg is None:  # **kwargs: fields unknown until run
                given = set(known)
                continue
            if keyword.arg in given:
                loaded.problems.append(loaded.problem(keyword.arg, "given twice", keyword.lineno))
            given.add(keyword.arg)
            if keyword.arg not in known:
                loaded.problems.append(
                    loaded.problem(
                        keyword.arg,
                        f"unknown field of {cls_name}{did_you_mean(keyword.arg, known)}",
                        keyword.lineno,
                    )
                )
        if cls_name == "Source":
            loaded.lines.setdefault("", node.lineno)
            for keyword in node.keywords:
                if keyword.arg:
                    loaded.lines.setdefault(keyword.arg, keyword.lineno)
                    _nested_lines(loaded, keyword)
        missing = [name for name in required_fields(cls) if name not in given]
        if missing:
            names = ", ".join(f"`{name}`" for name in missing)
            plural = "s" if len(missing) > 1 else ""
            loaded.problems.append(
                loaded.problem("", f"{cls_name} misses required field{plural} {names}", node.lineno)
            )


def _nested_lines(loaded: LoadedFile, keyword: ast.keyword) -> None:
    """Lines of the fields inside ``hints=Hints(...)`` and ``listings=(Listing(...), ...)``."""
    if keyword.arg not in _NESTED:
        return
    for node in ast.walk(keyword.value):
        if isinstance(node, ast.Call) and _call_class(node) == _NESTED[keyword.arg]:
            for inner in node.keywords:
                if inner.arg:
                    loaded.lines.setdefault(f"{keyword.arg}.{inner.arg}", inner.lineno)


def _syntax_problem(loaded: LoadedFile, exc: SyntaxError) -> Problem:
    repeated = re.match(r"keyword argument repeated: (\w+)", str(exc.msg))
    if repeated:
        return loaded.problem(repeated.group(1), "given twice", exc.lineno)
    return loaded.problem("", f"syntax error: {exc.msg}", exc.lineno)


def _run(loaded: LoadedFile, text: str, module_name: str) -> ModuleType | None:
    """Run the file as a module; an exception becomes a problem at the line that raised."""
    spec = importlib.util.spec_from_file_location(module_name, loaded.path)
    if spec is None or spec.loader is None:
        loaded.problems.append(loaded.problem("", "cannot be loaded as a Python module"))
        return None
    module = importlib.util.module_from_spec(spec)
    try:
        exec(compile(text, str(loaded.path), "exec"), module.__dict__)  # noqa: S102
    except SyntaxError as exc:  # found by the compiler, not the parser
        loaded.problems.append(_syntax_problem(loaded, exc))
        return None
    except Exception as exc:  # a source file may raise anything: report it, never crash
        frames = [
            f for f in traceback.extract_tb(exc.__traceback__) if f.filename == str(loaded.path)
        ]
        line = frames[-1].lineno if frames else None
        message = str(exc).splitlines()[0] if str(exc) else ""
        loaded.problems.append(
            loaded.problem("", f"raises {type(exc).__name__}: {message}".rstrip(": "), line)
        )
        return None
    return module


def _find_source(loaded: LoadedFile, module: ModuleType) -> None:
    """Take ``SOURCE``; explain when the file defines none, or names its Source otherwise."""
    value = getattr(module, "SOURCE", None)
    if isinstance(value, Source):
        loaded.source = value
        return
    if value is not None:
        loaded.problems.append(
            loaded.problem("SOURCE", f"is a {type(value).__name__}, not a Source(...)")
        )
        return
    for name, other in vars(module).items():
        items = other if isinstance(other, list | tuple) else (other,)
        if not name.startswith("_") and any(isinstance(item, Source) for item in items):
            loaded.problems.append(
                loaded.problem(
                    "",
                    f"defines no `SOURCE`: its Source is named `{name}` (rename it `SOURCE`; "
                    "one source per file)",
                    loaded.lines.get(""),
                )
            )
            return
    loaded.problems.append(loaded.problem("", "defines no source (`SOURCE = Source(...)`)"))


def load_file(path: Path, module_name: str | None = None) -> LoadedFile:
    """Read, check the fields of and run one source file. Never raises for its content."""
    loaded = LoadedFile(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        loaded.problems.append(loaded.problem("", f"cannot be read: {exc}"))
        return loaded
    try:
        tree = ast.parse(text, filename=str(path))
    except SyntaxError as exc:
        loaded.problems.append(_syntax_problem(loaded, exc))
        return loaded
    _read_tree(loaded, tree)
    if loaded.problems:  # running it would only raise a TypeError about the same fields
        return loaded
    name = module_name or "corpus_sources_" + re.sub(r"\W", "_", path.stem)
    module = _run(loaded, text, name)
    if module is not None:
        _find_source(loaded, module)
        if loaded.source is not None:
            loaded.module = module
            sys.modules.setdefault(name, module)
    return loaded
