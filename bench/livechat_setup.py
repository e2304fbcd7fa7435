"""Prepare a migrated database for the live chat bench (a child process with Django set up).

    python -m bench.livechat_setup SESSIONS ORIGIN [ORIGIN ...]  (the pages allowed to embed the chat)

Creates one agent (signed in: the console socket's session cookie is printed), one live chat
channel that allows the given origins, and SESSIONS chat sessions with their signed tokens, minted
in bulk here so that setting up 3,000 visitors costs no HTTP round trips and meets no per-IP limit
on session creation (that endpoint is not what this bench measures). Prints one JSON line.
"""

import json
import os
import sys
import time


def setup(sessions: int, origins: list[str]) -> dict:
    from django.conf import settings
    from django.test import Client

    from townsquare.inbox.models import Channel, ChannelKind
    from townsquare.livechat.models import ChatSession
    from townsquare.livechat.tokens import session_token
    from townsquare.people.models import Role, User

    started = time.perf_counter()
    agent, _ = User.objects.get_or_create(
        username="bench-agent",
        defaults={"role": Role.AGENT, "first_name": "Bench", "languages": ["en"]},
    )
    channel, _ = Channel.objects.get_or_create(
        name="Bench live chat",
        defaults={"kind": ChannelKind.LIVECHAT, "settings": {"allowed_origins": origins}},
    )
    rows = ChatSession.objects.bulk_create(
        [ChatSession(channel=channel, name=f"Visitor {i}") for i in range(sessions)], batch_size=1000
    )
    client = Client()
    client.force_login(agent)
    return {
        "channel": channel.pk,
        "agent": agent.pk,
        "cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
        "tokens": [session_token(row.id, channel.pk) for row in rows],
        "seconds": round(time.perf_counter() - started, 2),
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townsquare.settings")
    import django

    django.setup()
    print(json.dumps(setup(int(sys.argv[1]), sys.argv[2:])))


if __name__ == "__main__":
    main()
