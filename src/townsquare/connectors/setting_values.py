"""Reading a connector setting's value from what people type or send, by the setting's kind.

The console form and the CLI send strings ("587", "on", "a, b"), the API sends JSON values
(587, true, ["a", "b"]); both end up as the same stored value. A value the kind cannot hold
raises `BadValue` with a message meant for the person who typed it.
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from townsquare.connectors.base import Setting

MAX_TEXT = 2000
MAX_SECRET = 8000
MAX_LIST_ITEMS = 200
MAX_INT = 2**31 - 1
TRUE_WORDS = {"true", "yes", "on", "1"}
FALSE_WORDS = {"false", "no", "off", "0"}
_url = URLValidator(schemes=["http", "https"])


class BadValue(ValueError):
    """The value cannot be stored for this setting; the message says why."""


def clean_value(setting: Setting, value):
    """The value to store for `setting`; None means "remove it" (back to its default)."""
    if value is None or value == "" or value == []:
        return None
    if setting.secret:
        return _secret(value)
    reader = _READERS.get(setting.kind, _text)
    return reader(value)


def _no_control_characters(text: str) -> str:
    # A newline in a header-like value (an address, a host) could inject lines downstream.
    if any(ord(char) < 32 or ord(char) == 127 for char in text):
        raise BadValue("must be one line without control characters")
    return _encodable(text)


def _encodable(text: str) -> str:
    # A lone surrogate is valid in JSON but not in UTF-8: PostgreSQL would refuse to store it.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadValue("must be valid Unicode text") from None
    return text


def _text(value) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BadValue("must be text")
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        raise BadValue(f"must be at most {MAX_TEXT} characters")
    return _no_control_characters(text)


def _secret(value) -> str:
    if not isinstance(value, str):
        raise BadValue("must be text")
    if len(value) > MAX_SECRET:
        raise BadValue(f"must be at most {MAX_SECRET} characters")
    if "\x00" in value:
        raise BadValue("must not contain NUL characters")
    return _encodable(value)


def _int(value) -> int:
    if isinstance(value, bool):
        raise BadValue("must be a whole number")
    if isinstance(value, str):
        if len(value) > 20:
            raise BadValue("must be a whole number")
        try:
            value = int(value.strip())
        except ValueError:  # "twenty", "2²", "--5"
            raise BadValue("must be a whole number") from None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int):
        raise BadValue("must be a whole number")
    if abs(value) > MAX_INT:
        raise BadValue(f"must be between {-MAX_INT} and {MAX_INT}")
    return value


def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    word = value.strip().lower() if isinstance(value, str) else None
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise BadValue("must be true or false")


def _list(value) -> list[str]:
    if isinstance(value, str):
        # Typed in a form or on the command line: one item per line, or separated by commas.
        value = [part for line in value.splitlines() for part in line.split(",")]
    if not isinstance(value, list):
        raise BadValue("must be a list of text")
    items = []
    for item in value:
        if not isinstance(item, str):
            raise BadValue("must be a list of text")
        item = _text(item)
        if item and item not in items:
            items.append(item)
    if len(items) > MAX_LIST_ITEMS:
        raise BadValue(f"must have at most {MAX_LIST_ITEMS} items")
    return items


def _email(value) -> str:
    address = _text(value)
    try:
        validate_email(address)
    except ValidationError:
        raise BadValue("must be an email address like support@example.com") from None
    return address


def _url_value(value) -> str:
    url = _text(value)
    try:
        _url(url)
    except ValidationError:
        raise BadValue("must be an http:// or https:// URL") from None
    return url


_READERS = {
    "text": _text,
    "password": _text,
    "int": _int,
    "bool": _bool,
    "list": _list,
    "email": _email,
    "url": _url_value,
}
