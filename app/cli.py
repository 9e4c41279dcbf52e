"""`techx` command line: serve, migrate, create-admin (more commands register below)."""

import asyncio
import logging

import click

from app.core.config import get_settings
from app.core.logging import configure_logging

log = logging.getLogger("techx.cli")


@click.group()
def main() -> None:
    """techx — Sàn giao dịch công nghệ TP.HCM."""
    configure_logging(get_settings().log_level)


def _database_url() -> str:
    from app.core.database import resolve_database_url

    return resolve_database_url(get_settings())


@main.command()
def migrate() -> None:
    """Apply all database migrations."""
    from app.core.database import upgrade_to_head

    upgrade_to_head(_database_url(), configure_logging=False)
    click.echo("database is at the newest revision")


@main.command()
@click.option("--host", default=None, help="Default: HOST setting (127.0.0.1)")
@click.option("--port", default=None, type=int, help="Default: PORT setting (8000)")
@click.option("--no-migrate", is_flag=True, help="Do not apply migrations first")
def serve(host: str | None, port: int | None, no_migrate: bool) -> None:
    """Migrate, seed demo data into an empty database, and serve the web app and API."""
    import uvicorn

    from app.core.database import upgrade_to_head
    from app.main import create_app

    settings = get_settings()
    url = _database_url()
    if not no_migrate:
        upgrade_to_head(url, configure_logging=False)
    _seed_demo_if_empty(settings)
    app = create_app(settings)
    uvicorn.run(app, host=host or settings.host, port=port or settings.port, log_config=None)


def _seed_demo_if_empty(settings: object) -> None:
    """First start of an empty database loads the demo data set (when the catalogue exists)."""
    try:
        from app.seed import demo
    except ImportError:
        return
    if getattr(settings, "seed_demo_on_first_start", False):
        asyncio.run(demo.seed_if_empty(_database_url()))


@main.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_admin(email: str, full_name: str, password: str) -> None:
    """Create (or promote) an operator admin, member of the operator organisation."""
    from app.auth.bootstrap import create_operator_admin

    user_id = asyncio.run(create_operator_admin(_database_url(), email, full_name, password))
    click.echo(f"operator admin ready: {email} ({user_id})")


if __name__ == "__main__":
    main()
