"""Staff see members who meet an ambassador level's criteria, invite them; the member accepts and
becomes an ambassador (a customer's role becomes ambassador, opening the console's ambassador view);
supervisors and admins remove them."""

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.web.conftest import conversation
from townsquare.community import ambassadors
from townsquare.community.errors import CommunityError, Conflict, NotAllowed
from townsquare.community.events import record_community
from townsquare.community.members import member_of
from townsquare.community.models import AmbassadorInvite, InviteStatus, Member, Notification
from townsquare.events.models import Event
from townsquare.inbox.models import Conversation
from townsquare.people.models import Role, User

pytestmark = pytest.mark.django_db


def resolved(answerer, asker, count: int, seconds: int, start: int = 1):
    """`count` peer answers by `answerer` accepted by `asker`, each `seconds` after its question."""
    for topic in range(start, start + count):
        record_community(
            "community.answer_accepted",
            actor=asker,
            data={
                "topic": topic,
                "post": 1000 + topic,
                "answerer": answerer.pk,
                "asker": asker.pk,
                "peer": True,
                "answered_after_seconds": seconds,
            },
        )


@pytest.fixture
def helpful_dana(members):
    """Dana (a customer) solved 6 questions for Farid within an hour each, at trust level 2."""
    resolved(members["dana"], members["farid"], 6, 3600)
    Member.objects.filter(user=members["dana"]).update(trust_level=2)
    return members["dana"]


def test_staff_see_candidates_who_meet_the_criteria(helpful_dana, members, alice):
    found = ambassadors.candidates(alice)
    assert [(c.member.user_id, c.level, c.median_seconds) for c in found] == [(helpful_dana.pk, 1, 3600)]
    with pytest.raises(NotAllowed):
        ambassadors.candidates(members["farid"])


def test_a_slow_helper_is_not_a_candidate(members, alice):
    resolved(members["dana"], members["farid"], 6, 3 * 24 * 3600)
    Member.objects.filter(user=members["dana"]).update(trust_level=2)
    assert ambassadors.candidates(alice) == []


def test_invite_accept_makes_a_customer_an_ambassador(helpful_dana, alice):
    invite = ambassadors.invite(alice, helpful_dana, 1, "You help so many people!")
    told = Notification.objects.get(user=helpful_dana, kind="ambassador")
    assert f"/community/invites/{invite.pk}/" in told.text
    with pytest.raises(Conflict, match="already has an invitation"):
        ambassadors.invite(alice, helpful_dana, 1)
    ambassadors.respond(helpful_dana, invite.pk, accept=True)
    member = Member.objects.get(user=helpful_dana)
    assert member.ambassador_level == 1 and member.ambassador_since is not None
    assert User.objects.get(pk=helpful_dana.pk).role == Role.AMBASSADOR
    joined = Event.objects.get(kind="community.ambassador_joined")
    assert joined.actor_id == helpful_dana.pk and joined.data["role_changed"] is True
    assert ambassadors.candidates(alice) == []  # already at the level they qualify for
    with pytest.raises(Conflict):
        ambassadors.respond(helpful_dana, invite.pk, accept=False)


def test_only_the_invitee_answers_and_declining_changes_nothing(helpful_dana, members, alice):
    invite = ambassadors.invite(alice, helpful_dana, 2)
    with pytest.raises(LookupError):
        ambassadors.respond(members["farid"], invite.pk, accept=True)
    ambassadors.respond(helpful_dana, invite.pk, accept=False)
    assert AmbassadorInvite.objects.get(pk=invite.pk).status == InviteStatus.DECLINED
    assert Member.objects.get(user=helpful_dana).ambassador_level == 0
    assert User.objects.get(pk=helpful_dana.pk).role == Role.CUSTOMER


def test_staff_cannot_be_invited_and_members_cannot_invite(members, alice, carol):
    with pytest.raises(CommunityError, match="customers and ambassadors"):
        ambassadors.invite(alice, carol, 1)
    with pytest.raises(NotAllowed):
        ambassadors.invite(members["bob"], members["dana"], 1)
    with pytest.raises(CommunityError, match="level"):
        ambassadors.invite(alice, members["dana"], 4)


def test_a_supervisor_removes_an_ambassador(members, carol, alice, community_channel):
    bob = members["bob"]
    Member.objects.filter(pk=member_of(bob).pk).update(ambassador_level=2, ambassador_since=timezone.now())
    routed = conversation(community_channel, [("in", "My blender broke, can anyone help?")])
    Conversation.objects.filter(pk=routed.pk).update(assignee=bob, assigned_at=timezone.now())
    with pytest.raises(NotAllowed):
        ambassadors.remove(alice, bob)
    ambassadors.remove(carol, bob, "inactive for a year")
    assert Member.objects.get(user=bob).ambassador_level == 0
    assert User.objects.get(pk=bob.pk).role == Role.CUSTOMER
    removed = Event.objects.get(kind="community.ambassador_removed")
    assert removed.actor_id == carol.pk and removed.data["reason"] == "inactive for a year"
    # What was routed to Bob goes back to the queue.
    assert Conversation.objects.get(pk=routed.pk).assignee_id is None
    assert removed.data["conversations_handed_back"] == [routed.pk]
    with pytest.raises(Conflict):
        ambassadors.remove(carol, User.objects.get(pk=bob.pk))


def test_the_invitee_accepts_on_the_invitation_page(client, helpful_dana, alice):
    invite = ambassadors.invite(alice, helpful_dana, 1, "Join us")
    client.login(username="dana", password=PASSWORD)
    assert "You are invited to the ambassador program" in client.get("/community/u/dana/").content.decode()
    page = client.get(f"/community/invites/{invite.pk}/")
    assert page.status_code == 200 and "Join us" in page.content.decode()
    assert client.post(f"/community/invites/{invite.pk}/", {"decision": "maybe"}).status_code == 400
    assert client.post(f"/community/invites/{invite.pk}/", {"decision": "accept"}).status_code == 302
    assert User.objects.get(pk=helpful_dana.pk).role == Role.AMBASSADOR


def test_someone_else_cannot_open_the_invitation(client, helpful_dana, alice, farid):
    invite = ambassadors.invite(alice, helpful_dana, 1)
    client.login(username="farid", password=PASSWORD)
    assert client.get(f"/community/invites/{invite.pk}/").status_code == 404


def test_the_staff_page_lists_candidates_and_invites(client, helpful_dana, alice, carol, members):
    client.login(username="alice", password=PASSWORD)
    page = client.get("/community/ambassadors/").content.decode()
    assert 'data-testid="candidates"' in page and "Dana" in page and "60 min" in page
    assert "Remove" not in page  # agents invite, managers remove
    response = client.post("/community/ambassadors/invite", {"username": "dana", "level": "1", "message": ""})
    assert response.status_code == 302
    assert AmbassadorInvite.objects.filter(member__user=helpful_dana, status="pending").exists()
    assert (
        client.post("/community/ambassadors/invite", {"username": "nobody", "level": "1"}).status_code == 400
    )
    client.logout()
    client.login(username="carol", password=PASSWORD)
    bob = members["bob"]
    assert client.post(f"/community/ambassadors/{bob.pk}/remove", {"reason": "asked to"}).status_code == 302
    assert User.objects.get(pk=bob.pk).role == Role.CUSTOMER


def test_members_cannot_open_the_staff_page(client, members):
    client.login(username="farid", password=PASSWORD)
    assert client.get("/community/ambassadors/").status_code == 403
    client.logout()
    assert client.get("/community/ambassadors/").status_code == 302  # to the sign-in page
