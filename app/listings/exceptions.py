"""Errors of the listings domain (rendered as problem details by app.core.errors)."""

from app.core.errors import Conflict, Forbidden, ValidationFailed
from app.listings.access import ListingNotFound

__all__ = [
    "ExternalRefTaken",
    "ListingArchived",
    "ListingIncomplete",
    "ListingInvalid",
    "ListingKindLocked",
    "ListingNotDeletable",
    "ListingNotFound",
    "ListingTransitionNotAllowed",
    "NotAMember",
    "OrganisationRequired",
]


class ListingInvalid(ValidationFailed):
    slug, title = "listing-invalid", "Listing data is invalid"


class ListingIncomplete(ValidationFailed):
    slug, title = "listing-incomplete", "Listing is missing required information"


class OrganisationRequired(ValidationFailed):
    slug, title = "organisation-required", "Say which organisation this is for"


class NotAMember(Forbidden):
    slug, title = "not-a-member", "Not a member of the organisation"


class ListingTransitionNotAllowed(Conflict):
    slug, title = "listing-transition-not-allowed", "Not allowed in the listing's current status"


class ListingKindLocked(Conflict):
    slug, title = "listing-kind-locked", "The kind of a submitted listing cannot change"


class ListingNotDeletable(Conflict):
    slug, title = "listing-not-deletable", "Only drafts and rejected listings can be deleted"


class ListingArchived(Conflict):
    slug, title = "listing-archived", "The listing is archived"


class ExternalRefTaken(Conflict):
    slug, title = "external-ref-taken", "A record with this external reference already exists"
