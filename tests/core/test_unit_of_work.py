"""The request unit of work: commit or roll back, and side effects only after a commit."""

import pytest
from fastapi import BackgroundTasks
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.models import Organisation
from app.core.db import after_commit, unit_of_work
from app.core.errors import Conflict, Unauthorized
from tests.factories import create_organisation


class KeepWrites(Unauthorized):
    keep_writes = True


async def test_effects_run_after_a_successful_commit(session: AsyncSession) -> None:
    ran: list[str] = []
    async with unit_of_work(session):
        await create_organisation(session, name_vi="Viện Đo lường")

        async def effect() -> None:
            ran.append("mail")

        after_commit(session, effect)
        assert ran == []  # not before the commit
    assert ran == ["mail"]


async def test_a_failed_request_rolls_back_and_drops_its_effects(session: AsyncSession) -> None:
    ran: list[str] = []

    async def effect() -> None:
        ran.append("mail")

    with pytest.raises(Conflict):  # noqa: PT012 - the error must escape the unit of work
        async with unit_of_work(session):
            await create_organisation(session, name_vi="Viện bị hủy")
            after_commit(session, effect)
            raise Conflict("nope")
    assert (
        await session.scalar(select(Organisation).where(Organisation.name_vi == "Viện bị hủy"))
        is None
    )
    # The next successful unit of work must not run the failed one's effects either.
    async with unit_of_work(session):
        pass
    assert ran == []


async def test_keep_writes_errors_commit_what_was_written(session: AsyncSession) -> None:
    with pytest.raises(KeepWrites):  # noqa: PT012 - as above
        async with unit_of_work(session):
            await create_organisation(session, name_vi="Lần đăng nhập sai")
            raise KeepWrites()
    saved = await session.scalar(
        select(Organisation).where(Organisation.name_vi == "Lần đăng nhập sai")
    )
    assert saved is not None


async def test_deferred_effects_are_awaited_by_background_tasks(session: AsyncSession) -> None:
    ran: list[str] = []

    async def effect() -> None:
        ran.append("mail")

    background = BackgroundTasks()
    async with unit_of_work(session, background):
        after_commit(session, lambda: effect())  # a lambda returning a coroutine
    assert ran == []  # deferred until after the response
    await background()
    assert ran == ["mail"]
