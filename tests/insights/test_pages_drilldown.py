"""Carol drills down from a figure to the conversations behind it and opens one of them."""

from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.insights.page_fixtures import EMAIL_WAITS, build, only_sections

pytestmark = pytest.mark.django_db
URL = "/insights/conversations/"


def listed(response) -> list[int]:
    html = response.content.decode()
    return [int(part.split('"', 1)[0]) for part in html.split('data-conversation-id="')[1:]]


def test_first_response_drills_down_to_the_answered_conversations_of_the_channel(
    client, carol, twitter, monkeypatch
):
    made = build(twitter)
    only_sections(monkeypatch)
    client.force_login(carol)
    email = made["email_channel"]
    page = client.get("/insights/", {"channel": email.pk}).content.decode()
    figure = page.split('data-testid="figure-first_response_seconds"')[1].split("</div>")[0]
    link = unescape(figure.split('href="', 1)[1].split('"', 1)[0])
    query = parse_qs(urlsplit(link).query)
    assert query["metric"] == ["responded"] and query["channel"] == [str(email.pk)]

    response = client.get(link)
    assert response.status_code == 200
    # The four email conversations, newest first: they are the fixture's 12th to 15th and started on
    # days 11 % 7 = 4, 5, 6 and 14 % 7 = 0 of the week.
    emails = made["email"]
    assert len(EMAIL_WAITS) == len(emails) == 4
    assert listed(response) == [emails[2].pk, emails[1].pk, emails[0].pk, emails[3].pk]
    html = response.content.decode()
    assert f'href="/conversations/{made["email"][0].pk}/"' in html
    assert "4 conversations (responded)" in unescape(html)
    assert "30 min" in html


def test_a_rate_lists_its_successes(client, carol, twitter, monkeypatch):
    made = build(twitter)
    only_sections(monkeypatch)
    client.force_login(carol)
    page = client.get("/insights/").content.decode()
    figure = page.split('data-testid="figure-resolution_rate"')[1].split("</div>")[0]
    link = unescape(figure.split('data-testid="drill-successes"')[0].rsplit('href="', 1)[1].split('"', 1)[0])
    assert parse_qs(urlsplit(link).query)["metric"] == ["resolved"]
    # The first 8 twitter conversations were resolved.
    assert sorted(listed(client.get(link))) == sorted(c.pk for c in made["twitter"][:8])


def test_a_period_row_drills_down_by_group(client, carol, twitter):
    made = build(twitter)
    client.force_login(carol)
    everyone = made["twitter"] + made["email"]
    # Conversation i started on day i % 7 from Monday 2 November: 0, 7 and 14 on that Monday.
    response = client.get(URL, {"period": "day", "group_by": "period", "group": "2026-11-02"})
    assert response.status_code == 200
    assert sorted(listed(response)) == sorted(everyone[i].pk for i in (0, 7, 14))


def test_more_than_a_page_links_to_the_next(client, carol, twitter):
    build(twitter, extra=50)
    client.force_login(carol)
    first = client.get(URL, {"metric": "all"})
    assert len(listed(first)) == 50
    html = unescape(first.content.decode())
    assert 'rel="next"' in first.content.decode()
    second = client.get(URL, {"metric": "all", "page": 2})
    assert len(listed(second)) == 65 - 50
    assert not set(listed(first)) & set(listed(second))
    assert "65 conversations" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"metric": "vibes"}, "unknown metric"),
        ({"colour": "red"}, "cannot list conversations by colour"),
        ({"group_by": "period"}, "group_by and group go together"),
        ({"group_by": "weather", "group": "rain"}, "unknown dimension"),
        ({"period": "day", "group_by": "period", "group": "last tuesday"}, "is not a day label"),
        ({"page": "0"}, "page must be a whole number"),
        ({"since": "soon"}, "is not a date"),
    ],
)
def test_bad_drill_downs_say_why(client, carol, twitter, params, message):
    client.force_login(carol)
    response = client.get(URL, params)
    assert response.status_code == 400
    assert message in unescape(response.content.decode())


def test_changing_the_filters_keeps_what_is_drilled(client, carol, twitter):
    build(twitter)
    client.force_login(carol)
    html = client.get(
        URL, {"period": "day", "group_by": "period", "group": "2026-11-02", "metric": "resolved"}
    )
    form = html.content.decode().split('data-testid="insights-filters"')[1].split("</form>")[0]
    for name, value in (("metric", "resolved"), ("group_by", "period"), ("group", "2026-11-02")):
        assert f'<input type="hidden" name="{name}" value="{value}">' in form
