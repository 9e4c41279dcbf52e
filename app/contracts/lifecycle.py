"""Signing and the life of a contract: draft → signed → in_execution → completed | terminated.

Signing needs both parties' organisations (each member signs for their side), or a broker or
staff member recording the signed document. Signing fixes the signed date, decides whether the
contract must be registered (and by when), and moves its connection to `contracted`.
"""

from datetime import date, datetime, timedelta, timezone
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.connections import lifecycle as connection_lifecycle
from app.contracts import notices, repository, rules
from app.contracts.exceptions import (
    AlreadyRegistered,
    AlreadySigned,
    ContractInvalid,
    ContractNotDraft,
    ContractTransitionNotAllowed,
    NotAManager,
    NotAParty,
)
from app.contracts.models import Contract, ContractStatus
from app.contracts.service import refresh_registration, require_complete, snapshot
from app.core import audit
from app.core.config import Settings
from app.core.db import utcnow
from app.core.errors import field_error

VIETNAM = timezone(timedelta(hours=7))
Party = Literal["supplier", "buyer"]


def today_in_vietnam() -> date:
    """Legal dates (signing, registration) are Vietnamese calendar days."""
    return datetime.now(VIETNAM).date()


def _sides(principal: Principal, contract: Contract) -> set[Party]:
    sides: set[Party] = set()
    if principal.is_member(contract.supplier_organisation_id):
        sides.add("supplier")
    if principal.is_member(contract.buyer_organisation_id):
        sides.add("buyer")
    return sides


async def sign(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    contract: Contract,
    side: Party | None,
) -> Contract:
    """A member signs for their organisation's side; the second signature seals the contract."""
    await repository.lock(session, contract)
    if contract.status is not ContractStatus.draft:
        raise ContractNotDraft(f"The contract is already {contract.status.value}.")
    mine = _sides(principal, contract)
    if side is not None:
        mine &= {side}
    if not mine or principal.user_id is None:
        raise NotAParty("Only a member of a party's organisation signs for that party.")
    unsigned = {s for s in mine if getattr(contract, f"{s}_signed_at") is None}
    if not unsigned:
        raise AlreadySigned()
    require_complete(contract)
    now = utcnow()
    for s in unsigned:
        setattr(contract, f"{s}_signed_at", now)
        setattr(contract, f"{s}_signed_by_id", principal.user_id)
    await audit.record(
        session,
        principal,
        "contract.sign",
        "contract",
        contract.id,
        changes={"signed_by": [None, sorted(unsigned)]},
    )
    if contract.supplier_signed_at and contract.buyer_signed_at:
        await _seal(session, settings, principal, contract, today_in_vietnam())
    else:
        waiting = [
            contract.supplier_organisation_id
            if contract.supplier_signed_at is None
            else contract.buyer_organisation_id
        ]
        await notices.tell(session, settings, contract, waiting, "contract.to_sign")
    return contract


async def record_signed(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    contract: Contract,
    signed_date: date,
) -> Contract:
    """A broker or staff records a contract signed on paper (the document is stored with it)."""
    if not (principal.is_broker or principal.is_operator_staff):
        raise NotAManager("Only brokers and operator staff record a signed document.")
    await repository.lock(session, contract)
    if contract.status is not ContractStatus.draft:
        raise ContractNotDraft(f"The contract is already {contract.status.value}.")
    if signed_date > today_in_vietnam():
        msg = "The signing date cannot be in the future."
        raise ContractInvalid(errors=[field_error(["body", "signed_date"], msg)])
    require_complete(contract)
    contract.recorded_by_broker, contract.recorded_by_id = True, principal.user_id
    await _seal(session, settings, principal, contract, signed_date)
    return contract


async def _seal(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    contract: Contract,
    signed: date,
) -> None:
    before = snapshot(contract) | {"status": contract.status}
    contract.status, contract.signed_date = ContractStatus.signed, signed
    refresh_registration(contract)
    contract.registration_deadline = (
        rules.registration_deadline(signed) if contract.registration_required else None
    )
    after = snapshot(contract) | {
        "status": contract.status,
        "registration_deadline": contract.registration_deadline,
    }
    changes = audit.diff(before, after)
    await audit.record(
        session, principal, "contract.signed", "contract", contract.id, changes=changes
    )
    if contract.connection_id is not None:
        await connection_lifecycle.mark_contracted(
            session, settings, principal, contract.connection_id, contract.id
        )
    extra = None
    if contract.registration_deadline is not None:
        extra = (
            f"Registration with the S&T authority is required by "
            f"{contract.registration_deadline.isoformat()}."
        )
    await notices.tell(
        session,
        settings,
        contract,
        [contract.supplier_organisation_id, contract.buyer_organisation_id],
        "contract.signed",
        extra,
        broker=contract.broker_user_id,
    )


async def _move(
    session: AsyncSession,
    principal: Principal,
    contract: Contract,
    allowed: tuple[ContractStatus, ...],
    to: ContractStatus,
    action: str,
) -> str:
    await repository.lock(session, contract)
    if contract.status not in allowed:
        raise ContractTransitionNotAllowed(
            f"A {contract.status.value} contract cannot become {to.value}."
        )
    before = contract.status.value
    contract.status = to
    await audit.record(
        session, principal, action, "contract", contract.id, changes={"status": [before, to.value]}
    )
    return before


async def start_execution(
    session: AsyncSession, principal: Principal, contract: Contract
) -> Contract:
    await _move(
        session,
        principal,
        contract,
        (ContractStatus.signed,),
        ContractStatus.in_execution,
        "contract.start_execution",
    )
    contract.execution_started_at = utcnow()
    return contract


async def complete(session: AsyncSession, principal: Principal, contract: Contract) -> Contract:
    await _move(
        session,
        principal,
        contract,
        (ContractStatus.in_execution,),
        ContractStatus.completed,
        "contract.complete",
    )
    contract.completed_at = utcnow()
    return contract


async def terminate(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    contract: Contract,
    reason: str,
) -> Contract:
    """A signed contract ended early; it still counts (it was signed)."""
    await _move(
        session,
        principal,
        contract,
        (ContractStatus.signed, ContractStatus.in_execution),
        ContractStatus.terminated,
        "contract.terminate",
    )
    contract.terminated_at, contract.terminated_reason = utcnow(), reason
    if contract.connection_id is not None:
        await connection_lifecycle.note_contract(
            session,
            principal,
            contract.connection_id,
            contract.id,
            f"Contract terminated: {reason}",
        )
    others = [
        o
        for o in (contract.supplier_organisation_id, contract.buyer_organisation_id)
        if not principal.is_member(o)
    ]
    await notices.tell(session, settings, contract, others, "contract.terminated", reason)
    return contract


async def register(
    session: AsyncSession,
    principal: Principal,
    contract: Contract,
    certificate_number: str,
    certificate_date: date,
) -> Contract:
    """Record the S&T authority's registration certificate."""
    await repository.lock(session, contract)
    if contract.status in (ContractStatus.draft, ContractStatus.terminated):
        raise ContractTransitionNotAllowed(f"A {contract.status.value} contract is not registered.")
    if contract.registration_certificate_number is not None:
        raise AlreadyRegistered()
    assert contract.signed_date is not None
    if not contract.signed_date <= certificate_date <= today_in_vietnam():
        msg = "The certificate date lies between the signing date and today."
        raise ContractInvalid(errors=[field_error(["body", "certificate_date"], msg)])
    contract.registration_certificate_number = certificate_number
    contract.registration_certificate_date = certificate_date
    await audit.record(
        session,
        principal,
        "contract.register",
        "contract",
        contract.id,
        changes={
            "registration_certificate_number": [None, certificate_number],
            "registration_certificate_date": [None, certificate_date.isoformat()],
        },
    )
    return contract
