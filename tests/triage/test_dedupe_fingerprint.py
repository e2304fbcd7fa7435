"""Fingerprints: defined for any text, stable across processes, and round-tripping through bytes."""

import numpy as np
import pytest

from townsquare.triage.dedupe import Fingerprint, fingerprint, fingerprints
from townsquare.triage.dedupe.minhash import EMPTY, PERMUTATIONS, estimated_jaccard
from townsquare.triage.dedupe.shingles import shingle_tokens

ODD_TEXTS = {
    "empty": "",
    "emoji only": "🔥🔥😂👍",
    "one megabyte": "spam and eggs " * 75_000,
    "lone surrogates": "broken \ud800 text \udfff here",
    "right to left": "مرحبا، طلبي لم يصل بعد ولم يرد أحد على رسائلي",
    "urls only": "http://a.example/x www.b.example/y",
}


@pytest.mark.parametrize("text", ODD_TEXTS.values(), ids=ODD_TEXTS.keys())
def test_any_text_has_a_defined_fingerprint(text):
    fp = fingerprint(text)
    assert fp.minhash.dtype == np.uint32
    assert fp.minhash.shape == (PERMUTATIONS,)
    assert isinstance(fp.exact_key, str)
    assert Fingerprint.from_bytes(fp.to_bytes()) == fp


def test_text_without_words_has_the_empty_signature_and_no_exact_key():
    for text in ("", "🔥🔥😂👍", "!!! ???"):
        fp = fingerprint(text)
        assert (fp.minhash == EMPTY).all()
        assert fp.exact_key == ""
    assert estimated_jaccard(fingerprint("").minhash, fingerprint("🔥").minhash[None, :])[0] == 0.0


def test_right_to_left_text_has_words_to_compare():
    assert shingle_tokens(ODD_TEXTS["right to left"])[:2] == ["مرحبا", "طلبي"]


def test_signatures_are_stable_across_processes():
    # Fingerprints are stored and compared after a restart: no salted hash() may leak in.
    assert fingerprint("Hello world, check out my channel").minhash[:4].tolist() == [
        259289298,
        97959620,
        7585472,
        362061327,
    ]


def test_batch_equals_one_at_a_time():
    texts = ["check out my channel", "", "my card was charged twice", "🔥", "a" * 30_000]
    for batched, text in zip(fingerprints(texts), texts, strict=True):
        assert batched == fingerprint(text)


def test_spinner_swaps_links_handles_and_numbers_do_not_change_the_shingles():
    original = "Hey guys check out my new channel and subscribe!!! http://bit.ly/x1 @bob 2024"
    spun = "Hi everyone, take a look at my latest channel and sub :) www.spam.example/abc promo.com 77"
    assert shingle_tokens(original) == shingle_tokens(spun)


def test_bytes_round_trip_keeps_key_language_signature_and_embedding():
    vector = np.random.default_rng(1).standard_normal(512).astype(np.float32)
    fp = fingerprint("Mi tarjeta fue cobrada dos veces", vector, language="es")
    data = fp.to_bytes()
    back = Fingerprint.from_bytes(data)
    assert len(data) < 1700
    assert (back.exact_key, back.language) == (fp.exact_key, "es")
    assert np.array_equal(back.minhash, fp.minhash)
    assert back.embedding.dtype == np.float32
    assert float(back.embedding @ fp.embedding) > 0.9999
    assert abs(float(np.linalg.norm(fp.embedding)) - 1.0) < 1e-5


def test_bytes_without_embedding_round_trip_exactly():
    fp = fingerprint("plain text")
    assert Fingerprint.from_bytes(fp.to_bytes()) == fp
    assert fp.embedding is None


@pytest.mark.parametrize("data", [b"", b"\x01\x00", fingerprint("x").to_bytes()[:-1], b"\x09" + bytes(300)])
def test_corrupt_bytes_are_a_value_error(data):
    with pytest.raises(ValueError):
        Fingerprint.from_bytes(data)


def test_mismatched_embeddings_are_a_value_error():
    with pytest.raises(ValueError):
        fingerprints(["a", "b"], np.zeros((1, 512), dtype=np.float32))
