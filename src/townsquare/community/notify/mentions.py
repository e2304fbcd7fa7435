"""@username mentions in a post's text."""

import re

from django.contrib.auth import get_user_model

from townsquare.community import markdown

# Django usernames: letters, digits and @ . + - _. A mention starts after a space or punctuation,
# so an email address (ana@example.com) is not a mention of "example.com".
_MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]{1,150})")
MAX_MENTIONS = 10


def mentioned_names(text: str) -> list[str]:
    """The usernames mentioned in Markdown `text`, in order, once each (code spans and blocks are skipped)."""
    names: list[str] = []
    for match in _MENTION.finditer(markdown.plain_text(_without_code(text))):
        name = match.group(1).rstrip(".-+")
        if name and name not in names:
            names.append(name)
    return names[:MAX_MENTIONS]


def mentioned_users(text: str):
    names = mentioned_names(text)
    if not names:
        return []
    return list(get_user_model().objects.filter(username__in=names, is_active=True))


def _without_code(text: str) -> str:
    # `@decorator` in a code sample is not a person.
    text = re.sub(r"```.*?```", " ", text or "", flags=re.S)
    return re.sub(r"`[^`]*`", " ", text)
