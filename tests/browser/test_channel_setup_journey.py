"""Grace, in a real browser, adds an email channel, fills in its SMTP settings and password, and
tests the connection against a real SMTP server on loopback; Carol sees its health, no settings."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.console_login import sign_in
from tests.delivery.smtp_sink import SmtpSink

pytestmark = pytest.mark.browser
PASSWORD = "s3cret-smtp-pass"  # noqa: S105 (a test secret)


def test_grace_sets_up_an_email_channel_and_tests_it(grace, carol, live_server, page):
    sign_in(page, live_server.url, "grace", "/channels/")
    page.get_by_label("Name").fill("support-mail")
    page.get_by_label("Kind").select_option("email")
    page.get_by_role("button", name="Add channel").click()
    expect(page.get_by_test_id("notice")).to_contain_text("Fill in its settings")

    with SmtpSink(logins={"acme": PASSWORD}) as sink:
        page.get_by_label("Address (required)", exact=True).fill("support@shop.test")
        page.get_by_label("SMTP server").fill("127.0.0.1")
        page.get_by_label("SMTP port").fill(str(sink.port))
        page.get_by_label("SMTP security").fill("none")
        page.get_by_label("SMTP user name").fill("acme")
        page.get_by_label("SMTP password").fill(PASSWORD)
        page.get_by_role("button", name="Save settings").click()
        expect(page.get_by_test_id("notice")).to_have_text("Settings saved.")
        expect(page.get_by_test_id("secret-state-smtp_password")).to_have_text("set")
        expect(page.get_by_label("SMTP password")).to_have_value("")

        page.get_by_role("button", name="Test connection").click()
        expect(page.get_by_test_id("test-result")).to_contain_text("Connection works")
    expect(page.get_by_test_id("health")).to_have_text("Working")
    assert PASSWORD not in page.content()
    screenshot(page, "channel-configured.png")

    page.get_by_role("button", name="Test connection").click()  # the server is gone now
    expect(page.get_by_test_id("test-result")).to_contain_text("Connection failed")
    expect(page.get_by_test_id("last-error")).to_be_visible()

    # Leave the page first: its live polls could set a fresh CSRF cookie after the cookies are
    # cleared and the login form rendered, and the form's token would no longer match.
    page.goto("about:blank")
    page.context.clear_cookies()
    sign_in(page, live_server.url, "carol", "/channels/")
    expect(page.get_by_test_id("health")).to_have_text("Failing")
    page.get_by_role("link", name="support-mail").click()
    expect(page.get_by_test_id("channel-health")).to_be_visible()
    expect(page.get_by_test_id("configure-channel")).to_have_count(0)
    expect(page.get_by_role("button", name="Test connection")).to_be_visible()
