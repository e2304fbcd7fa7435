"""Community page latency against the imported bench database (a child process with Django set up).

    python -m bench.community_pages REQUESTS WARMUP BUDGET_SECONDS SERVER_LOG

Anonymous reads, as most of a community's traffic is: a space's topic list (latest, the
unanswered tab, a page 80% of the way down through its cursor), the topic page of the question
with the most answers and of ordinary ones (3-6 answers), and the search page (full text,
several queries; hybrid; semantic when topics have embeddings). Each is timed in-process
through Django's test client and over keep-alive HTTP against `uvicorn townsquare.asgi`; its
baseline is a plain indexed SELECT of the same page's rows on a raw sqlite3/psycopg connection.
Prints one JSON line: a list of results.
"""

import json
import os
import random
import sys
import time
from pathlib import Path

from bench.inbox_pages import raw_connection, sql_of

PAGE = 50  # the topic list's page size (web.paging.PAGE_SIZE)
QUERIES = ["hops", "wine storage temperature", "lager yeast", "barrel aged stout", "gluten free beer"]
SEMANTIC_QUERIES = ["how long can I keep an opened bottle", "¿qué cerveza va bien con queso?"]
LIST_COLUMNS = ("id", "title", "author_id", "answer_count", "score", "accepted_post_id", "last_activity_at")


def list_target(space, name: str, query: str, topics, path_suffix: str = ""):
    from bench.inbox_timing import Target

    rows = topics.order_by("-last_activity_at", "-id").values_list(*LIST_COLUMNS)[: PAGE + 1]
    return Target(name, "", [f"/community/s/{space.slug}/{path_suffix}{query}"], [[sql_of(rows)]])


def list_targets(space) -> list:
    from townsquare.community.models import Topic, TopicKind, Visibility
    from townsquare.web.paging import NEWEST_ACTIVITY

    visible = Topic.objects.filter(space=space, visibility=Visibility.VISIBLE)
    unanswered = visible.filter(kind=TopicKind.QUESTION, answer_count=0)
    ordered = visible.order_by(*NEWEST_ACTIVITY.forward())
    deep_row = ordered[int(visible.count() * 0.8)]
    cursor = NEWEST_ACTIVITY.cursor(deep_row)
    deep = visible.filter(NEWEST_ACTIVITY.after(cursor))
    return [
        list_target(space, "list_latest", "", visible),
        list_target(space, "list_unanswered", "?tab=unanswered", unanswered),
        list_target(space, "list_deep", f"?after={cursor.encode()}", deep),
    ]


def topic_queries(topic_id: int) -> list:
    from townsquare.community.models import Post, Topic

    return [
        sql_of(Topic.objects.filter(pk=topic_id).values_list("id", "title", "body_html", "author_id")),
        sql_of(
            Post.objects.filter(topic_id=topic_id, visibility="visible")
            .order_by("kind", "-score", "created_at")
            .values_list("id", "kind", "parent_id", "author_id", "body_html", "score", "created_at")
        ),
    ]


def topic_targets(rng: random.Random) -> list:
    from django.test import Client

    from bench.inbox_timing import Target
    from townsquare.community.models import Topic

    client = Client()

    def path(pk: int) -> str:
        response = client.get(f"/community/t/{pk}/")
        return response["Location"] if response.status_code in (301, 302) else f"/community/t/{pk}/"

    hot = Topic.objects.order_by("-answer_count", "id").values_list("pk", "answer_count").first()
    ordinary = list(
        Topic.objects.filter(answer_count__gte=3, answer_count__lte=6).values_list("pk", flat=True)[:5000]
    )
    chosen = rng.sample(ordinary, min(200, len(ordinary)))
    return [
        Target(f"topic_hot_{hot[1]}_answers", "", [path(hot[0])], [topic_queries(hot[0])]),
        Target("topic_ordinary", "", [path(pk) for pk in chosen], [topic_queries(pk) for pk in chosen]),
    ]


def fulltext_sql(text: str) -> tuple[str, list]:
    """The plain indexed full-text query of one results page (20 ids, ranked), no joins."""
    from django.db import connection

    from townsquare.community.search.query import parse

    if connection.vendor == "sqlite":
        sql = (
            "SELECT rowid FROM community_topic_fts WHERE community_topic_fts MATCH %s ORDER BY rank LIMIT 20"
        )
        return sql, [parse(text).fts5()]
    sql = (
        "SELECT topic_id FROM community_topic_search WHERE document @@ plainto_tsquery('simple', %s) "
        "ORDER BY ts_rank_cd(document, plainto_tsquery('simple', %s), 1) DESC LIMIT 20"
    )
    return sql, [text, text]


def search_targets() -> list:
    from urllib.parse import urlencode

    from bench.inbox_timing import Target
    from townsquare.community.models import TopicEmbedding

    def paths(queries, mode):
        return [f"/community/search/?{urlencode({'q': q, 'mode': mode})}" for q in queries]

    baseline = [[fulltext_sql(q)] for q in QUERIES]
    targets = [
        Target("search_text", "", paths(QUERIES, "text"), baseline),
        Target("search_all", "", paths(QUERIES, "all"), baseline),
    ]
    if TopicEmbedding.objects.exists():
        targets.append(
            Target("search_semantic", "", paths(SEMANTIC_QUERIES, "semantic"), [[fulltext_sql(QUERIES[0])]])
        )
    return targets


def main(plan, server_log: Path) -> list[dict]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from bench.inbox_timing import start_server, stop_server
    from townsquare.community.models import Space

    # The search page allows 60 searches a minute per address; the bench is one address.
    settings.COMMUNITY_SEARCH_RATE_LIMIT = 10**9
    rng = random.Random(17)
    raw, placeholder = raw_connection()
    space = Space.objects.order_by("id").first()
    targets = list_targets(space) + topic_targets(rng) + search_targets()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.community_settings"}
    server, port = start_server(env, server_log)
    try:
        return [
            result for target in targets for result in measure(target, Client(), port, raw, placeholder, plan)
        ]
    finally:
        stop_server(server)
        raw.close()


def measure(target, client, port, raw, placeholder, plan) -> list[dict]:
    from bench.inbox_timing import quantiles_ms, time_baseline, time_client, time_http

    began = time.perf_counter()
    try:
        base = time_baseline(raw, target, plan, placeholder)
        timed = {"client": time_client(client, target, plan), "http": time_http(port, "", target, plan)}
    except Exception as exc:  # noqa: BLE001 - one broken page must not hide the others' numbers
        print(f"bench: community {target.name} failed: {exc!r}"[:2000], file=sys.stderr, flush=True)
        return [{"name": target.name, "error": repr(exc)[:500]}]
    print(
        f"bench: community {target.name} timed in {time.perf_counter() - began:.1f}s",
        file=sys.stderr,
        flush=True,
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
