"""/insights/cost-model/: Grace (admin) changes what a contact costs from the console, Carol
(supervisor) only reads it, Alice (agent) is turned away; bad values show the form again with the
reason, and saving goes back to the cost section with the report's filters."""

import re

import pytest
from django.test import Client

from tests.api.test_insights_cost_model_api import conversation
from townsquare.events.models import Event
from townsquare.inbox.models import Channel, ChannelKind
from townsquare.insights.cost_model import current_model, update_model
from townsquare.insights.filters import build_filters
from townsquare.insights.models import CostModel
from townsquare.insights.report import build_report

pytestmark = pytest.mark.django_db
URL = "/insights/cost-model/"
FILTERS = "since=2026-10-01&until=2026-10-07&time_zone=UTC"
FORM = {
    "currency": "eur",
    "role_staff": "5",
    "role_ambassador": "1.5",
    "role_community": "0.25",
    "channel_email": "7.25",
    "channel_livechat": "",
    "deflection_share": "0.3",
}


@pytest.fixture
def week(alice, bob):
    email = Channel.objects.create(name="mail", kind=ChannelKind.EMAIL)
    chat = Channel.objects.create(name="chat", kind=ChannelKind.LIVECHAT)
    conversation(1, email, assignee=alice)  # staff, by email
    conversation(2, chat, assignee=bob)  # an ambassador
    conversation(3, chat, peer=True)  # the community


def saved_events() -> int:
    return Event.objects.filter(kind="insights.cost_model_changed").count()


def test_grace_saves_the_form_and_the_cost_section_uses_it(client, grace, week):
    client.force_login(grace)
    page = client.get(f"{URL}?{FILTERS}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="cost-model-form"' in html and "csrfmiddlewaretoken" in html
    assert 'name="role_staff" value="4"' in html  # the defaults from the settings
    assert "nobody has changed them yet" in html

    response = client.post(f"{URL}?{FILTERS}", FORM)
    assert response.status_code == 302
    assert response["Location"] == f"/insights/cost/?{FILTERS}"

    model = current_model()
    assert model.currency == "EUR"
    assert model.by_role == {"staff": 5.0, "ambassador": 1.5, "community": 0.25}
    assert model.by_channel == {"email": 7.25}  # the empty live chat field sets no cost
    assert model.deflection_share == 0.3 and model.updated_by_id == grace.pk
    event = Event.objects.get(kind="insights.cost_model_changed")
    assert event.actor_id == grace.pk and event.data["after"]["by_role"]["community"] == 0.25

    section = client.get(response["Location"]).content.decode()
    assert "A contact costs 5 EUR when staff handle it (by channel kind: email 7.25)" in section
    assert "1.5 EUR when an ambassador does" in section and "30% of readers" in section
    # By hand: email by staff 7.25, the ambassador 1.5, the community 0.25; staff only 7.25 + 5 + 5.
    filters = build_filters(since="2026-10-01", until="2026-10-07", time_zone="UTC")
    figures = build_report(filters, sections=["cost"]).as_json()["cost"]["figures"]
    assert figures["actual_cost"]["value"] == pytest.approx(7.25 + 1.5 + 0.25)
    assert figures["staff_only_cost"]["value"] == pytest.approx(7.25 + 5 + 5)

    again = client.get(URL).content.decode()
    assert 'name="channel_email" value="7.25"' in again and "by Grace" in again


def test_without_filters_saving_goes_to_the_bare_cost_section(client, grace):
    client.force_login(grace)
    response = client.post(URL, FORM)
    assert response["Location"] == "/insights/cost/"
    # Only the report's filters travel along: anything else in the query string is dropped.
    response = client.post(f"{URL}?next=https://evil.example/&since=2026-10-01", {**FORM, "role_staff": "6"})
    assert response["Location"] == "/insights/cost/?since=2026-10-01"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"role_staff": "-2"}, "cannot be negative"),
        ({"role_ambassador": "lots"}, "must be a number"),
        ({"role_community": ""}, "must be a number"),
        ({"channel_email": "inf"}, "finite"),
        ({"channel_email": "2000000"}, "is it a yearly figure?"),
        ({"deflection_share": "1.5"}, "between 0 and 1"),
        ({"deflection_share": "nan"}, "between 0 and 1"),
        ({"currency": "pounds"}, "three-letter"),
        ({"currency": "G\x00B"}, "three-letter"),
    ],
)
def test_bad_values_show_the_form_again_with_the_reason(client, grace, change, reason):
    client.force_login(grace)
    response = client.post(URL, {**FORM, **change})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="cost-model-error"' in html and reason in html.replace("&#x27;", "'")
    assert 'data-testid="cost-model-form"' in html
    key, typed = next(iter(change.items()))
    if "\x00" not in typed:
        assert f'name="{key}" value="{typed}"' in html  # what was typed stays in the form
    assert not CostModel.objects.exists() and saved_events() == 0


def test_carol_reads_the_model_and_may_not_post(client, grace, carol):
    update_model(grace, by_role={"staff": 4.5}, by_channel={"livechat": 3})
    client.force_login(carol)
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="cost-model-form"' not in html and 'name="role_staff"' not in html
    assert "Only admins change the cost model." in html
    values = re.sub(r"\s+", " ", html)
    assert "<dt>Staff (agents, supervisors)</dt><dd>4.5</dd>" in values
    assert "<dt>Staff, Live chat</dt><dd>3</dd>" in values
    response = client.post(URL, FORM)
    assert response.status_code == 403
    assert current_model().by_role["staff"] == 4.5 and saved_events() == 1


@pytest.mark.parametrize("persona", ["alice", "bob", "eve", "farid"])
def test_everyone_else_gets_403(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.post(URL, FORM).status_code == 403
    assert not CostModel.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.post(URL, FORM)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not CostModel.objects.exists()


def test_the_form_is_csrf_protected(grace):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(grace)
    assert browser.post(URL, FORM).status_code == 403
    assert not CostModel.objects.exists()
    html = browser.get(URL).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert browser.post(URL, {**FORM, "csrfmiddlewaretoken": token}).status_code == 302
    assert current_model().by_role["staff"] == 5.0


def test_the_cost_section_links_to_the_model_with_the_filters(client, carol):
    client.force_login(carol)
    html = client.get(f"/insights/cost/?{FILTERS}").content.decode()
    assert f'href="/insights/cost-model/?{FILTERS.replace("&", "&amp;")}"' in html
    other = client.get("/insights/care/").content.decode()
    assert 'data-testid="cost-model-link"' not in other


def test_saving_the_shown_form_unchanged_changes_nothing(client, grace):
    update_model(
        grace,
        by_role={"staff": 1234.56789, "ambassador": 0.8, "community": 0.125},
        by_channel={"email": 1e-7},
    )
    client.force_login(grace)
    html = client.get(URL).content.decode()
    shown = dict(re.findall(r'<input id="[^"]+" name="([^"]+)" value="([^"]*)"', html))
    assert shown["role_staff"] == "1234.56789" and shown["channel_email"] == "1e-07"
    assert client.post(URL, shown).status_code == 302
    assert saved_events() == 1  # the same values: no second change recorded


def test_only_get_and_post(client, grace):
    client.force_login(grace)
    assert client.put(URL).status_code == 405
