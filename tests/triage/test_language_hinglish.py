"""Romanised Hindi (Hinglish) is Hindi; English, Spanish, Indonesian that share its words are not."""

import csv
from pathlib import Path

import numpy as np
import pytest

from townsquare.triage.language import (
    HEAD_FEATURES,
    HINGLISH_ARTIFACT,
    HinglishHead,
    LanguageHead,
    detect_languages,
    detect_with_head,
    is_hinglish_candidate,
)

HINGLISH = [
    "yaar mera order abhi tak nahi aaya, kya ho raha hai",
    "bhai ye movie bahut acchi hai, kal phir dekhne jaunga",
    "aap log kab tak refund karoge? do hafte ho gaye",
    "@acme mujhe ye app bilkul pasand nahi aaya",
    "Kaise ho bhai jaan mai apni gf k saath first show dekhne ja raha hu",
]


def test_romanised_hindi_is_hindi():
    results = detect_languages(HINGLISH)
    assert [language for language, _ in results] == ["hi"] * len(HINGLISH)
    assert all(0.5 < score <= 1.0 for _, score in results)


def test_without_the_romanised_hindi_head_it_was_not_hindi():
    # What language id said before the head existed (English, German...): the gap it closes.
    results = detect_with_head(HINGLISH, LanguageHead.load(), hinglish=None)
    assert "hi" not in [language for language, _ in results]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My order still hasn't arrived, what is going on?", "en"),
        ("lol same here, cant wait for the weekend", "en"),
        ("hi how come channel 3 is missing?", "en"),
        ("do you know where my package is?", "en"),
        ("New year new me", "en"),
        ("se me olvidó de nuevo la contraseña", "es"),
        ("non mi hai mai risposto", "it"),
        ("ich habe mein Passwort vergessen", "de"),
    ],
)
def test_languages_that_share_hindi_words_keep_their_language(text, expected):
    [(language, _)] = detect_languages([text])
    assert language == expected


@pytest.mark.parametrize(
    "text",
    [
        "Tak ada masalah, toh bisa diload",  # Indonesian: "tak", "toh" are Hindi words too
        "Mudah2an ya dil, besok mau coba ke telkom lg",
        "besok mau ke kantor lagi ya",
        "call me jake",
        "wake me in an hour",
    ],
)
def test_texts_with_hindi_lookalike_words_are_not_hindi(text):
    [(language, _)] = detect_languages([text])
    assert language != "hi"


def test_candidate_needs_a_hindi_word_or_two_shared_ones_in_latin_script():
    assert is_hinglish_candidate("bhai kya scene hai")
    assert is_hinglish_candidate("mera order")
    assert is_hinglish_candidate("ho gaya")
    assert is_hinglish_candidate("se de")  # two shared words: the head decides (Spanish here)
    assert not is_hinglish_candidate("hi there, how are you")  # one shared word ("hi")
    assert not is_hinglish_candidate("wake me up, me")
    assert not is_hinglish_candidate("Привет bhai kya hai")  # Cyrillic letters: not romanised Hindi
    assert not is_hinglish_candidate("")


def test_shipped_head_is_pickle_free_and_checked(tmp_path):
    head = HinglishHead.load()
    assert head.coef.shape == (HEAD_FEATURES,)
    assert 0.5 <= head.threshold < 1.0
    from townsquare.triage import language

    shipped = Path(language.__file__).parent / "artifacts" / HINGLISH_ARTIFACT
    with np.load(shipped, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    arrays["format"] = np.asarray("something-else")
    other = tmp_path / HINGLISH_ARTIFACT
    np.savez(other, **arrays)
    with pytest.raises(ValueError, match="retrain"):
        HinglishHead.load(other)


def write_tiny_training_data(data_dir: Path) -> None:
    hinglish = HINGLISH + ["kya baat hai bhai", "mujhe nahi pata yaar", "tum kab aaoge", "ye sahi nahi hai"]
    others = [  # short and casual, so that eldc leaves them to the heads (only those are trained on)
        ("en", "lol same here cant wait"),
        ("en", "nice one mate cheers"),
        ("en", "hahaha so true"),
        ("pt", "valeu galera ate amanha"),
        ("de", "wia hoaß werds heid"),
        ("es", "dónde está mi pedido, debía llegar ayer"),
        ("de", "wo ist mein Paket, es sollte gestern kommen"),
        ("it", "dove è il mio ordine, doveva arrivare ieri"),
        ("pt", "cadê meu pedido, era para chegar ontem"),
    ]
    (data_dir / "xlmt-sentiment").mkdir(parents=True)
    (data_dir / "xsid").mkdir()
    (data_dir / "xquad").mkdir()
    with (data_dir / "xlmt-sentiment" / "train_val.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["lang", "split", "text", "label"])
        for copy in range(3):
            writer.writerows(["hi", "train", f"{text} {copy}", "neutral"] for text in hinglish)
            writer.writerows([lang, "train", f"{text} {copy}", "neutral"] for lang, text in others)
        writer.writerows(["hi", "val", text, "neutral"] for text in hinglish[:3])
        writer.writerows([lang, "val", text, "neutral"] for lang, text in others)
    with (data_dir / "xsid" / "valid.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["lang", "id", "text"])
        for number, (lang, text) in enumerate(others * 3):
            writer.writerow([lang, f"{number % 5}|x", text])
    with (data_dir / "xquad" / "questions.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["lang", "question_id", "question"])
        writer.writerows([["en", "q1", "How many points did the defence give up?"]] * 3)


def test_trainer_is_seeded_and_writes_a_pickle_free_artifact(tmp_path):
    from townsquare.triage.training.language_hinglish import train

    write_tiny_training_data(tmp_path / "data")
    first = train(tmp_path / "data", tmp_path / "out1", seed=3)
    second = train(tmp_path / "data", tmp_path / "out2", seed=3)
    assert first["held_out"] == second["held_out"]
    assert first["positive_rows"] > 0 and first["rows"] > first["positive_rows"]
    assert set(first["held_out"]["xlmt_val_share_called_hi"]) == {"hi", "en", "es", "de", "it", "pt"}
    one, two = (tmp_path / out / HINGLISH_ARTIFACT for out in ("out1", "out2"))
    assert one.read_bytes() == two.read_bytes()
    head = HinglishHead.load(one)
    assert head.coef.shape == (HEAD_FEATURES,)
