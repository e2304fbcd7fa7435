"""Intent catalogue: banking77 (CC BY 4.0) is the shipped default.

banking77 ships only its train split here, so the score is a seeded, per-intent 80/20 split of it;
the shipped catalogue is then refitted on all 10,003 rows. clinc150 (train -> val, in-scope
intents only) is a second, independent check of the same recipe and ships nothing.
"""

from pathlib import Path

import numpy as np

from townsquare.triage.embeddings import embed
from townsquare.triage.evaluation import evaluate
from townsquare.triage.intents import IntentCatalogue
from townsquare.triage.training.datasets import held_out_split, read_rows

NAME = "intents"
BANKING77 = "banking77/train.csv"
CLINC150 = "clinc150/train_val.csv"
ARTIFACT = "intents_banking77.npz"


def train(data_dir: Path, out_dir: Path, seed: int) -> dict:
    rows = read_rows(data_dir, BANKING77)
    texts = [row["text"] for row in rows]
    labels = [row["intent"] for row in rows]
    vectors = embed(texts)
    train_rows, test_rows = held_out_split(labels, seed)
    report = _score(vectors, texts, labels, train_rows, test_rows, seed, "banking77")

    catalogue = IntentCatalogue().fit_embedded(vectors, texts, labels, seed=seed)
    catalogue.metadata["data"] = "banking77 train (CC BY 4.0)"
    path = catalogue.save(Path(out_dir) / ARTIFACT)
    result = {
        "model": NAME,
        "data": "banking77",
        "rows": len(rows),
        "held_out": report,
        "artifact": str(path),
        "bytes": path.stat().st_size + path.with_suffix(".json").stat().st_size,
    }
    result["clinc150_val"] = _clinc150_check(data_dir, seed)
    return result


def _score(vectors, texts, labels, train_rows, test_rows, seed: int, task: str) -> dict:
    """Held-out report (top-1) plus top-3 accuracy of a catalogue fitted on train_rows only."""
    texts, labels = np.asarray(texts, dtype=object), np.asarray(labels)
    catalogue = IntentCatalogue().fit_embedded(
        vectors[train_rows], list(texts[train_rows]), labels[train_rows], seed
    )
    top = catalogue.predict_embedded(vectors[test_rows], list(texts[test_rows]))
    gold = list(labels[test_rows])
    report = evaluate(gold, [best[0][0] for best in top], catalogue.labels, seed=seed, task=task)
    report["top3_accuracy"] = round(
        float(np.mean([label in {name for name, _ in best} for label, best in zip(gold, top, strict=True)])),
        4,
    )
    return report


def _clinc150_check(data_dir: Path, seed: int) -> dict:
    rows = [row for row in read_rows(data_dir, CLINC150) if row["in_scope"] == "True"]
    texts = [row["text"] for row in rows]
    labels = [row["intent"] for row in rows]
    splits = np.asarray([row["split"] for row in rows])
    train_rows, test_rows = np.flatnonzero(splits == "train"), np.flatnonzero(splits == "val")
    report = _score(embed(texts), texts, labels, train_rows, test_rows, seed, "clinc150")
    return {key: report[key] for key in ("n", "accuracy", "macro_f1", "top3_accuracy")}
