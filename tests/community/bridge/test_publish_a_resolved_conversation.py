"""Alice solved Dana's problem on Twitter; with Dana's consent she publishes the question and its
answer in the community, with Dana's personal data removed."""

import re
from collections import Counter
from html import escape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.web.conftest import conversation, identity
from townsquare.community.bridge.publish import draft_for, publish
from townsquare.community.errors import Conflict, NotAllowed
from townsquare.community.models import Topic
from townsquare.events.models import Event
from townsquare.inbox.models import Conversation
from townsquare.people.consent import record_consent
from townsquare.people.models import Customer
from townsquare.replies.models import CannedReply

pytestmark = pytest.mark.django_db
EMAIL = "dana.ortiz@example.com"
PHONE = "+34 612 345 678"
PII = [EMAIL, PHONE, "Dana", "Ortiz", "dana_o", "@dana_o"]


@pytest.fixture
def dana_customer(twitter):
    customer = Customer.objects.create(display_name="Dana Ortiz")
    identity(twitter, "dana_o", customer)
    return customer


@pytest.fixture
def solved(twitter, dana_customer):
    return conversation(
        twitter,
        [
            ("in", f"@acme my headphones will not pair. I'm Dana, write to {EMAIL} or call {PHONE}"),
            ("out", "Hi Dana! Hold the button for ten seconds until the light blinks blue, then pair again."),
            ("in", "That worked, thanks!"),
        ],
        customer=dana_customer,
        handle="dana_o",
        subject="Headphones will not pair",
        status="resolved",
    )


@pytest.fixture
def consented(alice, dana_customer):
    return record_consent(
        alice,
        dana_customer,
        "community_publish",
        granted=True,
        source="console",
        wording="May we publish your question and our answer in the community, without your details? Yes",
    )


def assert_no_pii(*texts):
    for text in texts:
        for value in PII:
            assert value.lower() not in text.lower(), (value, text)


def test_the_draft_masks_personal_data(solved):
    draft = draft_for(solved)
    assert draft.title == "Headphones will not pair"
    assert "[email]" in draft.question and "[phone]" in draft.question and "[name]" in draft.question
    assert draft.answer.startswith("Hi [name]! Hold the button")
    assert_no_pii(draft.title, draft.question, draft.answer)


def test_alice_publishes_with_consent(solved, consented, alice, devices_space):
    draft = draft_for(solved)
    topic = publish(
        alice,
        solved,
        space=devices_space,
        title=draft.title,
        # An edit cannot put personal data back: it is masked again when stored.
        question=draft.question + f" (ping me at {EMAIL})",
        answer=draft.answer,
    )
    topic.refresh_from_db()
    assert topic.published_from == solved and topic.kind == "question" and topic.author is None
    post = topic.accepted_post
    assert post.author == alice and topic.answer_count == 1 and topic.accepted_at is not None
    assert_no_pii(topic.title, topic.body, topic.body_html, post.body, post.body_html)
    [published] = Event.objects.filter(kind="community.published")
    assert published.actor_id == alice.pk and published.conversation_id == solved.pk
    assert published.data["topic"] == topic.pk and published.data["post"] == post.pk
    accepted = Event.objects.get(kind="community.answer_accepted")
    assert accepted.data["peer"] is False and accepted.data["answerer"] == alice.pk
    assert topic.conversation_id is None  # published, not a new care question


def test_consent_is_required(solved, alice, devices_space, dana_customer):
    with pytest.raises(Conflict, match="has not agreed"):
        publish(alice, solved, space=devices_space, title="Pairing", question="How?", answer="Like this.")
    record_consent(alice, dana_customer, "community_publish", granted=True, source="console", wording="Yes")
    record_consent(alice, dana_customer, "community_publish", granted=False, source="console", wording="No")
    with pytest.raises(Conflict, match="community_publish"):
        publish(alice, solved, space=devices_space, title="Pairing", question="How?", answer="Like this.")
    assert not Topic.objects.exists()


def test_only_resolved_and_only_once(solved, consented, alice, devices_space):
    solved.status = "open"
    solved.save()
    with pytest.raises(Conflict, match="only a resolved conversation"):
        publish(alice, solved, space=devices_space, title="Pairing", question="How?", answer="Like this.")
    solved.status = "resolved"
    solved.save()
    publish(alice, solved, space=devices_space, title="Pairing", question="How?", answer="Like this.")
    with pytest.raises(Conflict, match="already published"):
        publish(alice, solved, space=devices_space, title="Pairing", question="How?", answer="Like this.")


def test_only_staff_publish(solved, consented, bob, farid, devices_space):
    for someone in (bob, farid):
        with pytest.raises(NotAllowed):
            publish(
                someone, solved, space=devices_space, title="Pairing", question="How?", answer="Like this."
            )


def test_api(client, bearer, solved, alice, bob, devices_space, dana_customer):
    url = f"/api/v1/conversations/{solved.pk}/publish"
    body = {"space_id": devices_space.pk}
    refused = client.post(url, body, content_type="application/json", headers=bearer(alice))
    assert refused.status_code == 409 and "has not agreed" in refused.json()["detail"]
    record_consent(alice, dana_customer, "community_publish", granted=True, source="api", wording="Yes")
    assert client.post(url, body, content_type="application/json", headers=bearer(bob)).status_code == 404
    bad = client.post(
        url,
        {"space_id": devices_space.pk, "title": "abc"},
        content_type="application/json",
        headers=bearer(alice),
    )
    assert bad.status_code == 400 and "at least 5" in bad.json()["detail"]
    missing = client.post(url, {"space_id": 999999}, content_type="application/json", headers=bearer(alice))
    assert missing.status_code == 404
    done = client.post(url, body, content_type="application/json", headers=bearer(alice))
    assert done.status_code == 201, done.content
    created = done.json()
    assert created["title"] == "Headphones will not pair"
    assert created["url"] == f"http://testserver/community/t/{created['topic_id']}/headphones-will-not-pair/"
    assert_no_pii(created["question"], created["answer"])


def test_from_the_conversation_page(client, solved, alice, devices_space, dana_customer):
    client.force_login(alice)
    page = client.get(f"/conversations/{solved.pk}/").content.decode()
    assert 'data-testid="community-publish-form"' in page and "has not agreed" in page
    form = {
        "space": devices_space.pk,
        "title": "Headphones will not pair",
        "question": f"Help! {EMAIL}",
        "answer": "Hold the button.",
    }
    refused = client.post(f"/community/publish/{solved.pk}/", form)
    assert refused.status_code == 409 and "has not agreed" in refused.content.decode()
    record_consent(alice, dana_customer, "community_publish", granted=True, source="console", wording="Yes")
    done = client.post(f"/community/publish/{solved.pk}/", form)
    topic = Topic.objects.get(published_from=solved)
    assert (
        done.status_code == 302 and done["Location"] == f"/community/t/{topic.pk}/headphones-will-not-pair/"
    )
    assert topic.body == "Help! [email]"
    shown = client.get(done["Location"])  # the public page of a question with no member as its author
    assert shown.status_code == 200 and "Hold the button." in shown.content.decode()
    page = client.get(f"/conversations/{solved.pk}/").content.decode()
    assert 'data-testid="community-published"' in page


def test_the_page_refuses_who_may_not(client, solved, bob, farid, devices_space):
    client.force_login(farid)
    assert client.post(f"/community/publish/{solved.pk}/", {"space": devices_space.pk}).status_code == 403
    client.force_login(bob)
    assert client.get(f"/community/publish/{solved.pk}/").status_code == 404


def tables_read(client, url) -> tuple[str, Counter]:
    """The page, and how many queries read each table (by the table of their first column)."""
    client.get(url)  # warm: session and caches as on any later request
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).content.decode()
    firsts = (re.match(r'SELECT (?:DISTINCT )?"(\w+)"\.', q["sql"]) for q in captured.captured_queries)
    return page, Counter(first.group(1) for first in firsts if first)


def test_the_page_reads_what_its_panels_share_once(client, solved, consented, alice, devices_space):
    """The thread, the customer's identities, the consent ledger, the community topics and the canned
    replies are each read once, though the publish form, the customer and consent panels, the reply
    box and the community suggestions all use them; the form still gets the same draft."""
    Conversation.objects.filter(pk=solved.pk).update(invites_reply=True)  # the suggestions run too
    CannedReply.objects.create(
        title="Pairing", shortcut="pairing", text="Hold the button, {{customer.first_name}}"
    )
    client.force_login(alice)
    page, tables = tables_read(client, f"/conversations/{solved.pk}/")
    shared = [
        "inbox_message",
        "people_identity",
        "people_consentrecord",
        "community_topic",
        "replies_cannedreply",
    ]
    assert {table: tables[table] for table in shared} == dict.fromkeys(shared, 1), tables
    assert tables["replies_reply"] == 1  # the newest replies and the failed ones: one query
    assert 'data-testid="community-publish-form"' in page and "has not agreed" not in page
    draft = draft_for(Conversation.objects.get(pk=solved.pk))
    assert escape(draft.question) in page and escape(draft.answer) in page
    assert "[name]" in draft.question and "dana_o" not in draft.question


def test_a_published_conversation_needs_no_draft(client, solved, consented, alice, devices_space):
    draft = draft_for(solved)
    publish(
        alice, solved, space=devices_space, title=draft.title, question=draft.question, answer=draft.answer
    )
    client.force_login(alice)
    page, tables = tables_read(client, f"/conversations/{solved.pk}/")
    assert 'data-testid="community-published"' in page and 'data-testid="community-publish-form"' not in page
    assert tables["inbox_message"] == 1 and tables["community_topic"] == 1, tables
    assert tables["community_space"] == 0, tables
