"""Drafting contracts and checking their terms."""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.connections import lifecycle as connection_lifecycle
from app.connections import service as connection_service
from app.connections.models import ConnectionStatus
from app.connections.rules import can_take_part
from app.contracts import notices, repository, rules
from app.contracts.exceptions import (
    ConnectionNotReady,
    ContractIncomplete,
    ContractInvalid,
    ContractNotDraft,
    ContractNotFound,
    NotAManager,
)
from app.contracts.models import Contract, ContractStatus, PartnerDirection
from app.contracts.schemas import ContractCreate, ContractUpdate
from app.core import audit
from app.core.config import Settings
from app.core.errors import field_error
from app.listings import access as listing_access
from app.listings.taxonomy import check_codes

CONTRACTABLE = frozenset(
    {ConnectionStatus.accepted, ConnectionStatus.in_negotiation, ConnectionStatus.contracted}
)
TERM_FIELDS = tuple(ContractUpdate.model_fields)
AUDITED = (*TERM_FIELDS, "supplier_organisation_id", "buyer_organisation_id", "connection_id")


async def get(session: AsyncSession, principal: Principal, contract_id: uuid.UUID) -> Contract:
    contract = await repository.get_readable(session, principal, contract_id)
    if contract is None:
        raise ContractNotFound(f"Contract {contract_id} does not exist or is not visible to you.")
    return contract


def snapshot(contract: Contract) -> dict[str, Any]:
    return {f: getattr(contract, f) for f in AUDITED}


async def check_terms(session: AsyncSession, terms: dict[str, Any]) -> list[dict[str, Any]]:
    """Every problem with the terms as they would stand (codes, licence, royalty, dates)."""
    body = "body"
    errors = await check_codes(
        session, "contract_type", [terms["contract_type"]], [body, "contract_type"]
    )
    type_known = not errors  # with an unknown type, licence checks would only be noise
    errors += await check_codes(session, "contract_form", [terms.get("form")], [body, "form"])
    errors += await check_codes(
        session, "transfer_method", terms.get("methods") or [], [body, "methods"]
    )
    errors += await check_codes(session, "sector", [terms.get("sector")], [body, "sector"])
    errors += await check_codes(
        session, "vsic_section", [terms.get("vsic_section")], [body, "vsic_section"]
    )
    if type_known and terms["contract_type"] not in rules.LICENCE_TYPES:
        for field in ("licence_territory", "sublicensing_allowed"):
            if terms.get(field) is not None:
                errors.append(field_error([body, field], "Only licences of use have this term."))
    royalty, pct = terms.get("payment_terms") in rules.ROYALTY_TERMS, terms.get("royalty_pct")
    if pct is not None and not royalty:
        msg = "A royalty percentage needs payment terms royalty or fee_plus_royalty."
        errors.append(field_error([body, "royalty_pct"], msg))
    start, end = terms.get("effective_date"), terms.get("end_date")
    if start and end and end < start:
        errors.append(field_error([body, "end_date"], "The end date is before the effective date."))
    return errors


def missing_for_signing(contract: Contract) -> list[dict[str, Any]]:
    """What a contract must state before it can be signed."""
    missing: list[str] = []
    if contract.value_vnd is None:
        missing.append("value_vnd")
    if contract.payment_terms is None:
        missing.append("payment_terms")
    elif contract.payment_terms in rules.ROYALTY_TERMS and contract.royalty_pct is None:
        missing.append("royalty_pct")
    if rules.is_technology_transfer(contract.contract_type):
        if contract.form is None:
            missing.append("form")
        if not contract.methods:
            missing.append("methods")
    if contract.contract_type in rules.LICENCE_TYPES:
        if contract.licence_territory is None:
            missing.append("licence_territory")
        if contract.sublicensing_allowed is None:
            missing.append("sublicensing_allowed")
    return [field_error(["body", f], "Required before signing.", "missing") for f in missing]


def require_complete(contract: Contract) -> None:
    errors = missing_for_signing(contract)
    if errors:
        names = ", ".join(e["loc"][-1] for e in errors)
        raise ContractIncomplete(f"Complete these terms first: {names}.", errors=errors)


def refresh_registration(contract: Contract) -> None:
    contract.registration_required = rules.registration_required(
        contract.contract_type, contract.partner_direction, contract.state_funded
    )


async def create(
    session: AsyncSession, settings: Settings, principal: Principal, data: ContractCreate
) -> Contract:
    """A draft, by a member of a party, the connection's broker, or staff."""
    parties, errors = await _parties(session, principal, data)
    terms = data.model_dump(include=set(TERM_FIELDS), exclude_none=True)
    errors += await check_terms(session, terms)
    if errors:
        raise ContractInvalid(errors=errors)
    contract = Contract(**terms, **parties, created_by_id=principal.user_id)
    contract.partner_direction = contract.partner_direction or PartnerDirection.domestic
    contract.state_funded = bool(contract.state_funded)
    contract.methods = contract.methods or []
    refresh_registration(contract)
    session.add(contract)
    await session.flush()
    await audit.record(
        session,
        principal,
        "contract.create",
        "contract",
        contract.id,
        changes=audit.diff({}, snapshot(contract)),
    )
    if contract.connection_id is not None:
        await connection_lifecycle.note_contract(
            session,
            principal,
            contract.connection_id,
            contract.id,
            f"Contract drafted: {contract.title}",
        )
    others = [o for o in _party_orgs(contract) if not principal.is_member(o)]
    await notices.tell(session, settings, contract, others, "contract.to_sign")
    return contract


def _party_orgs(contract: Contract) -> list[uuid.UUID]:
    return [contract.supplier_organisation_id, contract.buyer_organisation_id]


async def _parties(
    session: AsyncSession, principal: Principal, data: ContractCreate
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if data.connection_id is not None:
        return await _parties_from_connection(session, principal, data)
    errors = []
    supplier, buyer = data.supplier_organisation_id, data.buyer_organisation_id
    for name, value in (("supplier_organisation_id", supplier), ("buyer_organisation_id", buyer)):
        if value is None:
            errors.append(field_error(["body", name], "Name both parties, or a connection_id."))
    if supplier is not None and supplier == buyer:
        errors.append(field_error(["body", "buyer_organisation_id"], "The parties must differ."))
    member = any(o is not None and principal.is_member(o) for o in (supplier, buyer))
    if not (member or principal.is_broker or principal.is_operator_staff):
        raise NotAManager("Draft contracts for your own organisation, or as a broker or staff.")
    if data.listing_id is not None:
        listing = await listing_access.get_readable(session, principal, data.listing_id)
        if listing.organisation_id != supplier:
            msg = "The listing belongs to another organisation than the supplier."
            errors.append(field_error(["body", "listing_id"], msg))
    broker = principal.user_id if principal.is_broker and not member else None
    parties = {
        "supplier_organisation_id": supplier,
        "buyer_organisation_id": buyer,
        "listing_id": data.listing_id,
        "need_id": data.need_id,
        "broker_user_id": broker,
    }
    return parties, errors


async def _parties_from_connection(
    session: AsyncSession, principal: Principal, data: ContractCreate
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    assert data.connection_id is not None
    connection = await connection_service.get(session, principal, data.connection_id)
    if not can_take_part(principal, connection):
        raise NotAManager("Only the parties, the assigned broker or staff draft its contracts.")
    if connection.status not in CONTRACTABLE:
        raise ConnectionNotReady(f"The connection is {connection.status.value}, not accepted.")
    errors = []
    given = {
        "supplier_organisation_id": (
            data.supplier_organisation_id,
            connection.supplier_organisation_id,
        ),
        "buyer_organisation_id": (data.buyer_organisation_id, connection.seeker_organisation_id),
    }
    for name, (value, expected) in given.items():
        if value is not None and value != expected:
            errors.append(field_error(["body", name], "Differs from the connection's party."))
    parties = {
        "connection_id": connection.id,
        "supplier_organisation_id": connection.supplier_organisation_id,
        "buyer_organisation_id": connection.seeker_organisation_id,
        "listing_id": data.listing_id or connection.listing_id,
        "need_id": data.need_id or connection.need_id,
        "broker_user_id": connection.broker_user_id,
    }
    return parties, errors


async def update(
    session: AsyncSession,
    settings: Settings,
    principal: Principal,
    contract: Contract,
    data: ContractUpdate,
) -> Contract:
    """Change a draft; a signature given on the old terms is withdrawn."""
    await repository.lock(session, contract)
    if contract.status is not ContractStatus.draft:
        raise ContractNotDraft(f"The contract is {contract.status.value}.")
    changes = data.model_dump(exclude_unset=True)
    terms = {f: getattr(contract, f) for f in TERM_FIELDS} | changes
    errors = await check_terms(session, terms)
    if changes.get("contract_type", "") is None or changes.get("title", "") is None:
        errors.append(field_error(["body"], "title and contract_type cannot be emptied."))
    if errors:
        raise ContractInvalid(errors=errors)
    before = snapshot(contract)
    for field, value in changes.items():
        setattr(contract, field, [] if field == "methods" and value is None else value)
    refresh_registration(contract)
    signed_before = bool(changes) and bool(contract.supplier_signed_at or contract.buyer_signed_at)
    if signed_before:
        contract.supplier_signed_at = contract.supplier_signed_by_id = None
        contract.buyer_signed_at = contract.buyer_signed_by_id = None
    await audit.record(
        session,
        principal,
        "contract.update",
        "contract",
        contract.id,
        changes=audit.diff(before, snapshot(contract)),
    )
    if signed_before:
        await notices.tell(
            session,
            settings,
            contract,
            _party_orgs(contract),
            "contract.to_sign",
            "The terms changed; the earlier signature was withdrawn.",
        )
    return contract
