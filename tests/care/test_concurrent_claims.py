"""8 workers at once (threads, each with its own database connection) claim, pull and route
2,000 conversations: none is ever assigned twice and nobody goes over capacity."""

import random
import sqlite3
import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, connections

from tests.care.routing_helpers import T0, on_duty, queue
from townsquare.care.claims import ClaimError, claim, pull_next
from townsquare.care.models import AgentProfile
from townsquare.care.routing import route
from townsquare.events.models import Event
from townsquare.inbox.models import Channel, ChannelKind, Conversation
from townsquare.people.models import Role, User

CONVERSATIONS = 2_000
WORKERS = 8
AGENTS = 12


def staff(n: int) -> list[User]:
    users = User.objects.bulk_create(
        User(username=f"agent{i}", role=Role.AGENT, languages=["en"]) for i in range(n)
    )
    return list(User.objects.filter(pk__in=[u.pk for u in users]).order_by("pk"))


def run_workers(work) -> list[BaseException]:
    errors = []

    def worker(number):
        try:
            work(number)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.fixture
def shared_database(tmp_path):
    """PostgreSQL: the test database as it is. SQLite: the test database is in memory with a
    shared cache, where a second writer fails at once ("table is locked") instead of waiting; so
    the migrated schema is copied to a WAL file, the way Townsquare runs, for this test."""
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "claims.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    in_memory_settings, in_memory = connections.settings["default"], connections["default"]
    connections.settings["default"] = {**in_memory_settings, "NAME": str(path)}
    connections["default"] = connections.create_connection("default")
    try:
        yield
    finally:
        connections["default"].close()
        connections.settings["default"], connections["default"] = in_memory_settings, in_memory


@pytest.mark.django_db(transaction=True)
def test_eight_workers_never_assign_a_conversation_twice_or_overfill_an_agent(shared_database):
    channel = Channel.objects.create(name="twitter", kind=ChannelKind.IMPORT)
    manual = queue("Pull", mode="manual")
    automatic = queue("Auto", position=200)
    agents = staff(AGENTS)
    capacities = {}
    for n, agent in enumerate(agents):
        capacities[agent.pk] = 30 + 5 * n  # 690 seats for 2,000 conversations: most must wait
        on_duty(agent, capacity=capacities[agent.pk], queues=[manual, automatic])
    Conversation.objects.bulk_create(
        Conversation(
            channel=channel,
            queue=manual if i % 2 else None,
            language="en",
            kind="question",
            started_at=conv_time(i),
            last_activity_at=conv_time(i),
            message_count=1,
        )
        for i in range(CONVERSATIONS)
    )
    ids = list(Conversation.objects.values_list("pk", flat=True))
    Conversation.objects.filter(pk__in=ids[::2]).update(queue=None)

    def work(number):
        rng = random.Random(number)
        mine = ids[:]
        rng.shuffle(mine)
        if number % 4 == 0:
            for start in range(0, len(mine), 100):
                route(mine[start : start + 100])  # the background router, on the unqueued half
        elif number % 4 == 1:
            while any(pull_or_none(agent, manual) for agent in agents):
                pass
        else:
            for conversation_id in mine[: len(mine) // 8]:
                try:
                    claim(rng.choice(agents), conversation_id)
                except ClaimError:
                    pass

    errors = run_workers(work)
    assert errors == []
    assigned_events = Counter(
        Event.objects.filter(kind="conversation.assigned").values_list("conversation_id", flat=True)
    )
    assert assigned_events and max(assigned_events.values()) == 1  # 0 double assignments
    owners = dict(Conversation.objects.filter(assignee__isnull=False).values_list("pk", "assignee_id"))
    assert set(owners) == set(assigned_events)
    for agent_id, load in Counter(owners.values()).items():
        assert load <= capacities[agent_id]
    assert sum(Counter(owners.values()).values()) == sum(capacities.values())  # every seat filled
    assert not AgentProfile.objects.filter(last_assigned_at__isnull=True).exists()


def pull_or_none(agent, manual):
    try:
        return pull_next(agent, manual)
    except ClaimError:
        return None  # this agent is full


def conv_time(i):
    return T0 + timedelta(seconds=i)
