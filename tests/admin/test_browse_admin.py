"""Grace the admin browses every model in Django's admin; the event log stays read-only."""

import pytest
from django.urls import reverse

from tests.inbox.helpers import msg
from townsquare.events.log import record
from townsquare.inbox.ingest.store import store_messages
from townsquare.labels.fast import label_fast
from townsquare.labels.models import MessageLabels

pytestmark = pytest.mark.django_db

MODELS = [
    ("people", "user"),
    ("people", "customer"),
    ("people", "identity"),
    ("people", "apitoken"),
    ("inbox", "channel"),
    ("inbox", "conversation"),
    ("inbox", "message"),
    ("inbox", "importrun"),
    ("events", "event"),
    ("labels", "messagelabels"),
    ("labels", "triagefeedback"),
    ("community", "space"),
    ("community", "tag"),
    ("community", "topic"),
    ("community", "post"),
    ("community", "member"),
    ("community", "badgeaward"),
    ("community", "ambassadorinvite"),
    ("community", "flag"),
    ("community", "moderationaction"),
    ("community", "suspension"),
    ("community", "guideline"),
    ("community", "guidelinerevision"),
    ("community", "proposal"),
    ("community", "notification"),
]


def test_every_model_has_a_list_and_a_detail_page(client, grace, twitter):
    store_messages(twitter, [msg("1"), msg("2", parent="1", author="Brand", direction="out")], source="test")
    client.force_login(grace)
    for app, model in MODELS:
        page = client.get(reverse(f"admin:{app}_{model}_changelist"))
        assert page.status_code == 200, (app, model)
    message = twitter.messages.first()
    assert client.get(reverse("admin:inbox_message_change", args=[message.pk])).status_code == 200
    label_fast([message.pk])
    labels_page = client.get(reverse("admin:labels_messagelabels_change", args=[message.pk]))
    assert labels_page.status_code == 200
    assert (
        client.get(reverse("admin:inbox_conversation_change", args=[message.conversation_id])).status_code
        == 200
    )


def test_the_event_log_cannot_be_edited_or_deleted_in_the_admin(client, grace):
    event = record("demo.happened")
    client.force_login(grace)
    assert client.get(reverse("admin:events_event_add")).status_code == 403
    assert (
        client.post(reverse("admin:events_event_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    )
    assert client.get(reverse("admin:events_event_change", args=[event.pk])).status_code == 200


def test_triage_labels_and_feedback_cannot_be_edited_in_the_admin(client, grace, twitter):
    store_messages(twitter, [msg("1")], source="test")
    message = twitter.messages.get()
    label_fast([message.pk])
    before = MessageLabels.objects.get(pk=message.pk).kind
    client.force_login(grace)
    assert client.get(reverse("admin:labels_triagefeedback_add")).status_code == 403
    assert client.get(reverse("admin:labels_messagelabels_add")).status_code == 403
    delete = reverse("admin:labels_messagelabels_delete", args=[message.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changed = client.post(
        reverse("admin:labels_messagelabels_change", args=[message.pk]),
        {"kind": "suggestion" if before != "suggestion" else "spam"},
    )
    assert changed.status_code == 403
    assert MessageLabels.objects.get(pk=message.pk).kind == before


def test_the_channel_secret_is_not_shown_in_the_admin(client, grace, twitter):
    client.force_login(grace)
    page = client.get(reverse("admin:inbox_channel_change", args=[twitter.pk]))
    assert page.status_code == 200
    assert twitter.secret not in page.content.decode()


def test_an_agent_cannot_use_the_admin(client, alice):
    client.force_login(alice)
    assert client.get(reverse("admin:inbox_message_changelist")).status_code == 302


def test_channels_are_managed_in_the_console_not_the_admin(client, grace, twitter):
    client.force_login(grace)
    assert client.get(reverse("admin:inbox_channel_add")).status_code == 403
    page = client.post(
        reverse("admin:inbox_channel_change", args=[twitter.pk]), {"name": "renamed", "kind": "import"}
    )
    assert page.status_code == 403
    twitter.refresh_from_db()
    assert twitter.name == "twitter"


def test_community_content_is_shown_but_changed_only_through_the_services(client, grace, farid):
    from townsquare.community.models import Space
    from townsquare.community.posting import ask

    space = Space.objects.create(slug="devices", name="Devices")
    topic = ask(farid, space, "Headphones will not pair", "They blink red.")
    client.force_login(grace)
    assert client.get(reverse("admin:community_topic_change", args=[topic.pk])).status_code == 200
    assert client.get(reverse("admin:community_topic_add")).status_code == 403
    assert client.get(reverse("admin:community_space_change", args=[space.pk])).status_code == 200
