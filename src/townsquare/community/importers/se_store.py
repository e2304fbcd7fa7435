"""Write one batch of a Stack Exchange dump: topics, answers, comments, their events and counters.

Each call runs inside the batch's transaction (see stackexchange.py). A row whose external id
(`stackexchange:<site>:<id>`, comments `…:c<id>`) is already stored is a duplicate and changes
nothing, so a second run of the same dump stores nothing new and a run killed half way is
completed by the next one.

The events are what the live services would have written, with the dump's dates as
`occurred_at` and `imported: true` in their data, so reputation, badges and trust levels can be
recomputed from the log like any other history: `community.topic_created`,
`community.post_created`, `community.imported_votes` (a post's net score as up/down counts: the
dump has no individual votes) and `community.answer_accepted`. They are inserted in bulk: no
in-process listener runs, so nothing is notified, escalated to care or mailed about history.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from townsquare.community import reputation
from townsquare.community.importers.se_html import clean_html, comment_html, markdown_of
from townsquare.community.importers.se_people import TagMap, UserMap
from townsquare.community.importers.se_records import Answer, Comment, Question, Reject, excerpt
from townsquare.community.importers.se_rows import row_shape
from townsquare.community.models import Member, Post, PostKind, Topic, TopicKind, Visibility
from townsquare.events.log import BULK_COLUMNS
from townsquare.events.models import Event
from townsquare.inbox.ingest.bulk_sql import (
    allocate_ids,
    datetime_adapter,
    db_json,
    execute_many,
    insert_many,
    select_in,
)

TOPIC = Topic._meta.db_table
POST = Post._meta.db_table
EVENT = Event._meta.db_table
MEMBER = Member._meta.db_table
TOPIC_TAGS = Topic.tags.through._meta.db_table
TOPIC_GIVEN = ["id", "space_id", "kind", "title", "body", "body_html", "author_id", "language"]
TOPIC_GIVEN += [
    "visibility",
    "created_at",
    "last_activity_at",
    "score",
    "view_count",
    "is_closed",
    "external_id",
    "answer_count",
    "accepted_post_id",
    "accepted_at",
]
# Where touch() and _accept() change a topic row still waiting in its batch.
LATEST, ANSWERS, ACCEPTED_POST, ACCEPTED_AT = 10, 15, 16, 17
POST_GIVEN = ["id", "topic_id", "kind", "parent_id", "author_id", "body", "body_html", "language"]
POST_GIVEN += ["visibility", "created_at", "score", "external_id"]
TOPIC_CACHE_LIMIT = 200_000
FIELDS = reputation.FIELDS
# Plain strings: a driver may write an enum member by its name.
QUESTION, ANSWER, COMMENT = TopicKind.QUESTION.value, PostKind.ANSWER.value, PostKind.COMMENT.value
VISIBLE = Visibility.VISIBLE.value


@dataclass
class Counts:
    topics: int = 0
    answers: int = 0
    comments: int = 0
    duplicates: int = 0
    accepted: int = 0
    events: int = 0


@dataclass
class MemberDelta:
    """What a batch adds to one member's cached reputation and counters (reputation.FIELDS)."""

    amounts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    # A datetime (PostgreSQL) or its text (SQLite), as the driver takes it; None until they post.
    last_posted: object = None


@dataclass(slots=True)
class TopicInfo:
    id: int
    author_id: int | None
    created_at: datetime


@dataclass
class Store:
    """What one import keeps between batches: where it writes, and caches of what it found."""

    site: str
    space_id: int
    language: str
    users: UserMap
    tags: TagMap = field(default_factory=TagMap)
    topics: dict[int, TopicInfo] = field(default_factory=dict)
    # Answers named accepted by a question already read, until the answer itself comes along.
    accepted: set[int] = field(default_factory=set)
    counts: Counts = field(default_factory=Counts)
    # Which file each kind of row is read from, for the reject report.
    files: dict[str, str] = field(
        default_factory=lambda: dict.fromkeys(("question", "answer", "comment"), "")
    )

    def external_id(self, source_id: int, prefix: str = "") -> str:
        return f"stackexchange:{self.site}:{prefix}{source_id}"

    def forget(self) -> None:
        """A batch rolled back: what it created is gone, so are the caches that point at it."""
        self.users.clear()
        self.tags.clear()
        self.topics.clear()


class Batch:
    """The rows and counter changes of one batch, written by `flush` at its end."""

    def __init__(self, store: Store):
        self.store = store
        self.to_db = datetime_adapter()
        # Topics are inserted at the end of their batch, with the answers and the accepted answer
        # the batch found for them: no UPDATE afterwards (each would rewrite its search entry).
        self.topics: dict[int, list] = {}
        self.posts, self.tags, self.events = [], [], []
        self.topic_updates: dict[int, list] = {}  # topic id -> [answers added, latest activity]
        self.accepts: list[tuple] = []
        self.members: dict[int, MemberDelta] = {}
        self.counts = Counts()

    def member(self, user_id: int, when=None) -> MemberDelta:
        delta = self.members.get(user_id)
        if delta is None:
            delta = self.members[user_id] = MemberDelta()
        if when is not None and (delta.last_posted is None or when > delta.last_posted):
            delta.last_posted = when
        return delta

    def event(self, kind: str, when, actor: int | None, data: dict) -> None:
        """Queue one event, and move the members' cached values as the live listeners would:
        the same fold (community.reputation) that `community-recompute` runs over the log."""
        data = {**data, "imported": True}
        self.events.append((kind, when, actor, None, None, None, db_json(data)))
        for user, name, amount in reputation.deltas(kind, actor, data, _nothing_granted):
            self.member(user).amounts[name] += amount

    def votes(self, target: str, beneficiary, topic_id: int, post_id, score: int, when: str) -> None:
        if not score or beneficiary is None:
            return
        up, down = max(score, 0), max(-score, 0)
        data = {"beneficiary": beneficiary, "target": target, "post": post_id, "topic": topic_id}
        self.event("community.imported_votes", when, None, {**data, "up": up, "down": down})

    def touch(self, topic_id: int, when, answers: int = 0) -> None:
        row = self.topics.get(topic_id)
        if row is not None:
            row[ANSWERS] += answers
            row[LATEST] = max(row[LATEST], when)
            return
        update = self.topic_updates.setdefault(topic_id, [0, when])
        update[0] += answers
        update[1] = max(update[1], when)


def store_posts(store: Store, items: list, *, final: bool) -> tuple[list[Answer], list[Reject]]:
    """Store a batch of questions and answers; returns (answers to retry later, rejects).

    An answer whose question is neither stored nor in this batch waits for a later batch (dumps
    are ordered by id, which is nearly always question first); with `final` it is rejected.
    """
    batch = Batch(store)
    questions = [item for item in items if isinstance(item, Question)]
    answers = [item for item in items if isinstance(item, Answer)]
    rejects = _add_questions(batch, questions)
    for question in questions:
        if question.accepted_answer_id:
            store.accepted.add(question.accepted_answer_id)
    waiting, more = _add_answers(batch, answers, final=final)
    flush(batch)
    return waiting, rejects + more


def _add_questions(batch: Batch, questions: list[Question]) -> list[Reject]:
    store, rejects = batch.store, []
    unique: dict[str, Question] = {}
    for question in questions:
        unique.setdefault(store.external_id(question.source_id), question)
    batch.counts.duplicates += len(questions) - len(unique)
    for external_id, topic_id, author_id, created in select_in(
        TOPIC, ["external_id", "id", "author_id", "created_at"], "external_id", unique
    ):
        store.topics[unique.pop(external_id).source_id] = TopicInfo(topic_id, author_id, _aware(created))
        batch.counts.duplicates += 1
    new = []
    for question in unique.values():
        body_html = clean_html(question.body_html)
        body = markdown_of(body_html)
        if not body:
            rejects.append(
                Reject(
                    store.files["question"],
                    question.line,
                    "the question's body is empty",
                    excerpt(question.title),
                )
            )
        else:
            new.append((question, body, body_html))
    if not new:
        return rejects
    authors = _authors(store, [(q.owner_id, q.created_at) for q, _, _ in new])
    tag_ids = store.tags.ids({name for q, _, _ in new for name in q.tags})
    ids = allocate_ids(TOPIC, len(new))
    if len(store.topics) + len(new) > TOPIC_CACHE_LIMIT:
        store.topics.clear()
    for topic_id, (question, body, body_html) in zip(ids, new, strict=True):
        author = authors.get(question.owner_id)
        created = batch.to_db(question.created_at)
        latest = max(question.created_at, question.last_activity_at or question.created_at)
        batch.topics[topic_id] = [
            topic_id, store.space_id, QUESTION, question.title[:200], body, body_html, author,
            store.language, VISIBLE, created, batch.to_db(latest), question.score,
            question.view_count, question.closed, store.external_id(question.source_id), 0, None, None,
        ]  # fmt: skip
        batch.tags.extend((topic_id, tag_ids[name]) for name in question.tags)
        store.topics[question.source_id] = TopicInfo(topic_id, author, question.created_at)
        data = {"topic": topic_id, "space": store.space_id, "kind": QUESTION}
        batch.event(
            "community.topic_created", created, author, {**data, "language": store.language, "held": False}
        )
        batch.votes("topic", author, topic_id, None, question.score, created)
        if author is not None:
            batch.member(author, created)
    batch.counts.topics += len(new)
    return rejects


def _add_answers(batch: Batch, answers: list[Answer], *, final: bool) -> tuple[list[Answer], list[Reject]]:
    store, waiting, rejects = batch.store, [], []
    missing = {a.question_id for a in answers if a.question_id not in store.topics}
    if missing:
        names = {store.external_id(source): source for source in missing}
        for external_id, topic_id, author_id, created in select_in(
            TOPIC, ["external_id", "id", "author_id", "created_at"], "external_id", names
        ):
            store.topics[names[external_id]] = TopicInfo(topic_id, author_id, _aware(created))
    unique: dict[str, Answer] = {}
    for answer in answers:
        if answer.question_id in store.topics:
            unique.setdefault(store.external_id(answer.source_id), answer)
        elif final:
            reason = f"its question {answer.question_id} is not in the dump"
            rejects.append(Reject(store.files["answer"], answer.line, reason, excerpt(answer.body_html)))
        else:
            waiting.append(answer)
    batch.counts.duplicates += len(answers) - len(waiting) - len(rejects) - len(unique)
    for (external_id,) in select_in(POST, ["external_id"], "external_id", unique):
        store.accepted.discard(unique.pop(external_id).source_id)
        batch.counts.duplicates += 1
    new = []
    for answer in unique.values():
        body_html = clean_html(answer.body_html)
        body = markdown_of(body_html)
        if body:
            new.append((answer, body, body_html))
        else:
            rejects.append(
                Reject(
                    store.files["answer"],
                    answer.line,
                    "the answer's body is empty",
                    excerpt(answer.body_html),
                )
            )
    if new:
        _write_answers(batch, new)
    return waiting, rejects


def _write_answers(batch: Batch, new: list[tuple[Answer, str, str]]) -> None:
    store = batch.store
    authors = _authors(store, [(a.owner_id, a.created_at) for a, _, _ in new])
    for post_id, (answer, body, body_html) in zip(allocate_ids(POST, len(new)), new, strict=True):
        topic = store.topics[answer.question_id]
        author = authors.get(answer.owner_id)
        created = batch.to_db(answer.created_at)
        batch.posts.append(
            (post_id, topic.id, ANSWER, None, author, body, body_html, store.language,
             VISIBLE, created, answer.score, store.external_id(answer.source_id))
        )  # fmt: skip
        batch.touch(topic.id, created, answers=1)
        data = {"post": post_id, "topic": topic.id, "space": store.space_id, "kind": ANSWER}
        data |= {"parent": None, "topic_author": topic.author_id, "language": store.language, "held": False}
        batch.event("community.post_created", created, author, data)
        batch.votes("post", author, topic.id, post_id, answer.score, created)
        if author is not None:
            batch.member(author, created)
        if answer.is_accepted or answer.source_id in store.accepted:
            store.accepted.discard(answer.source_id)
            _accept(batch, topic, post_id, author, answer.created_at, created)
    batch.counts.answers += len(new)


def _accept(batch: Batch, topic: TopicInfo, post_id: int, answerer, answered_at: datetime, when: str) -> None:
    """The dump does not say when an answer was accepted; the answer's own date is the earliest it could be."""
    row = batch.topics.get(topic.id)
    if row is None:
        batch.accepts.append((post_id, when, topic.id))
    elif row[ACCEPTED_POST] is None:
        row[ACCEPTED_POST], row[ACCEPTED_AT] = post_id, when
    batch.counts.accepted += 1
    batch.event(
        "community.answer_accepted",
        when,
        topic.author_id,
        {
            "topic": topic.id,
            "post": post_id,
            "space": batch.store.space_id,
            "answerer": answerer,
            "asker": topic.author_id,
            "peer": answerer is not None,
            "answered_after_seconds": max(0, int((answered_at - topic.created_at).total_seconds())),
        },
    )


def store_comments(store: Store, comments: list[Comment]) -> list[Reject]:
    """Comments on questions (no parent) and on answers (the answer is their parent)."""
    batch, rejects = Batch(store), []
    unique: dict[str, Comment] = {}
    for comment in comments:
        unique.setdefault(store.external_id(comment.source_id, "c"), comment)
    batch.counts.duplicates += len(comments) - len(unique)
    for (external_id,) in select_in(POST, ["external_id"], "external_id", unique):
        del unique[external_id]
        batch.counts.duplicates += 1
    targets = _comment_targets(store, {c.post_id for c in unique.values()})
    new = []
    for external_id, comment in unique.items():
        if comment.post_id not in targets:
            reason = f"the post {comment.post_id} it comments on is not in the dump"
            rejects.append(Reject(store.files["comment"], comment.line, reason, excerpt(comment.text)))
        elif not comment.text.strip():
            rejects.append(Reject(store.files["comment"], comment.line, "the comment is empty"))
        else:
            new.append((external_id, comment))
    authors = _authors(store, [(c.owner_id, c.created_at) for _, c in new])
    for post_id, (external_id, comment) in zip(allocate_ids(POST, len(new)), new, strict=True):
        topic_id, parent_id, topic_author = targets[comment.post_id]
        author = authors.get(comment.owner_id)
        created = batch.to_db(comment.created_at)
        batch.posts.append(
            (post_id, topic_id, COMMENT, parent_id, author, comment.text, comment_html(comment.text),
             store.language, VISIBLE, created, comment.score, external_id)
        )  # fmt: skip
        batch.touch(topic_id, created)
        data = {"post": post_id, "topic": topic_id, "space": store.space_id, "kind": COMMENT}
        data |= {"parent": parent_id, "topic_author": topic_author, "language": store.language, "held": False}
        batch.event("community.post_created", created, author, data)
        if author is not None:
            batch.member(author, created)
    batch.counts.comments += len(new)
    flush(batch)
    return rejects


def _comment_targets(store: Store, post_ids: set[int]) -> dict[int, tuple[int, int | None, int | None]]:
    """dump post id -> (topic id, parent post id or None, topic author) for questions and answers."""
    names = {store.external_id(source): source for source in post_ids}
    found = {
        names[external_id]: (topic_id, None, author_id)
        for external_id, topic_id, author_id in select_in(
            TOPIC, ["external_id", "id", "author_id"], "external_id", names
        )
    }
    rest = {name: source for name, source in names.items() if source not in found}
    answers = select_in(POST, ["external_id", "id", "topic_id"], "external_id", rest)
    authors = dict(select_in(TOPIC, ["id", "author_id"], "id", {topic_id for _, _, topic_id in answers}))
    for external_id, post_id, topic_id in answers:
        found[rest[external_id]] = (topic_id, post_id, authors.get(topic_id))
    return found


def _authors(store: Store, owners: list[tuple[int | None, datetime]]) -> dict[int, int]:
    wanted: dict[int, tuple[datetime | None, str]] = {}
    for owner_id, when in owners:
        if owner_id is not None and (owner_id not in wanted or when < wanted[owner_id][0]):
            wanted[owner_id] = (when, "")
    return store.users.resolve(wanted) if wanted else {}


def _aware(value) -> datetime:
    """A created_at read through the raw driver: SQLite gives text, PostgreSQL an aware datetime."""
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value


def flush(batch: Batch) -> None:
    """Insert the batch's rows and apply its counter changes (inside the caller's transaction)."""
    # Posts before their topics (foreign keys are checked at commit): the search index's insert
    # trigger reads the accepted answer's text when the topic row arrives.
    if batch.posts:
        columns, tail = row_shape(Post, POST_GIVEN)
        insert_many(POST, columns, [row + tail for row in batch.posts])
    if batch.topics:
        columns, tail = row_shape(Topic, TOPIC_GIVEN)
        insert_many(TOPIC, columns, [(*row, *tail) for row in batch.topics.values()])
        insert_many(TOPIC_TAGS, ["topic_id", "tag_id"], batch.tags)
    execute_many(
        f"UPDATE {TOPIC} SET answer_count = answer_count + %s, last_activity_at = "  # noqa: S608
        "CASE WHEN last_activity_at < %s THEN %s ELSE last_activity_at END WHERE id = %s",
        [(added, when, when, topic_id) for topic_id, (added, when) in batch.topic_updates.items()],
    )
    execute_many(
        f"UPDATE {TOPIC} SET accepted_post_id = %s, accepted_at = %s "  # noqa: S608
        "WHERE id = %s AND accepted_post_id IS NULL",
        batch.accepts,
    )
    insert_many(EVENT, BULK_COLUMNS, batch.events)
    _update_members(batch)
    counts, total = batch.counts, batch.store.counts
    for name in ("topics", "answers", "comments", "duplicates", "accepted"):
        setattr(total, name, getattr(total, name) + getattr(counts, name))
    total.events += len(batch.events)


def _update_members(batch: Batch) -> None:
    sets = ", ".join(f"{name} = {name} + %s" for name in reputation.FIELDS)
    execute_many(
        f"UPDATE {MEMBER} SET {sets}, last_posted_at = CASE WHEN last_posted_at IS NULL "  # noqa: S608
        "OR last_posted_at < %s THEN COALESCE(%s, last_posted_at) ELSE last_posted_at END WHERE user_id = %s",
        [
            (*(d.amounts[name] for name in reputation.FIELDS), d.last_posted, d.last_posted, user)
            for user, d in batch.members.items()
        ],
    )


def _nothing_granted(topic_id) -> list:
    """Imports never unaccept, so no earlier grant is ever looked up."""
    return []
