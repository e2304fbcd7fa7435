"""Semantic sentiment head: xlmt-sentiment (Apache-2.0), trained on split=train and scored on
split=val, overall and per language; the shipped head is refitted on train + val.

tweeteval-sentiment is left out: its validation tweets are the XLM-T English tweets, so it would
leak into the English val scores and adds almost nothing new.
"""

from pathlib import Path

import numpy as np

from townsquare.triage.embeddings import embed
from townsquare.triage.evaluation import evaluate
from townsquare.triage.labels import SENTIMENTS
from townsquare.triage.sentiment import SENTIMENT_HEAD, new_head, predict_sentiment_embedded
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

    head = new_head().fit_embedded(
        vectors[train_rows], [texts[i] for i in train_rows], labels[train_rows], seed
    )
    test_texts = [texts[i] for i in test_rows]
    predicted = np.asarray(
        [label for label, _ in predict_sentiment_embedded(vectors[test_rows], test_texts, head)]
    )
    gold = labels[test_rows]
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

    final = new_head().fit_embedded(vectors, texts, labels, seed)
    final.metadata["data"] = "xlmt-sentiment train+val (Apache-2.0)"
    path = final.save(Path(out_dir) / SENTIMENT_HEAD.name)
    return {
        "model": NAME,
        "data": "xlmt-sentiment",
        "rows": len(rows),
        "held_out": report,
        "per_language_macro_f1": per_language,
        "artifact": str(path),
        "bytes": path.stat().st_size + path.with_suffix(".json").stat().st_size,
    }
