"""Where the database is: DATABASE_URL, or the embedded server; plus running migrations."""

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config

from app.core.config import Settings

log = logging.getLogger(__name__)


def _alembic_ini() -> Path:
    """The source tree's alembic.ini; for a non-editable install, the working directory's."""
    beside_source = Path(__file__).resolve().parents[2] / "alembic.ini"
    return beside_source if beside_source.exists() else Path.cwd() / "alembic.ini"


def resolve_database_url(settings: Settings) -> str:
    if settings.database_url:
        return settings.database_url
    from app.core import embedded_pg

    url = embedded_pg.start(settings.pgdata_dir)
    settings.database_url = url  # later callers in this process reuse the running server
    return url


def alembic_config(url: str, *, configure_logging: bool = True) -> Config:
    cfg = Config(str(_alembic_ini()))
    cfg.attributes["url"] = url
    cfg.attributes["configure_logging"] = configure_logging
    return cfg


def upgrade_to_head(url: str, *, configure_logging: bool = True) -> None:
    """Apply every migration; called by `techx migrate`, `techx serve` and the test session."""
    command.upgrade(alembic_config(url, configure_logging=configure_logging), "head")
