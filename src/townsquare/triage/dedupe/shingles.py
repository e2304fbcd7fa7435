"""Text to MinHash shingles that survive spun copies.

A spun copy swaps synonyms, drops a word, changes links, handles, numbers, punctuation and emoji.
So before shingling we drop links (bare domains too), handles, digits, punctuation and emoji,
fold spinner synonyms to one word, then take word 2-shingles (word order) and char 5-shingles
(robust to spelling changes, and the only signal for scripts written without spaces).
Shingle hashes are stable across processes and machines (no salted `hash()`), because
fingerprints are stored and compared after a restart.
"""

import re
import zlib

import numpy as np

# Enough text to tell two messages apart; keeps a 1 MB message as cheap as a long one.
SHINGLE_TEXT_LIMIT = 10_000
CHAR_SHINGLE = 5
# Bare domains like "murdev.com/x" carry the spammer's link, which a spun copy changes.
_BARE_DOMAIN = re.compile(
    r"\S*\.(?:com|net|org|info|biz|io|co|ly|me|tv|gl|us|uk|de|fr|es|ru|it|nl|be|xyz|site|online)\b\S*",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_WORD_SALT = np.uint64(0x9E3779B97F4A7C15)
_MULTIPLIER = np.uint64(0x100000001B3)


def shingle_tokens(text: str) -> list[str]:
    """The canonical word sequence MinHash sees: normalised, links/handles/digits gone, synonyms folded."""
    from townsquare.triage.dedupe.synonyms import canonical_tokens
    from townsquare.triage.text import normalize_for_duplicates

    text = _BARE_DOMAIN.sub(" ", text[: SHINGLE_TEXT_LIMIT * 2])
    text = _DIGITS.sub(" ", normalize_for_duplicates(text)[:SHINGLE_TEXT_LIMIT])
    return canonical_tokens(text.split())


def shingle_hashes(tokens: list[str]) -> np.ndarray:
    """uint32 hashes of the word 2-shingles and char 5-shingles of `tokens` (empty when no tokens)."""
    if not tokens:
        return np.empty(0, dtype=np.uint32)
    word_hashes = np.fromiter(
        (zlib.crc32(token.encode("utf-8")) for token in tokens), dtype=np.uint64, count=len(tokens)
    )
    if len(tokens) > 1:
        word_shingles = word_hashes[:-1] * _MULTIPLIER + word_hashes[1:]
    else:
        word_shingles = word_hashes
    codes = np.frombuffer(" ".join(tokens).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) >= CHAR_SHINGLE:
        count = len(codes) - CHAR_SHINGLE + 1
        char_shingles = codes[:count].copy()
        for offset in range(1, CHAR_SHINGLE):
            char_shingles = char_shingles * _MULTIPLIER + codes[offset : offset + count]
    else:
        # Shorter than one shingle: the whole (short) text is the shingle.
        char_shingles = codes[:1].copy()
        for offset in range(1, len(codes)):
            char_shingles = char_shingles * _MULTIPLIER + codes[offset : offset + 1]
    mixed = _mix(np.concatenate([word_shingles ^ _WORD_SALT, char_shingles]))
    return (mixed >> np.uint64(32)).astype(np.uint32)


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads nearby shingle codes over all 64 bits (uint64 wraps on purpose)."""
    values = values ^ (values >> np.uint64(30))
    values = values * np.uint64(0xBF58476D1CE4E5B9)
    values = values ^ (values >> np.uint64(27))
    values = values * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))
