"""Load-or-404 dependencies for contract routes."""

import uuid
from typing import Annotated

from fastapi import Depends

from app.auth.dependencies import require_scopes
from app.auth.principal import Principal
from app.contracts import service
from app.contracts.models import Contract
from app.core.db import SessionDep

ContractReader = Annotated[Principal, Depends(require_scopes("contracts:read"))]
ContractWriter = Annotated[Principal, Depends(require_scopes("contracts:write"))]


async def readable_contract(
    contract_id: uuid.UUID, session: SessionDep, principal: ContractReader
) -> Contract:
    """A contract of the caller's organisations, brokered by them, or any for staff (else 404)."""
    return await service.get(session, principal, contract_id)


async def writable_contract(
    contract_id: uuid.UUID, session: SessionDep, principal: ContractWriter
) -> Contract:
    """The same set: whoever may see a contract manages it (parties, its broker, staff)."""
    return await service.get(session, principal, contract_id)


ReadableContract = Annotated[Contract, Depends(readable_contract)]
WritableContract = Annotated[Contract, Depends(writable_contract)]
