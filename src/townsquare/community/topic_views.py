"""Who read a topic, for insights' contacts deflected: `community.topic_viewed`, once per visitor.

The viewer is a member ("m:<id>") or, for an anonymous reader, a hash of the random visitor token
kept in their signed view cookie ("a:<hash>"): the raw token never reaches the log. The event says
whether the topic had an accepted answer at that moment, and which care customer the member is
(when linked), so insights can see whether the reader still wrote to the brand afterwards.
"""

import hashlib
import secrets

from townsquare.community.events import record_community
from townsquare.community.models import Member

VIEWED = "community.topic_viewed"
VISITOR_MARK = "v"


def visitor_token(raw_cookie: str) -> str:
    """The anonymous visitor's token from their view cookie's parts, or a new one."""
    for part in raw_cookie.split("."):
        if part.startswith(VISITOR_MARK) and len(part) > 8 and part[1:].isalnum():
            return part
    return VISITOR_MARK + secrets.token_hex(16)


def anonymous_key(token: str) -> str:
    return "a:" + hashlib.sha256(token.encode()).hexdigest()[:32]


def record_view(request, topic, token: str | None) -> None:
    """Write the event (call in the transaction that counts the view)."""
    member_id = customer_id = None
    if request.user.is_authenticated:
        found = Member.objects.filter(user_id=request.user.pk).values_list("pk", "customer_id").first()
        member_id, customer_id = found or (None, None)
        viewer = f"m:{member_id}" if member_id is not None else f"u:{request.user.pk}"
    else:
        viewer = anonymous_key(token or visitor_token(""))
    record_community(
        VIEWED,
        actor=request.user if request.user.is_authenticated else None,
        data={
            "topic": topic.pk,
            "viewer": viewer,
            "member_id": member_id,
            "customer_id": customer_id,
            "solved": topic.accepted_post_id is not None,
        },
    )
