"""Response bodies of the dashboard and of the open-data export."""

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import Field

from app.core.schemas import Schema


class Period(Schema):
    from_: date | None = Field(
        serialization_alias="from", description="First day included; null means all time"
    )
    to: date = Field(description="Last day included (Viet Nam calendar)")


class MonthRow(Schema):
    month: str = Field(examples=["2026-01"])
    value: int = Field(description="Records counted in the month (clear dossiers for the IP share)")
    value_vnd: int | None = Field(None, description="Contracts: total value signed in the month")
    total: int | None = Field(None, description="IP share: technologies published in the month")
    share: float | None = Field(None, description="IP share: value / total")


class BreakdownRow(Schema):
    key: str | None = Field(description="Vocabulary code; null for records without one")
    label_vi: str
    label_en: str
    value: int
    value_vnd: int | None = None
    total: int | None = None
    share: float | None = None


class Breakdowns(Schema):
    by_month: list[MonthRow]
    by_source_exchange: list[BreakdownRow]
    by_sector: list[BreakdownRow]
    by_trl: list[BreakdownRow]
    by_tier: list[BreakdownRow]
    by_channel: list[BreakdownRow] | None = Field(None, description="Connections only")


class Projection(Schema):
    method: Literal["linear_rate", "current_share"]
    as_of: date
    deadline: date
    window_start: date | None = Field(description="Start of the months the rate is taken over")
    window_months: float
    rate_per_month: float
    projected_total: float = Field(description="Projected figure at the deadline (2030-12-31)")
    on_track: bool


class Target(Schema):
    code: Literal["connections", "contracts", "ip_dossier"]
    label_vi: str
    label_en: str
    unit: Literal["count", "share"]
    value: int | float = Field(description="Count in the period, or the share (0–1)")
    target: int | float
    comparison: Literal["at_least", "more_than"]
    share_of_target: float = Field(description="value / target")
    numerator: int | None = Field(None, description="IP share: listings with a clear dossier")
    denominator: int | None = Field(None, description="IP share: published technologies")
    value_vnd: int | None = Field(None, description="Contracts: total value signed (VND)")
    currency: str | None = None
    rule_vi: str
    rule_en: str
    breakdowns: Breakdowns
    projection_2030: Projection


class Dashboard(Schema):
    period: Period
    targets: list[Target]


class OpenListing(Schema):
    """The public fields of a published listing (open data)."""

    id: uuid.UUID
    kind: str
    tier: str
    title_vi: str
    title_en: str | None
    summary_vi: str | None
    summary_en: str | None
    sectors: list[str]
    vsic_sections: list[str]
    trl: int | None
    ip_status: str | None
    ip_dossier_clear: bool
    region: str | None
    source_exchange: str
    price_type: str | None
    price_vnd: int | None
    currency: str
    transfer_forms: list[str]
    organisation_name_vi: str
    organisation_name_en: str | None
    published_at: datetime | None
