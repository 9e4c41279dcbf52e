"""Search API: published listings for everyone; needs as their visibility allows."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import ValidationError

from app.auth.dependencies import CurrentPrincipal, SettingsDep
from app.auth.principal import Principal
from app.core.db import SessionDep
from app.core.errors import ValidationFailed, field_error, problems
from app.listings.models import IPStatus, ListingKind, PyramidTier
from app.matching.engine import SearchEngine
from app.matching.factory import get_search_engine
from app.matching.schemas import (
    DEFAULT_LISTING_FACETS,
    DEFAULT_NEED_FACETS,
    LISTING_FACETS,
    LISTING_SORTS,
    MAX_LIMIT,
    NEED_FACETS,
    NEED_SORTS,
    ListingFilters,
    ListingQuery,
    NeedFilters,
    NeedQuery,
    SearchPage,
    SortKey,
)
from app.needs.models import NeedVisibility
from app.needs.repository import vn_today

router = APIRouter(prefix="/search", tags=["search"])


def _engine(settings: SettingsDep, session: SessionDep) -> SearchEngine:
    return get_search_engine(settings, session)


EngineDep = Annotated[SearchEngine, Depends(_engine)]
Text = Annotated[str, Query(max_length=200, description="Words, any accents; last word = prefix")]
Many = Annotated[list[str] | None, Query()]
Facets = Annotated[
    list[str] | None, Query(description="Facets to count: comma list or repeated parameter")
]
Page = Annotated[int, Query(ge=1)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Trl = Annotated[int | None, Query(ge=1, le=9)]
Money = Annotated[int | None, Query(ge=0, description="VND")]


def _facets(raw: list[str] | None, default: tuple[str, ...], allowed: tuple[str, ...]) -> list[str]:
    if raw is None:
        return list(default)
    names = [n.strip() for item in raw for n in item.split(",") if n.strip()]
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise ValidationFailed(
            f"Unknown facet(s): {', '.join(unknown)}",
            errors=[field_error(["query", "facets"], f"allowed: {', '.join(allowed)}")],
        )
    return list(dict.fromkeys(names))


def _check(errors: list[dict[str, Any]]) -> None:
    if errors:
        names = ", ".join(e["field"] for e in errors)
        raise ValidationFailed(f"Invalid search parameters: {names}", errors=errors)


def _range(
    errors: list[dict[str, Any]], low: str, lo: int | None, high: str, hi: int | None
) -> None:
    if lo is not None and hi is not None and lo > hi:
        msg = f"{low} ({lo}) must not exceed {high} ({hi})"
        errors += [field_error(["query", low], msg), field_error(["query", high], msg)]


def _sort(errors: list[dict[str, Any]], sort: SortKey, allowed: frozenset[SortKey]) -> None:
    if sort not in allowed:
        msg = f"allowed: {', '.join(sorted(s.value for s in allowed))}"
        errors.append(field_error(["query", "sort"], msg))


def _build(model: type[Any], **values: Any) -> Any:
    """Build a typed query; anything the checks above missed is still a 422, never a 500."""
    try:
        return model(**values)
    except ValidationError as exc:
        errors = [field_error(["query", *map(str, e["loc"])], e["msg"]) for e in exc.errors()]
        raise ValidationFailed("Invalid search parameters", errors=errors) from exc


def visible_need_kinds(principal: Principal) -> list[NeedVisibility]:
    """The audience rule of app.needs.repository.readable_by, as an engine-neutral filter:
    restricted needs for members of an organisation, brokers and staff only."""
    if principal.is_operator_staff or principal.is_broker or principal.org_ids:
        return list(NeedVisibility)
    return [NeedVisibility.public, NeedVisibility.anonymous]


@router.get(
    "/listings",
    summary="Search published listings",
    response_model=SearchPage,
    responses=problems(422),
)
async def listings(
    engine: EngineDep,
    q: Text = "",
    kind: Annotated[list[ListingKind] | None, Query()] = None,
    tier: Annotated[list[PyramidTier] | None, Query()] = None,
    trl_min: Trl = None,
    trl_max: Trl = None,
    sector: Many = None,
    ip_status: Annotated[list[IPStatus] | None, Query()] = None,
    dossier_clear: bool | None = None,
    source_exchange: Many = None,
    region: Many = None,
    price_min: Money = None,
    price_max: Money = None,
    facets: Facets = None,
    sort: SortKey = SortKey.relevance,
    page: Page = 1,
    limit: Limit = 20,
) -> SearchPage:
    """Accent-insensitive full-text search with typo tolerance, synonyms, filters and facets."""
    errors: list[dict[str, Any]] = []
    _range(errors, "trl_min", trl_min, "trl_max", trl_max)
    _range(errors, "price_min", price_min, "price_max", price_max)
    _sort(errors, sort, LISTING_SORTS)
    _check(errors)
    filters = _build(
        ListingFilters,
        kind=kind or [],
        tier=tier or [],
        trl_min=trl_min,
        trl_max=trl_max,
        sectors=sector or [],
        ip_status=ip_status or [],
        dossier_clear=dossier_clear,
        source_exchange=source_exchange or [],
        region=region or [],
        price_min=price_min,
        price_max=price_max,
    )
    query = _build(
        ListingQuery,
        text=q,
        filters=filters,
        facets=_facets(facets, DEFAULT_LISTING_FACETS, LISTING_FACETS),
        sort=sort,
        page=page,
        limit=limit,
    )
    return SearchPage.of(await engine.search_listings(query))


@router.get(
    "/needs",
    summary="Search published technology needs",
    response_model=SearchPage,
    responses=problems(401, 422),
)
async def needs(
    engine: EngineDep,
    principal: CurrentPrincipal,
    q: Text = "",
    sector: Many = None,
    min_trl_min: Trl = None,
    min_trl_max: Trl = None,
    accepts_trl: Trl = None,
    budget: Money = None,
    region: Many = None,
    source_exchange: Many = None,
    transfer_form: Many = None,
    facets: Facets = None,
    sort: SortKey = SortKey.relevance,
    page: Page = 1,
    limit: Limit = 20,
) -> SearchPage:
    """Needs search; anonymous needs never show their company, restricted ones need sign-in."""
    errors: list[dict[str, Any]] = []
    _range(errors, "min_trl_min", min_trl_min, "min_trl_max", min_trl_max)
    _sort(errors, sort, NEED_SORTS)
    _check(errors)
    filters = _build(
        NeedFilters,
        sectors=sector or [],
        min_trl_min=min_trl_min,
        min_trl_max=min_trl_max,
        accepts_trl=accepts_trl,
        budget=budget,
        region=region or [],
        source_exchange=source_exchange or [],
        transfer_forms=transfer_form or [],
        visibility=visible_need_kinds(principal),
        open_on=vn_today(),
    )
    query = _build(
        NeedQuery,
        text=q,
        filters=filters,
        facets=_facets(facets, DEFAULT_NEED_FACETS, NEED_FACETS),
        sort=sort,
        page=page,
        limit=limit,
    )
    return SearchPage.of(await engine.search_needs(query))
