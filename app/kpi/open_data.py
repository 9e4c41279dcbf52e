"""Open data: the public fields of every published listing, streamed as CSV or JSON.

Rows come from a server-side cursor and leave in chunks, so a catalogue of 100,000 listings
never sits in memory. Only the fields of `OpenListing` are read (the query names them one by
one): never the process summary, confidential detail, pending changes or who created a listing.
"""

import csv
import io
from collections.abc import AsyncIterator
from typing import Any

from app.kpi import exports
from app.kpi import schemas as s

OPEN_FIELDS = list(s.OpenListing.model_fields)


def _open_cell(value: Any) -> exports.Cell:
    """A JSON-mode value as a CSV cell: lists of codes joined by ";"."""
    return ";".join(value) if isinstance(value, list) else exports.csv_cell(value)


async def open_listings_csv(
    rows: AsyncIterator[dict[str, Any]], batch: int = 500
) -> AsyncIterator[str]:
    """Header, then the rows in chunks of `batch` as the cursor yields them."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(OPEN_FIELDS)
    yield exports.BOM + out.getvalue()
    pending = 0
    out.seek(0)
    out.truncate()
    async for row in rows:
        item = s.OpenListing.model_validate(row).model_dump(mode="json")
        writer.writerow([_open_cell(item[f]) for f in OPEN_FIELDS])
        pending += 1
        if pending == batch:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
            pending = 0
    if pending:
        yield out.getvalue()


async def open_listings_json(
    rows: AsyncIterator[dict[str, Any]], batch: int = 500
) -> AsyncIterator[str]:
    """A JSON array, sent `batch` items at a time as the cursor yields them."""
    items: list[str] = []
    separator = "["  # before the first chunk; "," before every later one
    async for row in rows:
        items.append(s.OpenListing.model_validate(row).model_dump_json())
        if len(items) == batch:
            yield separator + ",".join(items)
            separator, items = ",", []
    if items:
        yield separator + ",".join(items)
        separator = ","
    yield "[]" if separator == "[" else "]"
