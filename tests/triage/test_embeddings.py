"""Sentence embeddings: shape, unit rows, any input, cross-lingual meaning, one model per process."""

import threading

import numpy as np

from townsquare.triage.embeddings import EMBED_TEXT_LIMIT, EMBEDDING_DIM, embed, get_model, prepare


def test_rows_are_float32_unit_vectors_in_input_order():
    texts = ["My card has not arrived", "Thanks, great service!", "My card has not arrived"]
    vectors = embed(texts)
    assert vectors.shape == (3, EMBEDDING_DIM)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(vectors[0], vectors[2])
    assert vectors[0] @ vectors[1] < 0.99


def test_no_texts_gives_an_empty_matrix():
    assert embed([]).shape == (0, EMBEDDING_DIM)


def test_awkward_input_never_raises_and_stays_normalised():
    texts = ["", "   ", "😡😡😡", "broken \ud800 surrogate", "nul\x00byte", "x" * 200_000, None, "\n\t"]
    vectors = embed(texts)
    assert vectors.shape == (len(texts), EMBEDDING_DIM)
    assert np.isfinite(vectors).all()
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # Blank input of any kind is the one fixed "empty" vector.
    np.testing.assert_array_equal(vectors[0], vectors[1])
    np.testing.assert_array_equal(vectors[0], vectors[6])


def test_long_texts_are_cut_and_urls_dropped_before_the_model_sees_them():
    assert len(prepare("word " * 10_000)) == EMBED_TEXT_LIMIT
    assert prepare("Still waiting https://t.co/AbC123 for\n\nmy refund") == "Still waiting for my refund"
    np.testing.assert_array_equal(
        embed(["where is my refund https://t.co/x1"]), embed(["where is my refund"])
    )


def test_a_translation_is_closer_than_an_unrelated_sentence():
    english, spanish, german, unrelated = embed(
        [
            "Where is my package? It has not been delivered yet.",
            "¿Dónde está mi paquete? Todavía no ha sido entregado.",
            "Wo ist mein Paket? Es wurde noch nicht geliefert.",
            "The football match last night was fantastic.",
        ]
    )
    assert english @ spanish > english @ unrelated + 0.2
    assert english @ german > english @ unrelated + 0.2


def test_the_model_is_loaded_once_even_when_threads_race_for_it():
    models = []
    threads = [threading.Thread(target=lambda: models.append(get_model())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(model) for model in models}) == 1
