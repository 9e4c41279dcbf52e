"""IP rights, valuations and their evidence files for the demo listings.

About 60 % of the technology-kind listings that declare rights or know-how get a *clear* dossier
(numbered, evidenced and verified rights or a filed know-how declaration, plus a verified
independent valuation); the others miss one thing each, as real dossiers do. The listing's cached
`ip_status` / `ip_dossier_clear` are computed afterwards by `app.ip.service.refresh_ip_summary`.
"""

import hashlib
import random
import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from app.listings.models import IPDeclaration, ListingKind
from app.seed import builders as b
from app.seed.subjects import Subject

if TYPE_CHECKING:
    from app.seed.plan import Plan

CLEAR_SHARE = 0.62
# Application-number prefix and protection term (years) by right type (Luật SHTT).
RIGHT_RULES: dict[str, tuple[str, int | None]] = {
    "invention_patent": ("1", 20),
    "utility_solution": ("2", 10),
    "industrial_design": ("3", 5),
    "ic_layout_design": ("5", 10),
    "copyright": ("", None),
    "plant_variety": ("", 20),
}
DEFECTS = ["right_not_verified", "right_without_evidence", "owner_valuation", "no_valuation",
           "valuation_not_verified"]  # fmt: skip
METHOD_NOTES = {
    "cost": "Cách tiếp cận từ chi phí: chi phí nghiên cứu, thử nghiệm và hoàn thiện.",
    "market": "Cách tiếp cận từ thị trường: so sánh với 3 giao dịch công nghệ tương tự.",
    "income": "Cách tiếp cận từ thu nhập: chiết khấu dòng tiền 5 năm từ phí bản quyền.",
}


def storage_key(key: str) -> str:
    """A 40-hex storage key (the attachments store's format), stable for a demo attachment."""
    return hashlib.sha1(f"techx-demo-attachment:{key}".encode()).hexdigest()


class IPPlanner:
    def __init__(
        self,
        rng: random.Random,
        plan: "Plan",
        valuer_id: uuid.UUID,
        verifier_id: uuid.UUID,
        org_names: dict[str, str],
        org_ids: dict[str, uuid.UUID],
    ) -> None:
        self.rng, self.plan = rng, plan
        self.valuer_id, self.verifier_id = valuer_id, verifier_id
        self.org_names, self.org_ids = org_names, org_ids

    def declaration(self, kind: ListingKind, subject: Subject) -> tuple[IPDeclaration, str | None]:
        right_type = self.rng.choice(subject.ip_types)
        if kind is ListingKind.ip_right:
            return IPDeclaration.rights, right_type
        choice = self.rng.choices(
            [IPDeclaration.rights, IPDeclaration.secret_know_how, IPDeclaration.none],
            weights=[45, 35, 20],
        )[0]
        return choice, right_type if choice is IPDeclaration.rights else None

    def dossier(
        self, listing: dict[str, Any], owner: str, subject: Subject, right_type: str | None
    ) -> None:
        clear = self.rng.random() < CLEAR_SHARE
        defect = None if clear else self.rng.choice(DEFECTS)
        if listing["ip_declaration"] is IPDeclaration.secret_know_how:
            if defect in ("right_not_verified", "right_without_evidence"):
                defect = "declaration_missing"
            else:
                self._attach(listing["id"], "listing_id", "know_how_declaration",
                             f"tuyen-bo-bi-quyet-{listing['id'].hex[:8]}.pdf", owner)  # fmt: skip
        else:
            types = [right_type or subject.ip_types[0]]
            if self.rng.random() < 0.3 and len(subject.ip_types) > 1:
                types.append(next(t for t in subject.ip_types if t != types[0]))
            for index, kind in enumerate(types):
                self._right(listing, owner, kind, index, defect)
        if defect == "no_valuation":
            return
        independent = defect != "owner_valuation"
        self._valuation(
            listing, owner, independent=independent, verified=defect != "valuation_not_verified"
        )

    def valuation_only(self, listing: dict[str, Any], owner: str) -> None:
        """Listings without IP records sometimes still carry the owner's own valuation."""
        if self.rng.random() < 0.3:
            self._valuation(listing, owner, independent=False, verified=False)

    def _right(
        self, listing: dict[str, Any], owner: str, kind: str, index: int, defect: str | None
    ) -> None:
        prefix, term = RIGHT_RULES.get(kind, ("1", 20))
        filed = date(self.rng.randint(2014, 2025), self.rng.randint(1, 12), self.rng.randint(1, 28))
        granted: date | None = filed + timedelta(days=self.rng.randint(300, 1400))
        if kind == "copyright":
            granted = filed + timedelta(days=self.rng.randint(15, 60))
        if granted is not None and granted > b.ANCHOR.date():
            granted = None
        serial = self.rng.randint(1000, 39999)
        application = f"{prefix}-{filed.year}-{serial:05d}" if prefix else None
        number = None
        if granted is not None:
            number = {
                "copyright": f"{serial % 9000 + 1000}/{granted.year}/QTG",
                "plant_variety": f"{serial % 900 + 100}.VN.{granted.year}",
            }.get(kind, f"{prefix}-{serial * 3 % 60000:07d}")
        expiry = None
        if granted is not None and term is not None:
            expiry = filed.replace(year=filed.year + term)
        right_id = b.demo_id("ip_right", f"{listing['id']}:{index}")
        owners = [{"name": self.org_names[owner], "organisation_id": str(self.org_ids[owner]),
                   "share_pct": 100}]  # fmt: skip
        verified = defect != "right_not_verified"
        self.plan.ip_rights.append(
            {
                "id": right_id,
                "listing_id": listing["id"],
                "right_type": kind,
                "title": listing["title_vi"].split(": ", 1)[-1][:300],
                "number": number,
                "application_number": application,
                "status": self._right_status(granted, expiry),
                "jurisdiction": "VN",
                "filing_date": filed,
                "grant_date": granted,
                "expiry_date": expiry,
                "owners": owners,
                "verified": verified,
                "verified_by_id": self.verifier_id if verified else None,
                "verified_at": b.ANCHOR - timedelta(days=self.rng.randint(5, 200))
                if verified
                else None,
                "created_at": listing["created_at"],
            }
        )
        if defect != "right_without_evidence":
            name = f"van-bang-{number or application or right_id.hex[:8]}.pdf".replace("/", "-")
            self._attach(right_id, "ip_right_id", "ip_evidence", name, owner, confidential=False)

    def _right_status(self, granted: date | None, expiry: date | None) -> str:
        if granted is None:
            return "rejected" if self.rng.random() < 0.05 else "pending"
        if expiry is not None and expiry < b.ANCHOR.date():
            return "expired"
        return "granted"

    def _valuation(
        self, listing: dict[str, Any], owner: str, *, independent: bool, verified: bool
    ) -> None:
        method = self.rng.choice(["cost", "market", "income"])
        valuation_id = b.demo_id("valuation", str(listing["id"]))
        valuer = VALUER_NAME if independent else self.org_names[owner]
        self.plan.valuations.append(
            {
                "id": valuation_id,
                "listing_id": listing["id"],
                "method": method,
                "value": self.rng.randrange(30, 800) * 10_000_000,
                "currency": "VND",
                "valuation_date": (b.ANCHOR - timedelta(days=self.rng.randint(30, 700))).date(),
                "valuer_organisation_id": self.valuer_id if independent else self.org_ids[owner],
                "valuer_name": valuer,
                "independent": independent,
                "verified": verified,
                "verified_by_id": self.verifier_id if verified else None,
                "verified_at": b.ANCHOR - timedelta(days=self.rng.randint(1, 30))
                if verified
                else None,
                "notes": METHOD_NOTES[method] + ("" if independent else " Chủ sở hữu tự định giá."),
                "created_at": listing["created_at"],
            }
        )
        self._attach(valuation_id, "valuation_id", "valuation_report",
                     f"chung-thu-dinh-gia-{valuation_id.hex[:8]}.pdf", owner)  # fmt: skip

    def _attach(
        self, owner_id: uuid.UUID, column: str, purpose: str, filename: str, owner: str,
        *, confidential: bool = True,
    ) -> None:  # fmt: skip
        key = f"{column}:{owner_id}:{purpose}"
        self.plan.attachments.append(
            {
                "id": b.demo_id("attachment", key),
                column: owner_id,
                "purpose": purpose,
                "filename": filename,
                "content_type": "application/pdf",
                "storage_key": storage_key(key),
                "confidential": confidential,
                "uploaded_by_id": None,
                "size_bytes": 0,  # set with the file's bytes by the seeder
                "sha256": "",
                "_title": f"{purpose} – {filename} – {self.org_names[owner]}",
            }
        )


VALUER_NAME = "Công ty CP Thẩm định giá Tài sản Trí tuệ Việt"
