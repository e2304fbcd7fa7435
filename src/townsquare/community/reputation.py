"""Reputation and the member counters, as a pure fold of the community event log.

Each event turns into a list of `Delta`s — (user id, field, amount) — where the field is
"reputation" or one of the Member counters. The same function serves the incremental listeners
(`community.recognition`) and the full recompute (`community.ledger`), so the cached values on
Member can always be rebuilt from the log and never drift from it.

Rules (after Stack Exchange): an upvote on an answer is +10, on a question +5; a downvote is -2 for
the author; an accepted answer is +15 for the answerer and +2 for the asker; a helpful mark is +5.
Changing a vote moves by the difference, taking it back or unaccepting reverses exactly what was
given, and nobody earns anything from their own actions (voting for or accepting their own post).
Imported history (`community.imported_votes`, `community.answer_accepted` with `imported: true`)
counts like live history.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable

ANSWER_UPVOTE = 10
QUESTION_UPVOTE = 5
DOWNVOTE = -2
ACCEPTED = 15
ACCEPTER = 2
HELPFUL = 5

COUNTERS = ("accepted_answers", "peer_resolutions", "helpful_received", "answers_posted", "topics_posted")
FIELDS = ("reputation", *COUNTERS)

VOTE = "community.vote"
HELPFUL_MARK = "community.helpful"
IMPORTED_VOTES = "community.imported_votes"
ACCEPTED_KIND = "community.answer_accepted"
UNACCEPTED_KIND = "community.answer_unaccepted"
TOPIC_CREATED = "community.topic_created"
POST_CREATED = "community.post_created"
# A held (spam-suspected) post counts once a moderator approves it; the event names its author.
TOPIC_APPROVED = "community.topic_approved"
POST_APPROVED = "community.post_approved"
# Every kind that moves reputation or a counter.
KINDS = (
    VOTE,
    HELPFUL_MARK,
    IMPORTED_VOTES,
    ACCEPTED_KIND,
    UNACCEPTED_KIND,
    TOPIC_CREATED,
    POST_CREATED,
    TOPIC_APPROVED,
    POST_APPROVED,
)

Delta = tuple[int, str, int]
# What the accept of a topic's answer granted, for reversing it on unaccept.
GrantLookup = Callable[[int], list[Delta]]


def vote_points(target: str, value: int) -> int:
    if value == 1:
        return QUESTION_UPVOTE if target == "topic" else ANSWER_UPVOTE
    if value == -1:
        return DOWNVOTE
    return 0


def accept_grant(actor_id: int | None, data: dict) -> list[Delta]:
    """What accepting an answer gives: nothing to whoever accepts their own answer."""
    answerer, asker = data.get("answerer"), data.get("asker")
    grant: list[Delta] = []
    if answerer is not None and answerer != actor_id and answerer != asker:
        grant += [(answerer, "reputation", ACCEPTED), (answerer, "accepted_answers", 1)]
        if data.get("peer"):
            grant.append((answerer, "peer_resolutions", 1))
    if asker is not None and asker != answerer:
        grant.append((asker, "reputation", ACCEPTER))
    return grant


def reverse(grant: list[Delta]) -> list[Delta]:
    return [(user, field, -amount) for user, field, amount in grant]


def _beneficiary(actor_id: int | None, data: dict) -> int | None:
    beneficiary = data.get("beneficiary")
    if beneficiary is None or beneficiary == actor_id:
        return None
    return beneficiary


def deltas(kind: str, actor_id: int | None, data: dict, granted: GrantLookup) -> list[Delta]:
    """The changes one event makes. `granted(topic)` answers what that topic's accept gave."""
    if kind == VOTE:
        beneficiary = _beneficiary(actor_id, data)
        target = data.get("target", "post")
        points = vote_points(target, data.get("value", 0)) - vote_points(target, data.get("previous", 0))
        return [(beneficiary, "reputation", points)] if beneficiary and points else []
    if kind == HELPFUL_MARK:
        beneficiary = _beneficiary(actor_id, data)
        sign = 1 if data.get("helpful") else -1
        if beneficiary is None:
            return []
        return [(beneficiary, "reputation", sign * HELPFUL), (beneficiary, "helpful_received", sign)]
    if kind == IMPORTED_VOTES:
        beneficiary = _beneficiary(actor_id, data)
        target = data.get("target", "post")
        points = int(data.get("up") or 0) * vote_points(target, 1) + int(data.get("down") or 0) * DOWNVOTE
        return [(beneficiary, "reputation", points)] if beneficiary and points else []
    if kind == ACCEPTED_KIND:
        return accept_grant(actor_id, data)
    if kind == UNACCEPTED_KIND:
        return reverse(granted(data.get("topic")))
    author = content_author(kind, actor_id, data)
    if author is None or data.get("held"):
        return []
    if kind in (TOPIC_CREATED, TOPIC_APPROVED):
        return [(author, "topics_posted", 1)]
    if kind in (POST_CREATED, POST_APPROVED) and data.get("kind") == "answer":
        return [(author, "answers_posted", 1)]
    return []


def content_author(kind: str, actor_id: int | None, data: dict) -> int | None:
    """Who wrote the topic or post an event is about: the actor, or for an approval the author."""
    if kind in (TOPIC_CREATED, POST_CREATED):
        return actor_id
    if kind in (TOPIC_APPROVED, POST_APPROVED):
        return data.get("author")
    return None


class Fold:
    """Folds events in log order into per-user totals, remembering what each accept granted."""

    def __init__(self):
        self.totals: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
        self.accepts: dict[int, list[Delta]] = {}

    def feed(self, kind: str, actor_id: int | None, data: dict) -> list[Delta]:
        if kind == ACCEPTED_KIND:
            changes = accept_grant(actor_id, data)
            self.accepts[data.get("topic")] = changes
        elif kind == UNACCEPTED_KIND:
            changes = reverse(self.accepts.pop(data.get("topic"), []))
        else:
            changes = deltas(kind, actor_id, data, lambda topic: [])
        for user, field, amount in changes:
            self.totals[user][field] += amount
        return changes


def reputation_from_events(events: Iterable) -> dict[int, int]:
    """Reputation per user id from community events (objects with kind, actor_id and data), in log order."""
    fold = Fold()
    for event in events:
        fold.feed(event.kind, event.actor_id, event.data or {})
    return {user: totals["reputation"] for user, totals in fold.totals.items()}
