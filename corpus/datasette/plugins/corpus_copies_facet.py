"""The articles table's facet on near duplicates: how many rows are originals and how many
are near-duplicate copies (``near_dup_of`` set), each a link to Datasette's own filter.

Configured in metadata.yml as ``- copies: near_dup_of``; also ``?_facet_copies=near_dup_of``.
"Original" toggles ``near_dup_of__isnull=1`` and "near duplicate" ``near_dup_of__notnull=1``.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args

ORIGINAL = ("original", "__isnull")
COPY = ("near duplicate", "__notnull")


class CopiesFacet(Facet):
    """Originals and near duplicates among the rows shown, as a facet."""

    type = "copies"

    async def suggest(self) -> list:
        return []

    def _toggle(self, column: str, suffix: str, selected: bool) -> str:
        """Selected: without its filter; else with it, and without the other value's."""
        changes: dict[str, str | None] = {f"{column}{s}": None for _, s in (ORIGINAL, COPY)}
        if not selected:
            changes[f"{column}{suffix}"] = "1"
        path = path_with_added_args(self.request, changes)
        return self.ds.absolute_url(self.request, self.ds.urls.path(path))

    async def facet_results(self) -> tuple[list[dict], list[str]]:
        results, timed_out = [], []
        args = dict(self.get_querystring_pairs())
        for config in self.get_configs():
            column = config["config"].get("column") or config["config"]["simple"]
            sql = f"select count(*), count({escape_sqlite(column)}) from ({self.sql})"
            try:
                total, copies = (
                    await self.ds.execute(
                        self.database,
                        sql,
                        self.params,
                        custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                    )
                ).first()
            except QueryInterrupted:
                timed_out.append(column)
                continue
            values = []
            for (label, suffix), count in ((ORIGINAL, total - copies), (COPY, copies)):
                selected = args.get(f"{column}{suffix}") == "1"
                if count or selected:
                    values.append(
                        {
                            "value": label,
                            "label": label,
                            "count": count,
                            "toggle_url": self._toggle(column, suffix, selected),
                            "selected": selected,
                        }
                    )
            results.append(
                {
                    "name": column,
                    "type": self.type,
                    "results": values,
                    "hideable": config["source"] != "metadata",
                    "toggle_url": self.ds.urls.path(
                        path_with_removed_args(self.request, {"_facet_copies": column})
                    ),
                    "truncated": False,
                }
            )
        return results, timed_out


@hookimpl
def register_facet_classes() -> list[type[Facet]]:
    return [CopiesFacet]
