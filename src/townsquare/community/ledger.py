"""Rebuilding reputation, counters, trust levels and badges from the event log alone.

`Ledger` folds events in log order, deciding trust levels and badges at each event exactly as
the listeners in `community.recognition` did when it happened. `recompute()` reads the log in
chunks by id (memory grows with members, not events) and writes what differs onto Member rows,
adding any missing badge. `townsquare community-recompute` runs it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import NamedTuple

from django.db import transaction

from townsquare.community import badges, reputation, trust
from townsquare.community.recognition import MODERATED, is_own_answer, is_own_question

KINDS = (*reputation.KINDS, MODERATED, trust.TRUST_LEVEL_CHANGED)
KIND_SET = frozenset(KINDS)


class Ledger:
    def __init__(self, joined: dict):
        self.joined = joined
        self.fold = reputation.Fold()
        self.levels: dict[int, tuple[int, bool]] = {}
        self.staff_set: set[int] = set()
        self.badges: dict[int, dict[str, tuple[str, object]]] = defaultdict(dict)
        self.flags: dict[int, list] = defaultdict(list)
        self.languages: dict[int, set[str]] = defaultdict(set)
        self.streaks: dict[int, tuple[object, int]] = {}
        self.question_scores: dict[int, int] = {}

    def feed(self, event) -> None:
        kind, data = event.kind, event.data or {}
        if kind == trust.TRUST_LEVEL_CHANGED:
            if data.get("source") == "staff" and data.get("user") is not None:
                self.levels[data["user"]] = (int(data.get("to", 0)), bool(data.get("locked", True)))
                self.staff_set.add(data["user"])
            elif data.get("source") == "sweep" and data.get("user") is not None:
                # Time passed: evaluate the member at the sweep's moment, as the sweep did.
                self._decide_level(data["user"], event.occurred_at, may_demote=False)
            return
        by_user: dict[int, list] = defaultdict(list)
        against: set[int] = set()
        for user, _field, amount in self.fold.feed(kind, event.actor_id, data):
            by_user[user].append(amount)
            if amount < 0:
                against.add(user)
        if kind == MODERATED and data.get("target_user") and trust.upheld_count(data):
            self.flags[data["target_user"]] += [event.occurred_at] * trust.upheld_count(data)
            by_user[data["target_user"]] += []
            against.add(data["target_user"])
        self._track_content(event, kind, data)
        for user_id in sorted(by_user):
            self._decide(user_id, event, may_demote=user_id in against)

    def _track_content(self, event, kind: str, data: dict) -> None:
        author = reputation.content_author(kind, event.actor_id, data)
        if is_own_question(event, author):
            self.question_scores[data.get("topic")] = 0
        if (
            kind == reputation.VOTE
            and data.get("target") == "topic"
            and data.get("topic") in self.question_scores
        ):
            self.question_scores[data["topic"]] += int(data.get("value", 0)) - int(data.get("previous", 0))
        if is_own_answer(event, author):
            if data.get("language"):
                self.languages[author].add(data["language"])
            day = event.occurred_at.date()
            last, run = self.streaks.get(author, (None, 0))
            if last != day:
                run = run + 1 if last == day - timedelta(days=1) else 1
            self.streaks[author] = (day, run)

    def _decide(self, user_id: int, event, *, may_demote: bool) -> None:
        self._decide_level(user_id, event.occurred_at, may_demote=may_demote)
        self._badges(user_id, event, self.fold.totals[user_id])

    def _decide_level(self, user_id: int, at, *, may_demote: bool) -> None:
        totals = self.fold.totals[user_id]
        level, locked = self.levels.get(user_id, (0, False))
        facts = trust.Facts(
            reputation=totals["reputation"],
            topics=totals["topics_posted"],
            answers=totals["answers_posted"],
            accepted=totals["accepted_answers"],
            joined_at=self.joined.get(user_id),
            at=at,
            recent_flags=lambda: sum(
                1 for t in self.flags.get(user_id, ()) if at - trust.FLAG_WINDOW < t <= at
            ),
        )
        change = trust.next_level(level, locked, facts, may_demote=may_demote)
        if change is not None:
            self.levels[user_id] = (change[0], locked)

    def _badges(self, user_id: int, event, totals: dict) -> None:
        data = event.data or {}
        facts = badges.BadgeFacts(counters=totals)
        if is_own_answer(event, user_id):
            facts.languages = lambda: len(self.languages[user_id])
            facts.streak = lambda: self.streaks.get(user_id, (None, 0))[1]
        if is_own_question(event, user_id):
            facts.asked_question = data.get("topic")
        topic = data.get("topic")
        if (
            event.kind == reputation.VOTE
            and data.get("target") == "topic"
            and data.get("beneficiary") == user_id
            and topic in self.question_scores
        ):
            facts.question_score = (topic, self.question_scores[topic])
        held = self.badges[user_id]
        for slug, reason in badges.newly_earned(facts, set(held)):
            held[slug] = (reason, event.occurred_at)

    def standing(self, user_id: int) -> dict:
        """The values the Member row should hold, from the log."""
        level, locked = self.levels.get(user_id, (0, False))
        return {**self.fold.totals.get(user_id, dict.fromkeys(reputation.FIELDS, 0)), "trust_level": level}


class Logged(NamedTuple):
    """The columns of an event the fold reads (lighter than a model instance)."""

    id: int
    kind: str
    actor_id: int | None
    occurred_at: object
    data: dict


def events_in_chunks(chunk: int = 2000):
    """Community events that matter here, in log order, one window of ids at a time.

    Each window is read by primary key range (an index on kind would make every chunk scan and
    sort all events of those kinds), so the whole log costs one pass and memory stays at a window.
    """
    from django.db.models import Max

    from townsquare.events.models import Event

    top = Event.objects.aggregate(top=Max("id"))["top"] or 0
    low = 0
    while low < top:
        high = low + chunk
        window = Event.objects.filter(id__gt=low, id__lte=high)
        wanted = [pk for pk, kind in window.values_list("id", "kind") if kind in KIND_SET]
        if wanted:
            rows = Event.objects.filter(id__in=wanted).order_by("id")
            yield from (
                Logged(*row) for row in rows.values_list("id", "kind", "actor_id", "occurred_at", "data")
            )
        low = high


def build_ledger(chunk: int = 2000) -> Ledger:
    from townsquare.community.models import Member

    ledger = Ledger(dict(Member.objects.values_list("user_id", "joined_at")))
    for event in events_in_chunks(chunk):
        ledger.feed(event)
    return ledger


@dataclass
class Summary:
    members_checked: int = 0
    members_changed: int = 0
    badges_added: int = 0
    changed: list = field(default_factory=list)


def recompute(*, chunk: int = 2000, write: bool = True) -> Summary:
    """Rebuild every Member's reputation, counters and trust level, and missing badges, from the log."""
    from townsquare.community.models import BadgeAward, Member

    ledger = build_ledger(chunk)
    summary = Summary()
    last = 0
    fields = [*reputation.FIELDS, "trust_level"]
    while True:
        rows = list(Member.objects.filter(pk__gt=last).order_by("pk")[:chunk])
        if not rows:
            break
        last = rows[-1].pk
        for member in rows:
            summary.members_checked += 1
            target = ledger.standing(member.user_id)
            if member.trust_level_locked and member.user_id not in ledger.staff_set:
                # Locked outside the log (the admin site): the level is staff's, not the rules'.
                target["trust_level"] = member.trust_level
            diff = {name: target[name] for name in fields if getattr(member, name) != target[name]}
            if diff:
                summary.members_changed += 1
                summary.changed.append((member.user_id, diff))
                if write:
                    _write(member, diff)
    for user_id, earned in ledger.badges.items():
        have = set(BadgeAward.objects.filter(user_id=user_id).values_list("badge", flat=True))
        for slug, (reason, at) in earned.items():
            if slug not in have:
                summary.badges_added += 1
                if write:
                    with transaction.atomic():
                        badges.award(user_id, slug, reason, at=at, recomputed=True)
    return summary


def _write(member, diff: dict) -> None:
    from townsquare.community.events import record_community
    from townsquare.community.models import Member

    with transaction.atomic():
        Member.objects.filter(pk=member.pk).update(**diff)
        if "trust_level" in diff:
            record_community(
                trust.TRUST_LEVEL_CHANGED,
                data={
                    "user": member.user_id,
                    "from": member.trust_level,
                    "to": diff["trust_level"],
                    "reason": "recomputed from the event log",
                    "source": "recompute",
                },
            )
