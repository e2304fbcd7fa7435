"""On a conversation page Alice sees the canned replies that fit it best, ready to use."""

import pytest
from django.urls import reverse

from tests.web.care_builders import care_conversation
from townsquare.replies.models import CannedReply

pytestmark = pytest.mark.django_db


def test_the_best_fitting_canned_replies_are_suggested_with_a_use_button(client, alice, twitter, dana):
    CannedReply.objects.create(
        title="Broken on arrival",
        shortcut="broken",
        language="es",
        text="Hola {{customer.first_name}}, lo sentimos",
    )
    CannedReply.objects.create(
        title="Broken on arrival", shortcut="broken", language="en", text="Hi {{customer.first_name}}, sorry"
    )
    CannedReply.objects.create(title="Opening hours", shortcut="hours", language="en", text="We open at 9")
    conv = care_conversation(twitter, "Mi licuadora llegó rota", customer=dana, language="es")
    client.force_login(alice)
    response = client.get(reverse("web:conversation", args=[conv.pk]))
    suggestions = response.context["suggestions"]
    assert suggestions[0]["canned"].language == "es"
    assert suggestions[0]["preview"] == "Hola Dana, lo sentimos"
    body = response.content.decode()
    preview_url = reverse("web:canned-preview", args=[conv.pk])
    assert f'hx-get="{preview_url}?canned={suggestions[0]["canned"].pk}"' in body
    assert "written in es" in body


def test_no_canned_replies_no_panel(client, alice, twitter):
    conv = care_conversation(twitter, "hello")
    client.force_login(alice)
    body = client.get(reverse("web:conversation", args=[conv.pk])).content.decode()
    assert 'data-testid="suggested-replies"' not in body
