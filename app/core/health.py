"""Liveness (`/healthz`) and readiness (`/readyz`: the database answers)."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Process is alive", operation_id="health:live")
async def live() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz", summary="Database is reachable", operation_id="health:ready")
async def ready(request: Request) -> JSONResponse:
    """Ready when a trivial query succeeds."""
    try:
        async with request.app.state.sessionmaker() as session:
            await session.execute(text("SELECT 1"))
    except Exception as exc:  # any failure means not ready; report it, never crash
        return JSONResponse(
            {"status": "unavailable", "database": type(exc).__name__}, status_code=503
        )
    return JSONResponse({"status": "ok", "database": "ok"})
