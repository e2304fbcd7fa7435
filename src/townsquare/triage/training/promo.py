"""Promo head (promotional / marketing language, also applied to the brand's outgoing replies).

Positives: youtube-spam spam comments (self-promotion: "check out my channel"), sms-promo-id
promo SMS (Indonesian), enron-spam spam e-mails (offers), and `promo_seed.csv` offers.
Negatives: youtube-spam ham, sms-promo-id not_promo (fraud rows dropped), enron-spam ham, and
`promo_seed.csv` helpful support replies in 13 languages. The hand-written seed rows weigh
SEED_WEIGHT each: they are the only examples of what the reply guard mostly sees (brand replies).
Enron is capped at ENRON_ROWS rows so e-mail does not dominate.
"""

import csv
from pathlib import Path

import numpy as np

from townsquare.triage.evaluation import evaluate
from townsquare.triage.training import fit_linear_head
from townsquare.triage.training.datasets import held_out_split, read_rows

NAME = "promo"
SEED_SET = Path(__file__).resolve().parent / "promo_seed.csv"
SEED_WEIGHT = 5.0
ENRON_ROWS = 1500


def _seed_rows() -> list[dict[str, str]]:
    with SEED_SET.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def collect(data_dir: Path, seed: int) -> tuple[list[str], list[str], list[str]]:
    """(texts, labels promo|not_promo, source name) over every promo source."""
    texts, labels, sources = [], [], []

    def add(source: str, text: str, is_promo: bool) -> None:
        texts.append(text)
        labels.append("promo" if is_promo else "not_promo")
        sources.append(source)

    for row in read_rows(data_dir, "youtube-spam/youtube_spam.csv"):
        add("youtube-spam", row["content"], row["label"] == "spam")
    for row in read_rows(data_dir, "sms-promo-id/dev.csv"):
        if row["label"] in ("promo", "not_promo"):
            add("sms-promo-id", row["text"], row["label"] == "promo")
    enron = read_rows(data_dir, "enron-spam/dev.csv")
    rng = np.random.default_rng(seed)
    for index in sorted(rng.permutation(len(enron))[:ENRON_ROWS]):
        add("enron-spam", enron[index]["text"], enron[index]["label"] == "spam")
    for row in _seed_rows():
        add("seed", row["text"], row["label"] == "promo")
    return texts, labels, sources


def train(data_dir: Path, out_dir: Path, seed: int) -> dict:
    texts, labels, sources = collect(data_dir, seed)
    strata = [f"{source}/{label}" for source, label in zip(sources, labels, strict=True)]
    train_rows, test_rows = held_out_split(strata, seed)
    weights = np.asarray([SEED_WEIGHT if source == "seed" else 1.0 for source in sources])
    head, report, predicted = fit_linear_head(
        NAME, texts, labels, train_rows, test_rows, seed, c=10.0, weights=weights
    )
    test_sources = np.asarray(sources)[test_rows]
    gold = np.asarray(labels)[test_rows]
    per_source = {
        source: evaluate(
            list(gold[test_sources == source]),
            list(predicted[test_sources == source]),
            ("promo", "not_promo"),
            seed=seed,
        )["per_class"]
        .get("promo", {})
        .get("f1", 0.0)
        for source in sorted(set(sources))
    }
    path = head.save(out_dir)
    return {
        "model": NAME,
        "data": "youtube-spam + sms-promo-id + enron-spam + promo_seed.csv",
        "rows": len(texts),
        "held_out": report,
        "positive": "promo",
        "per_source_f1": per_source,
        "artifact": str(path),
        "bytes": path.stat().st_size,
    }
