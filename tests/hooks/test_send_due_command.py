"""`townsquare send_webhooks` sends what is due (the safety net for lost tasks); the admin shows the log."""

from django.core.management import call_command
from django.urls import reverse

from tests.hooks.builders import ingest_conversation
from townsquare.hooks.models import Delivery


def test_the_command_sends_due_deliveries(endpoint, receiver, twitter, capsys):
    ingest_conversation(twitter)

    call_command("send_webhooks")

    assert "1 attempted: 1 succeeded" in capsys.readouterr().out
    assert Delivery.objects.get().status == "succeeded" and len(receiver.requests) == 1


def test_the_admin_shows_webhooks_read_only_without_the_secret(client, grace, endpoint, receiver, twitter):
    ingest_conversation(twitter)
    call_command("send_webhooks")
    client.force_login(grace)
    delivery = Delivery.objects.get()

    assert client.get(reverse("admin:hooks_endpoint_changelist")).status_code == 200
    page = client.get(reverse("admin:hooks_endpoint_change", args=[endpoint.pk]))
    assert page.status_code == 200 and endpoint.secret.encode() not in page.content
    detail = client.get(reverse("admin:hooks_delivery_change", args=[delivery.pk]))
    assert detail.status_code == 200 and b"200" in detail.content
    assert client.get(reverse("admin:hooks_delivery_add")).status_code == 403
