"""Pydantic base classes shared by every domain."""

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict


class Schema(BaseModel):
    model_config = ConfigDict(from_attributes=True, populate_by_name=True)


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


# Vietnamese arrives in NFD from some keyboards and macOS; store one form so equality works.
NFCStr = Annotated[str, AfterValidator(_nfc)]
