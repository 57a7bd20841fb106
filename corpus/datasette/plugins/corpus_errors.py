"""Quiet client errors: a 404 (or any 4xx) logs one line, not a ~75-line traceback.

Datasette's default exception handler prints every exception through ``rich`` with its local
variables, missing pages included, before it renders the error page. This plugin turns the
``rich`` printing off (Datasette still prints a plain traceback for server errors, 5xx) and logs
one line for each client error; Datasette's handler still renders the page or JSON.
"""

from __future__ import annotations

import logging

import datasette.handle_exception as default_handler
from datasette import hookimpl
from datasette.utils.asgi import Base400
from datasette.views.base import DatasetteError

log = logging.getLogger("corpus.web")

default_handler.rich = None  # the handler checks this module global before printing


def client_status(exception: Exception) -> int | None:
    """The 4xx status of a client error, None for anything else."""
    status = getattr(exception, "status", None)
    if isinstance(exception, Base400 | DatasetteError) and isinstance(status, int):
        return status if 400 <= status < 500 else None
    return None


@hookimpl
def handle_exception(datasette, request, exception):
    status = client_status(exception)
    if status is not None:
        message = exception.args[0] if exception.args else ""
        log.warning("%s %s %s: %s", status, request.method, request.full_path, message)
    return None  # Datasette's own handler renders the response
