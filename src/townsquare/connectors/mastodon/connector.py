"""Mastodon channels: mentions and direct messages of the brand account are polled; replies posted.

Settings: `base_url` (the brand account's instance, https; plain http only on loopback), `account`
(its handle, for display), secret `access_token` (scopes read:notifications read:accounts
write:statuses), `poll_seconds`, `include_direct`, `max_characters` (the instance's status limit).
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from townsquare.connectors.base import (
    ConfigInvalid,
    Connector,
    ConnectorError,
    HealthReport,
    Outgoing,
    PermanentError,
    PollResult,
    Sent,
    Setting,
)
from townsquare.connectors.mastodon.client import MastodonClient, is_loopback_host
from townsquare.connectors.mastodon.mapping import qualified_handle
from townsquare.connectors.mastodon.notifications import fetch_mentions
from townsquare.connectors.mastodon.replying import (
    DEFAULT_MAX_CHARACTERS,
    check_length,
    reply_visibility,
    status_text,
)
from townsquare.connectors.registry import register

DEFAULT_POLL_SECONDS = 60
MIN_POLL_SECONDS = 10
MAX_POLL_SECONDS = 24 * 3600
TRUE_WORDS = {"true", "yes", "on", "1"}
FALSE_WORDS = {"false", "no", "off", "0"}


@dataclass
class MastodonPollResult(PollResult):
    # (reason, notification) for notifications that could not become messages; kept for inspection.
    rejected: list[tuple[str, dict]] = field(default_factory=list)


@register("mastodon")
class MastodonConnector(Connector):
    kind = "mastodon"
    label = "Mastodon"
    can_poll = True
    can_send = True
    settings_schema = (
        Setting(
            "base_url",
            "Instance address",
            required=True,
            kind="url",
            help="The brand account's server, e.g. https://mastodon.social",
        ),
        Setting(
            "account",
            "Brand account",
            help="Its handle, e.g. @support@mastodon.social (shown in the console)",
        ),
        Setting(
            "access_token",
            "Access token",
            secret=True,
            required=True,
            kind="password",
            help="From Preferences → Development → New application, with the scopes "
            "read:notifications, read:accounts and write:statuses",
        ),
        Setting(
            "poll_seconds", "Check for mentions every (seconds)", default=DEFAULT_POLL_SECONDS, kind="int"
        ),
        Setting("include_direct", "Include direct messages", default=True, kind="bool"),
        Setting(
            "max_characters",
            "Longest post on the instance (characters)",
            default=DEFAULT_MAX_CHARACTERS,
            kind="int",
        ),
    )

    # Settings, read leniently (the console stores typed values; a script may store strings).

    @property
    def base_url(self) -> str:
        return str(self.settings.get("base_url") or "").strip().rstrip("/")

    @property
    def instance_host(self) -> str:
        return (urlsplit(self.base_url).hostname or "").lower()

    @property
    def poll_seconds(self) -> int:
        return _int_setting(self.settings.get("poll_seconds"), DEFAULT_POLL_SECONDS)

    @property
    def max_characters(self) -> int:
        return _int_setting(self.settings.get("max_characters"), DEFAULT_MAX_CHARACTERS)

    @property
    def include_direct(self) -> bool:
        value = self.settings.get("include_direct", True)
        if isinstance(value, str):
            return value.strip().lower() not in FALSE_WORDS
        return bool(value) if value is not None else True

    def validate(self) -> None:
        super().validate()
        problems = {}
        url_problem = base_url_problem(self.base_url)
        if url_problem:
            problems["base_url"] = url_problem
        if not MIN_POLL_SECONDS <= self.poll_seconds <= MAX_POLL_SECONDS:
            problems["poll_seconds"] = f"must be between {MIN_POLL_SECONDS} and {MAX_POLL_SECONDS} seconds"
        if not 1 <= self.max_characters <= 100_000:
            problems["max_characters"] = "must be between 1 and 100000"
        account = str(self.settings.get("account") or "").strip()
        if account and not _looks_like_handle(account):
            problems["account"] = "must be a handle like @support@mastodon.social"
        if problems:
            raise ConfigInvalid("the Mastodon settings are not usable", problems)

    def client(self) -> MastodonClient:
        self.validate()
        return MastodonClient(self.base_url, str(self.secrets.get("access_token") or ""))

    def poll(self, cursor: dict) -> PollResult:
        cursor = cursor if isinstance(cursor, dict) else {}
        if cursor.get("instance", self.base_url) != self.base_url:
            # Moved to another instance: the old one's notification ids mean nothing there.
            cursor = {}
        fetched = fetch_mentions(
            self.client(), cursor, instance_host=self.instance_host, include_direct=self.include_direct
        )
        return MastodonPollResult(
            messages=fetched.messages,
            cursor={**fetched.cursor, "instance": self.base_url} if fetched.cursor else {},
            wait_seconds=fetched.wait_seconds,
            rejected=fetched.rejected,
        )

    def send(self, outgoing: Outgoing) -> Sent:
        if not outgoing.parent_external_id:
            raise PermanentError("there is no Mastodon post to answer in this conversation")
        visibility = reply_visibility(outgoing.parent_raw)
        text = status_text(outgoing)
        check_length(text, self.max_characters)
        body = {"status": text, "in_reply_to_id": outgoing.parent_external_id, "visibility": visibility}
        spoiler = outgoing.parent_raw.get("spoiler_text") if isinstance(outgoing.parent_raw, dict) else ""
        if spoiler:
            # As Mastodon's own clients do: a reply keeps the content warning of what it answers.
            body["spoiler_text"] = spoiler
        key = outgoing.idempotency_key or f"townsquare-reply-{outgoing.reply_id}"
        response = self.client().post("/api/v1/statuses", body, idempotency_key=key)
        status = response.data if isinstance(response.data, dict) else {}
        if status.get("id") in (None, ""):
            raise PermanentError("the instance accepted the reply but did not say what it is called")
        return Sent(
            external_id=str(status["id"]),
            raw={
                "url": status.get("url") or status.get("uri") or "",
                "visibility": status.get("visibility") or visibility,
                "in_reply_to_id": outgoing.parent_external_id,
            },
        )

    def check(self) -> HealthReport:
        try:
            response = self.client().get("/api/v1/accounts/verify_credentials")
        except ConfigInvalid as exc:
            fields = "; ".join(f"{name}: {problem}" for name, problem in exc.fields.items())
            return HealthReport(ok=False, detail=f"{exc}: {fields}" if fields else str(exc))
        except ConnectorError as exc:
            return HealthReport(ok=False, detail=str(exc))
        account = response.data if isinstance(response.data, dict) else {}
        handle = qualified_handle(
            str(account.get("acct") or ""), self.instance_host, account.get("url") or ""
        )
        if not handle:
            return HealthReport(ok=False, detail="the instance did not name the token's account")
        expected = str(self.settings.get("account") or "").strip()
        if expected and not same_account(expected, handle):
            return HealthReport(ok=False, detail=f"the access token belongs to {handle}, not {expected}")
        return HealthReport(ok=True, detail=f"signed in as {handle}{policy_warning(self.client())}")


# The notification policy's categories (Mastodon 4.3+) as people read them.
POLICY_CATEGORIES = {
    "for_not_following": "accounts it does not follow",
    "for_not_followers": "accounts that do not follow it",
    "for_new_accounts": "new accounts",
    "for_private_mentions": "unsolicited private mentions",
    "for_limited_accounts": "accounts limited by moderators",
}


def policy_warning(client: MastodonClient) -> str:
    """Mentions the account's notification policy drops never reach any client: say so."""
    try:
        policy = client.get("/api/v2/notifications/policy").data
    except ConnectorError:
        return ""  # an older instance without policies, or a token without that scope
    if not isinstance(policy, dict):
        return ""
    dropped = [label for key, label in POLICY_CATEGORIES.items() if policy.get(key) == "drop"]
    if not dropped:
        return ""
    return (
        f"; but its notification policy drops mentions from {', '.join(dropped)}: those never reach "
        "Townsquare (set them to accept or filter in Mastodon's notification settings)"
    )


def base_url_problem(url: str) -> str | None:
    if not url:
        return "required"
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return "must be the instance's address, like https://mastodon.social"
    if parts.username or parts.password or parts.query or parts.fragment:
        return "must be just the instance's address, without credentials, query or fragment"
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        return "must use https (plain http only for an instance on this machine)"
    try:
        parts.port  # noqa: B018  (raises ValueError for a bad port)
    except ValueError:
        return "has an invalid port"
    return None


def same_account(configured: str, actual: str) -> bool:
    """`@support` matches `@support@host`; with a domain, both parts must match (case-insensitive)."""
    user, _, host = configured.strip().lstrip("@").lower().partition("@")
    actual_user, _, actual_host = actual.strip().lstrip("@").lower().partition("@")
    return user == actual_user and (not host or host == actual_host)


def _int_setting(value, default: int) -> int:
    if value is None or value == "" or isinstance(value, bool):
        return default
    try:
        return int(str(value).strip())
    except ValueError:
        return -1  # validate() names the setting


def _looks_like_handle(account: str) -> bool:
    user, _, host = account.lstrip("@").partition("@")
    return bool(user) and all(c.isalnum() or c in "_.-" for c in user) and " " not in host
