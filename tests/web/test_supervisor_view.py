"""Carol, the supervisor, sees queue depth, agent load, SLA risk and urgent conversations now."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.web.care_builders import care_conversation, profile, queue

pytestmark = pytest.mark.django_db
URL = reverse("web:supervisor")
HOUR = timedelta(hours=1)


@pytest.fixture
def floor(twitter, alice, bruno):
    devices, billing = queue("Devices", position=1), queue("Billing", position=2)
    profile(alice, queues=[devices], capacity=2)
    profile(bruno, queues=[billing], presence="away", capacity=4)
    return {
        "devices": devices,
        "billing": billing,
        "overdue": care_conversation(twitter, "overdue", in_queue=devices, due_in=-HOUR / 4, minutes_ago=90),
        "soon": care_conversation(twitter, "soon", in_queue=devices, assignee=alice, due_in=HOUR / 2),
        "later": care_conversation(twitter, "later", in_queue=billing, assignee=alice, due_in=5 * HOUR),
        "urgent": care_conversation(twitter, "urgent", in_queue=billing, priority="urgent", waiting=False),
        "resolved": care_conversation(twitter, "done", in_queue=devices, status="resolved", due_in=-HOUR),
        "unqueued": care_conversation(twitter, "not routed yet"),
    }


def test_queue_depth_per_queue(client, carol, floor):
    client.force_login(carol)
    depths = {(d.queue.name if d.queue else None): d for d in client.get(URL).context["depths"]}
    devices, billing, unqueued = depths["Devices"], depths["Billing"], depths[None]
    assert (devices.waiting, devices.unassigned, devices.breaching) == (2, 1, 2)
    assert devices.oldest_waiting == floor["overdue"].waiting_since
    assert (billing.waiting, billing.unassigned, billing.breaching) == (1, 1, 0)
    assert (unqueued.waiting, unqueued.unassigned) == (1, 1)


def test_agent_load_against_capacity_with_presence_and_languages(client, carol, floor):
    client.force_login(carol)
    response = client.get(URL)
    loads = {load.user.username: load for load in response.context["loads"]}
    assert (loads["alice"].open, loads["alice"].capacity, loads["alice"].presence) == (2, 2, "Online")
    assert loads["alice"].full
    assert (loads["bruno"].open, loads["bruno"].capacity, loads["bruno"].presence) == (0, 4, "Away")
    body = response.content.decode()
    assert "en, de" in body and "es, en" in body


def test_sla_risk_lists_breaching_soon_first_and_urgent_separately(client, carol, floor):
    client.force_login(carol)
    response = client.get(URL)
    assert [c.pk for c in response.context["at_risk"]] == [floor["overdue"].pk, floor["soon"].pk]
    assert [c.pk for c in response.context["urgent"]] == [floor["urgent"].pk]
    assert "15 min overdue" in response.content.decode() or "14 min overdue" in response.content.decode()


def test_admins_see_it_too(client, grace, floor):
    client.force_login(grace)
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize("who", ["alice", "bob", "eve"])
def test_other_roles_get_403(client, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(URL)
    assert response.status_code == 403
    assert "only supervisors and admins" in response.content.decode()


def test_the_nav_link_is_offered_to_supervisors_only(client, carol, alice):
    client.force_login(carol)
    assert f'href="{URL}"' in client.get(reverse("web:conversations")).content.decode()
    client.force_login(alice)
    assert f'href="{URL}"' not in client.get(reverse("web:conversations")).content.decode()
