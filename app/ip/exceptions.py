"""Errors of the IP domain (rights, valuations, dossier)."""

from app.core.errors import NotFound, ValidationFailed


class IPRightNotFound(NotFound):
    title = "IP right not found"


class ValuationNotFound(NotFound):
    title = "Valuation not found"


class IPRightInvalid(ValidationFailed):
    title = "Invalid IP right"


class ValuationInvalid(ValidationFailed):
    title = "Invalid valuation"
