"""Controlled vocabularies (sectors, TRL labels, IP types…): lookups, code checks, operator edits.

The terms live in `vocabulary_terms` (seeded by a data migration) because the laws behind them
change; other domains validate their codes with `check_codes` instead of hard-coded lists.
"""

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.principal import Principal
from app.core import audit
from app.core.errors import Conflict, NotFound, ValidationFailed, field_error
from app.listings.models import VocabularyTerm
from app.listings.schemas_taxonomy import TermCreate, TermUpdate

# Same namespace as the seeding migration: a term's id is uuid5("<vocabulary>:<code>").
TERM_NAMESPACE = uuid.UUID("6f1d3c2a-5b1e-4c55-9a51-7e0c5b10e003")

# Up to this many codes, an error message lists the allowed ones (VSIC has 21).
_LIST_ALLOWED_UP_TO = 25


class VocabularyNotFound(NotFound):
    title = "Vocabulary not found"


class TermNotFound(NotFound):
    title = "Vocabulary term not found"


class TermExists(Conflict):
    title = "Vocabulary term already exists"


def term_id(vocabulary: str, code: str) -> uuid.UUID:
    return uuid.uuid5(TERM_NAMESPACE, f"{vocabulary}:{code}")


def _ordered() -> Any:
    return select(VocabularyTerm).order_by(
        VocabularyTerm.vocabulary, VocabularyTerm.sort_order, VocabularyTerm.code
    )


async def list_terms(
    session: AsyncSession, vocabulary: str | None = None, *, include_inactive: bool = False
) -> Sequence[VocabularyTerm]:
    stmt = _ordered()
    if vocabulary is not None:
        stmt = stmt.where(VocabularyTerm.vocabulary == vocabulary)
    if not include_inactive:
        stmt = stmt.where(VocabularyTerm.active.is_(True))
    return (await session.scalars(stmt)).all()


async def vocabulary_exists(session: AsyncSession, vocabulary: str) -> bool:
    stmt = select(VocabularyTerm.id).where(VocabularyTerm.vocabulary == vocabulary).limit(1)
    return (await session.scalar(stmt)) is not None


async def get_vocabulary(
    session: AsyncSession, vocabulary: str, *, include_inactive: bool = False
) -> Sequence[VocabularyTerm]:
    """The terms of one vocabulary; 404 when no such vocabulary exists."""
    if not await vocabulary_exists(session, vocabulary):
        raise VocabularyNotFound(f"There is no vocabulary '{vocabulary}'.")
    return await list_terms(session, vocabulary, include_inactive=include_inactive)


def grouped(terms: Iterable[VocabularyTerm]) -> dict[str, list[VocabularyTerm]]:
    groups: dict[str, list[VocabularyTerm]] = {}
    for term in terms:
        groups.setdefault(term.vocabulary, []).append(term)
    return groups


async def labels(session: AsyncSession, vocabulary: str) -> dict[str, tuple[str, str]]:
    """code -> (label_vi, label_en), inactive terms included so old records still read well."""
    terms = await list_terms(session, vocabulary, include_inactive=True)
    return {t.code: (t.label_vi, t.label_en) for t in terms}


async def check_codes(
    session: AsyncSession, vocabulary: str, codes: Iterable[str | None], loc: Sequence[str | int]
) -> list[dict[str, Any]]:
    """One field error per unknown or retired code; an empty list when every code is valid."""
    wanted = list(dict.fromkeys(c for c in codes if c is not None))
    if not wanted:
        return []
    terms = await list_terms(session, vocabulary, include_inactive=True)
    active = [t.code for t in terms if t.active]
    retired = {t.code for t in terms if not t.active}
    allowed = f" Allowed: {', '.join(active)}." if 0 < len(active) <= _LIST_ALLOWED_UP_TO else ""
    errors = []
    for code in wanted:
        if code in retired:
            msg = f"'{code}' is no longer in use in the vocabulary {vocabulary}.{allowed}"
            errors.append(field_error(list(loc), msg, "inactive_code"))
        elif code not in active:
            msg = f"'{code}' is not a code of the vocabulary {vocabulary}.{allowed}"
            errors.append(field_error(list(loc), msg, "unknown_code"))
    return errors


async def get_term(session: AsyncSession, vocabulary: str, code: str) -> VocabularyTerm:
    stmt = select(VocabularyTerm).where(
        VocabularyTerm.vocabulary == vocabulary, VocabularyTerm.code == code
    )
    term = await session.scalar(stmt)
    if term is None:
        await get_vocabulary(session, vocabulary)  # a clearer 404 for a wrong vocabulary
        raise TermNotFound(f"The vocabulary {vocabulary} has no code '{code}'.")
    return term


async def _check_parent(session: AsyncSession, vocabulary: str, parent: str | None) -> None:
    if parent is None:
        return
    errors = await check_codes(session, vocabulary, [parent], ["body", "parent_code"])
    if errors:
        raise ValidationFailed("The parent code is not a term of this vocabulary.", errors=errors)


async def add_term(
    session: AsyncSession, principal: Principal, vocabulary: str, data: TermCreate
) -> VocabularyTerm:
    """Add a term to an existing vocabulary (operators cannot invent vocabularies)."""
    await get_vocabulary(session, vocabulary)
    if await session.get(VocabularyTerm, term_id(vocabulary, data.code)) is not None:
        raise TermExists(f"The vocabulary {vocabulary} already has the code '{data.code}'.")
    await _check_parent(session, vocabulary, data.parent_code)
    term = VocabularyTerm(
        id=term_id(vocabulary, data.code), vocabulary=vocabulary, active=True, **data.model_dump()
    )
    session.add(term)
    await session.flush()
    await audit.record(
        session, principal, "taxonomy.term_create", "vocabulary_term", term.id,
        changes=audit.diff({}, {"vocabulary": vocabulary, **data.model_dump()}),
    )  # fmt: skip
    return term


async def update_term(
    session: AsyncSession, principal: Principal, vocabulary: str, code: str, data: TermUpdate
) -> VocabularyTerm:
    """Relabel, reorder or retire a term; codes stay, so records that use them stay valid."""
    term = await get_term(session, vocabulary, code)
    changes = data.model_dump(exclude_unset=True)
    before = {field: getattr(term, field) for field in changes}
    for field, value in changes.items():
        setattr(term, field, value)
    await session.flush()
    await audit.record(
        session, principal, "taxonomy.term_update", "vocabulary_term", term.id,
        changes=audit.diff(before, changes),
    )  # fmt: skip
    return term
