"""Errors of the contracts domain (rendered as problem details by app.core.errors)."""

from app.core.errors import Conflict, Forbidden, NotFound, ValidationFailed


class ContractNotFound(NotFound):
    slug, title = "contract-not-found", "Contract not found"


class ContractDocumentNotFound(NotFound):
    slug, title = "contract-document-not-found", "Contract document not found"


class ContractInvalid(ValidationFailed):
    slug, title = "contract-invalid", "Contract data is invalid"


class ContractIncomplete(ValidationFailed):
    slug, title = "contract-incomplete", "The contract lacks what signing needs"


class ContractNotDraft(Conflict):
    slug, title = "contract-not-draft", "Only a draft contract can change or be signed"


class ContractTransitionNotAllowed(Conflict):
    slug, title = "contract-transition-not-allowed", "Not possible at this stage"


class AlreadySigned(Conflict):
    slug, title = "contract-already-signed", "Your side has already signed"


class AlreadyRegistered(Conflict):
    slug, title = "contract-already-registered", "The registration is already recorded"


class ConnectionNotReady(Conflict):
    slug, title = "connection-not-ready", "Contracts follow accepted connections only"


class NotAParty(Forbidden):
    slug, title = "contract-not-party", "Only the parties' members sign"


class NotAManager(Forbidden):
    slug, title = "contract-not-manager", "Only the parties, the broker or staff may do this"
