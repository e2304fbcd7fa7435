"""Alice, in a real browser, on Dana's customer page: finds D. Smith by his email, merges him in with
a reason, reads the merge in the history, then splits his identity off again."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.console_login import sign_in
from tests.people.merge_builders import chat_channel, conversation_by, email_channel, person
from townsquare.people.merging import attach_email

pytestmark = pytest.mark.browser


@pytest.fixture
def two_customers(db):
    dana, chat = person(chat_channel(), "visitor-7", name="Dana")
    attach_email(chat, "dana@example.org", verified=True)
    conversation_by(chat, subject="Where is order 48213?")
    smith, mail = person(email_channel(), "d.smith@example.org", name="D. Smith", created_minutes=3)
    attach_email(mail, "d.smith@example.org", verified=True)
    conversation_by(mail, subject="Order 48213 again")
    return dana, smith


def test_alice_merges_and_splits_from_the_customer_page(alice, two_customers, live_server, page):
    dana, smith = two_customers
    sign_in(page, live_server.url, "alice", f"/customers/{dana.pk}/")

    page.get_by_label("Find by customer number, email or handle").fill("D.Smith@example.org")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_test_id("merge-candidate")).to_contain_text("D. Smith")
    expect(page.get_by_label("Customer number to merge into this one")).to_have_value(str(smith.pk))
    page.get_by_test_id("merge-form").get_by_label("Why").fill("same order number by chat and email")
    page.get_by_role("button", name="Merge into this customer").click()

    expect(page.get_by_text(f"Merged customer {smith.pk} into this customer.")).to_be_visible()
    expect(page.get_by_test_id("customer-identity")).to_have_count(2)
    expect(page.get_by_test_id("email-verified")).to_have_count(2)
    expect(page.get_by_test_id("customer-conversations")).to_contain_text("Order 48213 again")
    expect(page.get_by_test_id("merge-history-entry")).to_contain_text("same order number by chat and email")
    screenshot(page, "customer-merged.png")
    page.get_by_role("link", name="Order 48213 again").click()
    expect(page.get_by_test_id("message-channel")).to_have_text("Email · support-mail")
    screenshot(page, "conversation-message-channel.png")
    page.go_back()

    row = page.locator("[data-testid=customer-identity]", has_text="d.smith@example.org")
    row.get_by_text("Split this identity off…").click()
    row.get_by_label("Why").fill("D. Smith is Dana's colleague")
    row.get_by_role("button", name="Split this identity off").click()

    expect(page.get_by_text(f"back to customer #{smith.pk} with 1 conversation.")).to_be_visible()
    expect(page.get_by_test_id("customer-identity")).to_have_count(1)
    expect(page.get_by_test_id("merge-history-entry")).to_have_count(2)
    screenshot(page, "customer-split.png")
