"""Labels in the API: messages and conversations carry a `labels` object, filters narrow by them,
and message text is masked for the ambassador role."""

import pytest

from tests.api.factories import make_conversation, routed_to
from tests.labels.console_factories import first_inbound, labelled, token_headers
from townsquare.inbox.models import Channel, ChannelKind

pytestmark = pytest.mark.django_db
MESSAGES = "/api/v1/messages"
CONVERSATIONS = "/api/v1/conversations"
TEXT = "Mail me at dana@example.com, card 4111 1111 1111 1111 please"


@pytest.fixture
def forum(db):
    return Channel.objects.create(name="community", kind=ChannelKind.COMMUNITY)


@pytest.fixture
def inbox(twitter):
    complaint = make_conversation(twitter, minutes=1, texts=("Broken again",))
    spam = make_conversation(twitter, minutes=2, texts=("Cheap followers",))
    untriaged = make_conversation(twitter, minutes=3, texts=("Hi",))
    labelled(first_inbound(complaint), kind="complaint", sentiment="negative", priority="high", language="de")
    labelled(first_inbound(spam), kind="spam", invites_reply=False, spam_score=0.97)
    return {"complaint": complaint, "spam": spam, "untriaged": untriaged}


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_messages_carry_labels_or_null_until_triaged(client, alice, inbox):
    items = {
        item["conversation_id"]: item
        for item in client.get(MESSAGES, headers=token_headers(alice)).json()["items"]
    }
    assert items[inbox["untriaged"].pk]["labels"] is None
    labels = items[inbox["complaint"].pk]["labels"]
    assert labels["kind"] == "complaint"
    assert labels["language"] == "de"
    assert labels["status"] == "fast"
    assert labels["not_for_us"] is False
    assert labels["reviewed_by"] is None
    assert items[inbox["spam"].pk]["labels"]["not_for_us"] is True


def test_conversations_carry_the_roll_up(client, alice, inbox):
    items = {
        item["id"]: item for item in client.get(CONVERSATIONS, headers=token_headers(alice)).json()["items"]
    }
    assert items[inbox["untriaged"].pk]["labels"] is None
    assert items[inbox["complaint"].pk]["labels"] == {
        "language": "de",
        "kind": "complaint",
        "sentiment": "negative",
        "priority": "high",
        "invites_reply": True,
        "not_for_us": False,
        "triage_pending": False,
    }
    detail = client.get(f"{CONVERSATIONS}/{inbox['spam'].pk}", headers=token_headers(alice)).json()
    assert detail["labels"]["not_for_us"] is True


def test_list_filters_by_label(client, alice, inbox):
    headers = token_headers(alice)
    complaint_message = first_inbound(inbox["complaint"]).pk
    assert ids(client.get(MESSAGES, {"kind": "complaint"}, headers=headers)) == [complaint_message]
    assert ids(client.get(MESSAGES, {"language": "de", "priority": "high"}, headers=headers)) == [
        complaint_message
    ]
    assert ids(client.get(CONVERSATIONS, {"sentiment": "negative"}, headers=headers)) == [
        inbox["complaint"].pk
    ]
    # not_for_us: omitted lists everything; false keeps untriaged conversations (for us until told otherwise).
    assert len(ids(client.get(CONVERSATIONS, headers=headers))) == 3
    assert ids(client.get(CONVERSATIONS, {"not_for_us": "true"}, headers=headers)) == [inbox["spam"].pk]
    assert ids(client.get(CONVERSATIONS, {"not_for_us": "false"}, headers=headers)) == [
        inbox["untriaged"].pk,
        inbox["complaint"].pk,
    ]
    assert len(ids(client.get(MESSAGES, {"not_for_us": "false"}, headers=headers))) == 2


@pytest.mark.parametrize("url", [MESSAGES, CONVERSATIONS])
@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "rant"},
        {"sentiment": "angry"},
        {"priority": "p1"},
        {"language": "English"},
        {"not_for_us": "perhaps"},
    ],
)
def test_bad_filter_values_answer_422_naming_the_parameter(client, alice, url, bad):
    response = client.get(url, bad, headers=token_headers(alice))
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "the request is not valid"
    assert body["errors"][0]["loc"][-1] == next(iter(bad))


def test_bob_reads_masked_text_everywhere_in_the_api(client, bob, forum):
    conv = routed_to(make_conversation(forum, texts=(TEXT, "Thanks")), bob)
    headers = token_headers(bob)
    message = first_inbound(conv)
    masked = "Mail me at [email], card [card] please"
    # Before triage the fence finds the personal data itself.
    assert client.get(MESSAGES, headers=headers).json()["items"][0]["text"] == masked
    labelled(
        message, pii=[{"kind": "email", "start": 11, "end": 27}, {"kind": "card", "start": 34, "end": 53}]
    )
    assert client.get(MESSAGES, headers=headers).json()["items"][0]["text"] == masked
    thread = client.get(f"{CONVERSATIONS}/{conv.pk}/messages", headers=headers).json()["items"]
    assert thread[0]["text"] == masked
    detail = client.get(f"{MESSAGES}/{message.pk}", headers=headers).json()
    assert detail["text"] == masked
    assert detail["raw"] == {}  # the payload as it arrived would carry the text unmasked


def test_bob_reads_conversation_subjects_masked(client, bob, forum):
    conv = routed_to(make_conversation(forum, subject="Reach me at dana@example.com"), bob)
    headers = token_headers(bob)
    listed = client.get(CONVERSATIONS, headers=headers).json()["items"][0]
    detail = client.get(f"{CONVERSATIONS}/{conv.pk}", headers=headers).json()
    assert listed["subject"] == detail["subject"] == "Reach me at [email]"


def test_alice_reads_the_text_as_written(client, alice, forum):
    conv = make_conversation(forum, texts=(TEXT,))
    labelled(first_inbound(conv), pii=[{"kind": "email", "start": 11, "end": 27}])
    item = client.get(MESSAGES, headers=token_headers(alice)).json()["items"][0]
    assert item["text"] == TEXT
    assert item["labels"]["pii"] == [{"kind": "email", "start": 11, "end": 27}]


def test_bob_cannot_search_conversations_for_personal_data(client, bob, alice, forum):
    conv = make_conversation(forum, texts=(TEXT,))
    response = client.get(CONVERSATIONS, {"q": "dana@example.com"}, headers=token_headers(bob))
    assert response.status_code == 400
    assert "personal data" in response.json()["detail"]
    assert ids(client.get(CONVERSATIONS, {"q": "dana@example.com"}, headers=token_headers(alice))) == [
        conv.pk
    ]
