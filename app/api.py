"""Every domain router under /api/v1."""

from fastapi import APIRouter

from app.attachments.router import router as attachments_router
from app.auth.router import router as auth_router
from app.connections.brokerage_router import router as brokerage_router
from app.connections.router import router as connections_router
from app.contracts.router import router as contracts_router
from app.core.audit_router import router as audit_router
from app.ip.router import router as ip_router
from app.kpi.router import router as kpi_router
from app.listings.moderation_router import router as moderation_router
from app.listings.router import router as listings_router
from app.listings.taxonomy_router import router as taxonomy_router
from app.matching.match_router import router as match_router
from app.matching.router import router as search_router
from app.matching.saved_search_router import router as saved_search_router
from app.needs.router import router as needs_router
from app.notifications.router import router as notifications_router

router = APIRouter(prefix="/api/v1")
router.include_router(taxonomy_router)
router.include_router(auth_router)
router.include_router(audit_router)
router.include_router(notifications_router)
router.include_router(listings_router)
router.include_router(moderation_router)
router.include_router(needs_router)
router.include_router(search_router)
router.include_router(match_router)
router.include_router(saved_search_router)
router.include_router(ip_router)
router.include_router(attachments_router)
router.include_router(connections_router)
router.include_router(brokerage_router)
router.include_router(contracts_router)
router.include_router(kpi_router)
