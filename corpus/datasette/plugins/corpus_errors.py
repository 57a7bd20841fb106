"""Quiet client errors: a 404 (or any 4xx) logs one line, not Datasette's ~75-line traceback.

Datasette's own handler prints every exception with its local variables (through ``rich``),
which buries real faults under missing pages. This plugin answers client errors itself, with
the same page or JSON Datasette would send, and leaves server errors (5xx) to Datasette.
"""

from __future__ import annotations

import logging

from datasette import hookimpl
from datasette.utils import add_cors_headers
from datasette.utils.asgi import Base400, Response
from datasette.views.base import DatasetteError
from markupsafe import Markup

log = logging.getLogger("corpus.web")


def _client_error(exception: Exception) -> tuple[int, str, dict, str | None] | None:
    """(status, message, extra info, title) of a 4xx error, None for anything else."""
    if isinstance(exception, Base400):
        return exception.status, str(exception.args[0]) if exception.args else "", {}, None
    if isinstance(exception, DatasetteError) and 400 <= exception.status < 500:
        message = exception.message
        if exception.message_is_html:
            message = Markup(message)
        return exception.status, message, dict(exception.error_dict), exception.title
    return None


@hookimpl
def handle_exception(datasette, request, exception):
    found = _client_error(exception)
    if found is None:
        return None
    status, message, info, title = found

    async def inner() -> Response:
        log.warning("%s %s %s: %s", status, request.method, request.full_path, message)
        info.update({"ok": False, "error": message, "status": status, "title": title})
        headers: dict[str, str] = {}
        if datasette.cors:
            add_cors_headers(headers)
        if request.path.endswith(".json"):
            return Response.json(info, status=status, headers=headers)
        template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
        context = dict(
            info,
            urls=datasette.urls,
            app_css_hash=datasette.app_css_hash(),
            menu_links=lambda: [],
        )
        return Response.html(await template.render_async(context), status=status, headers=headers)

    return inner
