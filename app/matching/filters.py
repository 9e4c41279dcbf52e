"""Typed search filters as SQL conditions on the listings / needs tables (Postgres engine)."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, String, cast, false, or_, true
from sqlalchemy.dialects.postgresql import ARRAY

from app.matching.schemas import ListingFilters, NeedFilters
from app.matching.search_columns import LISTINGS, NEEDS

L, N = LISTINGS.c, NEEDS.c


def _any_of(column: Any, values: Sequence[Any]) -> ColumnElement[bool]:
    return column.in_([getattr(v, "value", v) for v in values]) if values else true()


def _overlaps(column: Any, values: Sequence[str]) -> ColumnElement[bool]:
    return column.overlap(cast(list(values), ARRAY(String))) if values else true()


def listing_conditions(f: ListingFilters) -> list[ColumnElement[bool]]:
    """A list matches any of its values (empty: no filter); NULL never satisfies a range."""
    conditions = [
        _any_of(L.status, f.status) if f.status else false(),
        _any_of(L.kind, f.kind),
        _any_of(L.tier, f.tier),
        _overlaps(L.sectors, f.sectors),
        _any_of(L.ip_status, f.ip_status),
        _any_of(L.source_exchange, f.source_exchange),
        _any_of(L.region, f.region),
        _any_of(L.organisation_id, f.organisation_id),
    ]
    if f.trl_min is not None:
        conditions.append(L.trl >= f.trl_min)
    if f.trl_max is not None:
        conditions.append(L.trl <= f.trl_max)
    if f.dossier_clear is not None:
        conditions.append(L.ip_dossier_clear.is_(f.dossier_clear))
    if f.price_min is not None:
        conditions.append(L.price_vnd >= f.price_min)
    if f.price_max is not None:
        conditions.append(L.price_vnd <= f.price_max)
    return conditions


def need_conditions(f: NeedFilters) -> list[ColumnElement[bool]]:
    """Like listings; `visibility` is the caller's audience, so an empty list shows nothing."""
    conditions = [
        _any_of(N.status, f.status) if f.status else false(),
        _any_of(N.visibility, f.visibility) if f.visibility else false(),
        _overlaps(N.sectors, f.sectors),
        _any_of(N.region, f.region),
        _any_of(N.source_exchange, f.source_exchange),
        _overlaps(N.transfer_forms, f.transfer_forms),
    ]
    if f.open_on is not None:
        conditions.append(or_(N.deadline.is_(None), N.deadline >= f.open_on))
    if f.min_trl_min is not None:
        conditions.append(N.min_trl >= f.min_trl_min)
    if f.min_trl_max is not None:
        conditions.append(N.min_trl <= f.min_trl_max)
    if f.accepts_trl is not None:
        conditions.append(or_(N.min_trl.is_(None), N.min_trl <= f.accepts_trl))
    if f.budget is not None:
        conditions.append(or_(N.budget_min_vnd.is_(None), N.budget_min_vnd <= f.budget))
        conditions.append(or_(N.budget_max_vnd.is_(None), N.budget_max_vnd >= f.budget))
    return conditions
