"""Who is told what when a contract changes (in-app notification + mail after commit)."""

import uuid
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from app.contracts.models import Contract
from app.core.config import Settings
from app.notifications.service import Message, notify_organisation, notify_users

# kind -> (title_vi, title_en, body_vi, body_en)
TEXTS: dict[str, tuple[str, str, str, str]] = {
    "contract.to_sign": (
        "Hợp đồng đang chờ bạn ký",
        "A contract awaits your signature",
        "Hãy xem lại các điều khoản và ký hợp đồng trên sàn.",
        "Please review the terms and sign the contract on the exchange.",
    ),
    "contract.signed": (
        "Hợp đồng đã được ký",
        "The contract has been signed",
        "Cả hai bên đã ký hợp đồng.",
        "Both parties have signed the contract.",
    ),
    "contract.registration_due": (
        "Sắp hết hạn đăng ký hợp đồng chuyển giao công nghệ",
        "Technology-transfer contract registration is due soon",
        "Hợp đồng phải được đăng ký với cơ quan quản lý KH&CN trong 90 ngày kể từ ngày ký "
        "(Luật Chuyển giao công nghệ, Điều 31).",
        "The contract must be registered with the S&T authority within 90 days of signing "
        "(Law on Technology Transfer, Art. 31).",
    ),
    "contract.terminated": (
        "Hợp đồng đã chấm dứt",
        "The contract was terminated",
        "Hợp đồng đã được chấm dứt.",
        "The contract has been terminated.",
    ),
}


def message(kind: str, contract: Contract, extra: str | None = None) -> Message:
    title_vi, title_en, body_vi, body_en = TEXTS[kind]
    if extra:
        body_vi, body_en = f"{body_vi}\n\n{extra}", f"{body_en}\n\n{extra}"
    return Message(
        kind=kind,
        title_vi=title_vi,
        title_en=title_en,
        body_vi=body_vi,
        body_en=body_en,
        link=f"/contracts/{contract.id}",
        object_type="contract",
        object_id=contract.id,
    )


async def tell(
    session: AsyncSession,
    settings: Settings,
    contract: Contract,
    organisations: Iterable[uuid.UUID],
    kind: str,
    extra: str | None = None,
    broker: uuid.UUID | None = None,
) -> None:
    for org_id in dict.fromkeys(organisations):
        await notify_organisation(session, settings, org_id, message(kind, contract, extra))
    if broker is not None:
        await notify_users(session, settings, {broker}, message(kind, contract, extra))
