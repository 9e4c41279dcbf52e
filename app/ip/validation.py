"""Field rules of rights and valuations, checked on the merged state (create, or row + patch).

Each function returns every problem at once as `field_error` dicts, so a form can show them all.
"""

import re
import uuid
from datetime import date
from typing import Any

from app.core.errors import field_error
from app.ip.dossier import TRADE_SECRET
from app.ip.models import IPRightStatus

# Vietnamese application numbers: <type digit>-<filing year>-<5 digits>, e.g. 1-2023-01234.
_VN_APPLICATION = re.compile(r"^(\d)-(\d{4})-(\d{5})$")
VN_APPLICATION_TYPE_DIGIT = {
    "invention_patent": "1",
    "utility_solution": "2",
    "industrial_design": "3",
    "trademark": "4",
}
SHARE_TOLERANCE = 1e-6  # shares such as 33.33 + 33.33 + 33.34 are floats


def _loc(field: str) -> list[str | int]:
    return ["body", field]


def application_number_errors(state: dict[str, Any]) -> list[dict[str, Any]]:
    number = state.get("application_number")
    digit = VN_APPLICATION_TYPE_DIGIT.get(state.get("right_type") or "")
    if not number or state.get("jurisdiction") != "VN" or digit is None:
        return []
    match = _VN_APPLICATION.match(number)
    if match is None:
        msg = (
            f"A Vietnamese application number looks like {digit}-2023-01234 "
            "(type digit, filing year, five digits)."
        )
        return [field_error(_loc("application_number"), msg)]
    if match.group(1) != digit:
        msg = (
            f"A Vietnamese {state['right_type']} application number starts with {digit}- "
            f"(got {match.group(1)}-)."
        )
        return [field_error(_loc("application_number"), msg)]
    return []


def date_errors(state: dict[str, Any], today: date) -> list[dict[str, Any]]:
    filing, grant, expiry = (
        state.get("filing_date"),
        state.get("grant_date"),
        state.get("expiry_date"),
    )
    errors = []
    if filing and filing > today:
        errors.append(field_error(_loc("filing_date"), "The filing date cannot be in the future."))
    if grant and grant > today:
        errors.append(field_error(_loc("grant_date"), "The grant date cannot be in the future."))
    if filing and grant and grant < filing:
        errors.append(field_error(_loc("grant_date"), "The grant date is before the filing date."))
    if expiry and (grant or filing) and expiry < (grant or filing):
        which = "grant" if grant else "filing"
        errors.append(
            field_error(_loc("expiry_date"), f"The expiry date is before the {which} date.")
        )
    return errors


def status_errors(state: dict[str, Any]) -> list[dict[str, Any]]:
    if (
        state.get("status") == IPRightStatus.granted
        and state.get("right_type") != TRADE_SECRET  # secrets are protected without a title
        and not state.get("number")
    ):
        return [field_error(_loc("number"), "A granted right needs its grant number.")]
    return []


def owner_errors(owners: list[dict[str, Any]], known_orgs: set[uuid.UUID]) -> list[dict[str, Any]]:
    errors = []
    total = sum(float(o["share_pct"]) for o in owners)
    if total > 100 + SHARE_TOLERANCE:
        errors.append(
            field_error(
                _loc("owners"), f"The owners' shares add up to {total:g} %, more than 100 %."
            )
        )
    for i, owner in enumerate(owners):
        org = owner.get("organisation_id")
        if org is not None and uuid.UUID(str(org)) not in known_orgs:
            errors.append(
                field_error(["body", "owners", i, "organisation_id"], "No such organisation.")
            )
    return errors


def right_errors(
    state: dict[str, Any], today: date, known_orgs: set[uuid.UUID]
) -> list[dict[str, Any]]:
    return [
        *application_number_errors(state),
        *date_errors(state, today),
        *status_errors(state),
        *owner_errors(state.get("owners") or [], known_orgs),
    ]


def valuation_errors(
    state: dict[str, Any],
    today: date,
    owner_organisation_id: uuid.UUID,
    known_orgs: set[uuid.UUID],
) -> list[dict[str, Any]]:
    errors = []
    if state["valuation_date"] > today:
        errors.append(
            field_error(_loc("valuation_date"), "The valuation date cannot be in the future.")
        )
    valuer_org = state.get("valuer_organisation_id")
    if not valuer_org and not state.get("valuer_name"):
        msg = "Name the valuer: valuer_organisation_id or valuer_name."
        errors.append(field_error(_loc("valuer_name"), msg))
    if valuer_org and valuer_org not in known_orgs:
        errors.append(field_error(_loc("valuer_organisation_id"), "No such organisation."))
    if state.get("independent") and valuer_org == owner_organisation_id:
        msg = "A valuation by the listing's owner organisation is not independent."
        errors.append(field_error(_loc("independent"), msg))
    return errors
