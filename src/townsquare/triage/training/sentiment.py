"""Semantic sentiment head: xlmt-sentiment (Apache-2.0), trained on split=train and scored on
split=val, overall and per language; the shipped head is refitted on train + val.

tweeteval-sentiment is left out: its validation tweets are the XLM-T English tweets, so it would
leak into the English val scores and adds almost nothing new (measured: with its 246 tweets that
are in neither split, CV 0.579 -> 0.580, val 0.593 -> 0.590).

Per-language experts (`sentiment_experts.py`) are fitted on the same rows, routed by the product's
language id, and blended with the head; the report gives val scores with and without them.
"""

from pathlib import Path

import numpy as np

from townsquare.triage.embeddings import embed
from townsquare.triage.evaluation import evaluate
from townsquare.triage.labels import SENTIMENTS
from townsquare.triage.sentiment import (
    SENTIMENT_EXPERTS,
    SENTIMENT_HEAD,
    new_head,
    predict_sentiment_embedded,
)
from townsquare.triage.sentiment_experts import fit_language_experts, text_languages
from townsquare.triage.training.datasets import read_rows

NAME = "sentiment"
DATASET = "xlmt-sentiment/train_val.csv"


def train(data_dir: Path, out_dir: Path, seed: int) -> dict:
    rows = read_rows(data_dir, DATASET)
    texts = [row["text"] for row in rows]
    labels = np.asarray([row["label"] for row in rows])
    splits = np.asarray([row["split"] for row in rows])
    vectors = embed(texts)
    train_rows, test_rows = np.flatnonzero(splits == "train"), np.flatnonzero(splits == "val")
    routed = text_languages(texts)
    covered = sorted({row["lang"] for row in rows})

    def fit(fit_rows):
        fit_texts = [texts[i] for i in fit_rows]
        head = new_head().fit_embedded(vectors[fit_rows], fit_texts, labels[fit_rows], seed)
        experts = fit_language_experts(
            vectors[fit_rows], [routed[i] for i in fit_rows], labels[fit_rows], head.labels, covered, seed
        )
        return head, experts

    head, experts = fit(train_rows)
    test_texts = [texts[i] for i in test_rows]
    gold = labels[test_rows]
    head_alone = [label for label, _ in predict_sentiment_embedded(vectors[test_rows], test_texts, head)]
    predicted = np.asarray(
        [label for label, _ in predict_sentiment_embedded(vectors[test_rows], test_texts, head, experts)]
    )
    report = evaluate(list(gold), list(predicted), SENTIMENTS, seed=seed, task=NAME)
    languages = np.asarray([rows[i]["lang"] for i in test_rows])
    per_language = {
        language: evaluate(
            list(gold[languages == language]),
            list(predicted[languages == language]),
            SENTIMENTS,
            seed=seed,
            task=f"{NAME}-{language}",
        )["macro_f1"]
        for language in sorted(set(languages))
    }

    final, final_experts = fit(np.arange(len(texts)))
    final.metadata["data"] = "xlmt-sentiment train+val (Apache-2.0)"
    path = final.save(Path(out_dir) / SENTIMENT_HEAD.name)
    experts_path = final_experts.save(Path(out_dir) / SENTIMENT_EXPERTS.name)
    return {
        "model": NAME,
        "data": "xlmt-sentiment",
        "rows": len(rows),
        "held_out": report,
        "per_language_macro_f1": per_language,
        "head_alone_macro_f1": evaluate(list(gold), head_alone, SENTIMENTS, seed=seed, task=NAME)["macro_f1"],
        "expert_languages": list(final_experts.languages),
        "artifact": str(path),
        "experts_artifact": str(experts_path),
        "bytes": path.stat().st_size + path.with_suffix(".json").stat().st_size + experts_path.stat().st_size,
    }
