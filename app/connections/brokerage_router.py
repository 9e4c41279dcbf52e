"""HTTP routes of the broker's pipeline."""

import uuid
from datetime import datetime

from fastapi import APIRouter

from app.connections import brokerage, schemas
from app.connections.dependencies import ConnectionReader
from app.connections.recording import VIETNAM
from app.core.db import SessionDep
from app.core.errors import Forbidden, problems

router = APIRouter(prefix="/brokerage", tags=["brokerage"])


@router.get(
    "/pipeline",
    name="pipeline",
    summary="A broker's connections by stage, with next action and due date",
    response_model=schemas.Pipeline,
    responses=problems(401, 403),
)
async def pipeline(
    session: SessionDep, principal: ConnectionReader, broker_user_id: uuid.UUID | None = None
) -> schemas.Pipeline:
    """Brokers see their own pipeline; operator staff may name any broker."""
    if broker_user_id is not None and broker_user_id != principal.user_id:
        if not principal.is_operator_staff:
            raise Forbidden("Only operator staff look at another broker's pipeline.")
    elif not principal.is_broker or principal.user_id is None:
        raise Forbidden("The pipeline is for brokers.")
    broker = broker_user_id or principal.user_id
    assert broker is not None
    return await brokerage.pipeline(session, broker, datetime.now(VIETNAM).date())
