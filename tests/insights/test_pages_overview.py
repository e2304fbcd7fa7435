"""Carol the supervisor reads the insights overview: headline figures with n and interval, every
section drawn from its data, filters that narrow it, and links that keep the filters."""

from datetime import UTC, datetime, timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.insights.page_fixtures import build, only_sections
from townsquare.insights import report
from townsquare.insights.figures import Figure
from townsquare.insights.models import ClosedPeriod, ConversationFact

pytestmark = pytest.mark.django_db
URL = "/insights/"


def probe(frame, filters):
    """A section as another area would write one: figures, a table, a series and a heat map."""
    return {
        "title": "Probe <area>",
        "method": "Counted by hand & checked.",
        "assumptions": ["one in ten readers would have written"],
        "labels": {"share": "Share answered", "volume": "Volume"},
        "figures": {"share": Figure(0.25, 12, (0.05, 0.57), "share"), "cost": 12.5},
        "tables": [
            {
                "name": "by_channel",
                "title": "By channel",
                "dimension": "channel",
                "columns": ["volume"],
                "rows": [
                    {
                        "key": "9",
                        "label": "<script>alert(1)</script>",
                        "volume": Figure(40, 40, (28, 54), "count"),
                        "drill": {"channel": "twitter"},
                    },
                ],
            }
        ],
        "series": [
            {
                "name": "wait_by_week",
                "title": "Wait by week",
                "unit": "seconds",
                "points": [
                    {"x": "2026-11-02", "y": Figure(600, 30, (420, 780), "seconds")},
                    {"x": "2026-11-09", "y": Figure(720, 25, (540, 900), "seconds")},
                    {"x": "2026-11-16", "y": Figure(900, 3, None, "seconds")},
                ],
            },
        ],
        "heatmaps": [
            {
                "name": "arrivals",
                "title": "Arrivals",
                "rows": ["Mon", "Tue"],
                "columns": ["0", "1"],
                "cells": [
                    [Figure(12, 12, (6, 21), "count"), Figure(2, 2, None, "count")],
                    [Figure(20, 20, (12, 31), "count"), Figure(30, 30, (20, 43), "count")],
                ],
                "unit": "count",
            },
        ],
        "notes": ["not enough data for Sundays"],
        "drill_metrics": {"share": {"n": "all", "successes": "resolved"}, "volume": {"n": "all"}},
    }


def text_of(response) -> str:
    return unescape(response.content.decode())


def test_headline_figures_say_value_interval_and_n(client, carol, twitter, monkeypatch):
    build(twitter)
    only_sections(monkeypatch)
    client.force_login(carol)
    response = client.get(URL)
    assert response.status_code == 200
    page = text_of(response)
    # 15 waits: 1..11 minutes and four of 30 minutes; the 8th of 15 is 8 minutes. The order-statistic
    # interval for n = 15 is the 4th to the 12th value: 4 and 30 minutes.
    assert "8 min (95% CI 4–30), n = 15" in page
    # 8 of 15 resolved.
    assert "53%" in page
    assert 'data-testid="figure-resolution_rate"' in page


def test_filtering_by_channel_narrows_and_thin_samples_say_not_enough_data(
    client, carol, twitter, monkeypatch
):
    made = build(twitter)
    only_sections(monkeypatch)
    client.force_login(carol)
    page = text_of(client.get(URL, {"channel": twitter.pk}))
    # Twitter's 11 waits are 1..11 minutes: median 6, interval from the 2nd to the 10th value.
    assert "6 min (95% CI 2–10), n = 11" in page
    page = text_of(client.get(URL, {"channel": made["email_channel"].pk}))
    assert "not enough data (n = 4)" in page
    assert "30 min" not in page.split('data-testid="headline"')[1].split("</section>")[0]


def test_a_registered_section_is_drawn_from_its_data(client, carol, twitter, monkeypatch):
    build(twitter)
    client.force_login(carol)
    only_sections(monkeypatch, probe=probe)
    response = client.get(f"{URL}probe/")
    assert response.status_code == 200
    raw = response.content.decode()
    page = unescape(raw)
    assert "Probe <area>" in page and "<area>" not in raw  # the title is escaped
    assert "<script>alert(1)</script>" not in raw
    assert "25% (95% CI 5–57), n = 12" in page
    assert "12.5" in page
    assert "Counted by hand & checked." in page
    assert "one in ten readers would have written" in page
    assert "not enough data for Sundays" in page
    # Charts: the series as a line with its band, the heat map, and the table's bars.
    assert raw.count("<svg") == 3
    assert 'data-chart="line"' in raw and 'data-chart="heatmap"' in raw and 'data-chart="bar"' in raw
    assert 'class="ci-band"' in raw
    assert "2026-11-16: not enough data (n = 3)" in page
    # The series' figures also as a table under its chart.
    data = page.split('data-testid="chart-data"')[1].split("</table>")[0]
    assert '2026-11-09</th><td class="num">12 min (95% CI 9–15), n = 25' in data


def test_the_overview_draws_every_section_and_links_its_page(client, carol, twitter, monkeypatch):
    build(twitter)
    client.force_login(carol)
    only_sections(monkeypatch, probe=probe)
    response = client.get(URL, {"period": "month"})
    assert response.status_code == 200
    raw = response.content.decode()
    assert 'data-testid="section-probe"' in raw
    assert "/insights/probe/?period=month" in unescape(raw)
    # Tables are named on the overview and shown in full on the section's page.
    assert "/insights/probe/?period=month#table-by_channel" in unescape(raw)
    assert 'data-testid="table-by_channel"' not in raw


def test_links_keep_the_filters(client, carol, twitter, monkeypatch):
    made = build(twitter)
    client.force_login(carol)
    only_sections(monkeypatch, probe=probe)
    response = client.get(
        f"{URL}probe/", {"channel": made["email_channel"].pk, "period": "month", "since": "2026-11-01"}
    )
    links = [unescape(href) for href in _hrefs(response.content.decode()) if href.startswith("/insights/")]
    tab = next(link for link in links if link.startswith("/insights/?"))
    exports = [link for link in links if "/export." in link]
    drills = [link for link in links if link.startswith("/insights/conversations/?")]
    assert exports and drills
    for link in [tab, *exports]:
        query = parse_qs(urlsplit(link).query)
        assert query["channel"] == [str(made["email_channel"].pk)]
        assert query["period"] == ["month"] and query["since"] == ["2026-11-01"]
    # The table row's drill-down narrows to its own channel and lists all its conversations.
    rows = [parse_qs(urlsplit(d).query) for d in drills if "channel=twitter" in d]
    assert rows and all(row["metric"] == ["all"] and row["period"] == ["month"] for row in rows)
    # The rate's successes have a link of their own.
    assert any(parse_qs(urlsplit(d).query)["metric"] == ["resolved"] for d in drills)


def _hrefs(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('href="')[1:]]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"since": "yesterday"}, "is not a date"),
        ({"period": "year"}, "period must be one of"),
        ({"channel": "nowhere"}, "no channel is named"),
        ({"time_zone": "Mars/Olympus"}, "unknown time zone"),
        ({"include_not_for_us": "maybe"}, "include_not_for_us must be on or off"),
        ({"level": "boss"}, "level must be one of"),
        ({"agent": "carol"}, "agent must be ids"),
        ({"since": "2026-11-10", "until": "2026-11-01"}, "until must be after since"),
    ],
)
def test_bad_filters_show_the_form_with_the_reason(client, carol, twitter, params, message):
    client.force_login(carol)
    response = client.get(URL, params)
    assert response.status_code == 400
    page = text_of(response)
    assert message in page
    assert 'data-testid="insights-filters"' in page


def test_unknown_section_is_404(client, carol):
    client.force_login(carol)
    assert client.get(f"{URL}nothing-here/").status_code == 404


@pytest.mark.parametrize("with_data", [True, False])
def test_every_section_on_main_renders_on_the_overview_and_its_own_page(client, grace, twitter, with_data):
    if with_data:
        build(twitter)
    client.force_login(grace)
    report.load_sections()
    assert client.get(URL).status_code == 200
    for name in report.SECTIONS:
        response = client.get(f"{URL}{name}/")
        assert response.status_code == 200, name
        assert f'data-testid="section-{name}"' in response.content.decode()


def test_query_count_does_not_grow_with_data(client, carol, twitter, django_assert_max_num_queries):
    build(twitter)
    client.force_login(carol)
    client.get(URL)  # first fold, sessions and the like
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    template = ConversationFact.objects.filter(channel_id=twitter.pk).first()
    ConversationFact.objects.bulk_create(
        ConversationFact(
            conversation_id=100_000 + i,
            channel_id=twitter.pk,
            started_at=template.started_at,
            first_response_seconds=60.0 * (i % 50 + 1),
            status="resolved" if i % 3 else "open",
        )
        for i in range(300)
    )
    with django_assert_max_num_queries(len(small)):
        assert client.get(URL).status_code == 200


def test_a_closed_period_with_changes_waiting_says_so(client, carol, twitter, monkeypatch):
    made = build(twitter)
    only_sections(monkeypatch)
    ClosedPeriod.objects.create(
        start=datetime(2026, 11, 1, tzinfo=UTC),
        end=datetime(2026, 12, 1, tzinfo=UTC),
        kind="month",
        time_zone="UTC",
    )
    # A conversation first seen after November was closed is held out of its figures.
    ConversationFact.objects.filter(conversation_id=made["twitter"][0].pk).update(held=True)
    client.force_login(carol)
    page = text_of(client.get(URL))
    assert "2026-11 is closed: 1 change after closing; recompute to include them." in page


def test_quick_ranges_end_today_in_the_page_time_zone_and_keep_the_filters(client, carol, monkeypatch):
    only_sections(monkeypatch)
    client.force_login(carol)
    zone = "Pacific/Kiritimati"  # UTC+14: often a different date from UTC
    today = datetime.now(ZoneInfo(zone)).date()
    html = client.get(URL, {"time_zone": zone, "period": "day"}).content.decode()
    nav = unescape(html.split('data-testid="presets"')[1].split("</nav>")[0])
    week = parse_qs(urlsplit(nav.split('href="')[1].split('"')[0]).query)
    assert week["until"] == [today.isoformat()]
    assert week["since"] == [(today - timedelta(days=6)).isoformat()]
    assert week["time_zone"] == [zone] and week["period"] == ["day"]


def test_the_form_shows_a_channel_given_by_name_as_chosen(client, carol, twitter, monkeypatch):
    only_sections(monkeypatch)
    client.force_login(carol)
    html = client.get(URL, {"channel": "twitter"}).content.decode()
    assert f'<option value="{twitter.pk}" selected>twitter</option>' in html
