"""Queries of the contracts domain; `readable_by` decides what a principal may see."""

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, false, or_, select, true
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.connections.models import Connection
from app.contracts.models import Contract, ContractDocument, ContractReminder, ContractStatus


def readable_by(principal: Principal) -> ColumnElement[bool]:
    """Parties, the contract's broker or the broker of its connection, and operator staff."""
    if principal.is_operator_staff:
        return true()
    conditions: list[ColumnElement[bool]] = []
    if principal.org_ids:
        conditions += [
            Contract.supplier_organisation_id.in_(principal.org_ids),
            Contract.buyer_organisation_id.in_(principal.org_ids),
        ]
    if principal.is_broker and principal.user_id is not None:
        brokered = select(Connection.id).where(Connection.broker_user_id == principal.user_id)
        conditions += [
            Contract.broker_user_id == principal.user_id,
            Contract.connection_id.in_(brokered),
        ]
    return or_(*conditions) if conditions else false()


async def get_readable(
    session: AsyncSession, principal: Principal, contract_id: uuid.UUID
) -> Contract | None:
    stmt = select(Contract).where(Contract.id == contract_id, readable_by(principal))
    return await session.scalar(stmt)


async def lock(session: AsyncSession, contract: Contract) -> Contract:
    """Re-read FOR UPDATE: two parties signing at once are applied one after the other."""
    await session.refresh(contract, with_for_update=True)
    return contract


def list_query(
    principal: Principal,
    *,
    status: ContractStatus | None = None,
    connection_id: uuid.UUID | None = None,
    contract_type: str | None = None,
) -> Select[Any]:
    stmt = select(Contract).where(readable_by(principal))
    if status is not None:
        stmt = stmt.where(Contract.status == status)
    if connection_id is not None:
        stmt = stmt.where(Contract.connection_id == connection_id)
    if contract_type is not None:
        stmt = stmt.where(Contract.contract_type == contract_type)
    return stmt.order_by(Contract.updated_at.desc(), Contract.id)


async def documents_of(session: AsyncSession, contract_id: uuid.UUID) -> Sequence[ContractDocument]:
    stmt = (
        select(ContractDocument)
        .where(ContractDocument.contract_id == contract_id)
        .order_by(ContractDocument.created_at, ContractDocument.id)
    )
    return (await session.scalars(stmt)).all()


async def get_document(
    session: AsyncSession, contract_id: uuid.UUID, document_id: uuid.UUID
) -> ContractDocument | None:
    stmt = select(ContractDocument).where(
        ContractDocument.id == document_id, ContractDocument.contract_id == contract_id
    )
    return await session.scalar(stmt)


async def registrations_due(session: AsyncSession, until: date) -> Sequence[Contract]:
    """Signed contracts that must register, have not, and whose deadline is on or before `until`."""
    stmt = (
        select(Contract)
        .where(
            Contract.registration_required.is_(True),
            Contract.registration_certificate_number.is_(None),
            Contract.status.in_(
                [ContractStatus.signed, ContractStatus.in_execution, ContractStatus.completed]
            ),
            Contract.registration_deadline <= until,
        )
        .order_by(Contract.registration_deadline, Contract.id)
    )
    return (await session.scalars(stmt)).all()


async def claim_reminder(
    session: AsyncSession, contract_id: uuid.UUID, kind: str, threshold: int
) -> bool:
    """Record that a reminder goes out; False when one already did (unique constraint)."""
    stmt = (
        insert(ContractReminder)
        .values(id=uuid.uuid4(), contract_id=contract_id, kind=kind, threshold_days=threshold)
        .on_conflict_do_nothing(index_elements=["contract_id", "kind", "threshold_days"])
        .returning(ContractReminder.id)
    )
    return (await session.execute(stmt)).scalar_one_or_none() is not None
