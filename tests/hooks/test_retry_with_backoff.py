"""A receiver that fails gets the delivery again later, less and less often, until it answers or
Townsquare gives up and says so in the event log."""

from datetime import timedelta

from django.utils import timezone

from tests.hooks.builders import ingest_conversation
from townsquare.events.models import Event
from townsquare.hooks.delivering import send_due
from townsquare.hooks.models import Delivery, DeliveryStatus, Endpoint


def run_until_settled(clock, *, rounds: int = 20):
    """Call the sender at each delivery's retry time, as the scheduled tasks would."""
    for _ in range(rounds):
        send_due(now=clock)
        due = Delivery.objects.filter(next_attempt_at__isnull=False).order_by("next_attempt_at").first()
        if due is None:
            return clock
        # A paused endpoint's deliveries wait for its retry, when its scheduled task runs.
        paused_until = Endpoint.objects.get(pk=due.endpoint_id).paused_until
        clock = max(due.next_attempt_at, paused_until or due.next_attempt_at)
    return clock


def gaps(delivery) -> list[float]:
    """Seconds between consecutive attempts."""
    starts = [a.started_at for a in delivery.attempt_log.order_by("number")]
    return [(later - earlier).total_seconds() for earlier, later in zip(starts, starts[1:], strict=False)]


def test_fails_twice_then_succeeds_with_growing_backoff(endpoint, receiver, twitter):
    receiver.script = [500, "close"]  # then the default: 200
    ingest_conversation(twitter)
    start = timezone.now()

    assert send_due(now=start).failed == 1
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_status_code == 500
    first_wait = (delivery.next_attempt_at - start).total_seconds()
    assert 22.5 <= first_wait <= 30  # 30 s with jitter
    # Not due yet: nothing is sent before the backoff has passed.
    assert send_due(now=start + timedelta(seconds=20)).attempted == 0

    run_until_settled(delivery.next_attempt_at)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.attempts == 3
    assert len(receiver.requests) == 3
    log = list(delivery.attempt_log.order_by("number"))
    assert [a.number for a in log] == [1, 2, 3]
    assert [a.status_code for a in log] == [500, None, 200]
    assert "closed the connection" in log[1].error
    assert log[0].response_excerpt.startswith("receiver is unhappy")
    assert len(log[0].response_excerpt.encode()) <= 1024
    first, second = gaps(delivery)
    assert 22.5 <= first <= 30 and 90 <= second <= 120  # 30 s, then 2 min
    assert second > first
    # Every attempt carries the same delivery id and body, signed afresh.
    assert len({r.headers["X-Townsquare-Delivery"] for r in receiver.requests}) == 1
    assert len({r.body for r in receiver.requests}) == 1


def test_gives_up_after_max_attempts(settings, endpoint, receiver, twitter):
    settings.WEBHOOK_MAX_ATTEMPTS = 4
    receiver.default = 503
    conversation = ingest_conversation(twitter)

    run_until_settled(timezone.now())

    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.GAVE_UP
    assert delivery.attempts == 4 and delivery.attempt_log.count() == 4
    assert delivery.next_attempt_at is None
    assert len(receiver.requests) == 4
    waits = gaps(delivery)
    assert waits == sorted(waits) and waits[-1] > 3 * waits[0]  # 30 s, 2 min, 8 min with jitter
    event = Event.objects.get(kind="webhook.gave_up")
    assert event.conversation_id == conversation.pk
    assert event.data["attempts"] == 4 and event.data["last_status_code"] == 503
    assert event.data["delivery"] == str(delivery.uuid)
    # Nothing more is sent, however late it gets.
    send_due(now=timezone.now() + timedelta(days=30))
    assert len(receiver.requests) == 4


def test_a_slow_receiver_times_out_and_is_retried(settings, endpoint, receiver, twitter):
    settings.WEBHOOK_TIMEOUT = 0.3
    receiver.slow_seconds = 1.0
    receiver.script = ["slow"]
    ingest_conversation(twitter)

    send_due(now=timezone.now())

    attempt = Delivery.objects.get().attempt_log.get()
    assert attempt.status_code is None and "timed out" in attempt.error
    assert attempt.duration_ms < 900


def test_a_redirect_is_not_followed(endpoint, receiver, twitter):
    receiver.script = [302]
    ingest_conversation(twitter)

    send_due(now=timezone.now())

    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_status_code == 302
    assert len(receiver.requests) == 1


def test_an_unreachable_receiver_pauses_the_endpoint_and_order_is_kept(endpoint, receiver, twitter):
    receiver.script = ["close"]
    for n in range(3):
        ingest_conversation(twitter, external_id=f"t{n}")
    start = timezone.now()

    report = send_due(now=start)

    # One try, not three: the receiver is down, the others wait behind the first.
    assert report.attempted == 1 and len(receiver.requests) == 1
    endpoint.refresh_from_db()
    first = Delivery.objects.order_by("id").first()
    assert endpoint.paused_until == first.next_attempt_at
    assert send_due(now=start + timedelta(seconds=5)).attempted == 0

    send_due(now=endpoint.paused_until)

    assert Delivery.objects.filter(status=DeliveryStatus.SUCCEEDED).count() == 3
    ids = [r.headers["X-Townsquare-Delivery"] for r in receiver.requests[1:]]
    assert ids == [str(u) for u in Delivery.objects.order_by("id").values_list("uuid", flat=True)]
    assert Endpoint.objects.get().paused_until is None


def test_a_failed_attempt_schedules_its_retry_task(
    endpoint, receiver, twitter, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    receiver.script = [500]
    ingest_conversation(twitter)

    with django_capture_on_commit_callbacks(execute=True):
        send_due(now=timezone.now())

    delivery = Delivery.objects.get()
    task = DBTaskResult.objects.get(task_path="townsquare.hooks.tasks.send_webhooks_task")
    assert task.queue_name == "webhooks"
    assert task.run_after == delivery.next_attempt_at
    assert task.args_kwargs["args"] == [endpoint.pk]


def test_after_giving_up_on_an_unreachable_receiver_the_next_delivery_is_tried(
    settings, endpoint, receiver, twitter
):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    receiver.script = ["close", "close"]  # the first delivery's two attempts; then the receiver is back
    ingest_conversation(twitter, external_id="first")
    ingest_conversation(twitter, external_id="second")

    run_until_settled(timezone.now())

    first, second = Delivery.objects.order_by("id")
    assert first.status == DeliveryStatus.GAVE_UP and first.attempts == 2
    assert second.status == DeliveryStatus.SUCCEEDED and second.attempts == 1
    assert Endpoint.objects.get().paused_until is None
