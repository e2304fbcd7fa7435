"""Who sees which conversations: admins all, supervisors their teams, agents their queues,
ambassadors only community conversations routed to them; everyone what is assigned to them."""

import pytest

from tests.care.routing_helpers import conv, on_duty, queue, team
from townsquare.inbox.models import Channel, ChannelKind
from townsquare.inbox.visibility import visible_conversations

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(twitter, alice, bruno, carol, bob):
    devices, billing = team("Devices", alice, carol), team("Billing", bruno)
    devices_q, billing_q = queue("Devices", team=devices), queue("Billing", team=billing)
    loose = queue("Loose")  # no team
    forum = Channel.objects.create(name="forum", kind=ChannelKind.COMMUNITY)
    return {
        "unqueued": conv(twitter),
        "devices": conv(twitter, queue=devices_q),
        "billing": conv(twitter, queue=billing_q),
        "loose": conv(twitter, queue=loose),
        "alices_billing": conv(twitter, queue=billing_q, assignee=alice),
        "bobs_question": conv(forum, queue=loose, assignee=bob),
        "open_question": conv(forum),
        "loose_queue": loose,
    }


def seen(user, world) -> set[str]:
    ids = set(visible_conversations(user).values_list("pk", flat=True))
    return {name for name, c in world.items() if getattr(c, "pk", None) in ids and name != "loose_queue"}


def test_admin_sees_everything(world, grace):
    assert seen(grace, world) == set(world) - {"loose_queue"}


def test_carol_sees_her_teams_and_teamless_queues(world, carol):
    assert seen(carol, world) == {"unqueued", "devices", "loose", "bobs_question", "open_question"}


def test_a_supervisor_in_no_team_sees_everything(world, carol):
    carol.teams.clear()
    assert seen(carol, world) == set(world) - {"loose_queue"}


def test_alice_sees_her_team_queue_her_own_queues_and_what_she_holds(world, alice):
    assert seen(alice, world) == {"unqueued", "devices", "alices_billing", "open_question"}
    on_duty(alice, queues=[world["loose_queue"]])
    assert seen(alice, world) == {
        "unqueued",
        "devices",
        "alices_billing",
        "open_question",
        "loose",
        "bobs_question",
    }


def test_bob_sees_only_the_community_conversation_routed_to_him(world, bob):
    assert seen(bob, world) == {"bobs_question"}


def test_agents_without_queues_still_see_unqueued_conversations(twitter, bruno):
    plain = conv(twitter)
    assert list(visible_conversations(bruno)) == [plain]


def test_the_rule_costs_no_extra_query(world, alice, carol, bob, django_assert_num_queries):
    on_duty(alice, queues=[world["loose_queue"]])
    for person in (alice, carol, bob):
        with django_assert_num_queries(1):  # the queue ids are a subquery of the page's query
            list(visible_conversations(person).order_by("-last_activity_at")[:50])


def test_the_rule_is_built_once_per_user_and_role(world, carol, monkeypatch):
    """A page asks two or three times: the filter is built on the first ask; a new role rebuilds it."""
    from townsquare.inbox import visibility
    from townsquare.people.models import Role

    built, build = [], visibility._visible_conversations
    monkeypatch.setattr(
        visibility, "_visible_conversations", lambda user: built.append(user.role) or build(user)
    )
    assert (
        seen(carol, world)
        == seen(carol, world)
        == {"unqueued", "devices", "loose", "bobs_question", "open_question"}
    )
    assert built == [Role.SUPERVISOR]
    carol.role = Role.ADMIN
    assert seen(carol, world) == set(world) - {"loose_queue"}
    assert built == [Role.SUPERVISOR, Role.ADMIN]
