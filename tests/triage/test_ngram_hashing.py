"""CharNgramHasher gives exactly sklearn's char_wb HashingVectorizer matrix, memo or not."""

import csv
import random
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer

from townsquare.triage.intents import _hasher
from townsquare.triage.ngram_hashing import CharNgramHasher

SHARED_TWEETS = (
    Path(__file__).resolve().parents[2].parent / "shared" / "data" / "xlmt-sentiment" / "train_val.csv"
)
AWKWARD = ["", " ", "a", "ab", "abc", "  x  y ", "😀", "\u3000全角テキスト", "tab\tnew\nline", "ﬁ", "x" * 600]


def _texts() -> list[str]:
    texts = list(AWKWARD)
    if SHARED_TWEETS.exists():
        with SHARED_TWEETS.open(encoding="utf-8", newline="") as handle:
            rows = [row["text"] for row in csv.DictReader(handle)]
        texts += random.Random(3).sample(rows, 2000)
    return texts


def _sklearn(features: int) -> HashingVectorizer:
    return HashingVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 4),
        n_features=features,
        alternate_sign=False,
        lowercase=False,
        norm="l2",
        dtype=np.float32,
    )


def _assert_same(actual, expected):
    assert actual.shape == expected.shape
    assert (actual != expected).nnz == 0
    np.testing.assert_array_equal(actual.indptr, expected.indptr)


def test_cold_and_warm_memo_give_sklearns_matrix():
    texts = _texts()
    hasher = CharNgramHasher(2**14, (2, 4))
    expected = _sklearn(2**14).transform(texts)
    _assert_same(hasher.transform(texts), expected)
    _assert_same(hasher.transform(texts), expected)  # every word now comes from the memo


def test_a_small_table_folds_columns_like_sklearn():
    texts = _texts()
    _assert_same(CharNgramHasher(7, (2, 4)).transform(texts), _sklearn(7).transform(texts))


def test_the_sentiment_heads_character_hasher_is_the_memoised_one():
    assert isinstance(_hasher("char_wb", 2**14), CharNgramHasher)


def test_a_full_memo_starts_over_and_still_gives_sklearns_matrix(monkeypatch):
    from townsquare.triage import ngram_hashing

    monkeypatch.setattr(ngram_hashing, "MEMO_WORDS", 50)
    texts = _texts()
    hasher = CharNgramHasher(2**14, (2, 4))
    for start in range(0, len(texts), 100):
        chunk = texts[start : start + 100]
        _assert_same(hasher.transform(chunk), _sklearn(2**14).transform(chunk))
    assert len(hasher._columns) <= 50 + 100 * 40  # bounded: one call's words past the limit at most
