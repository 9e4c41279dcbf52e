"""Who is told what when a connection changes (in-app notification + mail after commit)."""

import uuid
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from app.connections.models import Connection, Side
from app.connections.rules import organisation_of
from app.core.config import Settings
from app.notifications.service import Message, notify_organisation, notify_users

# kind -> (title_vi, title_en, body_vi, body_en)
TEXTS: dict[str, tuple[str, str, str, str]] = {
    "connection.requested": (
        "Yêu cầu kết nối mới đang chờ bạn trả lời",
        "A new connection request awaits your answer",
        "Một tổ chức muốn kết nối với bạn. Hãy chấp nhận hoặc từ chối yêu cầu.",
        "An organisation wants to connect with you. Please accept or decline the request.",
    ),
    "connection.accepted": (
        "Yêu cầu kết nối đã được chấp nhận",
        "Your connection was accepted",
        "Bên kia đã chấp nhận kết nối; thông tin chi tiết đã được chia sẻ.",
        "The other party accepted the connection; the detailed information is now shared.",
    ),
    "connection.declined": (
        "Yêu cầu kết nối bị từ chối",
        "Your connection was declined",
        "Bên kia đã từ chối kết nối.",
        "The other party declined the connection.",
    ),
    "connection.message": (
        "Tin nhắn mới trong kết nối",
        "New message on a connection",
        "Bạn có tin nhắn mới, hãy xem và trả lời.",
        "You have a new message; please read and answer it.",
    ),
    "connection.in_negotiation": (
        "Kết nối chuyển sang giai đoạn đàm phán",
        "The connection moved to negotiation",
        "Hai bên bắt đầu đàm phán.",
        "The parties started negotiating.",
    ),
    "connection.closed": (
        "Kết nối đã kết thúc, không có giao dịch",
        "The connection was closed without a deal",
        "Kết nối đã được đóng.",
        "The connection has been closed.",
    ),
    "connection.contracted": (
        "Hợp đồng đã được ký cho kết nối",
        "A contract was signed for the connection",
        "Kết nối đã dẫn đến một hợp đồng được ký.",
        "The connection led to a signed contract.",
    ),
    "connection.assigned": (
        "Bạn được giao phụ trách một kết nối",
        "A connection was assigned to you",
        "Hãy xem kết nối và ghi bước tiếp theo.",
        "Please review the connection and record the next action.",
    ),
    "connection.service_request": (
        "Yêu cầu dịch vụ mới cần xử lý",
        "A new service request to handle",
        "Một yêu cầu dịch vụ của sàn đã được giao cho bạn.",
        "An exchange service request was assigned to you.",
    ),
}


def message(kind: str, connection: Connection, extra_en: str | None = None) -> Message:
    title_vi, title_en, body_vi, body_en = TEXTS[kind]
    if extra_en:
        body_vi, body_en = f"{body_vi}\n\n{extra_en}", f"{body_en}\n\n{extra_en}"
    return Message(
        kind=kind,
        title_vi=title_vi,
        title_en=title_en,
        body_vi=body_vi,
        body_en=body_en,
        link=f"/connections/{connection.id}",
        object_type="connection",
        object_id=connection.id,
    )


async def tell_sides(
    session: AsyncSession,
    settings: Settings,
    connection: Connection,
    sides: Iterable[Side],
    kind: str,
    extra: str | None = None,
) -> None:
    for side in sorted(set(sides)):
        org_id = organisation_of(connection, side)
        await notify_organisation(session, settings, org_id, message(kind, connection, extra))


async def tell_user(
    session: AsyncSession,
    settings: Settings,
    user_id: uuid.UUID | None,
    connection: Connection,
    kind: str,
    extra: str | None = None,
) -> None:
    if user_id is not None:
        await notify_users(session, settings, {user_id}, message(kind, connection, extra))
