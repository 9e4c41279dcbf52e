"""Every domain's ORM models, imported so Alembic sees one metadata."""

from app.attachments.models import Attachment
from app.auth.models import (
    Invitation,
    LoginAttempt,
    Membership,
    OAuthClient,
    Organisation,
    PasswordResetToken,
    RefreshToken,
    User,
)
from app.connections.models import Connection, ConnectionEvent, ServiceRequest
from app.contracts.models import Contract, ContractDocument, ContractReminder
from app.core.audit import AuditEntry
from app.core.db import Base
from app.ip.models import IPRight, Valuation
from app.listings.models import Listing, ListingAccessGrant, VocabularyTerm
from app.matching import outbox as _search_outbox  # noqa: F401  (registers the outbox hook)
from app.matching import search_columns as _search_columns  # noqa: F401  (generated columns)
from app.matching.alert_models import (
    AlertCursor,
    AlertPublication,
    MatchAlert,
    SavedSearch,
    SavedSearchHit,
)
from app.matching.models import OutboxEvent, SynonymGroup
from app.needs.models import Need
from app.notifications.models import Notification

__all__ = [
    "AlertCursor",
    "AlertPublication",
    "MatchAlert",
    "SavedSearch",
    "SavedSearchHit",
    "Attachment",
    "Connection",
    "ConnectionEvent",
    "Contract",
    "ContractDocument",
    "ContractReminder",
    "ServiceRequest",
    "IPRight",
    "Listing",
    "ListingAccessGrant",
    "Need",
    "OutboxEvent",
    "SynonymGroup",
    "Valuation",
    "VocabularyTerm",
    "AuditEntry",
    "Base",
    "Invitation",
    "LoginAttempt",
    "Membership",
    "Notification",
    "OAuthClient",
    "Organisation",
    "PasswordResetToken",
    "RefreshToken",
    "User",
]
