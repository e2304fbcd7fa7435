"""Write the inbox bench's fixture into a freshly migrated database (a child process with Django set up).

    python -m bench.inbox_fixture MESSAGES CONVERSATIONS CLAIM_POOL

Staff, teams, queues and channels go in through the ORM (a few dozen rows); customers,
identities, conversations, messages, labels and events in big transactions of bulk SQL:
`executemany` on SQLite, `COPY` on PostgreSQL (with foreign-key triggers off while loading, as
for any restore). It is fixture data for a read benchmark, not an ingest measurement. Prints
one JSON line: the staff's user ids and the row counts.
"""

import json
import os
import sys
import time
from datetime import UTC, datetime

STAFF = [
    # username, role, languages, teams, queues
    ("grace", "admin", ["en"], [], []),
    ("carol", "supervisor", ["en"], ["Devices", "Billing", "Community"], []),
    ("alice", "agent", ["en", "de"], ["Devices"], ["Devices EN", "Devices DE", "General"]),
    ("bruno", "agent", ["es", "en"], ["Billing"], ["Billing ES", "Billing EN"]),
    ("bob", "ambassador", ["en", "zh"], ["Community"], ["Community"]),
    ("eve", "moderator", ["en", "de"], [], []),
    *(
        (f"dev{i:02}", "agent", ["en", "de"], ["Devices"], ["Devices EN", "Devices DE", "General"])
        for i in range(1, 13)
    ),
    *(
        (f"bill{i:02}", "agent", ["en", "es"], ["Billing"], ["Billing ES", "Billing EN"])
        for i in range(1, 11)
    ),
    *((f"amb{i:02}", "ambassador", ["en"], ["Community"], ["Community"]) for i in range(1, 5)),
    # The claims bench's eight workers pull from their own manual queue.
    *((f"claim{i:02}", "agent", ["en"], ["Claims"], ["Bench claims"]) for i in range(1, 9)),
]
QUEUES = [
    # name, team, routing mode, rules
    ("Community", "Community", "least_loaded", {"channel": ["community"]}),
    ("Billing ES", "Billing", "least_loaded", {"language": ["es"]}),
    ("Devices DE", "Devices", "least_loaded", {"language": ["de"]}),
    ("Billing EN", "Billing", "least_loaded", {"language": ["en"], "kind": ["complaint"]}),
    ("Devices EN", "Devices", "least_loaded", {"language": ["en"]}),
    ("General", "Devices", "round_robin", {}),
    ("Bench claims", "Claims", "manual", {"language": ["xx"]}),
]
COLUMNS = {
    "people_customer": "id, display_name, first_seen_as, created_at, attributes",
    "people_identity": "id, channel_id, external_id, handle, display_name, customer_id, is_brand, created_at",
    "inbox_conversation": "id, channel_id, customer_id, status, subject, root_message_id, started_at, "
    "last_activity_at, message_count, created_at, updated_at, language, kind, sentiment, priority, "
    "invites_reply, not_for_us, triage_pending, queue_id, assignee_id, assigned_at, escalation_level, "
    "sla_due_at, waiting_since, first_response_at, resolved_at",
    "inbox_message": "id, channel_id, conversation_id, external_id, parent_external_id, parent_id, direction, "
    "author_id, text, created_at, received_at, raw",
    "labels_messagelabels": "message_id, conversation_id, language, language_score, kind, kind_score, "
    "invites_reply, invites_reply_score, sentiment, sentiment_score, spam_score, promo_score, urgency, "
    "priority, pii, intents, duplicate_key, duplicate_group, duplicate_match, fingerprint, status, error, "
    "attempts, triage_version, fast_at, semantic_at, not_for_us, reviewed_at, reviewed_by_id",
    "events_event": "kind, occurred_at, actor_id, channel_id, conversation_id, message_id, data",
}
CHUNK_ATTRIBUTES = {
    "people_customer": "customers",
    "people_identity": "identities",
    "inbox_conversation": "conversations",
    "inbox_message": "messages",
    "labels_messagelabels": "labels",
    "events_event": "events",
}


def create_staff() -> dict:
    """Channels, teams, queues, staff users and agent profiles; returns the ids the generator needs."""
    from bench.inbox_data import CHANNELS
    from townsquare.care.models import AgentProfile, Queue, Team
    from townsquare.inbox.models import Channel
    from townsquare.people.models import User

    channels = {name: Channel.objects.create(name=name, kind=kind).pk for name, kind, _ in CHANNELS}
    teams = {name: Team.objects.create(name=name) for name in ("Devices", "Billing", "Community", "Claims")}
    queues = {}
    for position, (name, team, mode, rules) in enumerate(QUEUES):
        if "channel" in rules:
            rules = {**rules, "channel": [channels[c] for c in rules["channel"]]}
        queues[name] = Queue.objects.create(
            name=name, team=teams[team], routing_mode=mode, rules=rules, position=10 * (position + 1)
        )
    users, queue_agents = {}, {name: [] for name in queues}
    for username, role, languages, team_names, queue_names in STAFF:
        user = User(username=username, role=role, languages=languages, first_name=username.capitalize())
        user.is_staff = user.is_superuser = role == "admin"
        user.set_unusable_password()
        user.save()
        users[username] = user.pk
        for team in team_names:
            teams[team].members.add(user)
        if queue_names:
            claimer = username.startswith("claim")
            profile = AgentProfile.objects.create(
                user=user, presence="online", capacity=1_000_000 if claimer else 10, skills=[]
            )
            profile.queues.set([queues[name] for name in queue_names])
            for name in queue_names:
                queue_agents[name].append(user.pk)
    queue_agents["Bench claims"] = []  # its conversations stay unassigned for the claims bench
    return {
        "channels": channels,
        "queues": {name: queue.pk for name, queue in queues.items()},
        "queue_agents": queue_agents,
        "users": users,
    }


def write_chunk(chunk) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        for table, attribute in CHUNK_ATTRIBUTES.items():
            rows = getattr(chunk, attribute)
            if not rows:
                continue
            columns = COLUMNS[table]
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns.split(",")))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def finish() -> None:
    """PostgreSQL: move the id sequences past the loaded ids, vacuum, and gather planner statistics."""
    from django.core.management.color import no_style
    from django.db import connection

    from townsquare.inbox.models import Conversation, Message
    from townsquare.people.models import Customer, Identity

    if connection.vendor != "postgresql":
        # SQLite keeps AUTOINCREMENT counters itself; its statistics come from the same bounded
        # ANALYZE that `townsquare run` does every hour.
        from townsquare.ops.periodic import refresh_sqlite_statistics

        refresh_sqlite_statistics(force=True)
        return
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [Customer, Identity, Conversation, Message]
        ):
            cursor.execute(statement)
        # VACUUM too, not only ANALYZE: a bulk-loaded table nobody vacuumed has no visibility map, so
        # PostgreSQL reads the heap even for index-only plans (the saved views' counts: 37 ms instead
        # of 11). A live server's autovacuum gets there within minutes; this server may have it off.
        cursor.execute("VACUUM (ANALYZE)")


def main(messages: int, conversations: int, claim_pool: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.settings")
    import django

    django.setup()
    from bench.inbox_data import Generator, Plan

    started = time.perf_counter()
    ids = create_staff()
    plan = Plan(
        messages=messages,
        conversations=conversations,
        channel_ids=ids["channels"],
        queue_ids=ids["queues"],
        queue_agents=ids["queue_agents"],
        anchor=datetime.now(UTC).replace(microsecond=0),
        claim_pool=claim_pool,
    )
    counts = dict.fromkeys(CHUNK_ATTRIBUTES.values(), 0)
    for chunk in Generator(plan).chunks():
        write_chunk(chunk)
        for attribute in counts:
            counts[attribute] += len(getattr(chunk, attribute))
    finish()
    return {
        **ids,
        "counts": counts,
        "anchor": plan.anchor.isoformat(),
        "claim_pool": claim_pool,
        "seconds": round(time.perf_counter() - started, 1),
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))))
