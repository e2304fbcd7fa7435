"""Text hygiene shared by every triage step: safe cleaning and the exact-duplicate key.

`clean` turns whatever arrived into a well-formed str. The models see at most
`MODEL_TEXT_LIMIT` characters (their cost grows with length and the first few thousand
characters say what a message is); PII search and the duplicate key use the full text, because
a card number on page two is still a card number and two long texts differing at the end are
not duplicates.
"""

import hashlib
import re
import unicodedata

MODEL_TEXT_LIMIT = 5000

# C0 controls except \t and \n, plus DEL: they carry no meaning and break storage (PostgreSQL rejects NUL).
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_URL = re.compile(r"(?:https?://|www\.)\S+")
# "@" and the word after it: mentions (and an email's domain, which is fine for a duplicate key).
# No look-behind for a word boundary: it would make the regex engine try every position (4x slower).
_MENTION = re.compile(r"@\w+")
_DIGIT_RUN = re.compile(r"\d+")
# Runs of letters and digits: what is between them is punctuation, symbols, emoji or space.
_WORD = re.compile(r"[^\W_]+")


def clean(text: object, limit: int | None = MODEL_TEXT_LIMIT) -> str:
    """A well-formed str from any input; never raises.

    Non-str input gives "". Lone surrogates become U+FFFD; C0 control characters other than
    newline and tab are removed (\\r too: line breaks are kept as \\n). The result is cut at `limit`
    characters; pass `limit=None` for the full text (PII search and duplicate keys use that).
    """
    if not isinstance(text, str):
        return ""
    if text.isprintable():
        # The common case, checked in C: no control character and no lone surrogate (both are
        # unprintable), so there is nothing to clean.
        return text if limit is None else text[:limit]
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = _SURROGATE.sub("\ufffd", text)
    if limit is not None and len(text) > limit:
        # Cut before removing controls: cleaning a 1 MB text we then throw away would be wasted work.
        text = text[: limit * 2]
    text = text.replace("\r\n", "\n")
    text = _CONTROL_CHARACTERS.sub("", text)
    return text if limit is None else text[:limit]


def normalize_for_duplicates(text: object) -> str:
    """The text reduced to what makes two messages the same message.

    NFKC and casefold; URLs and @mentions dropped (copies differ in tracking links and who they
    address); every run of digits becomes "0"; punctuation, symbols and emoji dropped; whitespace
    collapsed. Works on the full text (no length cap).
    """
    text = clean(text, limit=None)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = text.casefold()
    if "http" in text or "www." in text:
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _MENTION.sub(" ", text)
    words = " ".join(_letter_and_digit_runs(text))
    # Letters are never digits: a text of letters and spaces has no digit run to replace.
    return words if words.replace(" ", "").isalpha() else _DIGIT_RUN.sub("0", words)


def _letter_and_digit_runs(text: str) -> list[str]:
    """`_WORD.findall(text)`, cheaper: most space-separated pieces are a single run already
    (str.isalnum is exactly the regex's "word character but not underscore")."""
    runs: list[str] = []
    for piece in text.split():
        if piece.isalnum():
            runs.append(piece)
        else:
            runs.extend(_WORD.findall(piece))
    return runs


def duplicate_key(text: object) -> str:
    """Exact-duplicate key: 32 hex characters (blake2b, 16 bytes) of the normalised full text, or ""
    when nothing is left after normalisation."""
    normalized = normalize_for_duplicates(text)
    if not normalized:
        return ""
    return hashlib.blake2b(normalized.encode("utf-8"), digest_size=16).hexdigest()
