"""Scores with confidence intervals: accuracy, macro-F1 and per-class precision/recall/F1.

The 95% intervals come from a seeded percentile bootstrap (1,000 resamples of the rows). All
resamples are counted at once with one `bincount` per chunk, so 1,000 resamples of 10k rows take
well under a second.
"""

from collections.abc import Sequence

import numpy as np

RESAMPLES = 1000
_CHUNK = 100  # resamples counted per bincount: bounds memory at _CHUNK * n indices


def _confusions(gold: np.ndarray, predicted: np.ndarray, k: int, rows: np.ndarray) -> np.ndarray:
    """(len(rows), k, k) confusion counts, one per resample; rows holds each resample's row indices."""
    codes = gold * k + predicted
    offsets = (np.arange(rows.shape[0]) * k * k)[:, None]
    counts = np.bincount((codes[rows] + offsets).ravel(), minlength=rows.shape[0] * k * k)
    return counts.reshape(rows.shape[0], k, k)


def _scores(confusion: np.ndarray, counted: np.ndarray) -> dict[str, np.ndarray]:
    """Metrics from (..., k, k) confusion counts (gold on rows, prediction on columns); macro-F1
    averages the classes where `counted` is true."""
    true_positive = np.diagonal(confusion, axis1=-2, axis2=-1).astype(float)
    gold_count = confusion.sum(axis=-1)
    predicted_count = confusion.sum(axis=-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(predicted_count > 0, true_positive / predicted_count, 0.0)
        recall = np.where(gold_count > 0, true_positive / gold_count, 0.0)
        denominator = gold_count + predicted_count
        # A class absent from a resample (neither gold nor predicted) has no F1 there: NaN, left
        # out of that resample's macro-F1 and of the class's interval.
        f1 = np.where(denominator > 0, 2 * true_positive / denominator, np.nan)
        in_macro = np.where(counted, f1, np.nan)
        present = (~np.isnan(in_macro)).sum(axis=-1)
        macro_f1 = np.where(present > 0, np.nansum(in_macro, axis=-1) / np.maximum(present, 1), 0.0)
    total = confusion.sum(axis=(-2, -1))
    return {
        "accuracy": true_positive.sum(axis=-1) / np.maximum(total, 1),
        "macro_f1": macro_f1,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def _interval(values: np.ndarray) -> list[float]:
    values = values[~np.isnan(values)]
    if not len(values):
        return [0.0, 0.0]
    low, high = np.percentile(values, [2.5, 97.5], axis=0)
    return [round(float(low), 4), round(float(high), 4)]


def evaluate(
    gold: Sequence[str],
    predicted: Sequence[str],
    labels: Sequence[str] = (),
    seed: int = 0,
    task: str = "",
) -> dict:
    """The report: n, accuracy, macro_f1, ci95, per_class and confusion (JSON-ready).

    Classes are `labels` in that order followed by any other label seen in gold or prediction.
    Macro-F1 averages the classes that occur in gold plus the task's own `labels` that were
    predicted: a language predicted but absent from gold (an open label set) already costs the
    gold class its recall, and counting it as a zero-F1 class of its own would count it twice —
    and make the point estimate disagree with its bootstrap interval, where it is often absent.
    """
    gold, predicted = [str(label) for label in gold], [str(label) for label in predicted]
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    seen = set(gold) | set(predicted)
    classes = [label for label in labels if label in seen]
    classes += sorted(seen - set(classes))
    index = {label: position for position, label in enumerate(classes)}
    gold_ids = np.asarray([index[label] for label in gold], dtype=np.int64)
    predicted_ids = np.asarray([index[label] for label in predicted], dtype=np.int64)
    k, n = len(classes), len(gold_ids)
    full = _confusions(gold_ids, predicted_ids, k, np.arange(n)[None, :])[0] if n else np.zeros((k, k), int)
    declared = set(labels)
    counted = np.asarray([full[i].sum() > 0 or label in declared for i, label in enumerate(classes)])
    point = _scores(full, counted)
    rng = np.random.default_rng(seed)
    boot = {"accuracy": [], "macro_f1": [], "f1": []}
    for start in range(0, RESAMPLES if n else 0, _CHUNK):
        rows = rng.integers(0, n, size=(min(_CHUNK, RESAMPLES - start), n))
        scores = _scores(_confusions(gold_ids, predicted_ids, k, rows), counted)
        for key in boot:
            boot[key].append(scores[key])
    boot = {
        key: np.concatenate(parts) if parts else np.zeros((1, k) if key == "f1" else 1)
        for key, parts in boot.items()
    }
    per_class = {
        label: {
            "precision": round(float(point["precision"][i]), 4),
            "recall": round(float(point["recall"][i]), 4),
            "f1": round(float(np.nan_to_num(point["f1"][i])), 4),
            "support": int(full[i].sum()),
            "f1_ci95": _interval(boot["f1"][:, i]),
        }
        for i, label in enumerate(classes)
    }
    return {
        "task": task,
        "n": n,
        "accuracy": round(float(point["accuracy"]), 4),
        "macro_f1": round(float(point["macro_f1"]), 4),
        "ci95": {"accuracy": _interval(boot["accuracy"]), "macro_f1": _interval(boot["macro_f1"])},
        "per_class": per_class,
        "confusion": {"labels": classes, "matrix": full.astype(int).tolist()},
    }


def format_report(report: dict) -> str:
    """A human-readable report: headline scores, per-class table, confusion matrix."""
    ci = report["ci95"]
    lines = [
        f"task {report['task']}  n={report['n']}"
        + (f"  model {report['model']}" if report.get("model") else ""),
        f"accuracy  {report['accuracy']:.4f}  95% CI [{ci['accuracy'][0]:.4f}, {ci['accuracy'][1]:.4f}]",
        f"macro-F1  {report['macro_f1']:.4f}  95% CI [{ci['macro_f1'][0]:.4f}, {ci['macro_f1'][1]:.4f}]",
        "",
        f"{'class':<16} {'precision':>9} {'recall':>7} {'F1':>7} {'F1 95% CI':>17} {'support':>8}",
    ]
    for label, row in report["per_class"].items():
        low, high = row["f1_ci95"]
        lines.append(
            f"{label:<16} {row['precision']:>9.4f} {row['recall']:>7.4f} {row['f1']:>7.4f}"
            f" {f'[{low:.4f}, {high:.4f}]':>17} {row['support']:>8}"
        )
    labels = report["confusion"]["labels"]
    width = max([len(label) for label in labels] + [6]) + 1
    lines += [
        "",
        "confusion (rows: gold, columns: predicted)",
        " " * width + "".join(f"{x:>{width}}" for x in labels),
    ]
    for label, row in zip(labels, report["confusion"]["matrix"], strict=True):
        lines.append(f"{label:<{width}}" + "".join(f"{count:>{width}}" for count in row))
    return "\n".join(lines)
