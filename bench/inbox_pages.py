"""Inbox page latency against the fixture database (a child process with Django set up).

    python -m bench.inbox_pages REQUESTS WARMUP BUDGET_SECONDS SERVER_LOG

For alice (an agent with queues) and carol (a supervisor): the console list's first page, a
page deep down the list through its cursor, the "mine" and "breaching soon" saved views, and
`GET /api/v1/conversations`; for carol also random conversation pages with 4-6 messages. Each is timed in-process
through Django's test client and over keep-alive HTTP against `uvicorn townsquare.asgi`, and its
baseline is the plain SELECT of the same rows (same filter, same order, same limit) on a raw
sqlite3/psycopg connection. Prints one JSON line: a list of results.
"""

import json
import os
import random
import sqlite3
import sys
import time
from pathlib import Path

USERS = ("alice", "carol")
CONVERSATION_SAMPLES = 200
# One user is enough for the conversation page: its cost does not depend on the list's filter.
CONVERSATION_PAGE_USER = "carol"


def raw_connection():
    """A DB-API connection outside Django to the same database, and its parameter placeholder."""
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        raw = sqlite3.connect(settings["NAME"], isolation_level=None)
        raw.execute("PRAGMA cache_size=-65536")
        return raw, "?"
    import psycopg

    raw = psycopg.connect(
        dbname=settings["NAME"],
        user=settings.get("USER") or None,
        password=settings.get("PASSWORD") or None,
        host=settings.get("HOST") or None,
        port=settings.get("PORT") or None,
        autocommit=True,
    )
    return raw, "%s"


def sql_of(queryset) -> tuple[str, list]:
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


# The saved views timed besides "all" (the first page); "unassigned" and the queue views are alike.
SAVED_VIEWS = ("mine", "breaching")


def list_rows_queryset(user, query: str, after=None):
    """The conversations a console list page shows: the view's filter and order, no extra columns."""
    from django.http import QueryDict

    from townsquare.inbox.visibility import visible_channels, visible_conversations
    from townsquare.web.filters import ConversationFilter
    from townsquare.web.paging import NEWEST_ACTIVITY, PAGE_SIZE
    from townsquare.web.pii_fence import sees_pii
    from townsquare.web.saved_views import saved_views, visible_queues

    views = saved_views(user, list(visible_queues(user)))
    filters = ConversationFilter(
        QueryDict(query), visible_channels(user), views=views, may_search_pii=sees_pii(user)
    )
    if not filters.is_valid():
        raise RuntimeError(f"the console refuses {query!r}: {filters.errors}")
    view = filters.saved_view()
    ordering = view.ordering if view else NEWEST_ACTIVITY
    conversations = filters.apply(visible_conversations(user).filter(not_for_us=False))
    if after is not None:
        conversations = conversations.filter(ordering.after(after))
    return conversations.order_by(*ordering.forward())[: PAGE_SIZE + 1]


def offered_views(user) -> list[str]:
    from townsquare.web.saved_views import saved_views, visible_queues

    offered = {view.key for view in saved_views(user, list(visible_queues(user)))}
    return [key for key in SAVED_VIEWS if key in offered]


def deep_cursor(user):
    """The cursor of a row 80% of the way down the user's list (None when the list is short)."""
    from townsquare.inbox.visibility import visible_conversations
    from townsquare.web.paging import NEWEST_ACTIVITY

    listed = visible_conversations(user).filter(not_for_us=False).order_by(*NEWEST_ACTIVITY.forward())
    depth = int(listed.count() * 0.8)
    if depth < 100:
        return None
    return NEWEST_ACTIVITY.cursor(listed[depth])


def list_targets(user) -> list:
    from bench.inbox_timing import Target

    name = user.username
    targets = [Target(f"list_first_{name}", name, ["/"], [[sql_of(list_rows_queryset(user, ""))]])]
    cursor = deep_cursor(user)
    if cursor is not None:
        rows = list_rows_queryset(user, "", after=cursor)
        targets.append(Target(f"list_deep_{name}", name, [f"/?after={cursor.encode()}"], [[sql_of(rows)]]))
    for key in offered_views(user):
        rows = list_rows_queryset(user, f"view={key}")
        targets.append(Target(f"view_{key}_{name}", name, [f"/?view={key}"], [[sql_of(rows)]]))
    counts = view_counts_target(user)
    return targets + ([counts] if counts else [])


def view_counts_target(user):
    """The saved-view tabs' open counts, which the list page fetches right after its rows;
    baseline: one plain COUNT of the open conversations the user sees."""
    from django.urls import NoReverseMatch, reverse

    from bench.inbox_timing import Target
    from townsquare.inbox.visibility import visible_conversations
    from townsquare.web.saved_views import is_open

    try:
        path = reverse("web:view-counts")
    except NoReverseMatch:
        return None
    rows_sql, params = sql_of(visible_conversations(user).filter(is_open(), not_for_us=False).values("pk"))
    count = (f"SELECT COUNT(*) FROM ({rows_sql}) AS open_rows", params)
    return Target(f"view_counts_{user.username}", user.username, [path], [[count]])


def conversation_target(user, rng: random.Random):
    from bench.inbox_timing import Target
    from townsquare.inbox.models import Conversation, Message
    from townsquare.inbox.visibility import visible_conversations

    ids = list(
        visible_conversations(user)
        .filter(message_count__gte=4, message_count__lte=6)
        .values_list("pk", flat=True)
    )
    chosen = rng.sample(ids, min(CONVERSATION_SAMPLES, len(ids)))
    queries = [
        [
            sql_of(Conversation.objects.filter(pk=pk)),
            sql_of(Message.objects.filter(conversation_id=pk).order_by("created_at", "id")),
        ]
        for pk in chosen
    ]
    paths = [f"/conversations/{pk}/" for pk in chosen]
    return Target(f"conversation_{user.username}", user.username, paths, queries)


def api_target(user, token: str):
    from bench.inbox_timing import Target
    from townsquare.inbox.visibility import visible_conversations

    rows = visible_conversations(user).order_by("-last_activity_at", "-id")[:51]
    headers = {"Authorization": f"Bearer {token}"}
    return Target(
        f"api_list_{user.username}", user.username, ["/api/v1/conversations"], [[sql_of(rows)]], headers
    )


def main(plan, server_log: Path) -> list[dict]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.settings")
    import django

    django.setup()
    from django.test import Client

    from bench.inbox_timing import start_server, stop_server
    from townsquare.people.models import User
    from townsquare.people.tokens import create_token

    rng = random.Random(17)
    raw, placeholder = raw_connection()
    clients, targets = {}, []
    for username in USERS:
        user = User.objects.get(username=username)
        clients[username] = Client()
        clients[username].force_login(user)
        targets += list_targets(user)
        if username == CONVERSATION_PAGE_USER:
            targets.append(conversation_target(user, rng))
        targets.append(api_target(user, create_token(user, "bench")[1]))
    cookies = {name: f"sessionid={client.cookies['sessionid'].value}" for name, client in clients.items()}
    server, port = start_server(dict(os.environ), server_log)
    try:
        return [
            result
            for target in targets
            for result in measure(target, clients, cookies, port, raw, placeholder, plan)
        ]
    finally:
        stop_server(server)
        raw.close()


def measure(target, clients, cookies, port, raw, placeholder, plan) -> list[dict]:
    """Baseline, test client and HTTP timings of one target; an error result if the page fails."""
    from bench.inbox_timing import quantiles_ms, time_baseline, time_client, time_http

    began = time.perf_counter()
    try:
        base = time_baseline(raw, target, plan, placeholder)
        timed = {
            "client": time_client(clients[target.username], target, plan),
            "http": time_http(port, cookies[target.username], target, plan),
        }
    except Exception as exc:  # noqa: BLE001 - one broken page must not hide the others' numbers
        print(f"bench: inbox {target.name} failed: {exc!r}"[:2000], file=sys.stderr, flush=True)
        return [{"name": target.name, "error": repr(exc)[:500]}]
    print(
        f"bench: inbox {target.name} timed in {time.perf_counter() - began:.1f}s", file=sys.stderr, flush=True
    )
    baseline = quantiles_ms(base)
    results = []
    for mode, seconds in timed.items():
        p50, p95 = quantiles_ms(seconds)
        results.append(
            {
                "name": f"{target.name}_{mode}",
                "p50_ms": p50,
                "p95_ms": p95,
                "baseline_p50_ms": baseline[0],
                "baseline_p95_ms": baseline[1],
                "requests": len(seconds),
                "baseline_requests": len(base),
            }
        )
    return results


if __name__ == "__main__":
    from bench.inbox_timing import Plan

    plan = Plan(requests=int(sys.argv[1]), warmup=int(sys.argv[2]), budget_seconds=float(sys.argv[3]))
    print(json.dumps(main(plan, Path(sys.argv[4]))))
