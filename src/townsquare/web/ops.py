"""Operations endpoints: `/healthz` for load balancers, `/metrics` for Prometheus."""

import hmac
import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.tasks.base import TaskResultStatus
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult

from townsquare.inbox.models import Channel, Conversation, ConversationStatus

logger = logging.getLogger(__name__)

PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
CHANNEL_COUNTERS = [
    ("messages_stored", "Messages stored, by channel."),
    ("messages_duplicate", "Messages received again and not stored twice, by channel."),
    ("messages_rejected", "Messages rejected as invalid, by channel."),
]


@require_GET
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.error("health check: database unavailable: %s", exc)
        error = f"{type(exc).__name__}: {exc}"[:300]
        return JsonResponse({"status": "error", "database": error}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _authorized(request) -> bool:
    token = settings.METRICS_TOKEN
    if not token:
        return True
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def _label(value: str) -> str:
    # Prometheus label values escape backslash, double quote and newline.
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _metric(name: str, kind: str, help_text: str, samples: list[tuple[str, int]]) -> list[str]:
    lines = [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]
    lines += [f"{name}{labels} {value}" for labels, value in samples]
    return lines


def exposition() -> str:
    """All metrics in the Prometheus text format; a handful of aggregate queries."""
    channels = list(Channel.objects.order_by("name").values("name", *(f for f, _ in CHANNEL_COUNTERS)))
    lines = []
    for field, help_text in CHANNEL_COUNTERS:
        samples = [(f'{{channel="{_label(c["name"])}"}}', c[field]) for c in channels]
        lines += _metric(f"townsquare_{field}_total", "counter", help_text, samples)

    by_status = dict.fromkeys(ConversationStatus.values, 0)
    counts = Conversation.objects.order_by().values("status").annotate(n=Count("id"))
    by_status.update({row["status"]: row["n"] for row in counts})
    samples = [(f'{{status="{_label(status)}"}}', n) for status, n in by_status.items()]
    lines += _metric("townsquare_conversations", "gauge", "Conversations, by status.", samples)

    unfinished = [TaskResultStatus.READY, TaskResultStatus.RUNNING]
    depth = DBTaskResult.objects.filter(status__in=unfinished).count()
    lines += _metric(
        "townsquare_task_queue_depth", "gauge", "Background tasks waiting or running.", [("", depth)]
    )
    return "\n".join(lines) + "\n"


@require_GET
@never_cache
def metrics(request):
    if not _authorized(request):
        response = HttpResponse("a valid bearer token is required\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(exposition(), content_type=PROMETHEUS_CONTENT_TYPE)
