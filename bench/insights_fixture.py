"""The insights bench's fixture (a child process with Django set up on a freshly migrated database).

    python -m bench.insights_fixture events MESSAGES CONVERSATIONS   # staff + the event log
    python -m bench.insights_fixture rebuild                         # fold the whole log again

Staff, channels, queues and the business calendar go in through the ORM (a few dozen rows); the
event log (bench/insights_gen.py) with bulk SQL: `executemany` on SQLite, `COPY` on PostgreSQL,
in transactions of CHUNK rows. The projection needs only events, so no conversation or message
rows are written. Each command prints one JSON line: what it wrote, and how long it took.
"""

import json
import os
import sys
import time

import numpy as np

CHUNK = 50_000
EVENT_COLUMNS = "kind, occurred_at, actor_id, channel_id, conversation_id, message_id, data"


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.settings")
    import django

    django.setup()


def create_staff():
    """The inbox bench's staff, channels and queues, and office hours for business-time figures."""
    from bench.inbox_data import CHANNELS
    from bench.inbox_fixture import STAFF, create_staff
    from bench.insights_gen import Staff
    from townsquare.sla.models import BusinessCalendar, SlaPolicy

    ids = create_staff()
    roles = {username: role for username, role, *_ in STAFF}
    users = ids["users"]
    calendar = BusinessCalendar.objects.create(
        name="Bench office hours",
        time_zone="Europe/London",
        hours={day: [["08:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")},
    )
    SlaPolicy.objects.create(
        name="Bench default", first_response_minutes=60, resolution_minutes=1440, calendar=calendar
    )
    return Staff(
        channels={name: (ids["channels"][name], kind, weight) for name, kind, weight in CHANNELS},
        queues=[pk for name, pk in ids["queues"].items() if name != "Bench claims"],
        agents=[pk for name, pk in users.items() if roles[name] == "agent" and not name.startswith("claim")],
        ambassadors=[pk for name, pk in users.items() if roles[name] == "ambassador"],
        supervisors=[pk for name, pk in users.items() if roles[name] == "supervisor"],
    )


def sqlite_times(at: np.ndarray) -> np.ndarray:
    """Epoch seconds as Django stores datetimes in SQLite (naive UTC, 'YYYY-MM-DD HH:MM:SS.ffffff')."""
    text = np.datetime_as_string((at * 1e6).astype("datetime64[us]"), unit="us")
    return np.char.replace(text, "T", " ")


def rows_of(events, start: int, stop: int, postgres: bool) -> list[tuple]:
    at = events.at[start:stop]
    times = [f"{t}+00" for t in sqlite_times(at)] if postgres else sqlite_times(at).tolist()
    from bench.insights_gen import KINDS

    def plain(values):
        return [None if v < 0 else int(v) for v in values]

    return list(
        zip(
            [KINDS[k] for k in events.kind[start:stop]],
            times,
            plain(events.actor[start:stop]),
            plain(events.channel[start:stop]),
            plain(events.conversation[start:stop]),
            plain(events.message[start:stop]),
            [events.data(i) for i in range(start, stop)],
            strict=True,
        )
    )


def write_events(events, table: str = "events_event") -> None:
    from django.db import connection, transaction

    postgres = connection.vendor == "postgresql"
    for start in range(0, len(events), CHUNK):
        rows = rows_of(events, start, min(len(events), start + CHUNK), postgres)
        with transaction.atomic(), connection.cursor() as cursor:
            if postgres:
                with cursor.cursor.copy(f"COPY {table} ({EVENT_COLUMNS}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(
                    f"INSERT INTO {table} ({EVENT_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s)", rows
                )


def analyze() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return
    from townsquare.ops.periodic import refresh_sqlite_statistics

    refresh_sqlite_statistics(force=True)


def make_events(messages: int, conversations: int) -> dict:
    from datetime import UTC, datetime

    from bench.insights_gen import KINDS, generate

    started = time.perf_counter()
    staff = create_staff()
    anchor = datetime.now(UTC).replace(microsecond=0)
    events = generate(conversations, messages, staff, anchor.timestamp())
    write_events(events)
    analyze()
    kinds, counts = np.unique(events.kind, return_counts=True)
    return {
        "events": len(events),
        "messages": messages,
        "conversations": conversations,
        "by_kind": {KINDS[k]: int(c) for k, c in zip(kinds, counts, strict=True)},
        "anchor": anchor.isoformat(),
        "channels": {name: pk for name, (pk, _, _) in staff.channels.items()},
        "staff": {"agents": staff.agents, "ambassadors": staff.ambassadors, "queues": staff.queues},
        "seconds": round(time.perf_counter() - started, 1),
    }


def rebuild() -> dict:
    from townsquare.insights.models import ConversationFact, MessageFact
    from townsquare.insights.projection import rebuild as rebuild_projection

    started = time.perf_counter()
    result = rebuild_projection()
    seconds = time.perf_counter() - started
    analyze()
    return {
        **result.as_dict(),
        "seconds": round(seconds, 2),
        "events_per_s": round(result.events / seconds, 1) if seconds else None,
        "conversation_facts": ConversationFact.objects.count(),
        "message_facts": MessageFact.objects.count(),
    }


if __name__ == "__main__":
    setup()
    if sys.argv[1] == "events":
        print(json.dumps(make_events(int(sys.argv[2]), int(sys.argv[3]))))
    else:
        print(json.dumps(rebuild()))
