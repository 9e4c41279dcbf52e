"""Load-or-404 dependencies for connection routes."""

import uuid
from typing import Annotated

from fastapi import Depends

from app.auth.dependencies import require_scopes
from app.auth.principal import Principal
from app.connections import service
from app.connections.models import Connection
from app.core.db import SessionDep

ConnectionReader = Annotated[Principal, Depends(require_scopes("connections:read"))]
ConnectionWriter = Annotated[Principal, Depends(require_scopes("connections:write"))]


async def readable_connection(
    connection_id: uuid.UUID, session: SessionDep, principal: ConnectionReader
) -> Connection:
    """A connection the caller may see (404 otherwise)."""
    return await service.get(session, principal, connection_id)


async def writable_connection(
    connection_id: uuid.UUID, session: SessionDep, principal: ConnectionWriter
) -> Connection:
    """A connection the caller may see, for a write (whether they may act is the service's call)."""
    return await service.get(session, principal, connection_id)


ReadableConnection = Annotated[Connection, Depends(readable_connection)]
WritableConnection = Annotated[Connection, Depends(writable_connection)]
