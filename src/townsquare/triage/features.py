"""One sparse feature matrix per batch, shared by every fast-path head.

Hashed word unigrams and bigrams (no vocabulary to ship, ~50k texts/s) over a normalised text,
plus a handful of cheap dense cues. Scripts written without spaces (Chinese, Japanese) are split
into single characters first so that word bigrams become character bigrams there.
A head trained on one `FEATURE_SPEC` must only ever see matrices built with the same spec.
"""

import math
import re

import mmh3
import numpy as np
import scipy.sparse as sp

from townsquare.triage.cue_regex import CueSet

FEATURE_SPEC = "words-1-2-h18-dense8-v1"
HASHED_FEATURES = 2**18

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# "@" not preceded by a word character; starting at the literal "@" lets the engine jump between them.
_MENTION = re.compile(r"@(?<!\w@)\w+")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_DIGIT = re.compile(r"\d")
_SPACELESS_SCRIPT = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\U0001f000-\U0001f2ff]")
# An all-capitals word (\b[A-Z]{2,}\b), written to start with a character class so that the engine
# jumps from capital to capital: the word boundary before it is checked once its first capital is in.
_CAPS_WORD = re.compile(r"[A-Z](?<!\w[A-Z])[A-Z]+\b")
_TWO_CAPITALS = re.compile(r"[A-Z][A-Z]")  # a scan for a character class, several times cheaper
_LEADING_MENTION = re.compile(r"\s*(?:\.\s*)?@\w+")
# "You" in the languages our data covers: a message in the second person is addressed to someone.
_SECOND_PERSON = CueSet(
    {
        "second_person": r"\b(?:you|your|yours|u|ur|y'all|tu|tú|te|ti|usted|ustedes|vous|votre|vos|toi|du|"
        r"dein|deine|euch|euer|eure|você|vocês|voce|seu|sua|voi|vostro|vostra|anda|kamu|kalian)\b"
    }
)
_WORDS_AND_MARKS = re.compile(r"(?u)\w+|[!?]")

# The matrix is the one sklearn's HashingVectorizer(analyzer="word", ngram_range=(1, 2),
# token_pattern=_WORDS_AND_MARKS, alternate_sign=False, norm="l2", dtype=float32) builds; the shipped
# heads were trained on it. Its analyzer, and even the FeatureHasher inside it, cost more than making
# the same tokens and bigrams here and hashing them the way that hasher does (`_columns`).

DENSE_FEATURES = (
    "has_url",
    "exclamations",
    "questions",
    "caps_ratio",
    "emoji",
    "starts_with_mention",
    "second_person",
    "length",
)
FEATURE_COUNT = HASHED_FEATURES + len(DENSE_FEATURES)


def normalise(text: str, lowered: str | None = None) -> str:
    """Lowercased text with URLs, @mentions and numbers replaced by one token each.

    `lowered` (text.lower(), when the caller has it) gates the URL search: a URL needs "http" or
    "www" in it, and no other character case-folds to those letters. It is also the result's
    starting point when there was no URL or mention to replace.
    """
    lowered = text.lower() if lowered is None else lowered
    original = text
    if "http" in lowered or "www" in lowered:
        text = _URL.sub(" _url_ ", text)
    if "@" in text:
        text = _MENTION.sub(" _mention_ ", text)
    text = lowered if text is original else text.lower()
    # Finding no digit is cheaper than a substitution that finds no number.
    if _DIGIT.search(text):
        text = _NUMBER.sub(" _num_ ", text)
    if not text.isascii() and _SPACELESS_SCRIPT.search(text):
        text = _SPACELESS_SCRIPT.sub(r" \1 ", text)
    return text


def dense_features(text: str, lowered: str | None = None) -> list[float]:
    """Cheap cues a bag of words misses: shouting, emoji, who is addressed, length."""
    words = text.count(" ") + 1
    lowered = text.lower() if lowered is None else lowered
    # Gates skip regex scans that cannot match: no capital without a character lower() changes, no
    # capitalised word without two capitals in a row, no emoji in ASCII text.
    caps_words = len(_CAPS_WORD.findall(text)) if lowered != text and _TWO_CAPITALS.search(text) else 0
    emoji = 0 if text.isascii() else len(_EMOJI.findall(text))
    return [
        1.0 if ("http" in lowered or "www." in lowered) else 0.0,
        min(text.count("!"), 5) / 5,
        min(text.count("?"), 3) / 3,
        min(caps_words / words, 1.0),
        min(emoji, 5) / 5,
        1.0 if _LEADING_MENTION.match(text) else 0.0,
        1.0 if _SECOND_PERSON.anywhere(lowered) else 0.0,
        min(math.log1p(len(text)) / 8, 1.0),
    ]


def featurize(texts: list[str]) -> sp.csr_matrix:
    """The (n, FEATURE_COUNT) float32 CSR matrix every head reads."""
    lowered = [text.lower() for text in texts]
    hashed = hashed_ngrams([normalise(text, low) for text, low in zip(texts, lowered, strict=True)])
    dense = np.asarray(
        [dense_features(text, low) for text, low in zip(texts, lowered, strict=True)], dtype=np.float32
    ).reshape(len(texts), len(DENSE_FEATURES))
    return _with_dense_columns(hashed, dense)


def hashed_ngrams(normalised: list[str]) -> sp.csr_matrix:
    """L2-normalised counts of hashed word unigrams and bigrams, (n, HASHED_FEATURES) float32."""
    # Every text's unigrams then bigrams, in one list for the batch: one hashing pass over it.
    features: list[str | bytes] = []
    ends = []
    add = features.extend
    for text in normalised:
        tokens = _tokens(text)
        # "first second", built in C, as bytes for bytes tokens.
        add(tokens)
        add(map(b" ".join if text.isascii() else " ".join, zip(tokens, tokens[1:], strict=False)))
        ends.append(len(features))
    indptr = np.zeros(len(normalised) + 1, dtype=np.int32)
    indptr[1:] = ends
    counts = sp.csr_matrix(
        (np.ones(len(features), dtype=np.float32), _columns(features), indptr),
        shape=(len(normalised), HASHED_FEATURES),
    )
    counts.sum_duplicates()  # as FeatureHasher does: counts per column, indices sorted
    _normalize_rows_l2(counts)
    return counts


def _normalize_rows_l2(matrix: sp.csr_matrix) -> None:
    """sklearn's `normalize(matrix, norm="l2", copy=False)` in place, with the same arithmetic
    (float32 squares summed in float64, float32 data divided by the float64 norm), without its
    input checks: those cost ~100 us a call, more than the work for a batch of 50 texts."""
    lengths = np.diff(matrix.indptr)
    data = matrix.data
    rows = np.repeat(np.arange(len(lengths)), lengths)
    norms = np.sqrt(np.bincount(rows, weights=(data * data).astype(np.float64), minlength=len(lengths)))
    data[:] = data.astype(np.float64) / norms[rows]


def _with_dense_columns(hashed: sp.csr_matrix, dense: np.ndarray) -> sp.csr_matrix:
    """`sp.hstack([hashed, sp.csr_matrix(dense)], format="csr")`: each row's hashed entries, then
    its non-zero dense ones, built in one go (scipy's stacking costs ~130 us a call)."""
    rows, columns = np.nonzero(dense)
    hashed_per_row = np.diff(hashed.indptr)
    dense_per_row = np.bincount(rows, minlength=len(dense))
    indptr = np.zeros(len(dense) + 1, dtype=np.int32)
    np.cumsum(hashed_per_row + dense_per_row, out=indptr[1:])
    dense_before = indptr[:-1] - hashed.indptr[:-1]  # dense entries in the rows above each row
    hashed_rows = np.repeat(np.arange(len(dense)), hashed_per_row)
    hashed_at = np.arange(len(hashed.data)) + dense_before[hashed_rows]
    dense_at = indptr[rows] + hashed_per_row[rows] + (np.arange(len(rows)) - dense_before[rows])
    data = np.empty(indptr[-1], dtype=np.float32)
    indices = np.empty(indptr[-1], dtype=np.int32)
    data[hashed_at], indices[hashed_at] = hashed.data, hashed.indices
    data[dense_at], indices[dense_at] = dense[rows, columns], columns + HASHED_FEATURES
    return sp.csr_matrix((data, indices, indptr), shape=(len(dense), FEATURE_COUNT))


# Per ASCII byte: itself when it is a word character ([A-Za-z0-9_]), "!" or "?", else a space.
_ASCII_TOKEN_BYTES = bytes(c if chr(c).isalnum() or chr(c) in "_!?" else 32 for c in range(128)) + b" " * 128


def _tokens(text: str) -> list[str] | list[bytes]:
    """`_WORDS_AND_MARKS.findall(text)`. An ASCII text (half of all tweets) is split by bytes
    methods in C instead (3.5 -> 1.2 us a tweet); its tokens stay bytes, which hash as their str
    would (the hash reads UTF-8, and ASCII is its own UTF-8)."""
    if not text.isascii():
        return _WORDS_AND_MARKS.findall(text)
    spaced = text.encode("ascii").translate(_ASCII_TOKEN_BYTES)
    return spaced.replace(b"!", b" ! ").replace(b"?", b" ? ").split()


def _columns(features: list[str | bytes]) -> np.ndarray:
    """Each feature's column as sklearn's FeatureHasher (alternate_sign=False) picks it: the signed
    32-bit MurmurHash3 of its UTF-8 bytes with seed 0, made non-negative, modulo the width.

    mmh3 crashes on a str that has no UTF-8 form (a lone surrogate); features are word characters,
    "!", "?" and spaces, which a surrogate never is, so none reaches it."""
    hashes = np.fromiter(map(mmh3.hash, features), dtype=np.int64, count=len(features))
    columns = np.abs(hashes) % HASHED_FEATURES
    # abs(-2**31) does not fit 32 bits, so sklearn gives that one hash a column of its own choosing.
    columns[hashes == -(2**31)] = (2**31 - 1 - (HASHED_FEATURES - 1)) % HASHED_FEATURES
    return columns.astype(np.int32)
