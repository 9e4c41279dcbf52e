"""create_app(): routers, error handlers, middleware, database lifecycle."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute

from app import api
from app.core import health
from app.core.config import Settings, get_settings
from app.core.db import create_engine, create_sessionmaker
from app.core.errors import install_error_handlers
from app.core.logging import RequestLogMiddleware


def _operation_id(route: APIRoute) -> str:
    return f"{route.tags[0]}:{route.name}" if route.tags else route.name


def create_app(settings: Settings | None = None, *, manage_database: bool = True) -> FastAPI:
    """Build the ASGI app. Tests pass `manage_database=False` and provide their own sessions."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if not manage_database:
            yield
            return
        from app.core.database import resolve_database_url

        engine = create_engine(resolve_database_url(settings))
        app.state.engine = engine
        app.state.sessionmaker = create_sessionmaker(engine)
        yield
        await engine.dispose()

    app = FastAPI(
        title="techx — Sàn giao dịch công nghệ TP.HCM",
        summary="HCMC Technology Exchange API",
        version="0.1.0",
        openapi_url="/api/v1/openapi.json",
        docs_url="/docs",
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.add_middleware(RequestLogMiddleware)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    app.include_router(health.router)
    app.include_router(api.router)
    return app
