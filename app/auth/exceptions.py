"""Identity errors: OAuth2 token errors (RFC 6749 §5.2 codes) and account/organisation conflicts."""

from typing import Any

from app.core.errors import (
    AppError,
    Conflict,
    NotFound,
    TooManyRequests,
    Unauthorized,
    ValidationFailed,
    field_error,
)

BAD_CREDENTIALS = "Email or password is incorrect"


class OAuthError(AppError):
    """A token-endpoint error: problem details plus the RFC 6749 `error` member."""

    status, slug, title = 400, "oauth-error", "Token request refused"
    error_code = "invalid_request"

    def __init__(self, detail: str | None = None, **kw: Any) -> None:
        kw.setdefault("error", self.error_code)
        super().__init__(detail, **kw)


class InvalidRequest(OAuthError):
    error_code = "invalid_request"


class InvalidGrant(OAuthError):
    error_code = "invalid_grant"


class RefreshTokenReused(InvalidGrant):
    """A rotated refresh token came back: its family is revoked, and that revocation must stick."""

    keep_writes = True


class UnsupportedGrantType(OAuthError):
    error_code = "unsupported_grant_type"


class InvalidScope(OAuthError):
    error_code = "invalid_scope"


class InvalidClient(Unauthorized):
    def __init__(self, detail: str = "Client authentication failed.", **kw: Any) -> None:
        kw.setdefault("error", "invalid_client")
        kw.setdefault("headers", {"WWW-Authenticate": 'Basic realm="techx"'})
        super().__init__(detail, **kw)


class InvalidCredentials(Unauthorized):
    """Wrong password, unknown or inactive account: one message, and the attempt is kept."""

    keep_writes = True

    def __init__(self) -> None:
        super().__init__(BAD_CREDENTIALS, error="invalid_grant")


class LoginThrottled(TooManyRequests):
    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"Too many failed sign-in attempts. Try again in {retry_after} seconds.",
            headers={"Retry-After": str(retry_after)},
            error="invalid_grant",
        )


class EmailTaken(Conflict):
    title = "Email already registered"

    def __init__(self) -> None:
        super().__init__("An account with this email already exists.")


class TaxCodeTaken(Conflict):
    title = "Tax code already registered"

    def __init__(self) -> None:
        super().__init__("An organisation with this tax code is already registered.")


class InvalidInvitation(ValidationFailed):
    def __init__(self, msg: str = "The invitation is invalid, revoked or has expired.") -> None:
        super().__init__(msg, errors=[field_error(["body", "invitation_token"], msg)])


class InvalidResetToken(ValidationFailed):
    def __init__(self) -> None:
        msg = "The password reset link is invalid, used or has expired."
        super().__init__(msg, errors=[field_error(["body", "token"], msg)])


class OrganisationNotFound(NotFound):
    title = "Organisation not found"


class UserNotFound(NotFound):
    title = "User not found"


class MemberNotFound(NotFound):
    title = "Member not found"


class InvitationNotFound(NotFound):
    title = "Invitation not found"


class OAuthClientNotFound(NotFound):
    title = "OAuth client not found"


class LastOwner(Conflict):
    title = "Last owner"

    def __init__(self) -> None:
        super().__init__("An organisation must keep at least one owner.")


class LastOperatorAdmin(Conflict):
    title = "Last operator admin"

    def __init__(self) -> None:
        super().__init__("The platform must keep at least one active operator admin.")


class AlreadyMember(Conflict):
    title = "Already a member"

    def __init__(self) -> None:
        super().__init__("This person is already a member of the organisation.")


class InvitationClosed(Conflict):
    title = "Invitation closed"

    def __init__(self) -> None:
        super().__init__("The invitation was already accepted or revoked.")
