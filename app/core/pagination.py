"""`?page=&limit=` pagination returning `{items, pagination: {total_count, max_page}}`."""

import math
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")

MAX_LIMIT = 100


class PaginationParams(BaseModel):
    page: int = 1
    limit: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


def _pagination(
    page: Annotated[int, Query(ge=1, description="1-based page number")] = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")] = 20,
) -> PaginationParams:
    return PaginationParams(page=page, limit=limit)


PaginationDep = Annotated[PaginationParams, Depends(_pagination)]


class Pagination(BaseModel):
    total_count: int
    max_page: int


class Page(BaseModel, Generic[T]):
    items: list[T]
    pagination: Pagination

    @classmethod
    def build(cls, items: list[Any], total: int, params: PaginationParams) -> "Page[T]":
        max_page = max(1, math.ceil(total / params.limit))
        return cls(items=items, pagination=Pagination(total_count=total, max_page=max_page))


async def paginate(
    session: AsyncSession, statement: Select[Any], params: PaginationParams
) -> tuple[list[Any], int]:
    """Run `statement` for one page and count the whole result."""
    count = await session.scalar(
        select(func.count()).select_from(statement.order_by(None).subquery())
    )
    rows = await session.scalars(statement.limit(params.limit).offset(params.offset))
    return list(rows.unique().all()), int(count or 0)


def parse_sorting(sorting: list[str] | None, allowed: dict[str, Any], default: str) -> list[Any]:
    """Turn `?sorting=-created_at&sorting=title` into ORDER BY clauses, rejecting unknown keys."""
    from app.core.errors import ValidationFailed, field_error

    clauses = []
    for raw in sorting or [default]:
        desc = raw.startswith("-")
        key = raw.lstrip("-+")
        if key not in allowed:
            raise ValidationFailed(
                f"Unknown sort key '{key}'",
                errors=[
                    field_error(["query", "sorting"], f"allowed: {', '.join(sorted(allowed))}")
                ],
            )
        column = allowed[key]
        clauses.append(column.desc().nulls_last() if desc else column.asc().nulls_last())
    return clauses
