"""Intent catalogue: fit from examples, top-3 predictions, npz round trip, clear errors."""

import csv
from pathlib import Path

import numpy as np
import pytest

from townsquare.triage.embeddings import embed
from townsquare.triage.intents import IntentCatalogue

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "triage" / "semantic" / "banking77_sample.csv"


@pytest.fixture(scope="module")
def examples():
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [row["text"] for row in rows], [row["intent"] for row in rows]


@pytest.fixture(scope="module")
def catalogue(examples):
    texts, labels = examples
    return IntentCatalogue().fit(texts, labels, seed=0)


def test_top3_intents_best_first_with_probabilities(catalogue, examples):
    predictions = catalogue.predict(
        ["I lost my card yesterday, someone may have taken it", "my PIN is blocked"]
    )
    assert [top[0][0] for top in predictions] == ["lost_or_stolen_card", "pin_blocked"]
    for top in predictions:
        assert len(top) == 3
        scores = [score for _, score in top]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= score <= 1.0 for score in scores) and sum(scores) <= 1.0 + 1e-6
        assert {name for name, _ in top} <= set(examples[1])


def test_predict_embedded_matches_predict(catalogue):
    texts = ["What exchange rate do you use?", "top up did not work"]
    assert catalogue.predict_embedded(embed(texts), texts) == catalogue.predict(texts)


def test_two_intent_catalogue_returns_two_pairs():
    texts = ["card not here yet", "card still not arrived", "what is the exchange rate", "rate for euros"]
    labels = ["card_arrival", "card_arrival", "exchange_rate", "exchange_rate"]
    (top,) = IntentCatalogue().fit(texts, labels).predict(["when will my card come"])
    assert [name for name, _ in top] == ["card_arrival", "exchange_rate"]


def test_save_and_load_round_trip_gives_the_same_predictions(catalogue, tmp_path):
    path = catalogue.save(tmp_path / "intents_test.npz")
    assert path.with_suffix(".json").exists()
    loaded = IntentCatalogue.load(path)
    texts = ["my card never arrived", "Why is my refund not showing?", "ATM ate my card"]
    assert loaded.labels == catalogue.labels
    reloaded = IntentCatalogue.load(loaded.save(tmp_path / "intents_again.npz"))
    assert reloaded.predict(texts) == loaded.predict(texts)
    # Weights are stored as float16: the same ranking and probabilities within rounding.
    before, after = catalogue.predict(texts), loaded.predict(texts)
    assert [[name for name, _ in top] for top in before] == [[name for name, _ in top] for top in after]
    np.testing.assert_allclose(
        [s for top in before for _, s in top], [s for top in after for _, s in top], atol=0.01
    )
    assert path.read_bytes() == (tmp_path / "intents_again.npz").read_bytes()


def test_saved_catalogue_holds_no_pickle(catalogue, tmp_path):
    path = catalogue.save(tmp_path / "intents_test.npz")
    with np.load(path, allow_pickle=False) as arrays:
        assert sorted(arrays.files) == ["coef", "intercept"]


def test_unicode_and_empty_input_is_predicted_without_error(catalogue):
    texts = ["", "😡😡😡", "broken \ud800 surrogate", "carte bloquée 🔒", "x" * 100_000, "مرحبا"]
    assert all(len(top) == 3 for top in catalogue.predict(texts))
    assert catalogue.predict([]) == []


@pytest.mark.parametrize(
    ("texts", "labels", "message"),
    [
        ([], [], "empty"),
        (["a", "b"], ["one", "one"], "at least two"),
        (["a", "b"], ["one"], "must match"),
        (["a", "b"], ["one", None], "non-empty string"),
        (["a", "b"], ["one", " "], "non-empty string"),
    ],
)
def test_fit_rejects_unusable_examples(texts, labels, message):
    with pytest.raises(ValueError, match=message):
        IntentCatalogue().fit(texts, labels)


def test_an_unfitted_catalogue_says_so():
    with pytest.raises(ValueError, match="empty"):
        IntentCatalogue().predict(["hello"])
    with pytest.raises(ValueError, match="empty"):
        IntentCatalogue().save(Path("unused.npz"))


def test_unknown_analyzer_is_rejected():
    with pytest.raises(ValueError, match="analyzer"):
        IntentCatalogue(analyzer="sentences")


def test_loading_a_missing_catalogue_says_how_to_build_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="triage-train"):
        IntentCatalogue.load(tmp_path / "intents_missing.npz")


def test_default_catalogue_is_banking77():
    catalogue = IntentCatalogue.default()
    assert len(catalogue.labels) == 77
    assert catalogue is IntentCatalogue.default()
    (top,) = catalogue.predict(["I ordered my new card two weeks ago and it still has not arrived"])
    assert top[0][0] == "card_arrival"


@pytest.mark.parametrize("analyzer", ["word", "char_wb"])
def test_scores_are_the_linear_model_on_embedding_and_hashed_ngrams(examples, analyzer):
    """The split dense + sparse product gives what the model was fitted on: features @ coef.T."""
    texts, labels = examples
    catalogue = IntentCatalogue(analyzer).fit(texts, labels, seed=0)
    queries = ["my card never arrived", "¿Dónde está mi tarjeta?", "", "🙂 top up failed twice!!"]
    vectors = embed(queries)
    logits = np.asarray(catalogue._features(vectors, queries) @ catalogue.coef.T) + catalogue.intercept
    expected = np.exp(logits - logits.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(catalogue.probabilities(vectors, queries), expected, rtol=1e-5, atol=1e-6)


def test_refitting_replaces_the_weights_used_for_scoring(examples):
    texts, labels = examples
    catalogue = IntentCatalogue().fit(texts, labels, seed=0)
    catalogue.predict(["my card never arrived"])
    swapped = ["card not here yet", "card still not arrived", "what is the exchange rate", "rate for euros"]
    catalogue.fit(swapped, ["a", "a", "b", "b"])
    assert catalogue.predict(["when will my card come"]) == IntentCatalogue().fit(
        swapped, ["a", "a", "b", "b"]
    ).predict(["when will my card come"])
