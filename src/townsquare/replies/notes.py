"""Internal notes with @mentions: staff talking to each other about a conversation, never sent."""

import re
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Q

from townsquare.events.log import record
from townsquare.people.models import STAFF_CONSOLE_ROLES, Role, User
from townsquare.replies.models import Note
from townsquare.replies.permissions import require_can_work_on
from townsquare.replies.text import checked_text

MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.+-]{1,150})")
# People a note can mention: whoever works in the console.
MENTIONABLE_ROLES = {*STAFF_CONSOLE_ROLES, Role.AMBASSADOR}
MAX_MENTIONS = 50


def mentioned_users(text: str) -> list[User]:
    """Staff users named as @username in the text; unknown handles stay plain text."""
    handles = {match.group(1).rstrip(".").lower() for match in MENTION.finditer(text)}
    if not handles:
        return []
    named = reduce(or_, (Q(username__iexact=handle) for handle in sorted(handles)[:MAX_MENTIONS]))
    return list(User.objects.filter(named, is_active=True, role__in=MENTIONABLE_ROLES).order_by("username"))


def add_note(author, conversation, text: str) -> Note:
    """Add a note and log `note.added` with the mentioned users' ids."""
    require_can_work_on(author, conversation)
    text = checked_text(text, what="note")
    mentions = mentioned_users(text)
    with transaction.atomic():
        note = Note.objects.create(conversation=conversation, author=author, text=text)
        note.mentions.set(mentions)
        record(
            "note.added",
            actor=author,
            channel_id=conversation.channel_id,
            conversation_id=conversation.pk,
            data={"note_id": note.pk, "mentions": [user.pk for user in mentions]},
        )
    return note
