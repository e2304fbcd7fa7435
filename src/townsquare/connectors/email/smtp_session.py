"""Talking to the channel's SMTP server, and what its errors mean for a delivery.

4xx replies, refused connections and timeouts are temporary (TransientError: retried with
backoff); 5xx replies (recipient unknown, login refused, message rejected) are permanent
(PermanentError, with the server's own words).
"""

import smtplib
import socket
import ssl
from contextlib import contextmanager

from townsquare.connectors.base import PermanentError, TransientError
from townsquare.connectors.email.smtp_config import SmtpConfig


@contextmanager
def smtp_session(config: SmtpConfig):
    """An SMTP connection that said EHLO, upgraded to TLS and logged in as the settings say."""
    try:
        client = _connect(config)
    except (smtplib.SMTPException, OSError) as exc:
        raise as_connector_error(exc, config) from exc
    try:
        try:
            client.ehlo()
            if config.security == "starttls":
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if config.username:
                client.login(config.username, config.password)
        except (smtplib.SMTPException, OSError) as exc:
            raise as_connector_error(exc, config) from exc
        yield client
    finally:
        _close(client)


def _connect(config: SmtpConfig) -> smtplib.SMTP:
    if config.security == "ssl":
        context = ssl.create_default_context()
        return smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout, context=context)
    return smtplib.SMTP(config.host, config.port, timeout=config.timeout)


def _close(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


def as_connector_error(exc: BaseException, config: SmtpConfig) -> TransientError | PermanentError:
    """Turn an smtplib or socket error into the connector error that says whether a retry can help."""
    where = f"{config.host}:{config.port}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()), (550, b"recipient refused"))
        return _by_code(code, f"{where} refused the recipient: {code} {_said(text)}")
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return _by_code(exc.smtp_code, f"{where} refused the login: {exc.smtp_code} {_said(exc.smtp_error)}")
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return PermanentError(f"{where} does not support it: {exc} (check smtp_security)")
    if isinstance(exc, smtplib.SMTPResponseException):
        return _by_code(exc.smtp_code, f"{where} answered {exc.smtp_code} {_said(exc.smtp_error)}")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return PermanentError(f"{where}: the TLS certificate is not trusted ({exc.verify_message})")
    if isinstance(exc, smtplib.SMTPServerDisconnected) and isinstance(exc.__context__, TimeoutError):
        exc = exc.__context__  # smtplib reports a timeout while reading a reply as a disconnect
    if isinstance(exc, ConnectionRefusedError):
        return TransientError(f"{where} refused the connection")
    if isinstance(exc, TimeoutError | socket.timeout):
        return TransientError(f"{where} did not answer within {config.timeout:.0f} s")
    if isinstance(exc, socket.gaierror):
        return TransientError(f"{config.host} could not be resolved: {exc.strerror or exc}")
    return TransientError(f"{where}: {type(exc).__name__}: {exc}")


def _by_code(code: int, message: str) -> TransientError | PermanentError:
    return TransientError(message) if 400 <= int(code or 0) < 500 else PermanentError(message)


def _said(text) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return " ".join(str(text).split())[:500]
