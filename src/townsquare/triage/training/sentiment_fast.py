"""Fast sentiment head (negative/neutral/positive): xlmt-sentiment (Apache-2.0), trained on
split=train and scored on split=val, overall and per language.

tweeteval-sentiment is left out: 1,754 of its 2,000 validation tweets are XLM-T English tweets,
so it adds almost nothing new and leaks into the English val scores.
"""

from pathlib import Path

import numpy as np

from townsquare.triage.evaluation import evaluate
from townsquare.triage.labels import SENTIMENTS
from townsquare.triage.training import fit_linear_head
from townsquare.triage.training.datasets import read_rows

NAME = "sentiment_fast"
DATASET = "xlmt-sentiment/train_val.csv"


def train(data_dir: Path, out_dir: Path, seed: int) -> dict:
    rows = read_rows(data_dir, DATASET)
    texts = [row["text"] for row in rows]
    labels = [row["label"] for row in rows]
    splits = np.asarray([row["split"] for row in rows])
    train_rows, test_rows = np.flatnonzero(splits == "train"), np.flatnonzero(splits == "val")
    head, report, predicted = fit_linear_head(NAME, texts, labels, train_rows, test_rows, seed, c=10.0)
    languages = np.asarray([rows[i]["lang"] for i in test_rows])
    gold = np.asarray(labels)[test_rows]
    per_language = {
        language: evaluate(
            list(gold[languages == language]),
            list(predicted[languages == language]),
            SENTIMENTS,
            seed=seed,
            task=f"sentiment-{language}",
        )["macro_f1"]
        for language in sorted(set(languages))
    }
    path = head.save(out_dir)
    return {
        "model": NAME,
        "data": "xlmt-sentiment",
        "rows": len(rows),
        "held_out": report,
        "per_language_macro_f1": per_language,
        "artifact": str(path),
        "bytes": path.stat().st_size,
    }
