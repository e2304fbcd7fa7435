"""Sending due deliveries: claim one, POST it, log the attempt, then succeed, retry later or give up.

Retries follow an exponential backoff with jitter (30 s, 2 min, 8 min, … by default). Deliveries
to one endpoint go out oldest first. When the receiver gives no HTTP answer at all (refused,
reset, timed out) the whole endpoint pauses until that delivery's retry, so a dead receiver costs
one timeout per backoff step rather than one per event, and the later deliveries keep their order.

`now` lets tests drive the schedule with a clock instead of waiting; workers leave it out.
"""

import json
import random
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from townsquare.events.log import record
from townsquare.hooks import config, sender
from townsquare.hooks.models import PING, Delivery, DeliveryAttempt, DeliveryStatus, Endpoint
from townsquare.hooks.signing import signature_header
from townsquare.hooks.tasks import schedule_sending

BATCH = 100


@dataclass
class SendReport:
    attempted: int = 0
    succeeded: int = 0
    failed: int = 0
    gave_up: int = 0

    def add(self, status: str) -> None:
        self.attempted += 1
        if status == DeliveryStatus.SUCCEEDED:
            self.succeeded += 1
        elif status == DeliveryStatus.GAVE_UP:
            self.gave_up += 1
        else:
            self.failed += 1

    def as_dict(self) -> dict:
        return asdict(self)


def backoff(failed_attempts: int) -> timedelta:
    """base·4^(n-1), capped, then a random 75–100 % of it so that many retries spread out."""
    ceiling = min(config.backoff_base_seconds() * 4 ** (failed_attempts - 1), config.backoff_max_seconds())
    return timedelta(seconds=random.uniform(0.75 * ceiling, ceiling))


def send_due(
    *, endpoint_id: int | None = None, now: datetime | None = None, limit: int = BATCH
) -> SendReport:
    """Send what is due on active endpoints (or on one), at most `limit` per endpoint."""
    report = SendReport()
    endpoints = Endpoint.objects.filter(is_active=True)
    if endpoint_id is not None:
        endpoints = endpoints.filter(pk=endpoint_id)
    for endpoint in endpoints:
        if _send_endpoint(endpoint, now, limit, report) and now is None:
            schedule_sending(endpoint.pk)  # more are due than one run sends
    return report


def _send_endpoint(endpoint: Endpoint, now: datetime | None, limit: int, report: SendReport) -> bool:
    """Send the endpoint's due deliveries in order; True when some due ones were left for later."""
    moment = now or timezone.now()
    if endpoint.paused_until and endpoint.paused_until > moment:
        return False
    due = list(
        Delivery.objects.filter(endpoint=endpoint, next_attempt_at__lte=moment)
        .order_by("id")
        .values_list("id", flat=True)[: limit + 1]
    )
    for delivery_id in due[:limit]:
        outcome = attempt(delivery_id, endpoint, now=now)
        if outcome is None:
            continue  # another worker took it
        report.add(outcome[0])
        if endpoint.paused_until and endpoint.paused_until > moment:
            return False  # no answer: the rest wait for the retry, in order
    return len(due) > limit


def attempt(delivery_id: int, endpoint: Endpoint, *, now: datetime | None = None):
    """Try one delivery if it is due; returns (new status, answer), or None when it was not ours."""
    moment = now or timezone.now()
    # The claim: counting the attempt and moving next_attempt_at past a lease is one conditional
    # UPDATE, so two workers never send the same attempt; a crashed worker's lease runs out.
    lease = timedelta(seconds=2 * config.timeout_seconds() + 60)
    claimed = Delivery.objects.filter(pk=delivery_id, next_attempt_at__lte=moment).update(
        attempts=F("attempts") + 1, next_attempt_at=moment + lease
    )
    if not claimed:
        return None
    delivery = Delivery.objects.get(pk=delivery_id)
    body = encode(delivery.payload)
    timestamp = int(moment.timestamp())
    headers = {
        "Content-Type": "application/json",
        "X-Townsquare-Event": delivery.kind,
        "X-Townsquare-Delivery": str(delivery.uuid),
        "X-Townsquare-Signature": signature_header(endpoint.secret, timestamp, body),
    }
    answer = sender.post(endpoint.url, body, headers, config.timeout_seconds())
    return _settle(delivery, endpoint, moment, answer), answer


def encode(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _settle(delivery: Delivery, endpoint: Endpoint, moment: datetime, answer: sender.Answer) -> str:
    """Log the attempt and decide what comes next, in one transaction."""
    number = delivery.attempts
    status, next_at = _next_step(delivery, moment, answer)
    with transaction.atomic():
        # Conditional on the attempt count: if our lease ran out and another worker claimed it,
        # its outcome wins; this attempt still goes in the log.
        settled = Delivery.objects.filter(pk=delivery.pk, attempts=number).update(
            status=status,
            next_attempt_at=next_at,
            last_status_code=answer.status_code,
            last_error=answer.error,
            delivered_at=moment + timedelta(milliseconds=answer.duration_ms) if answer.ok else None,
        )
        if not settled and not Delivery.objects.filter(pk=delivery.pk).exists():
            return status  # deleted with its endpoint while we were sending
        DeliveryAttempt.objects.create(
            delivery=delivery,
            number=number,
            started_at=moment,
            duration_ms=answer.duration_ms,
            status_code=answer.status_code,
            error=answer.error,
            response_excerpt=answer.excerpt,
        )
        if not settled:
            return status
        if status == DeliveryStatus.GAVE_UP:
            _record_gave_up(delivery, number, answer)
        _pause_or_resume(delivery, endpoint, answer, next_at)
        if next_at is not None:
            schedule_sending(endpoint.pk, at=next_at)
    return status


def _next_step(delivery: Delivery, moment: datetime, answer: sender.Answer):
    if answer.ok:
        return DeliveryStatus.SUCCEEDED, None
    if delivery.kind == PING:
        return DeliveryStatus.FAILED, None  # a test is tried once; the console shows the answer
    if delivery.attempts >= config.max_attempts():
        return DeliveryStatus.GAVE_UP, None
    return DeliveryStatus.FAILED, moment + backoff(delivery.attempts)


def _pause_or_resume(delivery, endpoint: Endpoint, answer: sender.Answer, next_at) -> None:
    """Pause the endpoint until the retry when it gave no answer; lift the pause when it answers.

    Pings (tests by an admin) never pause or resume the real deliveries.
    """
    if delivery.kind == PING:
        return
    if answer.unreachable and next_at is not None:
        Endpoint.objects.filter(pk=endpoint.pk).update(paused_until=next_at)
        endpoint.paused_until = next_at
    elif not answer.unreachable and endpoint.paused_until is not None:
        Endpoint.objects.filter(pk=endpoint.pk).update(paused_until=None)
        endpoint.paused_until = None


def _record_gave_up(delivery: Delivery, attempts: int, answer: sender.Answer) -> None:
    conversation = (delivery.payload or {}).get("conversation") or {}
    record(
        "webhook.gave_up",
        conversation_id=conversation.get("id"),
        data={
            "endpoint_id": delivery.endpoint_id,
            "delivery_id": delivery.pk,
            "delivery": str(delivery.uuid),
            "kind": delivery.kind,
            "attempts": attempts,
            "last_status_code": answer.status_code,
            "last_error": answer.error,
        },
    )
