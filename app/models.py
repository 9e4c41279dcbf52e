"""Every domain's ORM models, imported so Alembic sees one metadata."""

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
from app.attachments.models import Attachment
from app.core.audit import AuditEntry
from app.core.db import Base
from app.ip.models import IPRight, Valuation
from app.listings.models import Listing, ListingAccessGrant, VocabularyTerm
from app.needs.models import Need
from app.notifications.models import Notification

__all__ = [
    "Attachment",
    "IPRight",
    "Listing",
    "ListingAccessGrant",
    "Need",
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
