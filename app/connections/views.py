"""Connections as one caller may see them.

The poster of an anonymous need stays hidden from a supplier answering it until the poster
accepts (the needs domain hides it everywhere else; a connection must not reveal it either).
"""

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.connections import repository, schemas
from app.connections.models import Connection, ConnectionStatus, Side
from app.connections.rules import is_assigned_broker, sides_of


def _may_hide(principal: Principal, connection: Connection) -> bool:
    return (
        connection.need_id is not None
        and connection.status is ConnectionStatus.requested
        and Side.seeker not in sides_of(principal, connection)
        and not principal.is_operator_staff
        and not is_assigned_broker(principal, connection)
    )


async def present(
    session: AsyncSession, principal: Principal, connections: Sequence[Connection]
) -> list[schemas.Connection]:
    candidates = {c.need_id for c in connections if c.need_id and _may_hide(principal, c)}
    anonymous = await repository.anonymous_needs(session, candidates)
    views = []
    for connection in connections:
        view = schemas.Connection.model_validate(connection)
        if connection.need_id in anonymous and _may_hide(principal, connection):
            view = view.model_copy(update={"seeker_organisation_id": None})
        views.append(view)
    return views


async def present_one(
    session: AsyncSession, principal: Principal, connection: Connection
) -> schemas.Connection:
    return (await present(session, principal, [connection]))[0]
