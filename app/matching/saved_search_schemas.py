"""Saved searches: the query is the search API's own parameters, checked the same way."""

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.core.schemas import NFCStr, Schema
from app.listings.models import IPStatus, ListingKind, PyramidTier
from app.matching.alert_models import SavedSearchEntity

Trl = Annotated[int | None, Field(ge=1, le=9)]
Money = Annotated[int | None, Field(ge=0, description="VND")]
Codes = Annotated[list[str], Field(max_length=20)]


def _in_order(values: dict[str, Any], low: str, high: str) -> None:
    lo, hi = values.get(low), values.get(high)
    if lo is not None and hi is not None and lo > hi:
        raise ValueError(f"{low} must not exceed {high}")


class ListingSearchParams(BaseModel):
    """The parameters of GET /api/v1/search/listings (facets, sort and paging aside)."""

    model_config = ConfigDict(extra="forbid")

    q: NFCStr = Field("", max_length=200)
    kind: list[ListingKind] = Field(default_factory=list)
    tier: list[PyramidTier] = Field(default_factory=list)
    trl_min: Trl = None
    trl_max: Trl = None
    sector: Codes = []
    ip_status: list[IPStatus] = Field(default_factory=list)
    dossier_clear: bool | None = None
    source_exchange: Codes = []
    region: Codes = []
    price_min: Money = None
    price_max: Money = None

    @model_validator(mode="after")
    def _ranges(self) -> "ListingSearchParams":
        values = self.model_dump()
        _in_order(values, "trl_min", "trl_max")
        _in_order(values, "price_min", "price_max")
        return self


class NeedSearchParams(BaseModel):
    """The parameters of GET /api/v1/search/needs (facets, sort and paging aside)."""

    model_config = ConfigDict(extra="forbid")

    q: NFCStr = Field("", max_length=200)
    sector: Codes = []
    min_trl_min: Trl = None
    min_trl_max: Trl = None
    accepts_trl: Trl = None
    budget: Money = None
    region: Codes = []
    source_exchange: Codes = []
    transfer_form: Codes = []

    @model_validator(mode="after")
    def _ranges(self) -> "NeedSearchParams":
        _in_order(self.model_dump(), "min_trl_min", "min_trl_max")
        return self


Name = Annotated[NFCStr, Field(min_length=1, max_length=120)]


class ListingSavedSearchCreate(Schema):
    name: Name
    entity: Literal["listings"]
    query: ListingSearchParams = Field(default_factory=ListingSearchParams)


class NeedSavedSearchCreate(Schema):
    name: Name
    entity: Literal["needs"]
    query: NeedSearchParams = Field(default_factory=NeedSearchParams)


SavedSearchCreate = Annotated[
    ListingSavedSearchCreate | NeedSavedSearchCreate, Field(discriminator="entity")
]


class SavedSearch(Schema):
    id: uuid.UUID
    name: str
    entity: SavedSearchEntity
    query: dict[str, Any] = Field(validation_alias="params")
    created_at: datetime
    last_checked_at: datetime | None = Field(description="Last time new results were looked for")
    last_notified_at: datetime | None = Field(description="Last time new results were announced")
