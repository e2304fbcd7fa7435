"""Anyone reads a member's profile (reputation, trust level and what the next one needs, badges,
recent answers), the leaderboard and the badge list; moderators set a trust level from the profile."""

import pytest

from tests.conftest import PASSWORD
from townsquare.community.accepting import accept
from townsquare.community.models import Member
from townsquare.community.posting import answer, ask
from townsquare.events.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def solved(devices_space, members):
    farid, bob = members["farid"], members["bob"]
    topic = ask(farid, devices_space, "My headphones will not pair", "They blink red and never connect.")
    reply = answer(bob, topic, "Hold the power button for ten seconds, then pair them again.")
    accept(farid, reply)
    return topic


def test_anyone_reads_a_profile_with_progress_and_badges(client, solved, members):
    response = client.get("/community/u/farid/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="reputation">2<' in page
    assert "What Farid needs for trust level 1 (basic)" in page
    assert "questions or answers posted" in page and "Curious" in page
    bob_page = client.get("/community/u/bob/").content.decode()
    assert "Solved it" in bob_page and "Helping hand" in bob_page
    assert "My headphones will not pair" in bob_page and "accepted" in bob_page
    assert client.get("/community/u/nobody/").status_code == 404


def test_a_member_sees_what_they_need_on_their_own_profile(client, members):
    client.login(username="dana", password=PASSWORD)
    page = client.get("/community/u/dana/").content.decode()
    assert "What you need for trust level 2 (member)" in page
    assert "Set the trust level" not in page  # only moderators see the form


def test_a_moderator_sets_and_locks_a_trust_level_from_the_profile(client, members, eve):
    client.login(username="eve", password=PASSWORD)
    assert "Set the trust level" in client.get("/community/u/farid/").content.decode()
    response = client.post("/community/u/farid/trust-level", {"level": "4", "lock": "on", "reason": "leads"})
    assert response.status_code == 302
    member = Member.objects.get(user=members["farid"])
    assert (member.trust_level, member.trust_level_locked) == (4, True)
    event = Event.objects.get(kind="community.trust_level_changed")
    assert event.actor_id == eve.pk and event.data["source"] == "staff" and event.data["to"] == 4
    assert client.post("/community/u/farid/trust-level", {"level": "9"}).status_code == 400


def test_a_member_cannot_set_trust_levels(client, members):
    client.login(username="dana", password=PASSWORD)
    response = client.post("/community/u/farid/trust-level", {"level": "4"})
    assert response.status_code == 403
    assert Member.objects.get(user=members["farid"]).trust_level == 0


def test_leaderboard_and_badge_pages(client, solved):
    page = client.get("/community/leaderboard/").content.decode()
    assert 'href="/community/u/bob/"' in page
    assert client.get("/community/leaderboard/?period=all").status_code == 200
    assert client.get("/community/leaderboard/?period=nonsense").status_code == 200
    badges = client.get("/community/badges/").content.decode()
    assert "Polyglot" in badges and "1 member holds it" in badges


def test_the_profile_page_makes_a_bounded_number_of_queries(client, solved, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert client.get("/community/u/bob/").status_code == 200
