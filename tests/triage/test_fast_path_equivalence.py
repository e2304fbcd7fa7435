"""The fast path's outputs are pinned: speed work must not change a single feature bit or label.

Fixtures were generated before the fast-path optimisation (tests/fixtures/triage/fast_path/README.md).
"""

import json
import re
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from townsquare.triage.features import featurize
from townsquare.triage.pipeline import triage_fast

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "triage" / "fast_path"
BRAND_HANDLES = ("@brand", "Telekom_hilft")


@pytest.fixture(scope="module")
def texts() -> list[object]:
    with (FIXTURES / "texts.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


@pytest.fixture(scope="module")
def expected_labels() -> list[dict]:
    with (FIXTURES / "labels.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_feature_matrix_is_bit_identical(texts):
    expected = sp.load_npz(FIXTURES / "features.npz")
    actual = featurize([text if isinstance(text, str) else "" for text in texts])
    assert actual.shape == expected.shape
    assert actual.dtype == expected.dtype
    assert np.array_equal(actual.indptr, expected.indptr)
    assert np.array_equal(actual.indices, expected.indices)
    assert np.array_equal(actual.data, expected.data)


def _without_duplicate_key(labels: dict) -> dict:
    # The fixtures predate moving duplicate_key to the semantic path (test_duplicate_keys_are_unchanged
    # pins the keys); the fast path now leaves it empty.
    return {name: value for name, value in labels.items() if name != "duplicate_key"}


@pytest.mark.parametrize(("key", "handles"), [("no_brand", ()), ("brand", BRAND_HANDLES)])
def test_fast_labels_are_unchanged(texts, expected_labels, key, handles):
    labels = triage_fast(texts, brand_handles=handles)
    assert len(labels) == len(expected_labels)
    for position, (actual, expected) in enumerate(zip(labels, expected_labels, strict=True)):
        assert json.loads(json.dumps(actual.as_dict())) == {
            **_without_duplicate_key(expected[key]),
            "duplicate_key": "",
        }, f"text {position}: {texts[position]!r:.80}"


def test_batch_split_does_not_change_labels(texts, expected_labels):
    # Per-batch work (one matrix, shared gates) must not leak between texts.
    labels = [label for start in range(0, len(texts), 37) for label in triage_fast(texts[start : start + 37])]
    assert [_without_duplicate_key(label.as_dict()) for label in labels] == [
        _without_duplicate_key(json.loads(json.dumps(row["no_brand"]))) for row in expected_labels
    ]


def test_language_detection_can_skip_cleaning_already_clean_texts(texts):
    from townsquare.triage.language import detect_languages
    from townsquare.triage.text import clean

    cleaned = [clean(text) for text in texts]
    assert detect_languages(cleaned, cleaned=True) == detect_languages(texts)


def test_printable_text_comes_back_from_clean_unchanged_and_cut():
    from townsquare.triage.text import clean

    printable = "héllo wörld 😀 " * 10
    assert clean(printable, limit=None) is printable
    assert clean(printable, limit=7) == printable[:7]
    assert clean("a\x00b\ud800c\r\nd", limit=None) == "ab\ufffdc\nd"


@pytest.mark.parametrize(
    "text",
    [
        "a_b c__d _x_ ½ ² ३४ ٣ 𝟙𝟚 Ⅻ ① x²",
        "foo_bar-baz!! 12,5",
        "é e\u0301 ﬁ\u00a0nbsp\u2003em\u3000ideo",
        "",
        "__",
    ],
)
def test_duplicate_key_word_runs_match_the_regex_they_replace(text):
    from townsquare.triage.text import _WORD, _letter_and_digit_runs

    assert _letter_and_digit_runs(text) == _WORD.findall(text)


def test_duplicate_keys_are_unchanged(texts):
    from townsquare.triage.text import duplicate_key

    keys = [duplicate_key(text) for text in texts]
    with (FIXTURES / "labels.jsonl").open(encoding="utf-8") as handle:
        assert keys == [json.loads(line)["no_brand"]["duplicate_key"] for line in handle]


def test_cue_lists_grouped_by_first_letter_match_exactly_where_the_plain_list_does(texts):
    from townsquare.triage.cue_regex import cue_regex

    source = r"\b(?:not working|\berror\b|no (?:signal|service)|never (?:arrived|got)|[!?]{2}|u|ur|y'all)\b"
    grouped, plain = cue_regex(source), re.compile(source)
    assert grouped.pattern != plain.pattern
    samples = [text.lower() for text in texts if isinstance(text, str)]
    samples += ["no signal", "u ok", "urgent", "terror", "error!", "never got it", "y'all!!", "what?!"]
    assert [bool(grouped.search(text)) for text in samples] == [bool(plain.search(text)) for text in samples]
    assert any(plain.search(text) for text in samples)
