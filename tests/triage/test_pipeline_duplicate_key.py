"""duplicate_key belongs to the semantic path: the fast path leaves it empty, `triage` fills it from
the fingerprint, and it is computed on the full text even past the model's length limit."""

from townsquare.triage.pipeline import _rounded_rows, triage, triage_fast, triage_semantic
from townsquare.triage.text import MODEL_TEXT_LIMIT, duplicate_key

TEXTS = ["My order never arrived, order 12345", "great deal!!! http://x.co/1", "😀", None]


def test_fast_path_leaves_the_duplicate_key_empty():
    assert [labels.duplicate_key for labels in triage_fast(TEXTS)] == ["", "", "", ""]


def test_triage_fills_the_duplicate_key_from_the_fingerprint():
    merged = triage(TEXTS)
    assert [labels.duplicate_key for labels in merged] == [duplicate_key(text) for text in TEXTS]
    assert len(merged[0].duplicate_key) == 32 and merged[2].duplicate_key == ""


def test_long_texts_differing_past_the_model_limit_keep_different_keys():
    head = "word " * (MODEL_TEXT_LIMIT // 5)
    first, second = head + "the refund arrived", head + "the refund never arrived"
    keys = [result.fingerprint.exact_key for result in triage_semantic([first, second, head])]
    assert keys == [duplicate_key(first), duplicate_key(second), duplicate_key(head)]
    assert keys[0] != keys[1]


def test_scores_rounded_per_batch_equal_round_per_score():
    values = [0.12345, 0.99995, 0.0, 1.0, 0.5, 1 / 3, 2 / 3, 0.00005, 0.123449999, 0.87654321]
    rows = _rounded_rows(values, values[::-1])
    assert rows == [[round(a, 4), round(b, 4)] for a, b in zip(values, values[::-1], strict=True)]
    assert _rounded_rows([], []) == []
