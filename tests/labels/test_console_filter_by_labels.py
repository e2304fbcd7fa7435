"""Alice narrows the inbox by triage labels and sees each conversation's labels as chips."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.labels.console_factories import first_inbound, labelled
from tests.web.conftest import T0, conversation
from townsquare.labels.rollup import roll_up
from townsquare.web.paging import PAGE_SIZE

pytestmark = pytest.mark.django_db
URL = reverse("web:conversations")


@pytest.fixture
def inbox(twitter):
    refund = conversation(twitter, [("in", "Wo bleibt meine Erstattung?")], handle="jonas")
    outage = conversation(
        twitter, [("in", "App down for everyone!")], handle="sam", start=T0 + timedelta(hours=1)
    )
    thanks = conversation(
        twitter, [("in", "Love the new kettle")], handle="lee", start=T0 + timedelta(hours=2)
    )
    pending = conversation(twitter, [("in", "Hello?")], handle="kim", start=T0 + timedelta(hours=3))
    labelled(first_inbound(refund), language="de", kind="complaint", sentiment="negative", priority="high")
    labelled(
        first_inbound(outage), kind="problem", sentiment="negative", priority="urgent", urgency=["outage"]
    )
    labelled(first_inbound(thanks), kind="praise", sentiment="positive", priority="low", invites_reply=False)
    roll_up([pending.pk])  # what ingest does: the conversation waits for triage
    return {"refund": refund, "outage": outage, "thanks": thanks, "pending": pending}


def listed(response) -> list[int]:
    return [c.pk for c in response.context["page"].rows]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"language": "de"}, ["refund"]),
        ({"kind": "problem"}, ["outage"]),
        ({"sentiment": "negative"}, ["outage", "refund"]),
        ({"priority": "urgent"}, ["outage"]),
        ({"invites_reply": "no"}, ["thanks"]),
        ({"invites_reply": "yes", "sentiment": "negative", "language": "en"}, ["outage"]),
    ],
)
def test_each_label_filter_narrows_the_list(client, alice, inbox, filters, expected):
    client.force_login(alice)
    response = client.get(URL, filters)
    assert response.status_code == 200
    assert listed(response) == [inbox[name].pk for name in expected]
    assert response.context["filtered"] is True


def test_rows_show_label_chips_in_words(client, alice, inbox):
    client.force_login(alice)
    body = client.get(URL).content.decode()
    assert 'class="chip chip-kind chip-kind-complaint"' in body
    # The meaning is in the text, not only in the colour: screen readers hear "Kind: Complaint".
    assert '<span class="visually-hidden">Kind: </span>Complaint' in body
    assert '<span class="visually-hidden">Priority: </span>Urgent priority' in body
    assert '<span class="visually-hidden">Sentiment: </span>Positive' in body
    assert 'title="Language: German"' in body
    assert "Triage pending" in body  # the conversation nobody has triaged yet


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "rant"},
        {"sentiment": "furious"},
        {"priority": "p1"},
        {"invites_reply": "maybe"},
        {"language": "english"},
        {"language": "d3"},
    ],
)
def test_unknown_filter_values_answer_400_with_a_message(client, alice, inbox, bad):
    client.force_login(alice)
    response = client.get(URL, bad)
    assert response.status_code == 400
    assert "These filters are not valid." in response.content.decode()


def test_htmx_filtering_returns_the_results_partial(client, alice, inbox):
    client.force_login(alice)
    response = client.get(URL, {"kind": "praise"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "web/_conversation_results.html"
    assert listed(response) == [inbox["thanks"].pk]


def test_paging_through_a_filtered_list_keeps_the_filter(client, alice, twitter):
    complaints = []
    for n in range(PAGE_SIZE + 3):
        conv = conversation(
            twitter, [("in", f"complaint {n}")], handle=f"c{n}", start=T0 + timedelta(minutes=2 * n)
        )
        labelled(first_inbound(conv), kind="complaint")
        complaints.append(conv.pk)
        other = conversation(
            twitter, [("in", f"q {n}")], handle=f"q{n}", start=T0 + timedelta(minutes=2 * n + 1)
        )
        labelled(first_inbound(other), kind="question")
    client.force_login(alice)
    first = client.get(URL, {"kind": "complaint"})
    page = first.context["page"]
    assert len(page.rows) == PAGE_SIZE
    second = client.get(URL, {"kind": "complaint", "after": page.older.encode()})
    assert listed(first) + listed(second) == complaints[::-1]
    assert "kind=complaint" in first.content.decode()  # the "Older" link keeps the filter
