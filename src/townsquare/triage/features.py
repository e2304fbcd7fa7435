"""One sparse feature matrix per batch, shared by every fast-path head.

Hashed word unigrams and bigrams (no vocabulary to ship, ~50k texts/s) over a normalised text,
plus a handful of cheap dense cues. Scripts written without spaces (Chinese, Japanese) are split
into single characters first so that word bigrams become character bigrams there.
A head trained on one `FEATURE_SPEC` must only ever see matrices built with the same spec.
"""

import math
import re

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

FEATURE_SPEC = "words-1-2-h18-dense8-v1"
HASHED_FEATURES = 2**18

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<!\w)@\w+")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_SPACELESS_SCRIPT = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\U0001f000-\U0001f2ff]")
_CAPS_WORD = re.compile(r"\b[A-Z]{2,}\b")
_LEADING_MENTION = re.compile(r"\s*(?:\.\s*)?@\w+")
# "You" in the languages our data covers: a message in the second person is addressed to someone.
_SECOND_PERSON = re.compile(
    r"\b(?:you|your|yours|u|ur|y'all|tu|tú|te|ti|usted|ustedes|vous|votre|vos|toi|du|dein|deine|euch|"
    r"euer|eure|você|vocês|voce|seu|sua|voi|vostro|vostra|anda|kamu|kalian)\b"
)
_WORDS_AND_MARKS = r"(?u)\w+|[!?]"

_vectorizer = HashingVectorizer(
    analyzer="word",
    ngram_range=(1, 2),
    n_features=HASHED_FEATURES,
    alternate_sign=False,
    lowercase=False,  # normalise() has already lowercased
    token_pattern=_WORDS_AND_MARKS,
    norm="l2",
    dtype=np.float32,
)

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


def normalise(text: str) -> str:
    """Lowercased text with URLs, @mentions and numbers replaced by one token each."""
    text = _URL.sub(" _url_ ", text)
    text = _MENTION.sub(" _mention_ ", text)
    text = _NUMBER.sub(" _num_ ", text.lower())
    if _SPACELESS_SCRIPT.search(text):
        text = _SPACELESS_SCRIPT.sub(r" \1 ", text)
    return text


def dense_features(text: str) -> list[float]:
    """Cheap cues a bag of words misses: shouting, emoji, who is addressed, length."""
    words = text.count(" ") + 1
    lowered = text.lower()
    return [
        1.0 if ("http" in lowered or "www." in lowered) else 0.0,
        min(text.count("!"), 5) / 5,
        min(text.count("?"), 3) / 3,
        min(len(_CAPS_WORD.findall(text)) / words, 1.0),
        min(len(_EMOJI.findall(text)), 5) / 5,
        1.0 if _LEADING_MENTION.match(text) else 0.0,
        1.0 if _SECOND_PERSON.search(lowered) else 0.0,
        min(math.log1p(len(text)) / 8, 1.0),
    ]


def featurize(texts: list[str]) -> sp.csr_matrix:
    """The (n, FEATURE_COUNT) float32 CSR matrix every head reads."""
    hashed = _vectorizer.transform([normalise(text) for text in texts])
    dense = np.asarray([dense_features(text) for text in texts], dtype=np.float32).reshape(
        len(texts), len(DENSE_FEATURES)
    )
    return sp.hstack([hashed, sp.csr_matrix(dense)], format="csr", dtype=np.float32)
