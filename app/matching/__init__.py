"""Search and matching: the SearchEngine port, its Postgres and Meilisearch adapters, the outbox.

Importing the package registers the outbox hook (every Listing/Need change writes an outbox row)
and the generated search columns, so any process that touches search (the API, the worker, the
CLI) has them; app/models.py imports them too for Alembic.
"""

from app.matching import outbox as _outbox  # noqa: F401
from app.matching import search_columns as _search_columns  # noqa: F401
