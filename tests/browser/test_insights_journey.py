"""Carol the supervisor, in a real browser: opens Insights, reads the charts and the first response
figure with its n, narrows to one channel, and drills down to a conversation behind the figure."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.console_login import sign_in
from tests.browser.serial_live_server import serialize_live_server
from tests.insights.page_fixtures import build

pytestmark = pytest.mark.browser
serialize_live_server()


def test_carol_reads_insights_filters_and_drills_down(carol, twitter, live_server, page):
    made = build(twitter)
    sign_in(page, live_server.url, "carol")
    page.get_by_role("link", name="Insights").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Insights")

    # Every section draws its charts as inline SVG, each with a title for screen readers.
    charts = page.locator("svg.chart")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 1
    assert page.locator("svg.chart > title").first.text_content()
    # 15 waits: the 8th is 8 minutes; the interval runs from the 4th (4 min) to the 12th (30 min).
    first_response = page.get_by_test_id("figure-first_response_seconds")
    expect(first_response.get_by_test_id("figure-text")).to_have_text("8 min (95% CI 4–30), n = 15")
    screenshot(page, "insights-overview.png")

    # Twitter alone: 1 to 11 minutes, median 6, interval from the 2nd to the 10th value.
    page.get_by_label("Channel").select_option("twitter")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(f"**/insights/?*channel={twitter.pk}*")
    expect(first_response.get_by_test_id("figure-text")).to_have_text("6 min (95% CI 2–10), n = 11")

    # The conversations behind the figure: the 11 answered twitter conversations, newest first.
    first_response.get_by_test_id("drill").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Conversations behind a figure")
    rows = page.get_by_test_id("drill-row")
    expect(rows).to_have_count(11)
    assert f"channel={twitter.pk}" in page.url and "metric=responded" in page.url
    screenshot(page, "insights-drilldown.png")

    rows.first.get_by_role("link").click()
    newest = max(made["twitter"], key=lambda c: (_day(made["twitter"].index(c)), c.pk))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"#{newest.pk}")


def _day(index: int) -> int:
    """The fixture starts conversation `index` on day index % 7."""
    return index % 7
