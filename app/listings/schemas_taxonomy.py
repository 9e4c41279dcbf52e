"""Pydantic schemas of the vocabulary (taxonomy) API."""

from typing import Annotated, Any

from pydantic import Field, model_validator

from app.core.schemas import NFCStr, Schema

Code = Annotated[str, Field(pattern=r"^[A-Za-z0-9_]{1,40}$", examples=["food_processing"])]
Label = Annotated[NFCStr, Field(min_length=1, max_length=300)]


class Term(Schema):
    """One vocabulary item as published to clients."""

    code: str
    label_vi: str
    label_en: str
    description_vi: str | None = None
    description_en: str | None = None
    parent_code: str | None = None
    sort_order: int
    source: str | None = None
    active: bool
    extra: dict[str, Any] = Field(default_factory=dict, examples=[{"priority": True}])


class TermCreate(Schema):
    code: Code
    label_vi: Label
    label_en: Label
    description_vi: NFCStr | None = None
    description_en: NFCStr | None = None
    parent_code: Code | None = None
    sort_order: int = Field(default=0, ge=0)
    source: Annotated[NFCStr, Field(max_length=200)] | None = None
    extra: dict[str, Any] = Field(default_factory=dict)


_NOT_NULL = ("label_vi", "label_en", "active", "sort_order", "extra")


class TermUpdate(Schema):
    """Fields an operator may change; the code is the stable identity and never changes."""

    label_vi: Label | None = None
    label_en: Label | None = None
    description_vi: NFCStr | None = None
    description_en: NFCStr | None = None
    sort_order: int | None = Field(default=None, ge=0)
    source: Annotated[NFCStr, Field(max_length=200)] | None = None
    active: bool | None = None
    extra: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _required_stay_set(self) -> "TermUpdate":
        nulled = [f for f in _NOT_NULL if f in self.model_fields_set and getattr(self, f) is None]
        if nulled:
            raise ValueError(f"{', '.join(nulled)} cannot be null")
        return self
