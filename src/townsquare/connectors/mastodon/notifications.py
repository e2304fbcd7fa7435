"""Fetching new mentions: GET /api/v1/notifications?types[]=mention, newest first, paged by max_id.

The cursor is `{"since_id": N}`: everything newer than N is fetched, page after page (following the
Link header's `next` max_id) until the page reaches N. A poll fetches at most MAX_PAGES pages; when
more are waiting, the cursor remembers the gap (`{"since_id": N, "gap": {"max_id": M, "newest": X}}`)
and the next poll goes on below M, so a burst is caught up over a few polls with nothing skipped
and nothing fetched twice. The first poll of a channel takes the newest MAX_PAGES pages only: a
brand account's whole history is not imported into the inbox.
"""

import logging
from dataclasses import dataclass, field

from townsquare.connectors.mastodon.client import MastodonClient, link_param
from townsquare.connectors.mastodon.mapping import notification_to_message
from townsquare.inbox.ingest.normalized import InboundMessage, RejectError

logger = logging.getLogger(__name__)

PAGE_SIZE = 40  # Mastodon's maximum for notifications is 80, its default 40
MAX_PAGES = 5
# Stop paging when this few requests are left in the rate-limit window, and wait for its reset.
LOW_REMAINING = 5


def id_key(value) -> tuple[int, str]:
    """Mastodon ids are decimal strings that grow; compare numerically, without int overflow concerns."""
    text = str(value or "")
    return (len(text), text) if text.isdigit() else (0, text)


def newer(a: str | None, b: str | None) -> str | None:
    if a is None:
        return b
    if b is None:
        return a
    return a if id_key(a) >= id_key(b) else b


@dataclass
class Fetched:
    messages: list[InboundMessage] = field(default_factory=list)
    # (reason, notification) for notifications that cannot become a message; kept for inspection.
    rejected: list[tuple[str, dict]] = field(default_factory=list)
    cursor: dict = field(default_factory=dict)
    wait_seconds: float | None = None
    requests: int = 0


def fetch_mentions(
    client: MastodonClient, cursor: dict, *, instance_host: str, include_direct: bool
) -> Fetched:
    since = _id_or_none(cursor.get("since_id"))
    gap = cursor.get("gap") if isinstance(cursor.get("gap"), dict) else {}
    max_id, newest = _id_or_none(gap.get("max_id")), _id_or_none(gap.get("newest"))
    fetched = Fetched()
    caught_up = False
    for _ in range(MAX_PAGES):
        # include_filtered (Mastodon 4.3+): mentions the account's notification policy filters
        # (strangers, unsolicited private mentions) are customers too. Older servers ignore it.
        params = [("types[]", "mention"), ("limit", str(PAGE_SIZE)), ("include_filtered", "true")]
        params += [("since_id", since)] if since else []
        params += [("max_id", max_id)] if max_id else []
        response = client.get("/api/v1/notifications", params)
        fetched.requests += 1
        page = response.data if isinstance(response.data, list) else []
        fresh = [n for n in page if isinstance(n, dict) and _is_newer(n.get("id"), since)]
        for notification in fresh:
            newest = newer(newest, str(notification.get("id")))
            _take(notification, fetched, instance_host, include_direct)
        next_max = link_param(response.links.get("next"), "max_id") or _oldest_id(page)
        if len(fresh) < PAGE_SIZE or not next_max or (max_id and id_key(next_max) >= id_key(max_id)):
            caught_up = True
            break
        max_id = next_max
        if _running_low(response):
            break
    else:
        # The first poll does not go back through history: it starts from the newest mentions.
        caught_up = since is None
    if _running_low(response):
        fetched.wait_seconds = response.rate.seconds_until_reset()
    fetched.cursor = _next_cursor(since, newest, max_id, caught_up)
    return fetched


def _next_cursor(since, newest, max_id, caught_up: bool) -> dict:
    if caught_up:
        latest = newer(since, newest)
        return {"since_id": latest} if latest else {}
    cursor = {"gap": {"max_id": max_id, "newest": newest}}
    if since:
        cursor["since_id"] = since
    return cursor


def _take(notification: dict, fetched: Fetched, instance_host: str, include_direct: bool) -> None:
    if notification.get("type", "mention") != "mention":
        return
    status = notification.get("status")
    if not include_direct and isinstance(status, dict) and status.get("visibility") == "direct":
        return
    try:
        fetched.messages.append(notification_to_message(notification, instance_host))
    except RejectError as exc:
        logger.warning("Mastodon notification %s rejected: %s", notification.get("id"), exc)
        fetched.rejected.append((str(exc), notification))


def _running_low(response) -> bool:
    return response.rate.remaining is not None and response.rate.remaining <= LOW_REMAINING


def _id_or_none(value) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    return text or None


def _is_newer(value, since: str | None) -> bool:
    if value is None or isinstance(value, bool | dict | list):
        return False
    return since is None or id_key(value) > id_key(since)


def _oldest_id(page: list) -> str | None:
    ids = [str(n["id"]) for n in page if isinstance(n, dict) and n.get("id") is not None]
    return min(ids, key=id_key) if ids else None
