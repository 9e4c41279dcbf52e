"""Responses of the match endpoints: ranked candidates, each with its score and its factors."""

import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field

from app.core.schemas import Schema
from app.listings.models import IPStatus, ListingKind, PyramidTier
from app.matching.scoring import FactorCode
from app.needs.models import NeedVisibility


class MatchFactor(BaseModel):
    code: FactorCode
    weight: float = Field(description="From settings (match_weight_<code>)")
    value: float = Field(ge=0, le=1, description="How well the pair does on this factor")
    contribution: float = Field(description="weight × value / sum of weights; they add up to score")
    explanation_vi: str
    explanation_en: str


class MatchedListing(Schema):
    """Public summary of a published listing."""

    id: uuid.UUID
    organisation_id: uuid.UUID
    kind: ListingKind
    tier: PyramidTier
    title_vi: str
    title_en: str | None
    summary_vi: str | None
    sectors: list[str]
    trl: int | None
    ip_status: IPStatus | None
    ip_dossier_clear: bool
    price_type: str | None
    price_vnd: int | None
    currency: str
    region: str | None
    source_exchange: str
    published_at: datetime | None
    content_updated_at: datetime


class MatchedNeed(Schema):
    """Public summary of a need; an anonymous need does not name its organisation."""

    id: uuid.UUID
    organisation_id: uuid.UUID | None = Field(description="Hidden for anonymous needs")
    visibility: NeedVisibility
    title_vi: str
    title_en: str | None
    problem_statement: str | None
    sectors: list[str]
    min_trl: int | None
    budget_min_vnd: int | None
    budget_max_vnd: int | None
    currency: str
    deadline: date | None
    region: str | None
    source_exchange: str
    published_at: datetime | None
    content_updated_at: datetime


class MatchScore(BaseModel):
    score: float = Field(ge=0, le=1, description="Weighted mean of the factors")
    factors: list[MatchFactor]
    explanation_vi: str = Field(description="The strongest reasons, in one sentence")
    explanation_en: str


class ListingMatch(MatchScore):
    listing: MatchedListing


class NeedMatch(MatchScore):
    need: MatchedNeed


class KeyTermOut(BaseModel):
    text: str
    weight: float


class ListingMatches(BaseModel):
    """Listings matching a need, best first."""

    need_id: uuid.UUID
    query: str = Field(description="The compact query the need was turned into (≤ 10 words)")
    terms: list[KeyTermOut]
    include_below_min_trl: bool
    items: list[ListingMatch]


class NeedMatches(BaseModel):
    """Needs matching a listing, best first."""

    listing_id: uuid.UUID
    query: str = Field(description="The compact query the listing was turned into (≤ 10 words)")
    terms: list[KeyTermOut]
    include_below_min_trl: bool
    items: list[NeedMatch]
