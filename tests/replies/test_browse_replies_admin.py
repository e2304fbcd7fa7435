"""Grace browses replies, notes, CSAT answers and canned replies in the admin."""

from django.urls import reverse

from townsquare.replies.models import CannedReply, CsatSurvey
from townsquare.replies.notes import add_note
from townsquare.replies.send import send_reply
from townsquare.replies.status import change_status

from .helpers import SUPPORT


def test_grace_browses_the_replies_pages(client, grace, alice, dana_asks):
    send_reply(alice, dana_asks, SUPPORT)
    add_note(alice, dana_asks, "@grace fyi")
    change_status(alice, dana_asks, "open")
    change_status(alice, dana_asks, "resolved")
    client.force_login(grace)
    for model in ("reply", "note", "csatsurvey", "cannedreply"):
        assert client.get(reverse(f"admin:replies_{model}_changelist")).status_code == 200, model
    survey = CsatSurvey.objects.get()
    detail = client.get(reverse("admin:replies_csatsurvey_change", args=[survey.pk]))
    assert detail.status_code == 200 and survey.token not in detail.content.decode()


def test_an_unknown_variable_is_refused_in_the_admin_too(client, grace):
    client.force_login(grace)
    response = client.post(
        reverse("admin:replies_cannedreply_add"),
        {"title": "Hi", "shortcut": "hi", "language": "en", "text": "Hi {{customer.nickname}}"},
    )
    assert response.status_code == 200 and "unknown variable" in response.content.decode()
    assert not CannedReply.objects.exists()
