"""`townsquare triage-train`: run every registered trainer, write artifacts, print a metrics table."""

import importlib
from pathlib import Path

from townsquare.triage.heads import ARTIFACTS
from townsquare.triage.training.datasets import DataMissing

# Fast-path trainers (this package) first, then the semantic path's when their modules exist.
TRAINERS = (
    "spam",
    "promo",
    "complaint",
    "sentiment_fast",
    "intents",
    "sentiment",
    "language",
    "language_hinglish",
    "spam_semantic",
    "complaint_semantic",
)


def available_trainers() -> dict[str, object]:
    """Trainer modules that import, by name; a module that is not there yet is skipped."""
    found = {}
    for name in TRAINERS:
        try:
            found[name] = importlib.import_module(f"townsquare.triage.training.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"townsquare.triage.training.{name}":
                raise
    return found


def train_all(
    data_dir: Path, out_dir: Path = ARTIFACTS, seed: int = 0, only: str | None = None
) -> list[dict]:
    """Train every available trainer (or just `only`) and return their result dicts, in order."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataMissing(
            f"training data directory {data_dir} does not exist (set TOWNSQUARE_TRAINING_DATA or pass --data)"
        )
    trainers = available_trainers()
    if only is not None:
        if only not in trainers:
            raise KeyError(f"unknown trainer {only!r}; available: {', '.join(trainers)}")
        trainers = {only: trainers[only]}
    results = []
    for name, module in trainers.items():
        result = dict(module.train(data_dir, Path(out_dir), seed))
        result.setdefault("model", name)
        results.append(result)
    return results


def _headline(result: dict) -> dict[str, float]:
    """The scores worth one table row: held-out accuracy, macro-F1 and F1 of the positive class,
    or whatever top-level numbers a trainer that does not use `held_out` reports."""
    report = result.get("held_out")
    if isinstance(report, dict) and "accuracy" in report and "macro_f1" in report:
        scores = {"accuracy": report["accuracy"], "macro_f1": report["macro_f1"]}
        positive = result.get("positive")
        if positive in report.get("per_class", {}):
            scores[f"f1({positive})"] = report["per_class"][positive]["f1"]
        return scores
    return {key: value for key, value in _numbers(result) if key not in ("rows", "bytes")}


def _numbers(value, prefix: str = ""):
    """(dotted.key, number) pairs inside nested dicts, for trainers with their own result shape."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _numbers(inner, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield prefix, value


def format_table(results: list[dict]) -> str:
    lines = [f"{'model':<16} {'rows':>7} {'bytes':>9}  held-out scores (95% CI)"]
    for result in results:
        report = result.get("held_out") if isinstance(result.get("held_out"), dict) else {}
        report = report if "per_class" in report else {}
        ci = report.get("ci95", {})
        parts = []
        for key, value in _headline(result).items():
            interval = ci.get(key)
            if interval is None and key.startswith("f1("):
                interval = report["per_class"][result["positive"]]["f1_ci95"]
            parts.append(
                f"{key} {value:.4g}" + (f" [{interval[0]:.3f}, {interval[1]:.3f}]" if interval else "")
            )
        lines.append(
            f"{result['model']:<16} {result.get('rows', ''):>7} {result.get('bytes', ''):>9}  "
            + "; ".join(parts)
        )
        for extra in ("per_language_macro_f1", "per_source_f1"):
            if extra in result:
                detail = ", ".join(f"{key} {value:.3f}" for key, value in result[extra].items())
                lines.append(f"{'':<16} {extra}: {detail}")
    return "\n".join(lines)
