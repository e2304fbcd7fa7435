"""Trains the romanised-Hindi head (artifacts/language_hinglish.npz) that lets language id say "hi"
for Hinglish ("bhai order abhi tak nahi aaya"), which eldc and the tie-breaker head file under
English, German, Indonesian and others.

Positives: XLM-T's Hindi tweets of `split=train` (mostly Latin-script Hinglish; about a third are
plain English tweets, which the Hindi-word gate in `language.is_hinglish_candidate` keeps from being
called Hindi). Negatives: Latin-script text in other languages from XLM-T `split=train`, the
training side of the language head's xSID / XQuAD / TweetEval split (same seed, same groups) and
banking77 (English customer-care questions) and 80% of sms-promo-id (casual Indonesian SMS, whose
"ke", "tak" and "toh" are Hindi words too; the other 20% is a check). Only rows that reach the head in `detect_languages`
(not settled by script or by a confident eldc) are used, as only those are ever asked.

Settings (C, class weights, training rows, the word gate and the threshold) were chosen by 3-fold
stratified CV on these rows: the highest share of Hindi rows called "hi" with at most 0.02% of
the other rows called "hi" (MODEL_CARD.md). XLM-T `split=val` is never trained on, so the
sentiment trainer's val scores stay clean; the shipped head is this fit (no refit).
"""

from collections import Counter
from pathlib import Path

import numpy as np

from townsquare.triage import language
from townsquare.triage.text import clean
from townsquare.triage.training import language as language_training
from townsquare.triage.training.datasets import held_out_split, read_rows

NAME = "language_hinglish"
REGULARISATION = 100.0
THRESHOLD = 0.7
XLMT = "xlmt-sentiment/train_val.csv"
SMS = "sms-promo-id/dev.csv"
# Not trained on: how often Latin-script text from elsewhere is called Hindi (each file if present).
FALSE_HINDI_CHECKS = {
    "twcs-labeled": [
        ("twcs-labeled/inbound_topics.csv", "text"),
        ("twcs-labeled/outbound_activities.csv", "text"),
    ],
    "complaints-twitter": [("complaints-twitter/dev.csv", "text")],
    "youtube-spam": [("youtube-spam/youtube_spam.csv", "content")],
    "clinc150": [("clinc150/train_val.csv", "text")],
}


def train(data_dir: Path, out_dir: Path, seed: int) -> dict:
    data_dir = Path(data_dir)
    xlmt = read_rows(data_dir, XLMT)
    positives = [row["text"] for row in xlmt if row["split"] == "train" and row["lang"] == "hi"]
    negatives = [row["text"] for row in xlmt if row["split"] == "train" and row["lang"] != "hi"]
    xlmt_texts = {language.prepare_for_detection(row["text"]) for row in xlmt}
    split_rows, held_out = language_training._load_split(data_dir, seed)
    # The language head's split holds XLM-T rows too (its own groups): XLM-T comes from split=train above.
    negatives += [text for text, gold in split_rows if gold != "hi" and text not in xlmt_texts]
    banking = data_dir / "banking77" / "train.csv"
    if banking.is_file():
        negatives += [row["text"] for row in read_rows(data_dir, "banking77/train.csv")]
    sms_check = []
    if (data_dir / SMS).is_file():
        sms = read_rows(data_dir, SMS)
        sms_train, sms_test = held_out_split([row["label"] for row in sms], seed)
        negatives += [sms[i]["text"] for i in sms_train]
        sms_check = [sms[i]["text"] for i in sms_test]
    texts, labels = [], []
    for label, group in ((1, positives), (0, negatives)):
        for text in group:
            words = _reaches_head(text)
            if words is not None:
                texts.append(words)
                labels.append(label)
    if len(set(labels)) < 2:
        raise ValueError(
            f"{sum(labels)} Hindi and {len(labels) - sum(labels)} other rows reach the language head: "
            "both are needed to train the romanised-Hindi head"
        )
    head = fit(texts, labels, seed)

    tie_breaker = _language_head(Path(out_dir))
    xsid = held_out.get("xsid", [])
    metrics = {
        "xsid_held_out_accuracy": _accuracy(xsid, tie_breaker, head),
        "xsid_held_out_accuracy_without": _accuracy(xsid, tie_breaker, None),
        "xsid_held_out_n": len(xsid),
        "xlmt_val_share_called_hi": _shares(
            [(row["text"], row["lang"]) for row in xlmt if row["split"] == "val"], tie_breaker, head
        ),
        "false_hi_share": {
            name: _shares([(text, "-") for text in texts_of], tie_breaker, head)["-"]
            for name, texts_of in {**_false_hindi_texts(data_dir), "sms-promo-id-held-out": sms_check}.items()
            if texts_of
        },
    }
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / language.HINGLISH_ARTIFACT
    head.save(path)
    return {
        "model": NAME,
        "seed": seed,
        "rows": len(texts),
        "positive_rows": int(sum(labels)),
        "bytes": path.stat().st_size,
        "held_out": metrics,
        "artifact": str(path),
    }


def fit(texts: list[str], labels: list[int], seed: int) -> language.HinglishHead:
    """A class-weighted logistic regression on the head's character n-grams of detection-ready texts."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=REGULARISATION, class_weight="balanced", max_iter=3000, random_state=seed)
    model.fit(language.head_features(texts), np.asarray(labels))
    # What ships is float16: measure with the same precision.
    coef = model.coef_[0].astype(np.float16).astype(np.float32)
    return language.HinglishHead(coef, float(model.intercept_[0]), THRESHOLD)


def _reaches_head(text: str) -> str | None:
    """The detection-ready words of `text` when `detect_languages` would ask the heads about it."""
    words = language.prepare_for_detection(clean(text))
    if language._decide_by_script(words) is not None:
        return None
    if language._accept_eldc(words, language._eldc_pick(words)) is not None:
        return None
    return words


def _language_head(out_dir: Path) -> language.LanguageHead:
    """The tie-breaker head just trained into `out_dir` when there is one, else the shipped head."""
    if (out_dir / language.HEAD_ARTIFACT).is_file():
        with np.load(out_dir / language.HEAD_ARTIFACT, allow_pickle=False) as data:
            return language.LanguageHead([str(c) for c in data["classes"]], data["coef"], data["intercept"])
    return language.LanguageHead.load()


def _accuracy(rows: list[tuple[str, str]], tie_breaker, head) -> float:
    if not rows:
        return 0.0
    predicted = language.detect_with_head([text for text, _ in rows], tie_breaker, hinglish=head)
    right = sum(
        language.to_iso639_1(gold) == code for (_, gold), (code, _) in zip(rows, predicted, strict=True)
    )
    return round(right / len(rows), 4)


def _shares(rows: list[tuple[str, str]], tie_breaker, head) -> dict[str, float]:
    """Share of each gold label's texts that come out as "hi"."""
    predicted = language.detect_with_head([text for text, _ in rows], tie_breaker, hinglish=head)
    total, hindi = Counter(), Counter()
    for (_, gold), (code, _) in zip(rows, predicted, strict=True):
        total[gold] += 1
        hindi[gold] += code == "hi"
    return {gold: round(hindi[gold] / total[gold], 4) for gold in sorted(total)}


def _false_hindi_texts(data_dir: Path) -> dict[str, list[str]]:
    found = {}
    for name, files in FALSE_HINDI_CHECKS.items():
        texts = [
            row[column]
            for relative, column in files
            if (data_dir / relative).is_file()
            for row in read_rows(data_dir, relative)
        ]
        if texts:
            found[name] = texts
    return found
