"""The IP rules as pure functions: a listing's IP status and whether its IP dossier is clear.

Clear IP dossier (DOMAIN.md, the 70 % target), as implemented here:
(A) IP: every recorded right has its number (grant number; application number while pending or
    rejected), at least one evidence document, and the operator's verification — and there is at
    least one right; or, with no right rows, the listing is declared `secret_know_how` and the
    owner's declaration file is attached to the listing;
(B) valuation: at least one independent valuation, verified by the operator. "Independent" is a
    claim by the owner; the product promises *verifiable* data, so only the operator's check
    turns the claim into something a buyer can rely on.
A trade-secret right row has no number (secrets are not registered): it counts like a
secret-know-how declaration, so its evidence may be the owner's declaration.
"""

import uuid
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Literal

from app.attachments.models import AttachmentPurpose
from app.ip.models import IPRight, IPRightStatus, Valuation
from app.ip.schemas import DossierState, MissingItem, RightIssues
from app.listings.models import IPDeclaration, IPStatus

TRADE_SECRET = "trade_secret"
# Dates of rights and valuations are Vietnamese calendar dates (UTC+7, no daylight saving).
VN_TZ = timezone(timedelta(hours=7))

MISSING_LABELS: dict[str, tuple[str, str]] = {
    "no_ip_record": (
        "Chưa ghi nhận quyền sở hữu trí tuệ hoặc bí quyết kỹ thuật",
        "No IP right or secret know-how is recorded",
    ),
    "right_without_number": (
        "Quyền sở hữu trí tuệ chưa có số văn bằng hoặc số đơn",
        "An IP right has no grant or application number",
    ),
    "right_without_evidence": (
        "Quyền sở hữu trí tuệ chưa có tài liệu chứng minh",
        "An IP right has no evidence document",
    ),
    "right_not_verified": (
        "Quyền sở hữu trí tuệ chưa được Sàn xác minh",
        "An IP right is not verified by the exchange operator",
    ),
    "know_how_declaration_missing": (
        "Chưa có bản tuyên bố bí quyết kỹ thuật của chủ sở hữu",
        "The owner's secret know-how declaration is not attached",
    ),
    "no_independent_valuation": (
        "Chưa có kết quả định giá độc lập",
        "No independent valuation",
    ),
    "valuation_not_verified": (
        "Kết quả định giá độc lập chưa được Sàn xác minh",
        "The independent valuation is not verified by the exchange operator",
    ),
}

_NUMBER_IS_GRANT = frozenset({IPRightStatus.granted, IPRightStatus.expired})


def vn_today() -> date:
    return datetime.now(UTC).astimezone(VN_TZ).date()


def is_trade_secret(right: IPRight) -> bool:
    return right.right_type == TRADE_SECRET


def effective_status(right: IPRight, today: date) -> IPRightStatus:
    """A granted right past its expiry date is expired, whatever its row still says."""
    if right.status == IPRightStatus.granted and right.expiry_date and right.expiry_date < today:
        return IPRightStatus.expired
    return IPRightStatus(right.status)


def summarise_status(
    rights: Sequence[IPRight], declaration: IPDeclaration | None, today: date
) -> IPStatus | None:
    """The listing's IP status from its rows; the declaration speaks only when no right does."""
    statuses = {effective_status(r, today) for r in rights if not is_trade_secret(r)}
    if IPRightStatus.granted in statuses:
        return IPStatus.granted
    if IPRightStatus.pending in statuses:
        return IPStatus.pending
    if IPRightStatus.expired in statuses:
        return IPStatus.expired
    if statuses:
        return IPStatus.rejected
    if any(is_trade_secret(r) for r in rights) or declaration == IPDeclaration.secret_know_how:
        return IPStatus.secret_know_how
    if declaration == IPDeclaration.none:
        return IPStatus.none
    return None  # not declared yet, or rights announced but none recorded


def right_issues(
    right: IPRight, purposes: Collection[str], listing_has_declaration: bool
) -> list[str]:
    """What one right row lacks to count in a clear dossier (empty when it is complete)."""
    missing: list[str] = []
    if is_trade_secret(right):
        evidence = (
            AttachmentPurpose.ip_evidence in purposes
            or AttachmentPurpose.know_how_declaration in purposes
            or listing_has_declaration
        )
    else:
        if right.status in _NUMBER_IS_GRANT:
            numbered = bool(right.number)
        else:
            numbered = bool(right.application_number or right.number)
        if not numbered:
            missing.append("right_without_number")
        evidence = AttachmentPurpose.ip_evidence in purposes
    if not evidence:
        missing.append("right_without_evidence")
    if not right.verified:
        missing.append("right_not_verified")
    return missing


def valuation_issues(valuations: Sequence[Valuation]) -> list[str]:
    independent = [v for v in valuations if v.independent]
    if not independent:
        return ["no_independent_valuation"]
    if not any(v.verified for v in independent):
        return ["valuation_not_verified"]
    return []


def evaluate(
    declaration: IPDeclaration | None,
    rights: Sequence[IPRight],
    right_purposes: Mapping[uuid.UUID, Collection[str]],
    listing_has_declaration: bool,
    valuations: Sequence[Valuation],
) -> DossierState:
    """Apply the clear-dossier rule (module docstring) to a listing's rows."""
    missing: list[str] = []
    issues = [
        RightIssues(ip_right_id=r.id, missing=found)
        for r in rights
        if (found := right_issues(r, right_purposes.get(r.id, ()), listing_has_declaration))
    ]
    basis: Literal["rights", "secret_know_how"] | None = None
    if rights:
        for item in issues:
            missing.extend(code for code in item.missing if code not in missing)
        basis = None if issues else "rights"
    elif declaration == IPDeclaration.secret_know_how:
        if listing_has_declaration:
            basis = "secret_know_how"
        else:
            missing.append("know_how_declaration_missing")
    else:
        missing.append("no_ip_record")
    missing.extend(valuation_issues(valuations))
    return DossierState(
        clear=not missing,
        missing=missing,
        missing_labels=[
            MissingItem(code=c, label_vi=MISSING_LABELS[c][0], label_en=MISSING_LABELS[c][1])
            for c in missing
        ],
        basis=basis,
        rights=issues,
    )
