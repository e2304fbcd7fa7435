"""Semantic sentiment from the shipped head: obvious cases in three languages, any input."""

import csv

import numpy as np
import pytest

from townsquare.triage.embeddings import embed
from townsquare.triage.heads import ArtifactError
from townsquare.triage.labels import SENTIMENTS
from townsquare.triage.sentiment import load_experts, load_head, predict_sentiment, predict_sentiment_embedded
from townsquare.triage.sentiment_experts import LanguageExperts, fit_language_experts, text_languages
from townsquare.triage.training.run import train_all


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("This is the worst service ever, I am furious and want my money back!", "negative"),
        ("Thank you so much, the support team was amazing and fixed it in minutes!", "positive"),
        ("Es el peor servicio que he tenido, estoy harto y muy enfadado.", "negative"),
        ("¡Muchas gracias, me encanta, el equipo fue genial!", "positive"),
        ("C'est nul, service horrible, je suis très déçu.", "negative"),
        ("Merci beaucoup, c'est parfait, j'adore !", "positive"),
    ],
)
def test_obvious_sentiment_in_three_languages(text, expected):
    ((label, score),) = predict_sentiment([text])
    assert label == expected
    assert 1 / 3 < score <= 1.0


def test_labels_are_the_contract_sentiments():
    assert set(load_head().labels) == set(SENTIMENTS)


def test_embedded_variant_matches_and_any_input_works():
    texts = ["", "😡😡😡", "broken \ud800 surrogate", "ok", "x" * 100_000]
    results = predict_sentiment(texts)
    assert results == predict_sentiment_embedded(embed(texts), texts)
    assert all(label in SENTIMENTS and 0.0 < score <= 1.0 for label, score in results)
    assert predict_sentiment([]) == []


def test_shipped_language_experts_are_blended_into_the_head():
    texts = [
        "The delivery was late again and nobody answers, terrible.",
        "Das Paket ist endlich angekommen, danke!",
        "Il treno parte alle otto.",
        "O atendimento foi ótimo, obrigado!",
    ]
    vectors = embed(texts)
    head, experts = load_head(), load_experts()
    assert experts is not None and {"en", "de", "es", "fr", "it", "pt"} <= set(experts.languages)
    shared = head.probabilities(vectors, texts)
    order = [head.labels.index(label) for label in experts.labels]
    expected = experts.blend(shared[:, order], vectors, text_languages(texts))
    got = predict_sentiment_embedded(vectors, texts)
    assert [label for label, _ in got] == [experts.labels[i] for i in expected.argmax(axis=1)]
    np.testing.assert_allclose([score for _, score in got], expected.max(axis=1), atol=1e-6)
    # The head alone (as the trainer scores it) gives other probabilities.
    alone = predict_sentiment_embedded(vectors, texts, head)
    assert [score for _, score in alone] != pytest.approx([score for _, score in got], abs=1e-4)


def test_romanised_hindi_is_routed_to_the_hindi_expert():
    # Language id calls Hinglish "hi" now, so the shipped experts include a Hindi one and a
    # Hinglish message is blended with it (before, it went to the English or German expert).
    texts = ["yaar mera order abhi tak nahi aaya, bahut bura service hai", "bhai ye movie bahut acchi hai"]
    assert text_languages(texts) == ["hi", "hi"]
    experts = load_experts()
    assert experts is not None and "hi" in experts.languages
    vectors = embed(texts)
    head = load_head()
    order = [head.labels.index(label) for label in experts.labels]
    shared = head.probabilities(vectors, texts)[:, order]
    hindi = experts.blend(shared, vectors, ["hi", "hi"])
    assert not np.allclose(hindi, shared)
    got = predict_sentiment_embedded(vectors, texts)
    np.testing.assert_allclose([score for _, score in got], hindi.max(axis=1), atol=1e-6)


def test_experts_cover_only_the_given_languages_with_enough_rows(tmp_path):
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(200, 512)).astype(np.float32)
    languages = ["en"] * 120 + ["es"] * 40 + ["ja"] * 40
    labels = [SENTIMENTS[i % 3] for i in range(200)]
    experts = fit_language_experts(vectors, languages, labels, SENTIMENTS, ["en", "es"], seed=0)
    assert experts.languages == ("en",)  # es has fewer than MIN_ROWS rows, ja is not covered
    shared = np.full((200, 3), 1 / 3)
    blended = experts.blend(shared, vectors, languages)
    np.testing.assert_allclose(blended[120:], shared[120:])
    assert not np.allclose(blended[:120], shared[:120])
    np.testing.assert_allclose(blended.sum(axis=1), 1.0, atol=1e-6)
    path = experts.save(tmp_path / "a.npz")
    assert experts.save(tmp_path / "b.npz").read_bytes() == path.read_bytes()
    loaded = LanguageExperts.load(path)
    assert loaded.languages == ("en",) and loaded.labels == tuple(SENTIMENTS)
    np.testing.assert_allclose(loaded.blend(shared, vectors, languages), blended, atol=1e-3)
    np.savez(tmp_path / "other.npz", coef=np.zeros(3))
    with pytest.raises(ArtifactError, match="retrain"):
        LanguageExperts.load(tmp_path / "other.npz")


def test_sentiment_trainer_writes_head_and_experts_reproducibly(tmp_path):
    english = ["I love this, what a great day {}", "This is awful, I hate it {}", "The meeting is at noon {}"]
    spanish = ["Me encanta, qué día tan bonito {}", "Es horrible, lo odio {}", "La reunión es a mediodía {}"]
    rows = [
        [language, split, template.format(i), SENTIMENTS[(2, 0, 1)[k]], "0"]
        for language, templates in (("en", english), ("es", spanish))
        for k, template in enumerate(templates)
        for i in range(24)
        for split in (("val",) if i % 6 == 0 else ("train",))
    ]
    data = tmp_path / "data" / "xlmt-sentiment" / "train_val.csv"
    data.parent.mkdir(parents=True)
    with data.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["lang", "split", "text", "label", "label_id"], *rows])
    first = train_all(tmp_path / "data", tmp_path / "a", seed=0, only="sentiment")[0]
    train_all(tmp_path / "data", tmp_path / "b", seed=0, only="sentiment")
    for name in ("sentiment_head.npz", "sentiment_experts.npz"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert set(first["expert_languages"]) <= {"en", "es"} and first["expert_languages"]
    assert first["held_out"]["n"] == 24 and 0.0 <= first["head_alone_macro_f1"] <= 1.0
