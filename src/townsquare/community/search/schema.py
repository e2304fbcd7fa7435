"""The full-text index's tables and triggers, per database, and how to (re)install them.

Triggers keep the index in step with every write to a topic (services, bulk imports, the admin,
moderation), so no code path can forget it. SQLite drops a table's triggers when Django rebuilds
the table for a later schema change, so `ensure` runs after every migrate: it puts back whatever
is missing and, if anything was, rebuilds the index's contents from the topics.
"""

SQLITE_TABLE = (
    # unicode61 with diacritics removed: "como" finds "cómo"; works for any script that puts
    # spaces between words.
    "CREATE VIRTUAL TABLE IF NOT EXISTS community_topic_fts USING fts5("
    "title, body, answer, tokenize = 'unicode61 remove_diacritics 2')"
)
_SQLITE_ROW = """INSERT INTO community_topic_fts(rowid, title, body, answer) VALUES (
            NEW.id, NEW.title, NEW.body,
            COALESCE((SELECT body FROM community_post WHERE id = NEW.accepted_post_id), ''));"""
SQLITE_TRIGGERS = {
    "community_topic_fts_insert": f"""CREATE TRIGGER IF NOT EXISTS community_topic_fts_insert
    AFTER INSERT ON community_topic BEGIN
        {_SQLITE_ROW}
    END""",
    "community_topic_fts_update": f"""CREATE TRIGGER IF NOT EXISTS community_topic_fts_update
    AFTER UPDATE OF title, body, accepted_post_id ON community_topic
    WHEN OLD.title IS NOT NEW.title OR OLD.body IS NOT NEW.body
        OR OLD.accepted_post_id IS NOT NEW.accepted_post_id
    BEGIN
        DELETE FROM community_topic_fts WHERE rowid = OLD.id;
        {_SQLITE_ROW}
    END""",
    "community_topic_fts_delete": """CREATE TRIGGER IF NOT EXISTS community_topic_fts_delete
    AFTER DELETE ON community_topic BEGIN
        DELETE FROM community_topic_fts WHERE rowid = OLD.id;
    END""",
    # An edit of the accepted answer changes what its topic is found by.
    "community_topic_fts_answer": """CREATE TRIGGER IF NOT EXISTS community_topic_fts_answer
    AFTER UPDATE OF body ON community_post WHEN OLD.body IS NOT NEW.body BEGIN
        UPDATE community_topic_fts SET answer = NEW.body
        WHERE rowid = NEW.topic_id AND EXISTS (
            SELECT 1 FROM community_topic WHERE id = NEW.topic_id AND accepted_post_id = NEW.id);
    END""",
}
SQLITE_FILL = [
    "DELETE FROM community_topic_fts",
    """INSERT INTO community_topic_fts(rowid, title, body, answer)
    SELECT t.id, t.title, t.body, COALESCE(p.body, '')
    FROM community_topic t LEFT JOIN community_post p ON p.id = t.accepted_post_id""",
    "INSERT INTO community_topic_fts(community_topic_fts) VALUES ('optimize')",
]
SQLITE_DROP = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
    "DROP TABLE IF EXISTS community_topic_fts",
]

_FOLDS = {
    "a": "àáâãäåāăąÀÁÂÃÄÅĀĂĄ",
    "c": "çćĉċčÇĆĈĊČ",
    "d": "ďđĎĐ",
    "e": "èéêëēĕėęěÈÉÊËĒĔĖĘĚ",
    "g": "ĝğġģĜĞĠĢ",
    "h": "ĥħĤĦ",
    "i": "ìíîïĩīĭįıÌÍÎÏĨĪĬĮİ",
    "j": "ĵĴ",
    "k": "ķĶ",
    "l": "ĺļľŀłĹĻĽĿŁ",
    "n": "ñńņňÑŃŅŇ",
    "o": "òóôõöøōŏőÒÓÔÕÖØŌŎŐ",
    "r": "ŕŗřŔŖŘ",
    "s": "śŝşšșŚŜŞŠȘ",
    "t": "ţťŧțŢŤŦȚ",
    "u": "ùúûüũūŭůűųÙÚÛÜŨŪŬŮŰŲ",
    "w": "ŵŴ",
    "y": "ýÿŷÝŸŶ",
    "z": "źżžŹŻŽ",
}
_ACCENTED = "".join(_FOLDS.values())
_PLAIN = "".join(plain * len(accented) for plain, accented in _FOLDS.items())
# Bumped when the PostgreSQL document changes: `ensure` then rebuilds every topic's document.
POSTGRES_VERSION = "2"

POSTGRES_TABLE = [
    # No foreign key: Django's flush truncates community_topic without CASCADE. The delete
    # trigger and the join with community_topic keep orphans out of results.
    """CREATE TABLE IF NOT EXISTS community_topic_search (
        topic_id bigint PRIMARY KEY,
        document tsvector NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS community_topic_search_document ON community_topic_search USING gin (document)",
    # Accents folded as FTS5's remove_diacritics does ("cómo" finds "como"), without the unaccent
    # extension (creating one needs rights a deployment's database user may not have).
    f"""CREATE OR REPLACE FUNCTION community_fold(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT translate(lower(coalesce(value, '')), '{_ACCENTED}', '{_PLAIN}')
    $$""",
    # Title weighs most (A), then the accepted answer (B), then the question's body (C).
    """CREATE OR REPLACE FUNCTION community_topic_document(title text, body text, accepted bigint)
    RETURNS tsvector LANGUAGE sql STABLE AS $$
        SELECT setweight(to_tsvector('simple', community_fold(title)), 'A')
            || setweight(to_tsvector('simple', community_fold(
                (SELECT p.body FROM community_post p WHERE p.id = accepted))), 'B')
            || setweight(to_tsvector('simple', community_fold(body)), 'C')
    $$""",
    """CREATE OR REPLACE FUNCTION community_topic_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM community_topic_search WHERE topic_id = OLD.id;
            RETURN NULL;
        END IF;
        INSERT INTO community_topic_search(topic_id, document)
        VALUES (NEW.id, community_topic_document(NEW.title, NEW.body, NEW.accepted_post_id))
        ON CONFLICT (topic_id) DO UPDATE SET document = EXCLUDED.document;
        RETURN NULL;
    END
    $$""",
    """CREATE OR REPLACE FUNCTION community_topic_search_answer() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE community_topic_search s
        SET document = community_topic_document(t.title, t.body, t.accepted_post_id)
        FROM community_topic t
        WHERE t.id = NEW.topic_id AND t.accepted_post_id = NEW.id AND s.topic_id = t.id;
        RETURN NULL;
    END
    $$""",
]
POSTGRES_TRIGGERS = {
    "community_topic_search_insert": """CREATE OR REPLACE TRIGGER community_topic_search_insert
    AFTER INSERT ON community_topic FOR EACH ROW EXECUTE FUNCTION community_topic_search_sync()""",
    "community_topic_search_update": """CREATE OR REPLACE TRIGGER community_topic_search_update
    AFTER UPDATE OF title, body, accepted_post_id ON community_topic FOR EACH ROW
    WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.body IS DISTINCT FROM NEW.body
          OR OLD.accepted_post_id IS DISTINCT FROM NEW.accepted_post_id)
    EXECUTE FUNCTION community_topic_search_sync()""",
    "community_topic_search_delete": """CREATE OR REPLACE TRIGGER community_topic_search_delete
    AFTER DELETE ON community_topic FOR EACH ROW EXECUTE FUNCTION community_topic_search_sync()""",
    "community_topic_search_answer": """CREATE OR REPLACE TRIGGER community_topic_search_answer
    AFTER UPDATE OF body ON community_post FOR EACH ROW WHEN (OLD.body IS DISTINCT FROM NEW.body)
    EXECUTE FUNCTION community_topic_search_answer()""",
}
POSTGRES_FILL = [
    "TRUNCATE community_topic_search",
    """INSERT INTO community_topic_search(topic_id, document)
    SELECT id, community_topic_document(title, body, accepted_post_id) FROM community_topic""",
    f"COMMENT ON TABLE community_topic_search IS 'townsquare search v{POSTGRES_VERSION}'",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS community_topic_search_answer ON community_post",
    "DROP TRIGGER IF EXISTS community_topic_search_delete ON community_topic",
    "DROP TRIGGER IF EXISTS community_topic_search_update ON community_topic",
    "DROP TRIGGER IF EXISTS community_topic_search_insert ON community_topic",
    "DROP FUNCTION IF EXISTS community_topic_search_answer()",
    "DROP FUNCTION IF EXISTS community_topic_search_sync()",
    "DROP FUNCTION IF EXISTS community_topic_document(text, text, bigint)",
    "DROP FUNCTION IF EXISTS community_fold(text)",
    "DROP TABLE IF EXISTS community_topic_search",
]


def _run(connection, statements) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            # No parameters: the statements hold no placeholders, and '%' must stay literal.
            cursor.execute(statement)


def install(connection) -> None:
    """Create the index, its triggers, and fill it from the topics there are."""
    if connection.vendor == "sqlite":
        _run(connection, [SQLITE_TABLE, *SQLITE_TRIGGERS.values(), *SQLITE_FILL])
    elif connection.vendor == "postgresql":
        _run(connection, [*POSTGRES_TABLE, *POSTGRES_TRIGGERS.values(), *POSTGRES_FILL])


def uninstall(connection) -> None:
    _run(connection, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(connection.vendor, ()))


def missing_triggers(connection) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            expected = SQLITE_TRIGGERS
        elif connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            expected = POSTGRES_TRIGGERS
        else:
            return []
        present = {row[0] for row in cursor.fetchall()}
    return [name for name in expected if name not in present]


def _current_version(connection) -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT obj_description('community_topic_search'::regclass, 'pg_class')")
        return cursor.fetchone()[0] == f"townsquare search v{POSTGRES_VERSION}"


def ensure(connection) -> bool:
    """Put back a missing index or trigger (a rebuilt table loses them), or rebuild an index made
    by an older version; True if it had to."""
    if connection.vendor not in ("sqlite", "postgresql"):
        return False
    table = "community_topic_fts" if connection.vendor == "sqlite" else "community_topic_search"
    if (
        table in connection.introspection.table_names()
        and not missing_triggers(connection)
        and _current_version(connection)
    ):
        return False
    if "community_topic" not in connection.introspection.table_names():
        return False  # migrations have not reached the community yet
    install(connection)
    return True
