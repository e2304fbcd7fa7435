"""Mail in every charset and encoding reads right; HTML-only mail becomes text; attachments are
kept on disk by content."""

import hashlib
from email.message import EmailMessage

import pytest

from tests.email.inbound_mails import plain
from townsquare.connectors.email.inbound import receive_email
from townsquare.inbox.models import Conversation, Message
from townsquare.people.models import Identity

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("email_data_dir")]


def stored(channel, raw: bytes) -> Message:
    outcome = receive_email(channel, raw)
    assert outcome.status == "stored", outcome
    return Message.objects.get(pk=outcome.message_id)


@pytest.mark.parametrize(
    ("charset", "encoding"),
    [
        ("iso-8859-1", "quoted-printable"),
        ("utf-8", "base64"),
        ("iso-2022-jp", "7bit"),
        ("windows-1252", "8bit"),
    ],
)
def test_bodies_in_any_charset_and_transfer_encoding(support, charset, encoding):
    text = "ご注文の荷物が届きません" if charset == "iso-2022-jp" else "Grüße aus Köln, où est ma commande ?"
    message = stored(support, plain(text, message_id=f"{charset}@c.test", charset=charset, encoding=encoding))
    assert message.text == text


def test_rfc2047_headers_in_several_charsets(support):
    raw = (
        b"From: =?iso-8859-1?q?J=F6rg_M=FCller?= <Joerg@Example.DE>\r\n"
        b"To: support@shop.test\r\n"
        b"Subject: =?ISO-2022-JP?B?GyRCQ21KOBsoQg==?= =?utf-8?q?_Bestellung_=C3=BCberf=C3=A4llig?=\r\n"
        b"Message-ID: <hdr@c.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHallo\r\n"
    )
    message = stored(support, raw)
    assert Conversation.objects.get(pk=message.conversation_id).subject == "注文 Bestellung überfällig"
    author = Identity.objects.get(pk=message.author_id)
    assert (author.external_id, author.display_name) == ("joerg@example.de", "Jörg Müller")


@pytest.mark.parametrize("declared", ["utf8mb4", "x-unknown", "us-ascii", "no-such-charset"])
def test_a_wrong_or_unknown_charset_name_still_reads_utf8(support, declared):
    raw = plain("naïve café", message_id=f"{declared}@c.test").replace(
        b'charset="utf-8"', f'charset="{declared}"'.encode()
    )
    assert stored(support, raw).text == "naïve café"


def test_html_only_mail_becomes_text_without_scripts_or_styles(support):
    html = (
        "<html><head><style>p {color: red}</style><script>alert('x')</script></head><body>"
        "<p>My <b>router</b> blinks.</p><p>Line one<br>Line two</p>"
        '<div class="gmail_quote">On Mon, Support wrote:<blockquote>old answer</blockquote></div></body></html>'
    )
    raw = plain(html, message_id="html@c.test").replace(b"text/plain", b"text/html")
    message = stored(support, raw)
    assert message.text == "My router blinks.\n\nLine one\nLine two"
    assert "alert" not in message.raw["full_text"] and "color" not in message.raw["full_text"]
    assert message.raw["html"] is True


def test_attachments_are_kept_on_disk_by_their_content(support, email_data_dir):
    mail = EmailMessage()
    mail["From"] = "dana@customer.test"
    mail["To"] = "support@shop.test"
    mail["Subject"] = "Photo of the router"
    mail["Message-ID"] = "<att@c.test>"
    mail.set_content("See the photo.")
    photo = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    mail.add_attachment(photo, maintype="image", subtype="png", filename="routér.png")
    mail.add_attachment(b"%PDF-1.4\n", maintype="application", subtype="pdf", filename="../../etc/passwd")
    message = stored(support, mail.as_bytes())
    assert message.text == "See the photo."
    first, second = message.raw["attachments"]
    digest = hashlib.sha256(photo).hexdigest()
    assert first == {
        "name": "routér.png",
        "content_type": "image/png",
        "size": len(photo),
        "sha256": digest,
        "path": f"uploads/email/{digest}",
        "inline": False,
    }
    assert (email_data_dir / first["path"]).read_bytes() == photo
    assert second["name"] == ".._.._etc_passwd"
    assert (email_data_dir / second["path"]).parent == email_data_dir / "uploads" / "email"


def test_a_mail_with_only_an_attachment_says_so(support):
    mail = EmailMessage()
    mail["From"] = "dana@customer.test"
    mail["Message-ID"] = "<only@c.test>"
    mail.add_attachment(b"data", maintype="application", subtype="octet-stream", filename="log.txt.gz")
    assert stored(support, mail.as_bytes()).text == "[attachment: log.txt.gz]"


def test_a_mail_without_message_id_is_stored_once_however_often_it_comes(support):
    raw = b"From: dana@customer.test\r\nSubject: hi\r\n\r\nno id here\r\n"
    first, again = receive_email(support, raw), receive_email(support, raw)
    assert (first.status, again.status) == ("stored", "duplicate")
    assert Message.objects.get().external_id.startswith("sha256:")


def test_a_forwarded_message_is_kept_whole_as_an_eml_attachment(support, email_data_dir):
    original = EmailMessage()
    original["From"] = "shop@vendor.test"
    original["Subject"] = "Your invoice"
    original.set_content("Invoice 77: 120 EUR")
    mail = EmailMessage()
    mail["From"] = "dana@customer.test"
    mail["Message-ID"] = "<fwd@c.test>"
    mail.set_content("Is this invoice right?")
    mail.add_attachment(original)
    message = stored(support, mail.as_bytes())
    assert message.text == "Is this invoice right?"
    [forwarded] = message.raw["attachments"]
    assert (forwarded["name"], forwarded["content_type"]) == ("forwarded-1.eml", "message/rfc822")
    assert b"Invoice 77: 120 EUR" in (email_data_dir / forwarded["path"]).read_bytes()
