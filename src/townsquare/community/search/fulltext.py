"""Full-text matches among visible topics, best first: FTS5's bm25 on SQLite, ts_rank_cd on PostgreSQL.

The title weighs most, then the accepted answer, then the question's body; a topic with an
accepted answer gets ACCEPTED_BONUS on top (people looking for an answer want a solved question).

Speed at 100,000 topics: ranking costs about 15 µs a match on SQLite, so a word in 90,000 topics
cost 0.8 s. Two things bound it. Words in most topics are left out when a rarer word is there
(`term_stats`). And only the newest RANK_WINDOW matches are ranked: the engine walks its index
newest first and stops there, so a query costs the same however many topics match, and a query
with fewer matches than the window is ranked among all of them (PostgreSQL: POSTGRES_RANK_WINDOW,
and a plan chosen by how common the query is). The caller asks for at most
MAX_DEPTH results (ten pages), so no query walks an OFFSET.
"""

from dataclasses import dataclass

from django.db import connection

from townsquare.community.search.query import ParsedQuery
from townsquare.community.search.term_stats import estimated_share, without_noise

ACCEPTED_BONUS = 1.5
MAX_DEPTH = 200
RANK_WINDOW = 1_000
# PostgreSQL ranks from the stored tsvector, read back per row (about 30 µs): a smaller window.
POSTGRES_RANK_WINDOW = 500
# From this share of matching topics on, PostgreSQL walks topics newest first and tests each one
# (it meets the window's matches within 10,000 rows); below it, the GIN index finds them.
WALK_NEWEST_FROM_SHARE = 0.05
# bm25 column weights for (title, body, answer).
SQLITE_WEIGHTS = (8.0, 1.0, 2.0)


@dataclass(frozen=True)
class Filters:
    space_id: int | None = None
    tag_id: int | None = None
    exclude: frozenset[int] = frozenset()

    def sql(self) -> tuple[str, list]:
        where, params = ["t.visibility = 'visible'"], []
        if self.space_id is not None:
            where.append("t.space_id = %s")
            params.append(self.space_id)
        if self.tag_id is not None:
            where.append(
                "EXISTS (SELECT 1 FROM community_topic_tags tt WHERE tt.topic_id = t.id AND tt.tag_id = %s)"
            )
            params.append(self.tag_id)
        if self.exclude:
            where.append(f"t.id NOT IN ({', '.join(['%s'] * len(self.exclude))})")
            params.extend(sorted(self.exclude))
        return " AND ".join(where), params


NO_FILTERS = Filters()


def matches(query: ParsedQuery, filters: Filters = NO_FILTERS, limit: int = 20) -> list[tuple[int, float]]:
    """(topic id, score) of the best `limit` visible topics matching `query`; higher is better."""
    if not query:
        return []
    query = without_noise(query)
    limit = max(1, min(limit, MAX_DEPTH))
    if connection.vendor == "sqlite":
        return _sqlite(query, filters, limit)
    if connection.vendor == "postgresql":
        return _postgres(query, filters, limit)
    # settings.py only configures SQLite or PostgreSQL (DATABASE_URL); anything else is a setup error.
    raise RuntimeError(f"community search needs SQLite or PostgreSQL, not {connection.vendor}")


def _sqlite(query: ParsedQuery, filters: Filters, limit: int) -> list[tuple[int, float]]:
    where, params = filters.sql()
    weights = ", ".join(str(weight) for weight in SQLITE_WEIGHTS)
    # bm25() is negative, lower is better: negate it so every caller sees "higher is better".
    # The inner query walks FTS5's index newest first (its rowid order) and stops at the window.
    sql = f"""
        SELECT id, score FROM (
            SELECT t.id AS id, -bm25(community_topic_fts, {weights})
                   * (CASE WHEN t.accepted_post_id IS NULL THEN 1.0 ELSE {ACCEPTED_BONUS} END) AS score
            FROM community_topic_fts
            JOIN community_topic t ON t.id = community_topic_fts.rowid
            WHERE community_topic_fts MATCH %s AND {where}
            ORDER BY community_topic_fts.rowid DESC
            LIMIT %s
        )
        ORDER BY score DESC, id DESC
        LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [query.fts5(), *params, RANK_WINDOW, limit])
        return [(topic_id, float(score)) for topic_id, score in cursor.fetchall()]


def _postgres(query: ParsedQuery, filters: Filters, limit: int) -> list[tuple[int, float]]:
    where, params = filters.sql()
    # A common query walks the primary key backwards, testing each document, until the window is
    # full; a rarer one must not (it would test tens of thousands), so "+ 0" hides the order from
    # the primary key and the GIN index finds the matches.
    newest_first = "s.topic_id" if estimated_share(query) >= WALK_NEWEST_FROM_SHARE else "s.topic_id + 0"
    # Normalisation 1: divide by 1 + log(length), so a long body does not win by repeating a word.
    sql = f"""
        SELECT id, score FROM (
            SELECT t.id AS id, ts_rank_cd(s.document, q, 1)
                   * (CASE WHEN t.accepted_post_id IS NULL THEN 1.0 ELSE {ACCEPTED_BONUS} END) AS score
            FROM websearch_to_tsquery('simple', community_fold(%s)) q
            JOIN community_topic_search s ON s.document @@ q
            JOIN community_topic t ON t.id = s.topic_id
            WHERE {where}
            ORDER BY {newest_first} DESC
            LIMIT %s
        ) AS window_
        ORDER BY score DESC, id DESC
        LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [query.websearch(), *params, POSTGRES_RANK_WINDOW, limit])
        return [(topic_id, float(score)) for topic_id, score in cursor.fetchall()]
