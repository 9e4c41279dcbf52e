"""The IP status summary and the clear-dossier rule as pure functions."""

import uuid
from datetime import date
from typing import Any

import pytest

from app.attachments.models import AttachmentPurpose as P
from app.ip.dossier import evaluate, summarise_status
from app.ip.models import IPRight, IPRightStatus, Valuation
from app.listings.models import IPDeclaration, IPStatus

TODAY = date(2026, 11, 22)


def right(status: IPRightStatus = IPRightStatus.granted, **kw: Any) -> IPRight:
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "right_type": "invention_patent",
        "status": status,
        "number": "1-0012345",
        "application_number": "1-2019-01234",
        "verified": True,
    }
    values.update(kw)
    return IPRight(**values)


def valuation(**kw: Any) -> Valuation:
    return Valuation(**{"id": uuid.uuid4(), "independent": True, "verified": True, **kw})


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([IPRightStatus.granted, IPRightStatus.pending], IPStatus.granted),
        ([IPRightStatus.pending, IPRightStatus.rejected], IPStatus.pending),
        ([IPRightStatus.expired, IPRightStatus.expired], IPStatus.expired),
        ([IPRightStatus.rejected, IPRightStatus.rejected], IPStatus.rejected),
        ([IPRightStatus.expired, IPRightStatus.rejected], IPStatus.expired),
    ],
)
def test_status_summarises_the_rows(statuses: list[IPRightStatus], expected: IPStatus) -> None:
    rows = [right(s) for s in statuses]
    assert summarise_status(rows, IPDeclaration.rights, TODAY) is expected


def test_a_granted_right_past_its_expiry_date_counts_as_expired() -> None:
    rows = [right(IPRightStatus.granted, expiry_date=date(2026, 11, 21))]
    assert summarise_status(rows, IPDeclaration.rights, TODAY) is IPStatus.expired
    rows = [right(IPRightStatus.granted, expiry_date=TODAY)]
    assert summarise_status(rows, IPDeclaration.rights, TODAY) is IPStatus.granted


@pytest.mark.parametrize(
    ("declaration", "expected"),
    [
        (IPDeclaration.secret_know_how, IPStatus.secret_know_how),
        (IPDeclaration.none, IPStatus.none),
        (None, None),
        (IPDeclaration.rights, None),
    ],
)
def test_without_rights_the_declaration_speaks(
    declaration: IPDeclaration | None, expected: IPStatus | None
) -> None:
    assert summarise_status([], declaration, TODAY) is expected


def test_a_trade_secret_row_counts_as_secret_know_how() -> None:
    rows = [right(right_type="trade_secret", number=None, application_number=None)]
    assert summarise_status(rows, IPDeclaration.none, TODAY) is IPStatus.secret_know_how
    rows.append(right(IPRightStatus.pending))
    assert summarise_status(rows, IPDeclaration.none, TODAY) is IPStatus.pending


def test_clear_with_a_documented_verified_right_and_a_verified_independent_valuation() -> None:
    r = right()
    state = evaluate(IPDeclaration.rights, [r], {r.id: {P.ip_evidence: 1}}, False, [valuation()])
    assert state.clear is True
    assert state.missing == []
    assert state.basis == "rights"


def test_each_gap_of_a_right_is_named_with_labels() -> None:
    r = right(IPRightStatus.granted, number=None, verified=False)
    state = evaluate(IPDeclaration.rights, [r], {}, False, [valuation()])
    assert state.clear is False
    assert state.missing == ["right_without_number", "right_without_evidence", "right_not_verified"]
    assert state.rights[0].ip_right_id == r.id
    labels = {m.code: m for m in state.missing_labels}
    assert labels["right_not_verified"].label_vi.startswith("Quyền sở hữu trí tuệ")
    assert "verified" in labels["right_not_verified"].label_en


def test_a_pending_right_is_numbered_by_its_application_number() -> None:
    r = right(IPRightStatus.pending, number=None, application_number="1-2024-00001")
    state = evaluate(None, [r], {r.id: {P.ip_evidence: 1}}, False, [valuation()])
    assert state.clear is True


def test_every_right_must_be_complete() -> None:
    good, bad = right(), right(verified=False)
    purposes = {good.id: {P.ip_evidence: 1}, bad.id: {P.ip_evidence: 1}}
    state = evaluate(IPDeclaration.rights, [good, bad], purposes, False, [valuation()])
    assert state.missing == ["right_not_verified"]
    assert [i.ip_right_id for i in state.rights] == [bad.id]


def test_secret_know_how_needs_the_owners_declaration_file() -> None:
    without = evaluate(IPDeclaration.secret_know_how, [], {}, False, [valuation()])
    assert without.missing == ["know_how_declaration_missing"]
    with_file = evaluate(IPDeclaration.secret_know_how, [], {}, True, [valuation()])
    assert with_file.clear is True
    assert with_file.basis == "secret_know_how"


def test_a_trade_secret_row_is_evidenced_by_a_declaration_and_needs_no_number() -> None:
    r = right(IPRightStatus.granted, right_type="trade_secret", number=None)
    assert evaluate(None, [r], {}, True, [valuation()]).clear is True
    assert evaluate(None, [r], {r.id: {P.know_how_declaration: 1}}, False, [valuation()]).clear
    assert evaluate(None, [r], {}, False, [valuation()]).missing == ["right_without_evidence"]


@pytest.mark.parametrize("declaration", [None, IPDeclaration.none, IPDeclaration.rights])
def test_no_ip_record(declaration: IPDeclaration | None) -> None:
    assert evaluate(declaration, [], {}, True, [valuation()]).missing == ["no_ip_record"]


def test_the_valuation_must_be_independent_and_verified() -> None:
    r = right()
    purposes = {r.id: {P.ip_evidence: 1}}
    missing = evaluate(None, [r], purposes, False, []).missing
    assert missing == ["no_independent_valuation"]
    owners_own = [valuation(independent=False, verified=True)]
    assert evaluate(None, [r], purposes, False, owners_own).missing == ["no_independent_valuation"]
    unchecked = [valuation(verified=False)]
    assert evaluate(None, [r], purposes, False, unchecked).missing == ["valuation_not_verified"]
