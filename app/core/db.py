"""Database plumbing: declarative base, engine, and the request-scoped session."""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import BackgroundTasks, Depends, Request
from sqlalchemy import DateTime, MetaData, func
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.core.errors import AppError

# Fixed before the first migration so every constraint has a predictable name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: DateTime(timezone=True)}


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(
        nullable=False, default=utcnow, server_default=func.now(), index=True
    )
    updated_at: Mapped[datetime] = mapped_column(
        nullable=False, default=utcnow, onupdate=utcnow, server_default=func.now()
    )


class Model(IdMixin, TimestampMixin, Base):
    """Abstract base for domain rows: UUID id + created/updated times."""

    __abstract__ = True


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    return create_async_engine(url, pool_pre_ping=True, **kwargs)


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


AfterCommit = Callable[[], Awaitable[None]]


def after_commit(session: AsyncSession, callback: AfterCommit) -> None:
    """Queue a side effect (mail, index) to run only once the request's writes are committed."""
    session.info.setdefault("after_commit", []).append(callback)


async def run_after_commit(session: AsyncSession) -> None:
    callbacks: list[AfterCommit] = session.info.pop("after_commit", [])
    for callback in callbacks:
        await callback()


@asynccontextmanager
async def unit_of_work(
    session: AsyncSession, background: BackgroundTasks | None = None
) -> AsyncIterator[AsyncSession]:
    """Commit when the block succeeds, roll back when it raises, then run after-commit effects.

    With `background`, the effects run after the response is sent: a mail sent only when an
    account exists must not make that response slower (it would reveal the account).
    An `AppError` with `keep_writes` (a failed login that must count toward throttling) still
    commits what was written before it was raised.
    """
    try:
        yield session
    except AppError as exc:
        # Effects queued by a failed request must never run (nor leak into a later commit).
        session.info.pop("after_commit", None)
        if exc.keep_writes:
            await session.commit()
        else:
            await session.rollback()
        raise
    except BaseException:
        session.info.pop("after_commit", None)
        await session.rollback()
        raise
    else:
        await session.commit()
    if background is None:
        await run_after_commit(session)
    else:
        for callback in session.info.pop("after_commit", []):
            background.add_task(_run, callback)


async def _run(callback: AfterCommit) -> None:
    # Callbacks may be lambdas returning coroutines, which Starlette would not await.
    await callback()


async def get_session(request: Request, background: BackgroundTasks) -> AsyncIterator[AsyncSession]:
    """One session and one transaction per request."""
    maker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with maker() as session, unit_of_work(session, background):
        yield session


# scope="function": commit before the response is sent, so a client never sees success for
# writes that then failed to commit.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


def str_enum(enum_cls: type, name: str) -> Any:
    """A VARCHAR + CHECK column for a Python StrEnum (no native PG enum: values change by law)."""
    from sqlalchemy import Enum as SAEnum

    return SAEnum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=40,
        values_callable=lambda e: [m.value for m in e],
    )
