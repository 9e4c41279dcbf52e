"""Errors of the connections domain (rendered as problem details by app.core.errors)."""

from app.core.errors import Conflict, Forbidden, NotFound, ValidationFailed


class ConnectionNotFound(NotFound):
    slug, title = "connection-not-found", "Connection not found"


class ServiceRequestNotFound(NotFound):
    slug, title = "service-request-not-found", "Service request not found"


class NeedNotFound(NotFound):
    slug, title = "need-not-found", "Need not found"


class ConnectionInvalid(ValidationFailed):
    slug, title = "connection-invalid", "Connection data is invalid"


class OwnObject(ValidationFailed):
    slug, title = "own-object", "You cannot connect with your own organisation"


class OrganisationRequired(ValidationFailed):
    slug, title = "organisation-required", "Say which organisation you act for"


class NotOpenForConnections(Conflict):
    slug, title = "not-open-for-connections", "Only published listings and needs take connections"


class TransitionNotAllowed(Conflict):
    slug, title = "connection-transition-not-allowed", "Not possible at this stage"


class AlreadyAssigned(Conflict):
    slug, title = "connection-already-assigned", "Another broker already handles this connection"


class NotYourTurn(Forbidden):
    slug, title = "connection-not-your-turn", "The other party must answer this connection"


class NotAParticipant(Forbidden):
    slug, title = (
        "connection-not-participant",
        "Only the parties or the assigned broker may do this",
    )


class ImportRejected(ValidationFailed):
    slug, title = "connection-import-rejected", "The file has errors; nothing was imported"
