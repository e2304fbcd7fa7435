"""Routing puts a conversation in the first matching queue and gives it to the right person:
language, skills, capacity and presence all count, and nobody away or full gets anything."""

import pytest

from tests.care.routing_helpers import conv, events, on_duty, owner, queue, team
from townsquare.care.models import Presence
from townsquare.care.routing import route
from townsquare.inbox.models import Channel, ChannelKind, Message
from townsquare.labels.models import MessageLabels
from townsquare.people.models import Customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def general(db):
    return queue("General", position=100)


def test_dana_in_spanish_goes_to_bruno_not_alice(twitter, alice, bruno, general):
    on_duty(alice, queues=[general])
    on_duty(bruno, queues=[general])
    dana = conv(twitter, language="es", kind="complaint")
    route([dana.pk])
    assert owner(dana) == bruno
    dana.refresh_from_db()
    assert dana.queue == general and dana.assigned_at is not None and dana.escalation_level == "agent"
    [queued] = events("conversation.queued", dana)
    assert queued.data == {"queue_id": general.pk}
    [assigned] = events("conversation.assigned", dana)
    assert assigned.data == {"assignee_id": bruno.pk, "queue_id": general.pk, "via": "routing"}


@pytest.mark.parametrize(
    ("language", "skills", "capacity", "presence", "expected"),
    [
        ("de", [], 5, Presence.ONLINE, "alice"),  # only Alice speaks German
        ("es", [], 5, Presence.ONLINE, "bruno"),
        ("en", ["refunds"], 5, Presence.ONLINE, "alice"),  # only Alice has the skill
        ("en", [], 0, Presence.ONLINE, "bruno"),  # Alice is full
        ("en", [], 5, Presence.AWAY, "bruno"),  # Alice is away
        ("en", [], 5, Presence.OFFLINE, "bruno"),
        ("de", [], 0, Presence.ONLINE, None),  # the only German speaker is full: it waits
        ("de", [], 5, Presence.AWAY, None),
        ("fr", [], 5, Presence.ONLINE, None),  # nobody speaks French
        ("", [], 5, Presence.ONLINE, "alice"),  # language unknown: anyone; ties go by id
        ("und", [], 5, Presence.ONLINE, "alice"),
    ],
)
def test_routing_matrix(twitter, alice, bruno, language, skills, capacity, presence, expected):
    refunds = queue("Refunds", skills=skills)
    on_duty(alice, capacity=capacity, presence=presence, skills=["refunds"], queues=[refunds])
    on_duty(bruno, queues=[refunds])
    waiting = conv(twitter, language=language)
    route([waiting.pk])
    got = owner(waiting)
    assert (got.username if got else None) == expected
    waiting.refresh_from_db()
    assert waiting.queue == refunds  # queued either way


def test_least_loaded_wins_and_ties_go_to_who_waited_longest(twitter, alice, bruno, general):
    on_duty(alice, queues=[general])
    on_duty(bruno, queues=[general])
    first, second, third = (conv(twitter) for _ in range(3))
    route([first.pk, second.pk, third.pk])
    owners = [owner(c) for c in (first, second, third)]
    assert owners[0] != owners[1]  # one each, then the one who got the first gets the third
    assert owners[2] == owners[0]


def test_team_members_serve_their_teams_queues(twitter, alice, bruno):
    devices = team("Devices", alice)
    devices_queue = queue("Devices", team=devices)
    on_duty(alice)
    on_duty(bruno)
    waiting = conv(twitter)
    route([waiting.pk])
    assert owner(waiting) == alice
    assert devices_queue.conversations.count() == 1


def test_the_first_matching_queue_by_position_wins(twitter, alice, general):
    urgent = queue("Urgent", position=1, rules={"priority": ["urgent"]})
    on_duty(alice, queues=[general, urgent])
    calm, burning = conv(twitter), conv(twitter, priority="urgent")
    route([calm.pk, burning.pk])
    calm.refresh_from_db(), burning.refresh_from_db()
    assert (calm.queue, burning.queue) == (general, urgent)


def test_inactive_queues_and_unmatched_conversations_are_left_alone(twitter, alice):
    old = queue("Old", position=1)
    old.is_active = False
    old.save()
    spanish = queue("Spanish", rules={"language": "es"})
    on_duty(alice, queues=[old, spanish])
    english = conv(twitter, language="en")
    route([english.pk])
    english.refresh_from_db()
    assert english.queue is None and english.assignee is None
    assert events("conversation.queued") == []


def test_not_for_us_resolved_and_already_queued_are_not_routed(twitter, alice, general):
    on_duty(alice, queues=[general])
    chatter = conv(twitter, kind="chatter", not_for_us=True)
    done = conv(twitter, status="resolved")
    other = queue("Other", position=500)
    elsewhere = conv(twitter, queue=other)
    route([chatter.pk, done.pk, elsewhere.pk])
    for c in (chatter, done):
        c.refresh_from_db()
        assert c.queue is None and c.assignee is None
    elsewhere.refresh_from_db()
    assert elsewhere.queue == other  # not moved; its queue's members (none) get it
    assert elsewhere.assignee is None


def test_manual_queues_wait_for_a_pull(twitter, alice):
    manual = queue("Manual", mode="manual")
    on_duty(alice, queues=[manual])
    waiting = conv(twitter)
    route([waiting.pk])
    waiting.refresh_from_db()
    assert waiting.queue == manual and waiting.assignee is None


def test_routing_twice_changes_nothing(twitter, alice, general):
    on_duty(alice, queues=[general])
    waiting = conv(twitter)
    route([waiting.pk])
    route([waiting.pk])
    assert len(events("conversation.queued", waiting)) == 1
    assert len(events("conversation.assigned", waiting)) == 1


def test_rules_read_channel_customer_and_the_first_messages_intent(twitter, alice):
    gold = Customer.objects.create(display_name="Dana", attributes={"tier": "gold", "tags": ["vip", "eu"]})
    cards = queue("Cards", position=1, rules={"intent": ["card_arrival"], "customer": {"tags": "vip"}})
    forum_queue = queue("Forum", position=2, rules={"channel_kind": "community"})
    by_id = queue("Twitter", position=3, rules={"channel": [twitter.pk]})
    on_duty(alice, queues=[cards, forum_queue, by_id])
    card = conv(twitter, customer=gold)
    first = Message.objects.create(
        channel=twitter,
        conversation=card,
        external_id="x1",
        direction="in",
        text="where is my card",
        created_at=card.started_at,
        received_at=card.started_at,
    )
    MessageLabels.objects.create(
        message=first, conversation_id=card.pk, kind="question", intents=[["card_arrival", 0.9]]
    )
    forum = Channel.objects.create(name="forum", kind=ChannelKind.COMMUNITY)
    asked, tweeted = conv(forum), conv(twitter)
    route([card.pk, asked.pk, tweeted.pk])
    for c in (card, asked, tweeted):
        c.refresh_from_db()
    assert (card.queue, asked.queue, tweeted.queue) == (cards, forum_queue, by_id)


def test_ambassadors_get_only_community_conversations(twitter, bob, alice):
    forum = Channel.objects.create(name="forum", kind=ChannelKind.COMMUNITY)
    peers = queue("Peers")
    on_duty(bob, queues=[peers])
    asked, tweeted = conv(forum), conv(twitter)
    route([asked.pk, tweeted.pk])
    assert owner(asked) == bob
    assert owner(tweeted) is None
    asked.refresh_from_db()
    assert asked.escalation_level == "ambassador"


def test_escalated_conversations_skip_people_below_their_level(alice, bob, carol):
    forum = Channel.objects.create(name="forum", kind=ChannelKind.COMMUNITY)
    peers = queue("Peers")
    on_duty(bob, queues=[peers])
    on_duty(alice, queues=[peers])
    on_duty(carol, queues=[peers])
    to_staff = conv(forum, escalation_level="agent")
    to_supervisor = conv(forum, escalation_level="supervisor")
    route([to_staff.pk, to_supervisor.pk])
    assert owner(to_staff) in (alice, carol)
    assert owner(to_supervisor) == carol


def test_a_batch_larger_than_one_round_is_assigned_whole(twitter, alice, general):
    on_duty(alice, capacity=300, queues=[general])
    batch = [conv(twitter) for _ in range(230)]
    outcome = route([c.pk for c in batch])
    assert (outcome.queued, outcome.assigned) == (230, 230)


def test_a_queue_with_its_own_sla_policy_moves_the_clock_to_it(twitter, alice):
    from townsquare.sla.clocks import start_clocks
    from townsquare.sla.models import ConversationSla, SlaPolicy

    vip = queue("VIP", rules={"priority": "urgent"})
    SlaPolicy.objects.create(name="Everyone", first_response_minutes=60)
    fast = SlaPolicy.objects.create(name="VIP", queue=vip, first_response_minutes=5)
    on_duty(alice, queues=[vip])
    waiting = conv(twitter, priority="urgent", invites_reply=True)
    Message.objects.create(
        channel=twitter,
        conversation=waiting,
        external_id="u1",
        direction="in",
        text="my heater is on fire",
        created_at=waiting.started_at,
        received_at=waiting.started_at,
    )
    start_clocks([waiting.pk])  # what fast triage does
    route([waiting.pk])
    assert ConversationSla.objects.get(conversation=waiting).policy == fast
