"""One error hierarchy, rendered as RFC 9457 problem details (`application/problem+json`)."""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://techx.hcm.gov.vn/problems/"


class AppError(Exception):
    """Base of every expected error. Subclasses set status, slug and title."""

    status: int = 400
    slug: str = "bad-request"
    title: str = "Bad request"
    # Commit the request's writes even though it fails (e.g. a counted login failure).
    keep_writes: bool = False

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra

    def to_problem(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": PROBLEM_BASE + self.slug,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        if self.errors is not None:
            body["errors"] = self.errors
        body.update(self.extra)
        return body


class BadRequest(AppError):
    pass


class Unauthorized(AppError):
    status, slug, title = 401, "unauthorized", "Authentication required"

    def __init__(self, detail: str | None = None, **kw: Any) -> None:
        kw.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(detail, **kw)


class Forbidden(AppError):
    status, slug, title = 403, "forbidden", "Not allowed"


class NotFound(AppError):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(AppError):
    status, slug, title = 409, "conflict", "Conflict with the current state"


class PayloadTooLarge(AppError):
    status, slug, title = 413, "payload-too-large", "Payload too large"


class UnsupportedMediaType(AppError):
    status, slug, title = 415, "unsupported-media-type", "Unsupported media type"


class ValidationFailed(AppError):
    """Business validation of a whole object (e.g. submit with missing fields): 422 + errors[]."""

    status, slug, title = 422, "validation-failed", "Validation failed"


class TooManyRequests(AppError):
    status, slug, title = 429, "too-many-requests", "Too many requests"


class ServiceUnavailable(AppError):
    status, slug, title = 503, "service-unavailable", "Service temporarily unavailable"


def field_error(loc: list[str | int] | str, msg: str, type_: str = "value_error") -> dict[str, Any]:
    path = loc.split(".") if isinstance(loc, str) else list(loc)
    return {"loc": path, "field": ".".join(str(p) for p in path), "msg": msg, "type": type_}


def _problem(body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=body["status"], headers=headers, media_type=PROBLEM_JSON)


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return _problem(exc.to_problem(request.url.path), exc.headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [field_error([str(p) for p in e["loc"]], e["msg"], e["type"]) for e in exc.errors()]
    names = ", ".join(sorted({e["field"] for e in errors}))
    err = ValidationFailed(f"Invalid request: {names}", errors=errors)
    return _problem(err.to_problem(request.url.path))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    titles = {404: "Not found", 405: "Method not allowed", 401: "Authentication required"}
    body = {
        "type": "about:blank",
        "title": titles.get(exc.status_code, "HTTP error"),
        "status": exc.status_code,
        "detail": str(exc.detail),
        "instance": request.url.path,
    }
    return _problem(body, getattr(exc, "headers", None))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", extra={"path": request.url.path})
    body = {
        "type": PROBLEM_BASE + "internal-error",
        "title": "Internal server error",
        "status": 500,
        "detail": "An unexpected error occurred; it has been logged.",
        "instance": request.url.path,
    }
    return _problem(body)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)


# For `responses=` on routes, so OpenAPI documents the problem shape.
PROBLEM_SCHEMA = {
    "content": {
        PROBLEM_JSON: {
            "schema": {
                "type": "object",
                "properties": {
                    "type": {"type": "string"},
                    "title": {"type": "string"},
                    "status": {"type": "integer"},
                    "detail": {"type": "string"},
                    "errors": {"type": "array", "items": {"type": "object"}},
                },
            }
        }
    }
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        400: "Bad request",
        401: "Not signed in or token invalid",
        403: "Not allowed",
        404: "Not found or not visible to you",
        409: "Conflicts with the current state",
        413: "Payload too large",
        415: "Unsupported media type",
        422: "Validation failed",
        429: "Too many requests",
        503: "A backing service (e.g. the search engine) is unavailable",
    }
    return {s: {"description": descriptions[s], **PROBLEM_SCHEMA} for s in statuses}
