"""A local stand-in for a Mastodon instance: the endpoints the connector uses, shaped like the API.

- GET  /api/v1/notifications (types[], since_id, max_id, min_id, limit,
  include_filtered; newest first; Link header)
- POST /api/v1/statuses (JSON or form body; Idempotency-Key; 422 over the character limit;
  404 when the status answered was deleted)
- GET  /api/v1/accounts/verify_credentials
- GET  /api/v2/notifications/policy
Every answer carries X-RateLimit-Limit/Remaining/Reset; at 0 remaining it answers 429. A bearer
token other than `token` gets 401. `fail_next` queues canned failures (5xx, 429, …); `delay`
makes it slow. Requests are recorded for assertions.
"""

import json
import re
import threading
import time
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HOST = "social.example"
BRAND = {
    "id": "1",
    "username": "acme",
    "acct": "acme",
    "display_name": "ACME Support",
    "url": f"https://{HOST}/@acme",
}


def account(
    username: str, *, domain: str | None = None, account_id: str | None = None, name: str = ""
) -> dict:
    acct = f"{username}@{domain}" if domain else username
    return {
        "id": account_id or str(zlib.crc32(acct.encode()) + 100),
        "username": username,
        "acct": acct,
        "display_name": name or username.capitalize(),
        "url": f"https://{domain or HOST}/@{username}",
    }


def mastodon_length(text: str) -> int:
    """How Mastodon counts a status: each link as 23 characters, a remote mention as its @user part."""
    text = re.sub(r"https?://\S+", "x" * 23, text)
    return len(re.sub(r"(@\w+)@[\w.-]+\w", r"\1", text))


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: dict | None


@dataclass
class FakeMastodon:
    token: str = "good-token"  # noqa: S105 (the fake instance's test token)
    character_limit: int = 500
    rate_limit: int = 300
    rate_remaining: int = 300
    rate_reset: datetime = field(default_factory=lambda: datetime.now(UTC) + timedelta(minutes=5))
    delay: float = 0.0
    notifications: list[dict] = field(default_factory=list)
    statuses: dict[str, dict] = field(default_factory=dict)
    posted: list[dict] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    # (status code, JSON body, extra headers) answered to the next requests, in order.
    fail_next: list[tuple[int, dict, dict]] = field(default_factory=list)
    account: dict = field(default_factory=lambda: dict(BRAND))
    # GET /api/v2/notifications/policy (Mastodon 4.3+); None answers 404 like an older instance.
    policy: dict | None = field(
        default_factory=lambda: {
            "for_not_following": "accept",
            "for_not_followers": "accept",
            "for_new_accounts": "accept",
            "for_private_mentions": "filter",
            "for_limited_accounts": "filter",
        }
    )
    _next_notification: int = 98  # ids cross from 2 to 3 digits early: compared as numbers, not text
    _next_status: int = 109_000_000_000_000_000
    _idempotent: dict[str, dict] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # Server life.

    def start(self) -> "FakeMastodon":
        fake = self

        class Handler(_Handler):
            server_fake = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # What customers do.

    def mention(
        self,
        text: str,
        *,
        author: dict | None = None,
        visibility: str = "public",
        in_reply_to_id: str | None = None,
        spoiler_text: str = "",
        content_html: str | None = None,
        media: list[dict] | None = None,
        filtered: bool = False,
    ) -> dict:
        """A customer's status mentioning the brand, and its `mention` notification."""
        author = author or account("dana", domain="mastodon.example", name="Dana Ortiz")
        with self._lock:
            status = self._status(
                author,
                content_html if content_html is not None else f"<p>@acme {text}</p>",
                visibility,
                in_reply_to_id,
                spoiler_text,
                media or [],
            )
            self._next_notification += 1
            notification = {
                "id": str(self._next_notification),
                "type": "mention",
                "created_at": status["created_at"],
                "account": author,
                "status": status,
            }
            if filtered:
                # Held back by the account's notification policy (listed only with include_filtered).
                notification["filtered"] = True
            self.notifications.append(notification)
        return notification

    def other_notification(self, kind: str = "favourite") -> dict:
        with self._lock:
            self._next_notification += 1
            notification = {"id": str(self._next_notification), "type": kind, "account": account("fan")}
            self.notifications.append(notification)
        return notification

    def delete_status(self, status_id: str) -> None:
        self.statuses.pop(status_id, None)

    def _status(self, author, content, visibility, in_reply_to_id, spoiler_text, media) -> dict:
        self._next_status += 1
        status_id = str(self._next_status)
        status = {
            "id": status_id,
            "created_at": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "in_reply_to_id": in_reply_to_id,
            "in_reply_to_account_id": None,
            "sensitive": bool(spoiler_text),
            "spoiler_text": spoiler_text,
            "visibility": visibility,
            "language": "en",
            "uri": f"https://{HOST}/users/{author['username']}/statuses/{status_id}",
            "url": f"https://{HOST}/@{author['username']}/{status_id}",
            "content": content,
            "account": author,
            "media_attachments": media,
            "mentions": [{"id": BRAND["id"], "acct": "acme", "username": "acme"}],
        }
        self.statuses[status_id] = status
        return status

    # Requests.

    def answer(self, handler: "_Handler", method: str) -> tuple[int, object, dict]:
        if self.delay:
            time.sleep(self.delay)
        parts = urlsplit(handler.path)
        query = parse_qs(parts.query)
        body = handler.read_body() if method == "POST" else None
        with self._lock:
            self.requests.append(Recorded(method, parts.path, query, dict(handler.headers), body))
            if self.fail_next:
                return self.fail_next.pop(0)
            if handler.headers.get("Authorization") != f"Bearer {self.token}":
                return 401, {"error": "The access token is invalid"}, {}
            if self.rate_remaining <= 0:
                return 429, {"error": "Too many requests"}, {}
            self.rate_remaining -= 1
            route = (method, parts.path)
            if route == ("GET", "/api/v1/notifications"):
                return self._list_notifications(query)
            if route == ("POST", "/api/v1/statuses"):
                return self._post_status(body or {}, handler.headers.get("Idempotency-Key"))
            if route == ("GET", "/api/v1/accounts/verify_credentials"):
                return 200, self.account, {}
            if route == ("GET", "/api/v2/notifications/policy") and self.policy is not None:
                return 200, self.policy, {}
        return 404, {"error": "Record not found"}, {}

    def rate_headers(self) -> dict:
        return {
            "X-RateLimit-Limit": str(self.rate_limit),
            "X-RateLimit-Remaining": str(max(0, self.rate_remaining)),
            "X-RateLimit-Reset": self.rate_reset.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        }

    def _list_notifications(self, query) -> tuple[int, object, dict]:
        types = query.get("types[]")
        limit = min(int(query.get("limit", ["40"])[0]), 80)
        key = int
        with_filtered = query.get("include_filtered") == ["true"]
        found = sorted(
            (
                n
                for n in self.notifications
                if (not types or n["type"] in types) and (with_filtered or not n.get("filtered"))
            ),
            key=lambda n: key(n["id"]),
            reverse=True,
        )
        if "max_id" in query:
            found = [n for n in found if key(n["id"]) < key(query["max_id"][0])]
        if "since_id" in query:
            found = [n for n in found if key(n["id"]) > key(query["since_id"][0])]
        if "min_id" in query:
            found = [n for n in found if key(n["id"]) > key(query["min_id"][0])][-limit:]
        page = found[:limit]
        headers = {}
        if page:
            kinds = "".join(f"&types[]={t}" for t in types or [])
            base = f"{self.url}/api/v1/notifications?limit={limit}{kinds}"
            headers["Link"] = (
                f'<{base}&max_id={page[-1]["id"]}>; rel="next", <{base}&min_id={page[0]["id"]}>; rel="prev"'
            )
        return 200, page, headers

    def _post_status(self, body: dict, idempotency_key: str | None) -> tuple[int, object, dict]:
        if idempotency_key and idempotency_key in self._idempotent:
            return 200, self._idempotent[idempotency_key], {}
        text = str(body.get("status") or "")
        if not text.strip():
            return 422, {"error": "Validation failed: Text can't be blank"}, {}
        if mastodon_length(text) > self.character_limit:
            return (
                422,
                {"error": f"Validation failed: Text character limit of {self.character_limit} exceeded"},
                {},
            )
        visibility = body.get("visibility") or "public"
        if visibility not in ("public", "unlisted", "private", "direct"):
            return 422, {"error": "Validation failed: Visibility is not included in the list"}, {}
        parent = body.get("in_reply_to_id")
        if parent and parent not in self.statuses:
            return 404, {"error": "Record not found"}, {}
        status = self._status(
            self.account, f"<p>{text}</p>", visibility, parent, body.get("spoiler_text") or "", []
        )
        self.posted.append({**body, "id": status["id"], "idempotency_key": idempotency_key})
        if idempotency_key:
            self._idempotent[idempotency_key] = status
        return 200, status, {}


class _Handler(BaseHTTPRequestHandler):
    server_fake: FakeMastodon

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self._reply(*self.server_fake.answer(self, "GET"))

    def do_POST(self):  # noqa: N802
        self._reply(*self.server_fake.answer(self, "POST"))

    def read_body(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if (self.headers.get("Content-Type") or "").startswith("application/json"):
            return json.loads(raw or b"{}")
        return {k: v[0] for k, v in parse_qs(raw.decode()).items()}

    def _reply(self, status: int, data, headers: dict) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in {**self.server_fake.rate_headers(), **headers}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 (http.server's signature)
        pass
