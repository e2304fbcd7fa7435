"""The insights bench's measurements (a child process with Django set up on a built fixture).

    python -m bench.insights_timing REPEATS

Prints one JSON line:
- baseline: one `SELECT kind, COUNT(*) FROM events_event GROUP BY kind` (median of REPEATS);
- report: `build_report(Filters(...), fresh=False)` with every registered section, after a warm-up
  (median of REPEATS), the time of the shared frame load and of each section alone, and the
  report's peak memory (tracemalloc) and the process's peak RSS;
- refresh: `projection.refresh()` after 1,000 new events of a realistic mix (bench/insights_gen
  `recent_events`), each trial in a transaction rolled back afterwards so every trial (and the
  next run) starts from the same projection.
"""

import json
import os
import resource
import statistics
import sys
import time
import tracemalloc

REFRESH_EVENTS = 1000
REPORT_ZONE = "Europe/London"


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    value = fn()
    return (time.perf_counter() - started) * 1000, value


def timed_cpu(fn) -> tuple[float, float, object]:
    """(wall ms, this process's CPU ms, fn's value): on a busy machine the CPU time shows what the work costs
    (for PostgreSQL it leaves out the server's own CPU)."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, value


def group_by_kind() -> list:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT kind, COUNT(*) FROM events_event GROUP BY kind")
        return cursor.fetchall()


def report_timings(repeats: int) -> dict:
    from townsquare.insights import frame_cache, report
    from townsquare.insights.filters import Filters
    from townsquare.insights.frame import load_frame

    filters = Filters(time_zone=REPORT_ZONE)
    # Cold: a process's first report loads every fact (frame_cache); later ones patch that copy.
    frame_cache.forget()
    cold_ms, cold_cpu_ms, _ = timed_cpu(lambda: report.build_report(filters, fresh=False))
    report.build_report(filters, fresh=False)  # warm-up: imports, caches
    runs = [timed_cpu(lambda: report.build_report(filters, fresh=False))[:2] for _ in range(repeats)]
    frame_ms, frame = timed(lambda: load_frame(filters))
    sections, sections_cpu = {}, {}
    for name, fn in report.SECTIONS.items():
        wall, cpu, _ = timed_cpu(lambda fn=fn: fn(frame, filters))
        sections[name], sections_cpu[name] = round(wall, 1), round(cpu, 1)
    tracemalloc.start()
    report.build_report(filters, fresh=False)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "median_ms": statistics.median(wall for wall, _ in runs),
        "runs_ms": [round(wall, 1) for wall, _ in runs],
        "cpu_ms": statistics.median(cpu for _, cpu in runs),
        "cold_ms": round(cold_ms, 1),
        "cold_cpu_ms": round(cold_cpu_ms, 1),
        "frame_ms": round(frame_ms, 1),
        "facts": len(frame),
        "sections_ms": sections,
        "sections_cpu_ms": sections_cpu,
        "peak_mb": round(peak / 2**20, 1),
    }


def recent_events(start_id: int, now) -> list[tuple]:
    """1,000 events as the last minutes would bring them: new conversations and customer messages,
    agents' replies, status changes, assignment, SLA clocks, triage labels, a CSAT answer."""
    from django.db import connection

    from townsquare.insights.models import ConversationFact, MessageFact

    adapt = connection.ops.adapt_datetimefield_value
    recent = list(
        ConversationFact.objects.filter(
            merged_into__isnull=True, channel_kind__in=["email", "livechat", "webhook"]
        )
        .order_by("-started_at")
        .values_list("conversation_id", "channel_id", "assignee_id")[:400]
    )
    next_conversation = (
        (ConversationFact.objects.order_by("-conversation_id").values_list("pk", flat=True)[0]) + 1
    )
    next_message = (MessageFact.objects.order_by("-message_id").values_list("pk", flat=True)[0]) + 1
    channel = recent[0][1]
    rows, inbound = [], []

    def add(kind, conversation=None, message=None, actor=None, data=None, channel_id=None):
        rows.append(
            (
                start_id + len(rows),
                kind,
                adapt(now),
                actor,
                channel_id,
                conversation,
                message,
                json.dumps(data or {}),
            )
        )

    for i in range(100):  # new conversations, each with a first customer message and its SLA clocks
        cid = next_conversation + i
        add("conversation.created", cid, channel_id=channel)
        add("message.received", cid, next_message, data={"direction": "in"}, channel_id=channel)
        inbound.append((next_message, cid))
        next_message += 1
        add("sla.clock_started", cid, data={"metric": "first_response", "due_at": now.isoformat()})
    for i, (cid, channel_id, assignee) in enumerate(recent[:300]):  # replies and follow-ups
        if i % 3:
            add("message.sent", cid, next_message, actor=assignee, channel_id=channel_id)
        else:
            add("message.received", cid, next_message, data={"direction": "in"}, channel_id=channel_id)
            inbound.append((next_message, cid))
        next_message += 1
    for cid, _, assignee in recent[:150]:  # resolutions
        add("conversation.status_changed", cid, actor=assignee, data={"from": "open", "to": "resolved"})
    for cid, _, assignee in recent[150:230]:  # assignment and queueing of the newest
        add("conversation.assigned", cid, data={"assignee_id": assignee, "queue_id": None})
    for cid, *_ in recent[230:250]:
        add("csat.answered", cid, data={"score": 4})
    for first in range(0, len(inbound), 20):  # triage, in batches
        part = inbound[first : first + 20]
        add("triage.labelled", data={"sentiments": [[mid, "negative", 0.8] for mid, _ in part]})
        add(
            "conversation.labelled",
            data={
                "conversations": {
                    cid: ["en", "problem", "negative", "normal", True, False] for _, cid in part
                }
            },
        )
    while len(rows) < REFRESH_EVENTS:  # presence changes fill the rest
        add("agent.presence_changed", data={"user_id": 1, "from": "online", "to": "away"})
    return rows[:REFRESH_EVENTS]


def refresh_timings(repeats: int) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from townsquare.events.models import Event
    from townsquare.insights import frame_cache, report
    from townsquare.insights.filters import Filters
    from townsquare.insights.projection import behind, refresh

    if behind():
        refresh()
    filters = Filters(time_zone=REPORT_ZONE)
    runs, reports = [], []
    for _ in range(repeats):
        # Warm again (untimed): the last trial's copy was dropped with its rolled-back events.
        report.build_report(filters, fresh=False)
        with transaction.atomic():
            start_id = Event.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1
            rows = recent_events(start_id, timezone.now())
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO events_event (id, kind, occurred_at, actor_id, channel_id, conversation_id, "
                    "message_id, data) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                    rows,
                )
            wall, cpu, folded = timed_cpu(refresh)
            # The report right after: the warm copy reads just the facts those events changed.
            report_ms, _, _ = timed_cpu(lambda: report.build_report(filters, fresh=False))
            runs.append((wall, cpu, folded.events))
            reports.append(report_ms)
            transaction.set_rollback(True)
        # The copy holds facts of the rolled-back events.
        frame_cache.forget()
    return {
        "report_after_ms": statistics.median(reports),
        "report_after_runs_ms": [round(ms, 1) for ms in reports],
        "median_ms": statistics.median(wall for wall, _, _ in runs),
        "runs_ms": [round(wall, 1) for wall, _, _ in runs],
        "cpu_ms": statistics.median(cpu for _, cpu, _ in runs),
        "events": runs[0][2],
    }


def main(repeats: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.settings")
    import django

    django.setup()
    group_by_kind()
    load_before = os.getloadavg()[0]
    baseline = [timed(group_by_kind)[0] for _ in range(repeats)]
    events = sum(count for _, count in group_by_kind())
    result = {
        "baseline_ms": statistics.median(baseline),
        "baseline_runs_ms": [round(ms, 1) for ms in baseline],
        "events": events,
        "report": report_timings(repeats),
        "refresh": refresh_timings(repeats),
    }
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    # The machine's 1-minute load average before and after: wall times on a busy machine mislead.
    result["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    return result


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]))))
