"""Complaint head: complaints-twitter (Preotiuc-Pietro et al. 2019; licence not stated, the only
complaint data we have), 20% held out with the seed. Class-weighted: complaints are a third."""

from pathlib import Path

from townsquare.triage.training import fit_linear_head
from townsquare.triage.training.datasets import held_out_split, read_rows

NAME = "complaint"
DATASET = "complaints-twitter/dev.csv"


def train(data_dir: Path, out_dir: Path, seed: int) -> dict:
    rows = read_rows(data_dir, DATASET)
    texts = [row["text"] for row in rows]
    labels = [row["label_name"] for row in rows]
    train_rows, test_rows = held_out_split(labels, seed)
    head, report, _ = fit_linear_head(
        NAME, texts, labels, train_rows, test_rows, seed, c=10.0, class_weight="balanced"
    )
    path = head.save(out_dir)
    return {
        "model": NAME,
        "data": "complaints-twitter",
        "rows": len(rows),
        "held_out": report,
        "positive": "complaint",
        "artifact": str(path),
        "bytes": path.stat().st_size,
    }
