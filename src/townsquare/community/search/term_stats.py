"""How common each search word is, so words in most topics stop costing every query.

Ranking a match needs its engine to visit every topic a word is in: "the" or "beer" in a beer
community is in 90% of 100,000 topics, and a query with it took 0.3-0.9 s on SQLite. Such a word
says almost nothing about which topic is wanted (its IDF is near zero), so when a query also has
a rarer word, the common one is left out of the match. Counts are cached per process (each costs
one count query the first time), and only communities with at least MIN_TOPICS topics are
affected: a small community's every word is searched for.
"""

import threading
import time

from django.db import connection

from townsquare.community.search.query import ParsedQuery

NOISE_SHARE = 0.25
MIN_TOPICS = 2_000
TOTAL_TTL_SECONDS = 300
TERM_TTL_SECONDS = 3_600
MAX_CACHED_TERMS = 20_000

_lock = threading.Lock()
_cache: dict[tuple, tuple[float, int]] = {}


def _cached(key: tuple, ttl: int, compute) -> int:
    now = time.monotonic()
    with _lock:
        hit = _cache.get(key)
    if hit is not None and now - hit[0] < ttl:
        return hit[1]
    value = compute()
    with _lock:
        if len(_cache) >= MAX_CACHED_TERMS:
            _cache.clear()
        _cache[key] = (now, value)
    return value


def _count(sql: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


def total_topics() -> int:
    return _cached(
        (connection.alias, "total"),
        TOTAL_TTL_SECONDS,
        lambda: _count("SELECT count(*) FROM community_topic", []),
    )


def documents_with(word: str) -> int:
    if connection.vendor == "sqlite":
        sql = "SELECT count(*) FROM community_topic_fts WHERE community_topic_fts MATCH %s"
        param = f'"{word}"'
    else:
        sql = (
            "SELECT count(*) FROM community_topic_search"
            " WHERE document @@ websearch_to_tsquery('simple', community_fold(%s))"
        )
        param = word
    return _cached((connection.alias, "word", word), TERM_TTL_SECONDS, lambda: _count(sql, [param]))


def without_noise(query: ParsedQuery) -> ParsedQuery:
    """The query without single words found in more than NOISE_SHARE of the topics, unless that
    would leave nothing (then the rarest of them stays)."""
    singles = [phrase for phrase in query.required if len(phrase) == 1]
    if not singles or total_topics() < MIN_TOPICS:
        return query
    total = total_topics()
    share = {phrase: documents_with(phrase[0]) / total for phrase in singles}
    kept = tuple(phrase for phrase in query.required if share.get(phrase, 0.0) <= NOISE_SHARE)
    if not kept:
        kept = (min(singles, key=lambda phrase: share[phrase]),)
    return ParsedQuery(required=kept, excluded=query.excluded)


def estimated_share(query: ParsedQuery) -> float:
    """About what share of the topics match `query` (its words taken as independent, a phrase as
    its words): 0 when the community is too small for it to matter."""
    total = total_topics()
    if total < MIN_TOPICS:
        return 0.0
    share = 1.0
    for word in dict.fromkeys(word for phrase in query.required for word in phrase):
        share *= documents_with(word) / total
    return share


def forget() -> None:
    with _lock:
        _cache.clear()
