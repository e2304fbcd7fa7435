"""The SMTP (or LMTP) listener: mail for a channel's addresses is received and stored.

aiosmtpd runs the protocol on its own event loop thread; each message is stored by a small pool
of worker threads, because the ORM is synchronous. Replies to the sending server:
- 550 for a recipient no active email channel has (at RCPT, so nothing is accepted for it);
- 552 for a message over TOWNSQUARE_EMAIL_MAX_BYTES (aiosmtpd stops reading it);
- 554 when the message is malformed (it is kept as rejected input with the reason);
- 451 when storing failed for a passing reason (the database is down): the sender retries;
- 250 otherwise, also for duplicates, auto-replies and bounces.
"""

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP
from django.conf import settings
from django.db import connections

from townsquare.connectors.email.inbound import receive_email
from townsquare.connectors.email.recipients import address_book, channel_for

logger = logging.getLogger(__name__)
WORKERS = 2
# Recipients are checked against the channels' addresses read at most this often (not per RCPT).
ADDRESS_BOOK_SECONDS = 5.0
MAX_RECIPIENTS = 100  # RFC 5321's minimum; more get 452 and are sent again by the server
TEMPORARY_FAILURE = "451 4.3.0 could not store the message now, try again later"


class EmailHandler:
    def __init__(self):
        self.executor = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="email-ingest")
        self._book: dict | None = None
        self._book_read_at = 0.0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return "452 4.5.3 too many recipients"
        try:
            book = await self._address_book()
        except Exception:
            logger.exception("reading the email channels' addresses failed")
            return TEMPORARY_FAILURE
        if channel_for(address, book) is None:
            return f"550 5.1.1 <{address[:200]}>: no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def _address_book(self) -> dict:
        if self._book is None or time.monotonic() - self._book_read_at > ADDRESS_BOOK_SECONDS:
            self._book = await self._run(address_book)
            self._book_read_at = time.monotonic()
        return self._book

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        raw = envelope.original_content or b""
        try:
            return await self._run(deliver, raw, envelope.mail_from, list(envelope.rcpt_tos))
        except Exception:
            logger.exception("storing a message from %s failed", envelope.mail_from)
            return TEMPORARY_FAILURE

    async def _run(self, function, *args):
        return await asyncio.get_running_loop().run_in_executor(
            self.executor, _with_connection, function, args
        )

    def close(self):
        self.executor.shutdown(wait=True)


def _with_connection(function, args):
    # Mail comes seldom compared to web requests: a fresh connection per message, closed after,
    # leaves no idle connection in the worker threads (nor a dead one after a database restart).
    try:
        return function(*args)
    finally:
        connections.close_all()


def deliver(raw: bytes, mail_from: str | None, recipients: list[str]) -> str:
    """Store `raw` once for each channel among the recipients; the SMTP reply for the sender."""
    envelope_from = "" if mail_from in (None, "<>") else mail_from
    book = address_book()
    channels = {}
    for address in recipients:
        channel = channel_for(address, book)
        if channel is not None:
            channels.setdefault(channel.pk, (channel, []))[1].append(address)
    outcomes = [
        receive_email(channel, raw, envelope_from=envelope_from, envelope_to=addresses)
        for channel, addresses in channels.values()
    ]
    if not outcomes:  # the channels were switched off since RCPT
        return "550 5.1.1 no such mailbox here"
    rejected = [o for o in outcomes if o.status == "rejected"]
    if outcomes and len(rejected) == len(outcomes):
        reason = _one_line(rejected[0].reason)
        if "over the limit" in reason:  # a channel's own max_bytes, below the listener's limit
            return f"552 5.3.4 message too big: {reason}"
        return f"554 5.6.0 message rejected: {reason}"
    return "250 2.0.0 OK: " + ", ".join(o.status for o in outcomes)


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


class EmailController(Controller):
    """aiosmtpd's threaded controller speaking SMTP, or LMTP when `lmtp` is set."""

    def __init__(self, handler: EmailHandler, *, host: str, port: int, lmtp: bool = False):
        self.lmtp = lmtp
        super().__init__(
            handler,
            hostname=host,
            port=port,
            data_size_limit=settings.EMAIL_MAX_BYTES,
            enable_SMTPUTF8=True,
            ident="Townsquare",
        )

    def factory(self):
        server_class = LMTP if self.lmtp else SMTP
        return server_class(self.handler, **self.SMTP_kwargs)


def start_listener(host: str, port: int, *, lmtp: bool = False) -> EmailController:
    """Start listening in a background thread; call `.stop()` (and `.handler.close()`) to end."""
    controller = EmailController(EmailHandler(), host=host, port=port, lmtp=lmtp)
    controller.start()
    return controller


def parse_listen_address(value: str) -> tuple[str, int]:
    """ "127.0.0.1:2525" -> ("127.0.0.1", 2525); "[::1]:25" works too. ValueError saying what is wrong."""
    host, separator, port = value.strip().rpartition(":")
    if not separator or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"{value!r} is not host:port (e.g. 127.0.0.1:2525)")
    return host.strip("[]") or "127.0.0.1", int(port)


def listen_from_settings() -> EmailController | None:
    """`townsquare run` with TOWNSQUARE_SMTP_LISTEN=host:port also receives email; None when unset.
    ValueError saying what is wrong with the setting or the address."""
    if not settings.SMTP_LISTEN:
        return None
    host, port = parse_listen_address(settings.SMTP_LISTEN)
    try:
        controller = start_listener(host, port)
    except (OSError, RuntimeError) as exc:
        raise ValueError(f"TOWNSQUARE_SMTP_LISTEN: cannot listen on {host}:{port}: {exc}") from exc
    logger.info("listening for SMTP on %s:%s", host, port)
    return controller


def stop_listener(controller: EmailController | None) -> None:
    if controller is not None:
        controller.stop()
        controller.handler.close()
