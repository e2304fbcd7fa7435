"""End to end: Dana chats on the shop's site, signed in there (the shop signs her identity with the
channel secret, so her email is verified), then writes to support by email. Townsquare knows one
Dana. A visitor who only types the same address into the offline form is not merged with her."""

import time
import uuid

import pytest
from django.test import Client

from tests.email.inbound_mails import plain
from tests.livechat.chat_sockets import SHOP, start_session
from townsquare.connectors.email.inbound import receive_email
from townsquare.events.models import Event
from townsquare.inbox.models import Channel, ChannelKind, Conversation
from townsquare.livechat.ingest import store_chat_message
from townsquare.livechat.models import ChatSession
from townsquare.livechat.tokens import identity_signature
from townsquare.people.models import Customer, Identity

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quiet(settings, tmp_path):
    settings.TRIAGE_ON_INGEST = False
    settings.LIVECHAT_RELAY = False
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture
def shop_chat():
    return Channel.objects.create(
        name="shop chat", kind=ChannelKind.LIVECHAT, settings={"allowed_origins": [SHOP]}
    )


@pytest.fixture
def support():
    return Channel.objects.create(
        name="support-mail", kind=ChannelKind.EMAIL, settings={"address": "support@shop.test"}
    )


def signed_in_chat(channel, text: str) -> ChatSession:
    identity = {"id": "u-77", "email": "Dana@Customer.test", "name": "Dana", "ts": int(time.time())}
    body = start_session(
        channel, identity=identity, identity_signature=identity_signature(channel.secret, identity)
    )
    session = ChatSession.objects.get(pk=body["session"])
    store_chat_message(session.pk, text, str(uuid.uuid4()))
    return session


def test_chat_then_email_is_one_customer(shop_chat, support):
    session = signed_in_chat(shop_chat, "Is my order 48213 on its way?")
    outcome = receive_email(support, plain("Any news on 48213?", message_id="a1@customer.test"))
    assert outcome.status == "stored", outcome

    chat_identity = Identity.objects.get(channel=shop_chat, external_id="host:u-77")
    email_identity = Identity.objects.get(channel=support)
    assert chat_identity.email_verified and email_identity.email_verified
    assert chat_identity.customer_id == email_identity.customer_id
    dana = chat_identity.customer
    assert dana.merged_into is None
    conversations = Conversation.objects.filter(customer=dana)
    assert {c.channel_id for c in conversations} == {shop_chat.pk, support.pk}
    session.refresh_from_db()
    assert session.conversation.customer == dana
    merged = Event.objects.get(kind="customer.merged")
    assert merged.data["via"] == "verified email" and merged.data["survivor"] == dana.pk
    assert Customer.objects.filter(merged_into__isnull=True, identities__isnull=False).distinct().count() == 1


def test_an_offline_form_email_is_not_merged(shop_chat, support):
    receive_email(support, plain("Where is my parcel?", message_id="b1@customer.test"))
    response = Client().post(
        f"/livechat/{shop_chat.pk}/offline",
        {"email": "dana@customer.test", "name": "Dana?", "text": "Call me back please"},
        content_type="application/json",
        HTTP_ORIGIN=SHOP,
    )
    assert response.status_code == 201, response.content

    email_identity = Identity.objects.get(channel=support)
    chat_identity = Identity.objects.filter(channel=shop_chat).get()
    assert chat_identity.email.lower() == "dana@customer.test" and not chat_identity.email_verified
    assert chat_identity.customer_id != email_identity.customer_id
    assert not Event.objects.filter(kind="customer.merged").exists()
