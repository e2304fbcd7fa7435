"""Turning an email's bytes and headers into text, whatever charset they claim.

Mail in the wild names charsets that do not exist ("utf8mb4", "x-unknown", "unknown-8bit"),
declares us-ascii over UTF-8 bytes, or mixes RFC 2047 words of several charsets. Decoding here
never fails: the declared charset when it decodes cleanly, else UTF-8, else Windows-1252 (a
superset of Latin-1 that browsers use for mislabelled mail), else Latin-1, which decodes any byte.
"""

import codecs
from email.header import decode_header

# Names seen in real mail that Python does not know, mapped to what the sender meant.
ALIASES = {
    "utf8mb4": "utf-8",
    "unicode-1-1-utf-7": "utf-7",
    "x-unknown": "utf-8",
    "unknown-8bit": "utf-8",
    "unknown": "utf-8",
    "x-user-defined": "windows-1252",
    "ks_c_5601-1987": "cp949",
    "x-sjis": "shift_jis",
    "iso-8859-8-i": "iso-8859-8",
    "gb2312": "gb18030",  # a superset: mail labelled gb2312 often holds GBK characters
    "gbk": "gb18030",
}


def charset_name(declared: str | None) -> str | None:
    """A codec name Python knows for `declared`, or None."""
    if not declared:
        return None
    name = str(declared).strip().strip("\"'").strip().lower().rstrip(";")
    name = ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except (LookupError, ValueError):
        return None


def decode_bytes(data: bytes, declared: str | None) -> str:
    """Text from `data`, trying the declared charset first; never raises."""
    tried = []
    for name in (charset_name(declared), "utf-8", "windows-1252"):
        if name is None or name in tried:
            continue
        tried.append(name)
        try:
            return data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1")


def decode_header_value(value: str) -> str:
    """An RFC 2047 header as text, each encoded word in its own charset (for headers the
    modern parser could not read)."""
    try:
        chunks = decode_header(value)
    except Exception:  # noqa: BLE001  (any malformed header: keep it as it arrived)
        return clean_text(value)
    parts = []
    for chunk, charset in chunks:
        parts.append(decode_bytes(chunk, charset) if isinstance(chunk, bytes) else chunk)
    return clean_text("".join(parts))


def clean_text(value: str) -> str:
    """Without NULs and lone surrogates, which the database refuses."""
    if value.isascii():
        return value.replace("\x00", "")
    return value.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")
