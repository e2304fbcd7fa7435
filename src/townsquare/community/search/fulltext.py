"""Full-text matches among visible topics, best first: FTS5's bm25 on SQLite, ts_rank_cd on PostgreSQL.

The title weighs most, then the accepted answer, then the question's body; a topic with an
accepted answer gets ACCEPTED_BONUS on top (people looking for an answer want a solved question).
Both engines rank every match before the LIMIT, so the cost grows with how many topics match,
not with how deep the page is; the caller asks for at most MAX_DEPTH results.
"""

from dataclasses import dataclass

from django.db import connection

from townsquare.community.search.query import ParsedQuery

ACCEPTED_BONUS = 1.5
MAX_DEPTH = 200
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
    limit = max(1, min(limit, MAX_DEPTH))
    if connection.vendor == "sqlite":
        return _sqlite(query, filters, limit)
    if connection.vendor == "postgresql":
        return _postgres(query, filters, limit)
    raise NotImplementedError(f"full-text search on {connection.vendor}")


def _sqlite(query: ParsedQuery, filters: Filters, limit: int) -> list[tuple[int, float]]:
    where, params = filters.sql()
    weights = ", ".join(str(weight) for weight in SQLITE_WEIGHTS)
    # bm25() is negative, lower is better: negate it so every caller sees "higher is better".
    sql = f"""
        SELECT t.id, -bm25(community_topic_fts, {weights})
               * (CASE WHEN t.accepted_post_id IS NULL THEN 1.0 ELSE {ACCEPTED_BONUS} END) AS score
        FROM community_topic_fts
        JOIN community_topic t ON t.id = community_topic_fts.rowid
        WHERE community_topic_fts MATCH %s AND {where}
        ORDER BY score DESC, t.id DESC
        LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [query.fts5(), *params, limit])
        return [(topic_id, float(score)) for topic_id, score in cursor.fetchall()]


def _postgres(query: ParsedQuery, filters: Filters, limit: int) -> list[tuple[int, float]]:
    where, params = filters.sql()
    # Normalisation 1: divide by 1 + log(length), so a long body does not win by repeating a word.
    sql = f"""
        SELECT t.id, ts_rank_cd(s.document, q, 1)
               * (CASE WHEN t.accepted_post_id IS NULL THEN 1.0 ELSE {ACCEPTED_BONUS} END) AS score
        FROM websearch_to_tsquery('simple', %s) q
        JOIN community_topic_search s ON s.document @@ q
        JOIN community_topic t ON t.id = s.topic_id
        WHERE {where}
        ORDER BY score DESC, t.id DESC
        LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [query.websearch(), *params, limit])
        return [(topic_id, float(score)) for topic_id, score in cursor.fetchall()]
