from django.urls import path

from townsquare.web import assignment as assignment_views
from townsquare.web import (
    channel_detail,
    channels,
    escalation,
    hooks,
    imports,
    labels,
    live,
    not_for_us,
    ops,
    supervisor,
    tokens,
    views,
)
from townsquare.web import csat as csat_views
from townsquare.web import customer_merge as customer_merge_views
from townsquare.web import customers as customer_views
from townsquare.web import replies as reply_views

app_name = "web"
urlpatterns = [
    path("", views.conversation_list, name="conversations"),
    path("not-for-us/", not_for_us.not_for_us, name="not-for-us"),
    path("conversations/<int:conversation_id>/", views.conversation_detail, name="conversation"),
    path("messages/<int:message_id>/corrections", labels.correct, name="correct"),
    path("conversations/<int:conversation_id>/escalate", escalation.escalate_view, name="escalate"),
    path("conversations/<int:conversation_id>/claim", assignment_views.claim_view, name="claim"),
    path("conversations/<int:conversation_id>/assign", assignment_views.assign_view, name="assign"),
    path("conversations/<int:conversation_id>/unassign", assignment_views.unassign_view, name="unassign"),
    path("presence/", assignment_views.presence, name="presence"),
    path("channels/", channels.channels, name="channels"),
    path("channels/<int:channel_id>/rotate-secret", channels.rotate, name="rotate-secret"),
    path("channels/<int:channel_id>/", channel_detail.channel_detail, name="channel"),
    path("channels/<int:channel_id>/test", channel_detail.test_channel, name="channel-test"),
    path("channels/<int:channel_id>/switch", channel_detail.switch_channel, name="channel-switch"),
    path(
        "channels/<int:channel_id>/rejected/<int:rejected_id>/raw",
        channel_detail.rejected_raw,
        name="channel-rejected-raw",
    ),
    path("imports/", imports.imports, name="imports"),
    path("imports/<int:import_id>/", imports.import_detail, name="import"),
    path("imports/<int:import_id>/rejects.csv", imports.import_rejects, name="import-rejects"),
    path("webhooks/", hooks.webhooks, name="webhooks"),
    path("webhooks/<int:endpoint_id>/", hooks.webhook, name="webhook"),
    path("webhooks/<int:endpoint_id>/test", hooks.send_test, name="webhook-test"),
    path("webhooks/<int:endpoint_id>/rotate-secret", hooks.rotate, name="webhook-rotate-secret"),
    path("webhooks/<int:endpoint_id>/delete", hooks.delete, name="webhook-delete"),
    path("webhooks/deliveries/<int:delivery_id>/redeliver", hooks.redeliver, name="webhook-redeliver"),
    path("account/tokens/", tokens.tokens, name="tokens"),
    path("account/tokens/<int:token_id>/revoke", tokens.revoke, name="revoke-token"),
    path("live/changes", live.changes, name="live-changes"),
    path("views/counts", views.view_counts, name="view-counts"),
    path("supervisor/", supervisor.supervisor, name="supervisor"),
    path("conversations/<int:conversation_id>/reply", reply_views.post_reply, name="reply"),
    path("conversations/<int:conversation_id>/status", reply_views.post_status, name="conversation-status"),
    path("conversations/<int:conversation_id>/notes", reply_views.post_note, name="add-note"),
    path("conversations/<int:conversation_id>/typing", reply_views.typing, name="reply-typing"),
    path(
        "conversations/<int:conversation_id>/canned-preview",
        reply_views.canned_preview,
        name="canned-preview",
    ),
    path("replies/<int:reply_id>/undo", reply_views.undo_reply, name="undo-reply"),
    path("replies/<int:reply_id>/retry", reply_views.retry_failed_reply, name="retry-reply"),
    path("csat/<str:token>/", csat_views.csat, name="csat"),
    path("customers/<int:customer_id>/", customer_views.customer_detail, name="customer"),
    path("customers/<int:customer_id>/consent", customer_views.record_consent_view, name="record-consent"),
    path("customers/<int:customer_id>/merge", customer_merge_views.merge_view, name="customer-merge"),
    path("identities/<int:identity_id>/split", customer_merge_views.split_view, name="identity-split"),
    path("healthz", ops.healthz, name="healthz"),
    path("metrics", ops.metrics, name="metrics"),
]
