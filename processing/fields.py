"""Field guards: a failure while reading one field leaves it empty and is recorded, not raised.

One bad value on a page (a placeholder date that overflows a zone conversion, a JSON-LD value
of the wrong type, a byline no rule expected) must not cost the whole article. Each field's
rule runs through :meth:`FieldErrors.run`; an exception gives the field's empty value and adds
``(field, rule, "ExceptionType: message")`` to the list the ``Article`` carries as
``field_errors``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

FieldError = tuple[str, str, str]  # (field, rule, "ExceptionType: message")

_MAX_MESSAGE = 300  # characters of the exception text kept


def describe(exc: BaseException) -> str:
    """An exception as one short line: its type and message."""
    text = " ".join(str(exc).split())
    if len(text) > _MAX_MESSAGE:
        text = text[: _MAX_MESSAGE - 1] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class FieldErrors:
    """The failures met while reading one page's fields, in the order they happened."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str, rule: str, exc: BaseException) -> None:
        """Record that ``rule`` failed while reading ``field``."""
        self.errors.append((field, rule, describe(exc)))

    def run(self, field: str, rule: str, fn: Callable[[], T], default: T) -> T:
        """``fn()``, or ``default`` (recording the failure) when it raises."""
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 - any failure of one field is recorded
            self.add(field, rule, exc)
            return default

    def extend(self, errors: list[FieldError] | tuple[FieldError, ...]) -> None:
        """Add failures recorded elsewhere (a picker that guards its own candidates)."""
        self.errors.extend(errors)

    def as_tuple(self) -> tuple[FieldError, ...]:
        """The failures, for ``Article.field_errors``."""
        return tuple(self.errors)
