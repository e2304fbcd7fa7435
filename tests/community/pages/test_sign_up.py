"""Dana signs up for the community: a customer account with a member profile, signed in at once."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from townsquare.community.models import Member
from townsquare.events.models import Event
from townsquare.people.models import Role, User

pytestmark = pytest.mark.django_db
GOOD = {
    "username": "dana",
    "email": "dana@example.org",
    "password": "a long and unusual passphrase",
    "display_name": "Dana R.",
    "languages": "es, en",
}


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_signing_up_makes_a_customer_member_and_signs_in(client):
    assert "Sign up" in client.get(reverse("community:signup")).content.decode()
    response = client.post(reverse("community:signup"), GOOD)
    assert response.status_code == 302 and response["Location"] == reverse("community:index")
    dana = User.objects.get(username="dana")
    assert (
        dana.role == Role.CUSTOMER
        and dana.languages == ["es", "en"]
        and dana.check_password(GOOD["password"])
    )
    assert Member.objects.get(user=dana).display_name == "Dana R."
    event = Event.objects.get(kind="community.member_joined")
    assert event.actor_id == dana.pk
    page = client.get(reverse("community:index")).content.decode()
    assert "/community/u/dana/" in page and "Sign out" in page


def test_sign_up_goes_back_to_where_the_visitor_was(client, devices_space):
    back = reverse("community:space", args=["devices"])
    response = client.post(reverse("community:signup"), {**GOOD, "next": back})
    assert response["Location"] == back


@pytest.mark.parametrize(
    "field, value, says",
    [
        ("password", "password", "too common"),
        ("password", "short", "too short"),
        ("username", "a b", "letters, digits"),
        ("email", "not-an-email", "email"),
        ("languages", "english", "two-letter"),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_nothing_is_created(client, field, value, says):
    response = client.post(reverse("community:signup"), {**GOOD, field: value})
    assert response.status_code == 400
    assert says in response.content.decode().lower() or says in str(response.context["form"].errors).lower()
    assert field in response.context["form"].errors
    assert not User.objects.filter(role=Role.CUSTOMER).exists()
    assert not Event.objects.filter(kind="community.member_joined").exists()


def test_a_taken_username_is_refused_whatever_its_case(client, farid):
    response = client.post(reverse("community:signup"), {**GOOD, "username": "FARID"})
    assert response.status_code == 400 and "taken" in str(response.context["form"].errors["username"])


def test_sign_ups_from_one_address_are_rate_limited(client, settings):
    from townsquare.community.views import signup

    for i in range(signup.SIGNUPS_PER_HOUR):
        client.post(reverse("community:signup"), {**GOOD, "username": f"user{i}", "password": "x"})
    response = client.post(reverse("community:signup"), GOOD)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Too many sign-ups" in response.content.decode()
    assert not User.objects.filter(username="dana").exists()


def test_a_signed_in_member_is_sent_to_the_community(client, farid):
    client.force_login(farid)
    assert client.get(reverse("community:signup"))["Location"] == reverse("community:index")
