"""A claim reads its conversation with the visibility query compiled once per person (workers claim
thousands); what that person may see still follows their queues, teams and role as they change, and
a lost claim answers from that one read."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.care.routing_helpers import conv, on_duty, owner, queue, team
from townsquare.api.errors import NotFound
from townsquare.care.claims import AlreadyAssigned, claim
from townsquare.inbox.visibility import Forbidden
from townsquare.people.models import Role

pytestmark = pytest.mark.django_db


def test_a_queue_joined_after_the_first_claim_counts_at_once(twitter, alice):
    devices, billing = queue("Devices"), queue("Billing")
    profile = on_duty(alice, queues=[devices])
    claim(alice, conv(twitter, queue=devices))  # compiles alice's query
    in_billing = conv(twitter, queue=billing)
    with pytest.raises(NotFound):
        claim(alice, in_billing)
    profile.queues.add(billing)
    claim(alice, in_billing)
    assert owner(in_billing) == alice
    profile.queues.remove(billing)
    with pytest.raises(NotFound):
        claim(alice, conv(twitter, queue=billing))


def test_a_team_left_hides_its_queue_again(twitter, bruno):
    on_duty(bruno)
    crew = team("Crew", bruno)
    crews_queue = queue("Crew queue", team=crew)
    claim(bruno, conv(twitter, queue=crews_queue))
    crew.members.remove(bruno)
    with pytest.raises(NotFound):
        claim(bruno, conv(twitter, queue=crews_queue))


def test_a_new_role_gets_its_own_rule(twitter, alice):
    on_duty(alice)
    claim(alice, conv(twitter))
    alice.role = Role.AMBASSADOR
    alice.save(update_fields=["role"])
    with pytest.raises(NotFound):  # ambassadors see only community conversations assigned to them
        claim(alice, conv(twitter))
    alice.role = Role.CUSTOMER
    alice.save(update_fields=["role"])
    with pytest.raises(Forbidden):
        claim(alice, conv(twitter))


def test_a_deactivated_person_claims_nothing(twitter, alice):
    on_duty(alice)
    claim(alice, conv(twitter))
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    with pytest.raises(Forbidden):
        claim(alice, conv(twitter))


def test_a_lost_claim_is_one_query_and_names_the_owner(twitter, alice, bruno):
    on_duty(alice)
    on_duty(bruno)
    taken = conv(twitter)
    claim(alice, taken)
    claim(bruno, conv(twitter))  # bruno's query is compiled
    with CaptureQueriesContext(connection) as captured, pytest.raises(AlreadyAssigned, match="to alice"):
        claim(bruno, taken)
    assert len(captured) == 1
