"""Errors of the needs domain (rendered as problem details by app.core.errors)."""

from app.core.errors import Conflict, Forbidden, NotFound, ValidationFailed


class NeedNotFound(NotFound):
    slug, title = "need-not-found", "Need not found"


class NeedInvalid(ValidationFailed):
    slug, title = "need-invalid", "Need data is invalid"


class NeedIncomplete(ValidationFailed):
    slug, title = "need-incomplete", "Need is missing required information"


class NeedPosterNotAllowed(Forbidden):
    slug, title = "need-poster-not-allowed", "This organisation cannot post needs"


class NeedTransitionNotAllowed(Conflict):
    slug, title = "need-transition-not-allowed", "Not allowed in the need's current status"


class NeedNotDeletable(Conflict):
    slug, title = "need-not-deletable", "Only drafts and rejected needs can be deleted"
