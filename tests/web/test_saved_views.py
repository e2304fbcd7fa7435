"""Alice switches between saved views of the inbox: Mine, Unassigned, Breaching soon, a queue, All."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.web.care_builders import care_conversation, profile, queue
from townsquare.care.models import Team

pytestmark = pytest.mark.django_db
URL = reverse("web:conversations")
COUNTS = reverse("web:view-counts")
HOUR = timedelta(hours=1)


def listed(response) -> list[int]:
    return [c.pk for c in response.context["page"].rows]


def counts(response) -> dict[str, int]:
    return {tab["view"].key: tab["count"] for tab in response.context["tabs"]}


@pytest.fixture
def devices(alice):
    devices = queue("Devices")
    profile(alice, queues=[devices])
    return devices


@pytest.fixture
def inbox(twitter, alice, bruno, devices):
    billing = queue("Billing")
    return {
        "mine": care_conversation(twitter, "mine", assignee=alice, in_queue=devices, due_in=3 * HOUR),
        "brunos": care_conversation(twitter, "bruno's", assignee=bruno, due_in=-HOUR / 2),
        "waiting": care_conversation(twitter, "nobody has it", in_queue=devices, due_in=HOUR / 4),
        "answered": care_conversation(twitter, "brand spoke last", waiting=False),
        "resolved": care_conversation(twitter, "done", status="resolved", due_in=-HOUR),
        "billing": care_conversation(twitter, "billing queue", in_queue=billing, assignee=bruno),
    }


def test_mine_lists_only_conversations_assigned_to_me(client, alice, inbox):
    client.force_login(alice)
    assert listed(client.get(URL, {"view": "mine"})) == [inbox["mine"].pk]


def test_unassigned_needs_a_reply_and_is_not_resolved(client, alice, inbox):
    client.force_login(alice)
    assert listed(client.get(URL, {"view": "unassigned"})) == [inbox["waiting"].pk]


def test_breaching_soon_is_sorted_by_time_left_overdue_first(client, alice, inbox):
    client.force_login(alice)
    response = client.get(URL, {"view": "breaching"})
    # Bruno's is 30 minutes overdue, the waiting one has 15 minutes left; 3 hours left is not "soon",
    # and a resolved conversation's clock does not count.
    assert listed(response) == [inbox["brunos"].pk, inbox["waiting"].pk]
    assert "least SLA time left first" in response.content.decode()


def test_a_queue_view_for_each_queue_the_agent_works(client, alice, inbox, devices):
    client.force_login(alice)
    response = client.get(URL, {"view": f"queue-{devices.pk}"})
    assert set(listed(response)) == {inbox["mine"].pk, inbox["waiting"].pk}
    # Alice works Devices only: Billing has no tab for her, and asking for it is refused.
    assert [tab["view"].label for tab in response.context["tabs"]] == [
        "Mine",
        "Unassigned",
        "Breaching soon",
        "Devices",
        "All",
    ]


def test_a_supervisor_gets_a_view_per_queue_of_her_team(client, carol, inbox, devices):
    team = Team.objects.create(name="Devices team")
    team.members.add(carol)
    devices.team = team
    devices.save()
    client.force_login(carol)
    labels = [tab["view"].label for tab in client.get(URL).context["tabs"]]
    # Billing has no team, so every supervisor sees it; Devices is Carol's team's.
    assert labels == ["Mine", "Unassigned", "Breaching soon", "Billing", "Devices", "All"]


def test_tabs_count_open_work_per_view_in_one_query(client, alice, inbox, devices):
    client.force_login(alice)
    listing = client.get(URL).content.decode()
    # The list answers without waiting for the counts; its tabs fetch them right after.
    assert f'hx-get="{COUNTS}?view=all" hx-trigger="load"' in listing
    with CaptureQueriesContext(connection) as queries:
        response = client.get(COUNTS, {"view": "all"})
    assert counts(response) == {
        "mine": 1,
        "unassigned": 1,
        "breaching": 2,
        f"queue-{devices.pk}": 2,
        # every open conversation Alice may see: not the resolved one (no work), nor Billing's
        "all": 4,
    }
    assert sum("COUNT(" in query["sql"] for query in queries.captured_queries) == 1


def test_an_unknown_view_is_a_clear_400(client, alice, inbox):
    client.force_login(alice)
    response = client.get(URL, {"view": "queue-999"})
    assert response.status_code == 400
    assert "There is no saved view called “queue-999” for you." in response.content.decode()


def test_filters_narrow_within_a_view(client, alice, inbox):
    client.force_login(alice)
    assert listed(client.get(URL, {"view": "breaching", "q": "nobody"})) == [inbox["waiting"].pk]


def test_list_shows_assignee_queue_and_time_left_red_when_overdue(client, alice, inbox):
    client.force_login(alice)
    body = client.get(URL, {"view": "breaching"}).content.decode()
    assert "Bruno" in body
    assert "Devices" in body
    assert 'class="sla sla-overdue">30 min overdue</time>' in body or "29 min overdue" in body
    assert "14 min left" in body or "15 min left" in body


def test_counts_answer_for_the_current_view_and_refuse_an_unknown_one(client, alice, inbox):
    client.force_login(alice)
    response = client.get(COUNTS, {"view": "breaching"})
    assert [tab["view"].key for tab in response.context["tabs"] if tab["current"]] == ["breaching"]
    assert "SLA deadline within the hour or past, least time left first: 2 open" in response.content.decode()
    response = client.get(COUNTS, {"view": "nope"})
    assert response.status_code == 400
    assert "There is no saved view called “nope” for you." in response.content.decode()


def test_the_filter_form_keeps_the_view_and_leaves_the_default_out_of_the_url(client, alice, inbox):
    client.force_login(alice)
    assert (
        '<input type="hidden" name="view" value="breaching">'
        in client.get(URL, {"view": "breaching"}).content.decode()
    )
    assert 'name="view"' not in client.get(URL).content.decode()
