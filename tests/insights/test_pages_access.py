"""Insights are for supervisors and admins: everyone else is turned away, anonymous visitors
are asked to sign in, and only supervisors and admins see the Insights link."""

import pytest

pytestmark = pytest.mark.django_db
PAGES = [
    "/insights/",
    "/insights/conversations/",
    "/insights/export.csv",
    "/insights/conversations/export.jsonl",
]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("persona", ["alice", "bob", "eve", "farid"])
@pytest.mark.parametrize("url", PAGES)
def test_agents_ambassadors_moderators_and_customers_get_403(client, request, persona, url):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url)
    assert response.status_code == 403
    if url == "/insights/":
        assert "only supervisors and admins see insights" in response.content.decode()


@pytest.mark.parametrize("persona", ["carol", "grace"])
def test_supervisors_and_admins_get_the_pages_and_the_link(client, request, persona, monkeypatch):
    from tests.insights.page_fixtures import only_sections

    only_sections(monkeypatch)
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/insights/")
    assert response.status_code == 200
    assert 'href="/insights/" aria-current="page">Insights</a>' in response.content.decode()
    assert client.get("/insights/conversations/").status_code == 200


def test_agents_see_no_insights_link(client, alice):
    client.force_login(alice)
    page = client.get("/").content.decode()
    assert 'href="/insights/"' not in page


def test_the_pages_only_answer_get(client, carol):
    client.force_login(carol)
    assert client.post("/insights/").status_code == 405
