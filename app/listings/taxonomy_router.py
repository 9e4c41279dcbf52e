"""Vocabularies over HTTP: public read (cacheable), operator-admin edits (audited)."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from app.auth.dependencies import OperatorAdmin
from app.core.db import SessionDep
from app.core.errors import problems
from app.listings import taxonomy
from app.listings.schemas_taxonomy import Term, TermCreate, TermUpdate

router = APIRouter(prefix="/taxonomy", tags=["taxonomy"])

CACHE_CONTROL = "public, max-age=300"

# Aliases: the route named `list` (operation id taxonomy:list) shadows the builtin below.
Terms = list[Term]
Vocabularies = dict[str, list[Term]]

VocabularyName = Annotated[str, Path(pattern=r"^[a-z_]{1,40}$", examples=["sector"])]
TermCode = Annotated[str, Path(pattern=r"^[A-Za-z0-9_]{1,40}$", examples=["food_processing"])]
IncludeInactive = Annotated[
    bool, Query(description="Also list retired terms (kept so old records still have labels)")
]


@router.get(
    "",
    summary="All vocabularies",
    response_model=Vocabularies,
    responses=problems(422),
)
async def list(
    session: SessionDep,
    response: Response,
    vocabulary: Annotated[
        str | None, Query(pattern=r"^[a-z_]{1,40}$", description="Only this vocabulary")
    ] = None,
    include_inactive: IncludeInactive = False,
) -> Vocabularies:
    """Every vocabulary's terms grouped by vocabulary, in display order."""
    terms = await taxonomy.list_terms(session, vocabulary, include_inactive=include_inactive)
    response.headers["Cache-Control"] = CACHE_CONTROL
    return {
        name: [Term.model_validate(t) for t in items]
        for name, items in taxonomy.grouped(terms).items()
    }


@router.get(
    "/{vocabulary}",
    summary="One vocabulary",
    response_model=Terms,
    responses=problems(404, 422),
)
async def get(
    session: SessionDep,
    response: Response,
    vocabulary: VocabularyName,
    include_inactive: IncludeInactive = False,
) -> Terms:
    """The terms of one vocabulary, in display order."""
    terms = await taxonomy.get_vocabulary(session, vocabulary, include_inactive=include_inactive)
    response.headers["Cache-Control"] = CACHE_CONTROL
    return [Term.model_validate(t) for t in terms]


@router.post(
    "/{vocabulary}",
    summary="Add a term",
    response_model=Term,
    status_code=201,
    responses=problems(401, 403, 404, 409, 422),
)
async def create(
    session: SessionDep, principal: OperatorAdmin, vocabulary: VocabularyName, body: TermCreate
) -> Term:
    """Add a term to a vocabulary (operator admins)."""
    term = await taxonomy.add_term(session, principal, vocabulary, body)
    return Term.model_validate(term)


@router.patch(
    "/{vocabulary}/{code}",
    summary="Change a term",
    response_model=Term,
    responses=problems(401, 403, 404, 422),
)
async def update(
    session: SessionDep,
    principal: OperatorAdmin,
    vocabulary: VocabularyName,
    code: TermCode,
    body: TermUpdate,
) -> Term:
    """Relabel, reorder or retire a term (operator admins); codes never change."""
    term = await taxonomy.update_term(session, principal, vocabulary, code, body)
    return Term.model_validate(term)
