"""A small Mastodon REST client on the standard library: JSON, timeouts, rate-limit headers, errors.

Every failure becomes a connector error people can read: TransientError for what a later try may
fix (timeouts, 5xx, 429 with the wait the server asked for), PermanentError for what it cannot
(a rejected token, a deleted status, a status Mastodon refuses). Redirects are not followed, so
the access token is never sent to another host.
"""

import ipaddress
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http.client import HTTPException
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qs, urlencode, urlsplit
from urllib.request import HTTPRedirectHandler, ProxyHandler, Request, build_opener

from townsquare.connectors.base import PermanentError, TransientError

TIMEOUT_SECONDS = 10.0
MAX_RESPONSE_BYTES = 5 * 1024 * 1024
USER_AGENT = "Townsquare (+https://github.com/townsquare; customer care)"
# Waited when a 429 names no reset time.
DEFAULT_RATE_LIMIT_WAIT = 60.0
LOOPBACK_NAMES = {"localhost"}


@dataclass(frozen=True)
class RateLimit:
    """What the X-RateLimit-* headers said; any part may be missing."""

    limit: int | None = None
    remaining: int | None = None
    reset_at: datetime | None = None

    def seconds_until_reset(self, now: datetime | None = None) -> float | None:
        if self.reset_at is None:
            return None
        now = now or datetime.now(UTC)
        return max(0.0, (self.reset_at - now).total_seconds())


@dataclass(frozen=True)
class Response:
    status: int
    data: object
    rate: RateLimit
    links: dict[str, str]


def is_loopback_host(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _NoRedirects(HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx status


class MastodonClient:
    def __init__(self, base_url: str, access_token: str, *, timeout: float | None = None):
        self.base_url = base_url.rstrip("/")
        self.access_token = access_token
        self.timeout = TIMEOUT_SECONDS if timeout is None else timeout
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise PermanentError(f"{base_url!r} is not an http(s) address of a Mastodon instance")
        host = parts.hostname
        # A loopback instance (tests, a local relay) is never reached through a proxy.
        handlers = [_NoRedirects()] + ([ProxyHandler({})] if is_loopback_host(host) else [])
        self._opener = build_opener(*handlers)

    def get(self, path: str, params: list[tuple[str, str]] | None = None) -> Response:
        query = f"?{urlencode(params)}" if params else ""
        return self._request("GET", f"{self.base_url}{path}{query}")

    def post(self, path: str, body: dict, *, idempotency_key: str = "") -> Response:
        headers = {"Content-Type": "application/json"}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        return self._request("POST", f"{self.base_url}{path}", json.dumps(body).encode(), headers)

    def _request(self, method: str, url: str, body: bytes | None = None, headers=None) -> Response:
        request = Request(url, data=body, method=method)  # noqa: S310  (scheme checked in __init__)
        request.add_header("Authorization", f"Bearer {self.access_token}")
        request.add_header("Accept", "application/json")
        request.add_header("User-Agent", USER_AGENT)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with self._opener.open(request, timeout=self.timeout) as answer:
                raw = answer.read(MAX_RESPONSE_BYTES + 1)
                status, answer_headers = answer.status, answer.headers
        except HTTPError as error:
            raw = _read_error_body(error)
            raise_for_status(error.code, error.headers, raw)
            raise  # raise_for_status always raises for an HTTPError status
        except (URLError, OSError, HTTPException) as error:
            reason = getattr(error, "reason", error)
            raise TransientError(f"could not reach {self.base_url}: {reason}") from None
        if len(raw) > MAX_RESPONSE_BYTES:
            raise TransientError(f"{self.base_url} sent more than {MAX_RESPONSE_BYTES // 1024} KB")
        return Response(status, _json(raw, self.base_url), rate_limit(answer_headers), links(answer_headers))


def _read_error_body(error: HTTPError) -> bytes:
    try:
        return error.read(64 * 1024) or b""
    except OSError:
        return b""


def _json(raw: bytes, base_url: str):
    try:
        return json.loads(raw or b"null")
    except (ValueError, RecursionError):
        raise TransientError(f"{base_url} answered with something that is not JSON") from None


def error_message(raw: bytes) -> str:
    """Mastodon's `{"error": "..."}` text, or the start of the body."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        data = None
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        detail = data.get("error_description")
        return f"{data['error']}: {detail}" if isinstance(detail, str) and detail else data["error"]
    return raw[:200].decode("utf-8", "replace").strip() or "no details"


def raise_for_status(status: int, headers, raw: bytes) -> None:
    message = error_message(raw)
    if status in (401, 403):
        raise PermanentError(f"access token rejected ({status}: {message})")
    if status == 429:
        wait = retry_after_seconds(headers)
        raise TransientError(f"rate limited by the instance; retry in {wait:.0f} s", retry_after=wait)
    if status >= 500 or status == 408:
        raise TransientError(f"the instance answered {status}: {message}")
    if 300 <= status < 400:
        where = headers.get("Location", "elsewhere") if headers else "elsewhere"
        raise PermanentError(f"the instance redirects to {where}: set the instance address to where it ends")
    raise PermanentError(f"the instance refused ({status}): {message}")


def parse_time(value: str | None) -> datetime | None:
    """X-RateLimit-Reset is ISO 8601 on Mastodon; also accept Unix seconds and HTTP dates."""
    if not value:
        return None
    value = value.strip()
    try:
        if value.replace(".", "", 1).isdigit():
            return datetime.fromtimestamp(float(value), UTC)
        moment = datetime.fromisoformat(value)
    except (ValueError, OverflowError, OSError):
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _int_header(headers, name: str) -> int | None:
    value = (headers.get(name) or "").strip() if headers else ""
    return int(value) if value.isdigit() else None


def rate_limit(headers) -> RateLimit:
    return RateLimit(
        limit=_int_header(headers, "X-RateLimit-Limit"),
        remaining=_int_header(headers, "X-RateLimit-Remaining"),
        reset_at=parse_time(headers.get("X-RateLimit-Reset") if headers else None),
    )


def retry_after_seconds(headers) -> float:
    """From Retry-After (seconds or a date), else X-RateLimit-Reset, else a minute."""
    retry_after = (headers.get("Retry-After") or "").strip() if headers else ""
    if retry_after.isdigit():
        return float(retry_after)
    moment = parse_time(retry_after) if retry_after else None
    if moment is not None:
        return max(0.0, (moment - datetime.now(UTC)).total_seconds())
    wait = rate_limit(headers).seconds_until_reset()
    return DEFAULT_RATE_LIMIT_WAIT if wait is None else wait


def links(headers) -> dict[str, str]:
    """The Link header as {rel: url}: `<https://…?max_id=7>; rel="next", <…>; rel="prev"`."""
    found = {}
    for part in (headers.get("Link") or "").split(",") if headers else ():
        url, _, params = part.partition(";")
        url = url.strip()
        if not (url.startswith("<") and url.endswith(">")):
            continue
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "rel":
                found[value.strip().strip('"')] = url[1:-1]
    return found


def link_param(url: str | None, name: str) -> str | None:
    """A query parameter of a Link URL (e.g. the next page's max_id)."""
    if not url:
        return None
    values = parse_qs(urlsplit(url).query).get(name)
    return values[0] if values else None
