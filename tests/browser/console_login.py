"""Signing a persona in from a browser page, shared by the console's browser tests."""

from playwright.sync_api import expect

from tests.conftest import PASSWORD


def sign_in(page, base_url: str, username: str, path: str = "/") -> None:
    page.goto(f"{base_url}/login/?next={path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("role")).to_be_visible()
    # The page's deferred scripts (keyboard shortcuts, live updates) run before "load": a test that
    # presses a key as soon as the rows show could otherwise beat them on a busy machine.
    page.wait_for_load_state("load")
