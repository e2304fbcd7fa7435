"""Raw emails shaped like what real clients send (headers, MIME layout, quoting), and SMTP sending.

Each client quotes and threads its own way: Gmail (full References, "On … wrote:" + ">" lines,
text+HTML), Outlook (top-posted "From:/Sent:" block, Thread-Index, sometimes no In-Reply-To or no
References at all), Apple Mail (blockquote type=cite in HTML), Thunderbird (format=flowed), and a
client that trims References to the last 10.
"""

import base64
import smtplib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def send_smtp(port: int, raw: bytes, to: list[str], sender: str = "dana@customer.test", *, lmtp=False):
    """Deliver `raw` to the listener on `port` like a mail server would; returns refused recipients."""
    if lmtp:
        with smtplib.LMTP("127.0.0.1", port) as client:
            return client.sendmail(sender, to, raw)
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        return client.sendmail(sender, to, raw)


def refs(ids) -> str:
    """A References header folded one id per line, as clients do (SMTP lines stay short)."""
    return "\r\n ".join(f"<{r}>" for r in ids)


def headers(**fields) -> str:
    return "".join(f"{name.replace('_', '-')}: {value}\r\n" for name, value in fields.items() if value)


def plain(
    body: str,
    *,
    message_id: str,
    subject: str = "My order 48213 has not arrived",
    sender: str = "Dana Scully <dana@customer.test>",
    to: str = "support@shop.test",
    in_reply_to: str = "",
    references: tuple[str, ...] = (),
    date: datetime = T0,
    extra: str = "",
    charset: str = "utf-8",
    encoding: str = "8bit",
) -> bytes:
    """A single-part text/plain message; `body` is encoded as `encoding` in `charset`."""
    data = body.encode(charset)
    if encoding == "base64":
        data = base64.encodebytes(data)
    elif encoding == "quoted-printable":
        import quopri

        data = quopri.encodestring(data)
    top = headers(
        From=sender,
        To=to,
        Subject=subject,
        Date=format_datetime(date),
        Message_ID=f"<{message_id}>",
        In_Reply_To=f"<{in_reply_to}>" if in_reply_to else "",
        References=refs(references),
        MIME_Version="1.0",
        Content_Type=f'text/plain; charset="{charset}"',
        Content_Transfer_Encoding=encoding,
    )
    return (top + extra).encode("utf-8") + b"\r\n" + data


@dataclass
class Thread:
    """A thread being written: each new mail knows the ids before it, as mail clients do."""

    subject: str = "Router keeps dropping the connection"
    ids: list[str] = field(default_factory=list)
    thread_index: bytes = b"\x01\xd9" + bytes(range(20))  # Outlook: FILETIME + GUID, 22 bytes

    def date(self) -> datetime:
        return T0 + timedelta(minutes=7 * len(self.ids))

    def gmail(self, n: int, sender="Dana Scully <dana@customer.test>") -> tuple[str, bytes]:
        mid = f"CAF{n:04d}x9Lq-dana=Zk@mail.gmail.com"
        parent = self.ids[-1] if self.ids else ""
        quote = f"On Mon, Nov 2, 2026 at 9:{n:02d} AM Support <support@shop.test> wrote:\r\n> earlier words {n}\r\n"
        text = f"Gmail message {n}: still broken.\r\n\r\n{quote if parent else ''}"
        html = f'<div dir="ltr">Gmail message {n}: still broken.</div><div class="gmail_quote"><blockquote>old</blockquote></div>'
        body = (
            '--000000000000gm\r\nContent-Type: text/plain; charset="UTF-8"\r\n\r\n'
            f'{text}\r\n--000000000000gm\r\nContent-Type: text/html; charset="UTF-8"\r\n\r\n{html}\r\n'
            "--000000000000gm--\r\n"
        )
        top = headers(
            MIME_Version="1.0",
            References=refs(self.ids),
            In_Reply_To=f"<{parent}>" if parent else "",
            From=sender,
            Date=format_datetime(self.date()),
            Message_ID=f"<{mid}>",
            Subject=("Re: " if parent else "") + self.subject,
            To="support@shop.test",
            Content_Type='multipart/alternative; boundary="000000000000gm"',
        )
        return self._add(mid, top + "\r\n" + body)

    def outlook(self, n: int, *, keep_in_reply_to=False, keep_references=True) -> tuple[str, bytes]:
        """Outlook/Exchange: Thread-Index always; In-Reply-To often lost (forwarding rules,
        some mobile clients), References sometimes too."""
        mid = f"AM0PR07MB{n:04d}.EURPRD07.PROD.OUTLOOK.COM@AM0PR07MB6231.eurprd07.prod.outlook.com"
        parent = self.ids[-1] if self.ids else ""
        index = base64.b64encode(self.thread_index + bytes([n % 256]) * 5 * max(1, len(self.ids))).decode()
        text = (
            f"Outlook message {n}: the light is orange now.\r\n\r\n"
            "________________________________\r\n"
            "From: Support <support@shop.test>\r\nSent: Monday, November 2, 2026 9:00 AM\r\n"
            "To: Fox Mulder <fox@customer.test>\r\nSubject: RE: router\r\n\r\nolder text\r\n"
        )
        top = headers(
            From="Fox Mulder <fox@customer.test>",
            To="Support <support@shop.test>",
            Subject="RE: " + self.subject,
            Thread_Topic=self.subject,
            Thread_Index=index,
            Date=format_datetime(self.date()),
            Message_ID=f"<{mid}>",
            References=refs(self.ids) if keep_references else "",
            In_Reply_To=f"<{parent}>" if parent and keep_in_reply_to else "",
            Accept_Language="en-US",
            Content_Language="en-US",
            X_MS_Has_Attach="",
            X_MS_TNEF_Correlator="",
            Content_Type='text/plain; charset="us-ascii"',
            Content_Transfer_Encoding="quoted-printable",
            MIME_Version="1.0",
        )
        return self._add(mid, top + "\r\n" + text)

    def apple(self, n: int) -> tuple[str, bytes]:
        mid = f"8C3D{n:04d}-4A1B-4F0E-9D7A-1F2E3D4C5B6A@customer.test"
        parent = self.ids[-1] if self.ids else ""
        html = (
            f'<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head>'
            f'<body>Apple message {n}: I restarted it twice.<br><div><br><blockquote type="cite">'
            f"<div>On 2 Nov 2026, at 09:00, Support &lt;support@shop.test&gt; wrote:</div><br>"
            f"<div>older</div></blockquote></div></body></html>"
        )
        top = headers(
            Content_Type="text/html; charset=utf-8",
            Content_Transfer_Encoding="quoted-printable",
            Mime_Version="1.0 (Mac OS X Mail 16.0 \\(3774.300.61.1.2\\))",
            Subject="Re: " + self.subject,
            From="Dana Scully <dana@customer.test>",
            In_Reply_To=f"<{parent}>" if parent else "",
            Date=format_datetime(self.date()),
            Message_Id=f"<{mid}>",
            References=refs(self.ids),
            To="Support <support@shop.test>",
            X_Mailer="Apple Mail (2.3774.300.61.1.2)",
        )
        return self._add(mid, top + "\r\n" + html.replace("=", "=3D"))

    def thunderbird(self, n: int) -> tuple[str, bytes]:
        mid = f"{n:08d}-5b1c-4e6f-a0d2-thunderbird@customer.test"
        parent = self.ids[-1] if self.ids else ""
        text = (
            f"Thunderbird message {n}: here is the log you asked for. It shows the \r\n"
            "connection dropping every ten minutes.\r\n\r\n"
            "On 02.11.26 09:00, Support wrote:\r\n> Could you send the log?\r\n\r\n-- \r\nDana\r\n"
        )
        top = headers(
            Message_ID=f"<{mid}>",
            Date=format_datetime(self.date()),
            MIME_Version="1.0",
            User_Agent="Mozilla Thunderbird",
            Subject="Re: " + self.subject,
            Content_Language="en-US",
            To="Support <support@shop.test>",
            References=refs(self.ids),
            From="Dana Scully <dana@customer.test>",
            In_Reply_To=f"<{parent}>" if parent else "",
            Content_Type="text/plain; charset=UTF-8; format=flowed",
            Content_Transfer_Encoding="7bit",
        )
        return self._add(mid, top + "\r\n" + text)

    def trimmer(self, n: int) -> tuple[str, bytes]:
        """A client that keeps only the last 10 References (and no In-Reply-To)."""
        mid = f"trim-{n:04d}@webmail.customer.test"
        top = headers(
            From="Dana Scully <dana@customer.test>",
            To="support@shop.test",
            Subject="Re: " + self.subject,
            Date=format_datetime(self.date()),
            Message_ID=f"<{mid}>",
            References=refs(self.ids[-10:]),
            Content_Type="text/plain; charset=iso-8859-1",
            Content_Transfer_Encoding="quoted-printable",
        )
        return self._add(mid, top + f"\r\nWebmail message {n}: M=FCller here, same problem.\r\n")

    def brand_reply_id(self, n: int) -> str:
        """The id of an answer the brand sent (stored as an outbound message by delivery)."""
        mid = f"townsquare-reply-{n}.a1b2c3d4e5f6@shop.test"
        self.ids.append(mid)
        return mid

    def _add(self, mid: str, text: str) -> tuple[str, bytes]:
        self.ids.append(mid)
        return mid, text.encode("utf-8")
