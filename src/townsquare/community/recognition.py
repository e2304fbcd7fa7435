"""The incremental side of reputation, trust levels and badges: listeners on community events.

They run inside the transaction that wrote the event, lock each member they change
(`locked_member`) and apply the same `reputation.deltas`, `trust.next_level` and badge rules that
the recompute from the log (`community.ledger`) applies, so both always agree.
"""

from collections import defaultdict
from datetime import timedelta

from townsquare.community import badges, reputation, trust
from townsquare.community.events import listens
from townsquare.community.members import locked_member

MODERATED = "community.moderated"


def _granted_before(event):
    """What the latest accept of a topic granted (looked up in the log, for an unaccept to reverse)."""
    from townsquare.events.models import Event

    def lookup(topic_id) -> list:
        accepted = (
            Event.objects.filter(kind=reputation.ACCEPTED_KIND, id__lt=event.pk, data__topic=topic_id)
            .order_by("-id")
            .first()
        )
        return reputation.accept_grant(accepted.actor_id, accepted.data) if accepted else []

    return lookup


def changes_by_user(event) -> tuple[dict[int, list], set[int]]:
    """Per user, the (field, amount) changes of this event; and who may be demoted by it."""
    data = event.data or {}
    by_user: dict[int, list] = defaultdict(list)
    against: set[int] = set()
    for user, field, amount in reputation.deltas(event.kind, event.actor_id, data, _granted_before(event)):
        by_user[user].append((field, amount))
        if amount < 0:
            against.add(user)
    if event.kind == MODERATED and data.get("target_user") and trust.upheld_count(data):
        by_user[data["target_user"]] += []
        against.add(data["target_user"])
    return by_user, against


@listens(*reputation.KINDS, MODERATED)
def on_community_event(event) -> None:
    by_user, against = changes_by_user(event)
    # A fixed order, so two transactions touching the same members lock them in the same order.
    for user_id in sorted(by_user):
        _update_member(user_id, by_user[user_id], event, may_demote=user_id in against)


def _update_member(user_id: int, changes: list, event, *, may_demote: bool) -> None:
    from townsquare.community.models import Member
    from townsquare.people.models import User

    member = Member.objects.select_for_update().filter(user_id=user_id).first()
    if member is None:  # their first brush with the community: make the profile, then lock it
        user = User.objects.filter(pk=user_id).first()
        if user is None:
            return
        member = locked_member(user)
    fields = {"trust_level"}
    for field, amount in changes:
        setattr(member, field, getattr(member, field) + amount)
        fields.add(field)
    trust.reevaluate(member, at=event.occurred_at, may_demote=may_demote, actor_id=event.actor_id)
    member.save(update_fields=sorted(fields))
    _award_badges(member, event)


def _award_badges(member, event) -> None:
    from townsquare.community.models import BadgeAward

    held = set(BadgeAward.objects.filter(user_id=member.user_id).values_list("badge", flat=True))
    if len(held) == len(badges.BADGES):
        return
    facts = badge_facts(member, event)
    for slug, reason in badges.newly_earned(facts, held):
        badges.award(member.user_id, slug, reason, actor_id=event.actor_id, at=event.occurred_at)


def badge_facts(member, event) -> badges.BadgeFacts:
    data, user_id = event.data or {}, member.user_id
    facts = badges.BadgeFacts(counters={name: getattr(member, name) for name in reputation.COUNTERS})
    if is_own_answer(event, user_id):
        day = event.occurred_at.date()
        facts.languages = lambda: len(answer_languages(user_id, up_to=event.pk))
        facts.streak = lambda: badges.run_length(answer_days(user_id, day, up_to=event.pk), day)
    if is_own_question(event, user_id):
        facts.asked_question = data.get("topic")
    if event.kind == reputation.VOTE and data.get("target") == "topic" and data.get("beneficiary") == user_id:
        from townsquare.community.models import Topic, TopicKind

        score = Topic.objects.filter(pk=data.get("topic"), kind=TopicKind.QUESTION).values_list(
            "score", flat=True
        )
        if score:
            facts.question_score = (data.get("topic"), score[0])
    return facts


def is_own_answer(event, user_id: int) -> bool:
    """A visible answer by `user_id`: posted, or approved by a moderator after being held."""
    data = event.data or {}
    return (
        event.kind in (reputation.POST_CREATED, reputation.POST_APPROVED)
        and reputation.content_author(event.kind, event.actor_id, data) == user_id
        and data.get("kind") == "answer"
        and not data.get("held")
    )


def is_own_question(event, user_id: int) -> bool:
    data = event.data or {}
    return (
        event.kind in (reputation.TOPIC_CREATED, reputation.TOPIC_APPROVED)
        and reputation.content_author(event.kind, event.actor_id, data) == user_id
        and data.get("kind") == "question"
        and not data.get("held")
    )


def _answer_events(user_id: int, up_to: int):
    from django.db.models import Q

    from townsquare.events.models import Event

    posted = Q(kind=reputation.POST_CREATED, actor_id=user_id) | Q(
        kind=reputation.POST_APPROVED, data__author=user_id
    )
    return Event.objects.filter(posted, id__lte=up_to, data__kind="answer", data__held=False)


def answer_languages(user_id: int, *, up_to: int) -> set[str]:
    languages = _answer_events(user_id, up_to).values_list("data__language", flat=True).distinct()
    return {language for language in languages if language}


def answer_days(user_id: int, day, *, up_to: int) -> set:
    since = day - timedelta(days=badges.STREAK_DAYS)
    times = (
        _answer_events(user_id, up_to)
        .filter(occurred_at__date__gte=since)
        .values_list("occurred_at", flat=True)
    )
    return {moment.date() for moment in times}


@listens(badges.BADGE_AWARDED, trust.TRUST_LEVEL_CHANGED)
def tell_the_member(event) -> None:
    """Tell the member about a new badge or trust level (not about history the recompute found)."""
    from townsquare.community.models import Notification
    from townsquare.community.privileges import TRUST_LEVEL_NAMES

    data = event.data or {}
    user_id = data.get("user")
    if user_id is None or data.get("recomputed") or data.get("source") == "recompute":
        return
    if event.kind == badges.BADGE_AWARDED:
        kind, text = "badge", f"You earned the badge {data.get('name')}: {data.get('reason')}."
    else:
        level = int(data.get("to", 0))
        went = "up" if level > int(data.get("from", 0)) else "down"
        kind = "trust_level"
        text = f"Your trust level went {went} to {level} ({TRUST_LEVEL_NAMES.get(level, '')}): {data.get('reason')}."
    Notification.objects.create(user_id=user_id, kind=kind, text=text[:300], actor_id=event.actor_id)
