"""An email channel's SMTP settings for sending, read and checked once per send or check."""

from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import parseaddr

from townsquare.connectors.base import ConfigInvalid

SECURITY_CHOICES = ("none", "starttls", "ssl")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}
DEFAULT_TIMEOUT = 30


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str
    username: str
    password: str
    from_address: str
    from_name: str
    timeout: float

    @property
    def domain(self) -> str:
        return self.from_address.rpartition("@")[2]

    @property
    def sender(self) -> Address:
        local, _, domain = self.from_address.rpartition("@")
        return Address(display_name=self.from_name, username=local, domain=domain)


def valid_address(value) -> str | None:
    """The bare address when `value` is one mailbox (no header injection, no display tricks), else None."""
    if not isinstance(value, str) or any(c in value for c in "\r\n\x00"):
        return None
    _, address = parseaddr(value.strip())
    local, at, domain = address.rpartition("@")
    if not at or not local or "." not in domain or any(c.isspace() for c in address):
        return None
    return address


def smtp_config(settings: dict, secrets: dict) -> SmtpConfig:
    """Raise ConfigInvalid naming each unusable setting."""
    problems: dict[str, str] = {}
    security = str(settings.get("smtp_security") or "starttls").strip().lower()
    if security not in SECURITY_CHOICES:
        problems["smtp_security"] = f"must be one of {', '.join(SECURITY_CHOICES)}"
    host = str(settings.get("smtp_host") or "").strip()
    if not host:
        problems["smtp_host"] = "required to send replies"
    elif any(c.isspace() or c in "/@" for c in host):
        problems["smtp_host"] = "must be a host name or an IP address"
    port = _number(
        settings.get("smtp_port"), DEFAULT_PORTS.get(security, 25), 1, 65535, "smtp_port", problems
    )
    timeout = _number(settings.get("smtp_timeout"), DEFAULT_TIMEOUT, 1, 600, "smtp_timeout", problems)
    # The inbound `address` doubles as the sender when no from_address is set.
    from_address = valid_address(settings.get("from_address") or settings.get("address") or "")
    if from_address is None:
        problems["from_address"] = "must be one email address, like support@example.com"
    from_name = str(settings.get("from_name") or "")
    if any(c in from_name for c in "\r\n\x00"):
        problems["from_name"] = "must be one line"
    if problems:
        raise ConfigInvalid("the channel's SMTP settings cannot be used", problems)
    return SmtpConfig(
        host=host,
        port=port,
        security=security,
        username=str(settings.get("smtp_username") or ""),
        password=str(secrets.get("smtp_password") or ""),
        from_address=from_address,
        from_name=from_name.strip(),
        timeout=float(timeout),
    )


def _number(value, default: int, low: int, high: int, name: str, problems: dict) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        problems[name] = "must be a whole number"
        return default
    if isinstance(value, bool) or not low <= number <= high:
        problems[name] = f"must be from {low} to {high}"
    return number
