"""The versioned REST API, /api/v1: one router per area, OpenAPI 3.1 at /api/v1/openapi.json."""

from ninja import NinjaAPI

from townsquare.api import agents as agents_api
from townsquare.api import assignment as assignment_api
from townsquare.api import audit as audit_api
from townsquare.api import canned as canned_api
from townsquare.api import (
    channels,
    community_content,
    community_notify,
    community_spaces,
    conversations,
    escalation,
    imports,
    messages,
    tokens,
    webhook,
)
from townsquare.api import community_bridge as community_bridge_api
from townsquare.api import community_guidelines as community_guidelines_api
from townsquare.api import community_members as community_members_api
from townsquare.api import community_moderation as community_moderation_api
from townsquare.api import community_search as community_search_api
from townsquare.api import consent as consent_api
from townsquare.api import csat as csat_api
from townsquare.api import customers_merge as customers_merge_api
from townsquare.api import guard as guard_api
from townsquare.api import hooks as hooks_api
from townsquare.api import insights as insights_api
from townsquare.api import insights_cost as insights_cost_api
from townsquare.api import insights_periods as insights_periods_api
from townsquare.api import notes as notes_api
from townsquare.api import queues as queues_api
from townsquare.api import replies as replies_api
from townsquare.api import sla as sla_api
from townsquare.api.auth import api_auth
from townsquare.api.community_errors import install_community_handlers
from townsquare.api.errors import install_handlers

api = NinjaAPI(
    version="1",
    title="Townsquare API",
    description="Social customer care: conversations, messages and channels; queues, agents, "
    "assignment and escalation; SLAs; replies (checked by the reply guard), notes, canned replies "
    "and CSAT; customers and their consent; outgoing webhooks; the audit log. "
    "Authenticate with `Authorization: Bearer <token>` (`townsquare token create USERNAME`) "
    "or the console's session (send X-CSRFToken on unsafe methods).",
    urls_namespace="api-v1",
    auth=api_auth,
)
install_handlers(api)
install_community_handlers(api)

api.add_router("/conversations", conversations.router)
api.add_router("/conversations", escalation.router)
api.add_router("/conversations", assignment_api.router)
# The care bridge: community answers for a conversation, and publishing it to the community.
api.add_router("/conversations", community_bridge_api.router)
api.add_router("/queues", queues_api.router)
api.add_router("/agents", agents_api.router)
api.add_router("/messages", messages.router)
api.add_router("/channels", channels.router)
api.add_router("/channels", webhook.router)
api.add_router("/connectors", channels.connectors_router)
api.add_router("/tokens", tokens.router)
api.add_router("/audit", audit_api.router)
api.add_router("/webhooks", hooks_api.router)
api.add_router("/customers", consent_api.router)
# One customer across channels: identities, merging customers and splitting an identity off.
api.add_router("/customers", customers_merge_api.router)
api.add_router("/identities", customers_merge_api.identities_router)
api.add_router("/guard", guard_api.router)
# Mounted at the root: its paths span /channels/{id}/imports and /imports.
api.add_router("", imports.router)
# SLA policies and calendars under /sla, and /conversations/{id}/sla.
api.add_router("", sla_api.router)
# Replying, notes, canned replies and CSAT: their paths span /conversations/{id}/… and their own roots.
for replies_router in (replies_api.router, notes_api.router, canned_api.router, csat_api.router):
    api.add_router("", replies_router)
# The community: spaces and tags, topics and posts (public reads, signed-in writes).
api.add_router("/community", community_spaces.router)
api.add_router("/community", community_content.router)
api.add_router("/community", community_notify.router)
api.add_router("/community", community_guidelines_api.router)
api.add_router("/community", community_moderation_api.router)
api.add_router("/community", community_search_api.router)
# Profiles, reputation, trust levels, badges, the leaderboard and the ambassador program.
api.add_router("/community", community_members_api.router)
# Closed insights periods: listing, closing and recomputing them on purpose.
api.add_router("/insights", insights_periods_api.router)
# Insights: the report, its sections, drill-down, exports and refreshing the projection.
api.add_router("/insights", insights_api.router)
api.add_router("/insights", insights_cost_api.router)  # the cost-of-care model
