"""Mail that cannot be a customer's message is rejected with a reason and kept byte for byte."""

import pytest

from tests.email.inbound_mails import plain
from townsquare.connectors.email.inbound import receive_email
from townsquare.connectors.models import RejectedInbound
from townsquare.events.models import Event
from townsquare.inbox.models import Channel, Message

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("email_data_dir")]

MALFORMED = {
    "no sender": (b"To: support@shop.test\r\nSubject: who am I\r\n\r\nhello\r\n", "no sender"),
    "no boundary": (
        b"From: dana@customer.test\r\nContent-Type: multipart/mixed\r\n\r\n--x\r\nhello\r\n",
        "broken MIME structure",
    ),
    "wrong boundary": (
        b'From: dana@customer.test\r\nContent-Type: multipart/mixed; boundary="abc"\r\n\r\n--xyz\r\nhi\r\n--xyz--\r\n',
        "broken MIME structure",
    ),
    "bad base64": (
        b"From: dana@customer.test\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"%%%% this is not base64 $$$$\r\n",
        "not valid base64",
    ),
    "not an email": (b"\x00\x01\x02PK\x03\x04binary junk", "not an email message"),
    "empty": (b"\r\n\r\n", "empty"),
    "nested too deeply": (
        b"From: d@customer.test\r\n"
        + b"".join(
            b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i) for i in range(3000)
        ),
        "nested too deeply",
    ),
}


@pytest.mark.parametrize(("raw", "reason"), MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_mail_is_rejected_with_a_reason_and_kept(support, raw, reason):
    outcome = receive_email(support, raw)
    assert outcome.status == "rejected"
    assert reason in outcome.reason
    kept = RejectedInbound.objects.get(pk=outcome.rejected_id)
    assert bytes(kept.raw) == raw and kept.size == len(raw) and kept.channel_id == support.pk
    assert reason in kept.reason
    assert Event.objects.get(kind="email.rejected").data["rejected_id"] == kept.pk
    assert Channel.objects.get(pk=support.pk).messages_rejected == 1
    assert not Message.objects.exists()


def test_the_summary_names_what_could_be_read(support):
    raw = b"From: dana@customer.test\r\nSubject: parts\r\nMessage-ID: <m@c>\r\nContent-Type: multipart/mixed\r\n\r\nx"
    receive_email(support, raw)
    assert (
        RejectedInbound.objects.get().summary == "from dana@customer.test, subject 'parts', Message-ID <m@c>"
    )


def test_a_mail_over_the_channels_size_limit_is_rejected_and_its_start_kept(support):
    Channel.objects.filter(pk=support.pk).update(settings={**support.settings, "max_bytes": 1000})
    support.refresh_from_db()
    raw = plain("x" * 3000, message_id="big@c.test")
    outcome = receive_email(support, raw)
    assert outcome.status == "rejected"
    assert "over the limit of 1,000 bytes" in outcome.reason
    kept = RejectedInbound.objects.get()
    assert kept.size == len(raw) and bytes(kept.raw) == raw  # under 1 MB: kept whole


def test_a_broken_header_does_not_stop_the_mail(support):
    raw = (
        b"From: =?utf-8?q?Dana?= <dana@customer.test>\r\nSubject: =?x-bogus?q?=FF=FE?= hi\r\n"
        b"Date: not a date at all\r\nMessage-ID: <bh@c.test>\r\n\r\nbody\r\n"
    )
    outcome = receive_email(support, raw)
    assert outcome.status == "stored"
    assert Message.objects.get().text == "body"


def test_of_a_huge_mail_only_the_first_megabyte_is_kept(settings, support):
    settings.EMAIL_MAX_BYTES = 1024 * 1024
    raw = plain(("y" * 76 + "\r\n") * 20_000, message_id="huge@c.test")
    outcome = receive_email(support, raw)
    assert outcome.status == "rejected"
    kept = RejectedInbound.objects.get()
    assert kept.size == len(raw) > 1024 * 1024
    assert bytes(kept.raw) == raw[: 1024 * 1024]
