"""The email digest: one email (text and HTML) per member with unread notifications not emailed yet,
no more often than they chose, never repeating a notification."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from townsquare.community.models import Member, Notification
from townsquare.community.notify.digest import send_digests
from townsquare.community.posting import answer
from townsquare.ops.periodic import send_community_digests

from .conftest import only_ours

pytestmark = pytest.mark.django_db


@pytest.fixture
def farid_mail(members):
    """Farid, with an email address to send his digest to."""
    farid = members["farid"]
    farid.email = "farid@example.com"
    farid.save(update_fields=["email"])
    return farid


@pytest.fixture
def answered(question, members, farid_mail):
    answer(members["bob"], question, "Hold the power button for ten seconds.")
    only_ours()
    return Notification.objects.get(user=farid_mail)


def test_farid_gets_one_digest_with_text_and_html(settings, answered, farid_mail):
    settings.SITE_URL = "https://help.example.com"
    report = send_digests()
    assert (report.sent, report.notifications, report.failed) == (1, 1, 0)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["farid@example.com"] and message.subject == "1 new in the community"
    assert "Bob answered your topic “My headphones will not pair”" in message.body
    assert (
        f"https://help.example.com/community/t/{answered.topic_id}/#post-{answered.post_id}" in message.body
    )
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Bob answered your topic" in html
    answered.refresh_from_db()
    assert answered.emailed_at is not None and answered.read_at is None
    assert send_digests().sent == 0 and len(mail.outbox) == 1  # nothing is emailed twice


def test_weekly_means_weekly(answered, farid_mail, members, question):
    send_digests()
    answer(members["dana"], question, "Update the firmware first.")
    now = timezone.now()
    assert send_digests(now=now + timedelta(days=1)).sent == 0
    assert send_digests(now=now + timedelta(days=7)).sent == 1
    assert len(mail.outbox) == 2
    assert "Dana answered" in mail.outbox[1].body and "Bob answered" not in mail.outbox[1].body


def test_what_is_not_emailed(answered, farid_mail):
    farid = farid_mail
    Notification.objects.filter(pk=answered.pk).update(read_at=timezone.now())
    assert send_digests().sent == 0  # already read in the app
    Notification.objects.filter(pk=answered.pk).update(read_at=None)
    Member.objects.filter(user=farid).update(digest="never")
    assert send_digests().sent == 0
    Member.objects.filter(user=farid).update(digest="weekly")
    farid.email = ""
    farid.save(update_fields=["email"])
    assert send_digests().sent == 0
    assert mail.outbox == []


def test_the_command_sends_one_frequency(answered, farid_mail, members, question):
    farid = farid_mail
    Member.objects.filter(user=farid).update(digest="daily")
    dana = members["dana"]
    dana.email = "dana@example.com"
    dana.save(update_fields=["email"])
    answer(members["bob"], question, "Also check the battery level.")
    assert Notification.objects.filter(user=dana).exists() is False  # Dana does not follow it
    out = StringIO()
    call_command("community-digest", "--frequency", "weekly", stdout=out)
    assert mail.outbox == [] and "0 digests sent" in out.getvalue()
    call_command("community-digest", "--frequency", "daily", stdout=out)
    assert [m.to for m in mail.outbox] == [["farid@example.com"]]
    assert "1 digests sent with 2 notifications" in out.getvalue()
    assert Member.objects.get(user=farid).last_digest_at is not None


def test_townsquare_run_checks_hourly(answered, farid_mail):
    assert send_community_digests(force=True) is True
    assert len(mail.outbox) == 1
    assert send_community_digests() is False  # looked less than an hour ago
