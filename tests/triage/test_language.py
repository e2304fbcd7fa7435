"""Language id: ISO 639-1 codes with a confidence, "und" when there is nothing to tell from."""

import csv
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from townsquare.triage.labels import UNDETERMINED
from townsquare.triage.language import (
    HEAD_ARTIFACT,
    HEAD_FEATURES,
    STACK_FEATURES,
    STACK_SPEC,
    LanguageHead,
    detect_languages,
    detect_with_head,
    head_features,
    prepare_for_detection,
    to_iso639_1,
)

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "triage" / "language" / "samples.csv"


def load_samples() -> list[dict]:
    with SAMPLES.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("de-ba", "de"),
        ("de-muc", "de"),
        ("pt_BR", "pt"),
        ("zh-Hans", "zh"),
        ("EN", "en"),
        ("deu", "de"),
        ("fra", "fr"),
        ("ger", "de"),
        ("nob", "no"),
        ("nno", "no"),
        ("nb", "no"),
        ("nn", "no"),
        ("gsw", "de"),
        ("als", "de"),
        ("bar", "de"),
        ("nap", "it"),
        ("arz", "ar"),
        ("cmn", "zh"),
        ("__label__en", "en"),
        ("xx", "xx"),
    ],
)
def test_codes_are_normalised_to_iso639_1(code, expected):
    assert to_iso639_1(code) == expected


@pytest.mark.parametrize(
    "text", ["", "   ", "😀😀👍", "https://example.com/x", "12345 678", "@acme", "#", "ok", "!!! ???"]
)
def test_nothing_to_tell_from_is_undetermined(text):
    assert detect_languages([text]) == [(UNDETERMINED, 0.0)]


def test_urls_mentions_and_hash_marks_are_not_read_as_words():
    assert prepare_for_detection("@acme #help my order\nhttps://t.co/x  www.acme.com") == "help my order"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("注文がまだ届きません", "ja"),
        ("주문이 아직 도착하지 않았어요", "ko"),
        ("我的订单还没有到", "zh"),
        ("Where is my order? It was supposed to arrive yesterday.", "en"),
        ("¿Dónde está mi pedido? Debía llegar ayer.", "es"),
        ("Où est ma commande ? Elle devait arriver hier.", "fr"),
        ("Wo ist meine Bestellung? Sie sollte gestern ankommen.", "de"),
        ("Dov'è il mio ordine? Doveva arrivare ieri.", "it"),
        ("Cadê meu pedido? Era para chegar ontem.", "pt"),
        ("Waar is mijn bestelling? Die zou gisteren komen.", "nl"),
        ("Где мой заказ? Он должен был прийти вчера.", "ru"),
        ("Gdzie jest moje zamówienie? Miało przyjść wczoraj.", "pl"),
        ("أين طلبي؟ كان من المفترض أن يصل أمس", "ar"),
    ],
)
def test_plain_sentences(text, expected):
    [(language, score)] = detect_languages([text])
    assert language == expected
    assert 0.0 < score <= 1.0


def test_results_keep_batch_order_and_odd_input():
    results = detect_languages(["Where is my order, please help me", "", "Wo ist meine Bestellung?", None])
    assert [language for language, _ in results] == ["en", UNDETERMINED, "de", UNDETERMINED]


def test_broken_and_huge_input_is_labelled():
    results = detect_languages(["where is my order \ud800 please tell me", "x y " * 500_000, "\x00\x00"])
    assert results[0][0] == "en"
    assert results[2] == (UNDETERMINED, 0.0)


def test_short_casual_english_stays_english():
    texts = [
        "@acme Brilliant thanks 😊",
        "You've frozen my phone with your update grrrrr",
        "@acme Super help - problem solved 😀 love it",
        "Have your friend message us please",
        "wanna come to our town? I'd eat there every week",
        # Short requests the stacker alone would give to German or Spanish (XLM-T's German and
        # Spanish sets hold English tweets); eldc's English that passes the hand gates is kept.
        "subscribe to me",
        "Please help me go here",
    ]
    assert [language for language, _ in detect_languages(texts)] == ["en"] * len(texts)


def test_samples_including_dialects_are_mostly_right():
    # XLM-T's Hindi tweets are romanised; the head is trained on Devanagari Hindi only (romanised
    # rows taught it that casual English is Hindi), so those rows are a known gap, not scored here.
    rows = [row for row in load_samples() if not (row["lang"] == "hi" and row["text"].isascii())]
    predictions = detect_languages([row["text"] for row in rows])
    wrong = Counter(
        row["lang"]
        for row, (language, _) in zip(rows, predictions, strict=True)
        if language != to_iso639_1(row["lang"])
    )
    assert sum(wrong.values()) / len(rows) <= 0.05, wrong
    # Dialects land on their standard language, not on a neighbour.
    for dialect in ("gsw", "de-ba", "nap", "no"):
        assert wrong[dialect] <= 2, wrong


def test_head_features_are_deterministic_hashed_ngrams():
    first = head_features(["Hello there", "", "こんにちは"])
    second = head_features(["Hello there", "", "こんにちは"])
    assert first.shape == (3, HEAD_FEATURES)
    assert (first != second).nnz == 0
    assert first[0].nnz > 0 and first[1].nnz > 0  # even "" has its padding


def test_shipped_head_loads_and_scores_probabilities():
    head = LanguageHead.load()
    assert {"de", "no", "da", "sr", "id", "kk"} <= head.classes_set
    probabilities = head.probabilities(["Wia hoaß werds heid", "Hvor er bestillingen min"])
    assert probabilities.shape == (2, len(head.classes))
    assert np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-4)


def write_tiny_training_data(data_dir: Path) -> None:
    rows = load_samples()
    (data_dir / "xsid").mkdir(parents=True)
    (data_dir / "xlmt-sentiment").mkdir()
    (data_dir / "xquad").mkdir()
    with (data_dir / "xsid" / "valid.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["lang", "id", "text"])
        for number, row in enumerate(row for row in rows if row["source"] == "xsid"):
            writer.writerow([row["lang"], str(number % 8), row["text"]])
    with (data_dir / "xlmt-sentiment" / "train_val.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["lang", "text"])
        writer.writerows([row["lang"], row["text"]] for row in rows if row["source"] == "xlmt-sentiment")
    with (data_dir / "xquad" / "questions.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["lang", "question_id", "question"])
        writer.writerows(
            [["en", "q1", "How many points did the defence give up?"], ["de", "q2", "Wie viele Punkte?"]] * 3
        )


def without_timing(metrics: dict) -> dict:
    held_out = {
        name: {key: value for key, value in scores.items() if key != "texts_per_second"}
        for name, scores in metrics["held_out"].items()
    }
    return {**metrics, "held_out": held_out}


def test_trainer_is_seeded_and_writes_a_pickle_free_artifact(tmp_path):
    from townsquare.triage.training.language import train

    write_tiny_training_data(tmp_path / "data")
    first = train(tmp_path / "data", tmp_path / "out1", seed=3)
    second = train(tmp_path / "data", tmp_path / "out2", seed=3)
    assert without_timing(first) == without_timing(second)
    assert set(first["held_out"]) == {"xsid", "xlmt-sentiment", "xquad"}
    assert 0.0 <= first["held_out"]["xsid"]["accuracy"] <= 1.0
    with np.load(tmp_path / "out1" / "language_head.npz", allow_pickle=False) as artifact:
        assert artifact["coef"].shape == (len(artifact["classes"]), HEAD_FEATURES)
        assert "de-ba" not in set(artifact["classes"].tolist())  # gold codes are normalised first
        assert artifact["stacker"].shape == (STACK_FEATURES + 1,)
        assert str(artifact["stacker_spec"]) == STACK_SPEC


def test_latin_script_text_is_never_given_a_non_latin_language():
    # The char n-gram head once called these Chinese; the script rules them out.
    results = detect_languages(["Thanks, fixed!", "Thanks @acme, fixed!", "ok thanks, works now"])
    assert [language for language, _ in results] == ["en", "en", "en"]


def test_a_latin_text_the_detectors_score_as_chinese_is_not_chinese():
    # The head was ruled out by script, then eldc's own Chinese guess was taken instead.
    [(language, _)] = detect_languages(["x" * 4999])
    assert language != "zh"


def test_xsid_split_keeps_every_translation_of_a_sentence_together(tmp_path):
    # xSID ids: the sentence number, "number/speaker" in Norwegian, none in English (whose rows are in
    # sentence order). Norwegian by full id or English as one group put translations on both sides.
    from townsquare.triage.training.language import _load_split, _xsid_rows

    (tmp_path / "xsid").mkdir()
    with (tmp_path / "xsid" / "valid.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["lang", "id", "text"])
        for sentence in range(1, 21):
            writer.writerow(["en", "", f"english sentence {sentence}"])
            writer.writerow(["da", str(sentence), f"dansk sætning {sentence}"])
            for speaker in (3, 8):
                writer.writerow(["no", f"{sentence}/{speaker}", f"norsk setning {sentence} {speaker}"])
    groups = {text: group for text, _, group in _xsid_rows(tmp_path / "xsid" / "valid.csv")}
    assert groups["english sentence 7"] == groups["dansk sætning 7"] == groups["norsk setning 7 3"]
    assert groups["norsk setning 7 8"] == groups["dansk sætning 7"] != groups["dansk sætning 8"]
    for name, header in (
        ("xlmt-sentiment/train_val.csv", "lang,text"),
        ("xquad/questions.csv", "lang,question_id,question"),
    ):
        (tmp_path / name).parent.mkdir()
        (tmp_path / name).write_text(header + "\n", encoding="utf-8")
    _, held_out = _load_split(tmp_path, seed=0)
    held_groups = Counter(groups[text] for text, _ in held_out["xsid"])
    assert len(held_groups) == 4  # 20% of 20 sentences...
    assert set(held_groups.values()) == {4}  # ...each with all four of its rows


def test_the_stacker_lets_the_head_overrule_eldc_on_a_foreign_title():
    shipped = LanguageHead.load()
    gates_only = LanguageHead(shipped.classes, shipped.coef_t.T, shipped.intercept)
    # Norwegian with a Spanish song title: eldc is sure it is Spanish, the hand gates accept that.
    text = "sett på La Vida Es Un Carnaval med Celia Cruz"
    assert detect_with_head([text], gates_only)[0][0] == "es"
    assert detect_with_head([text], shipped)[0][0] == "no"


def test_a_stacker_built_for_another_feature_layout_is_refused(tmp_path):
    import importlib.resources

    path = importlib.resources.files("townsquare.triage") / "artifacts" / HEAD_ARTIFACT
    with importlib.resources.as_file(path) as file, np.load(file, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    assert LanguageHead.load(path).stacker.shape == (STACK_FEATURES + 1,)
    np.savez(tmp_path / "other.npz", **{**arrays, "stacker_spec": np.array("candidate-rank-29-v1")})
    with pytest.raises(ValueError, match="retrain"):
        LanguageHead.load(tmp_path / "other.npz")
    np.savez(tmp_path / "unnamed.npz", **{name: value for name, value in arrays.items() if name != "stacker_spec"})
    with pytest.raises(ValueError, match="retrain"):
        LanguageHead.load(tmp_path / "unnamed.npz")
    with pytest.raises(ValueError, match="weights"):
        LanguageHead(list(arrays["classes"]), arrays["coef"], arrays["intercept"], np.zeros(5))
