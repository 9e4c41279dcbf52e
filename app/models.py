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
from app.core.audit import AuditEntry
from app.core.db import Base
from app.notifications.models import Notification

__all__ = [
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
