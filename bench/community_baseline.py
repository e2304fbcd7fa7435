"""The import's baseline: the same rows written with nothing but sqlite3 `executemany`.

    python -m bench.community_baseline IMPORTED_DB EMPTY_DB

IMPORTED_DB is the database the importer built; EMPTY_DB a freshly migrated one (same schema,
indexes and triggers). The rows the import stored (members, topics and their tags, posts,
community events) are read back and inserted into EMPTY_DB in batches of 5,000, one transaction
each, with the importer's pragmas; only the inserts and commits are timed. The ratio importer /
baseline is what parsing, sanitising, de-duplicating and bookkeeping cost over the bare writes.
"""

import json
import sqlite3
import sys
import time

BATCH = 5000
TABLES = [
    ("people_user", "username LIKE 'se-%'"),
    ("community_member", "user_id IN (SELECT id FROM people_user WHERE username LIKE 'se-%')"),
    ("community_tag", "1 = 1"),
    ("community_topic", "external_id IS NOT NULL"),
    ("community_topic_tags", "1 = 1"),
    ("community_post", "external_id IS NOT NULL"),
    # The events the import writes (not what community-recompute added after it).
    (
        "events_event",
        "kind IN ('community.topic_created', 'community.post_created', 'community.imported_votes',"
        " 'community.answer_accepted')",
    ),
]


def copy_table(source, target, table: str, where: str) -> tuple[int, float]:
    columns = [row[1] for row in source.execute(f"PRAGMA table_info({table})")]
    names = ", ".join(columns)
    insert = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608
    reader = source.execute(f"SELECT {names} FROM {table} WHERE {where} ORDER BY id")  # noqa: S608
    rows, seconds, cpu = 0, 0.0, 0.0
    while batch := reader.fetchmany(BATCH):
        began, began_cpu = time.perf_counter(), time.process_time()
        target.execute("BEGIN IMMEDIATE")
        target.executemany(insert, batch)
        target.execute("COMMIT")
        seconds += time.perf_counter() - began
        cpu += time.process_time() - began_cpu
        rows += len(batch)
    return rows, seconds, cpu


def main(imported: str, empty: str) -> dict:
    source = sqlite3.connect(imported)
    target = sqlite3.connect(empty, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "cache_size=-65536", "temp_store=MEMORY"):
        target.execute(f"PRAGMA {pragma}")
    target.execute("PRAGMA wal_autocheckpoint=20000")
    tables = {}
    for table, where in TABLES:
        rows, seconds, cpu = copy_table(source, target, table, where)
        tables[table] = {"rows": rows, "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2)}
    target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    posts = tables["community_topic"]["rows"] + tables["community_post"]["rows"]
    total = sum(item["seconds"] for item in tables.values())
    cpu = sum(item["cpu_seconds"] for item in tables.values())
    return {
        "tables": tables,
        "posts": posts,
        "seconds": round(total, 2),
        "posts_per_s": round(posts / total, 1),
        "cpu_seconds": round(cpu, 2),
        "posts_per_cpu_s": round(posts / cpu, 1),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
