"""`townsquare triage-train` and `townsquare triage-eval`: plain Python, no Django needed.

Bad input (missing file or columns, empty file, unknown labels, invalid UTF-8) is reported in one
line on stderr with exit code 2, never a traceback.
"""

import argparse
import csv
import io
import json
import sys
from pathlib import Path

from townsquare.triage.labels import KINDS, SENTIMENTS

TASKS = ("spam", "complaint", "sentiment", "intent", "language", "kind")
# The labels each task accepts in gold data; None: any string.
TASK_LABELS = {
    "spam": ("spam", "ham"),
    "complaint": ("complaint", "not_complaint"),
    "sentiment": SENTIMENTS,
    "kind": KINDS,
    "intent": None,
    "language": None,
}


class InputError(Exception):
    """Something wrong with what the user gave us; the message says what and where."""


def read_labelled_csv(path: Path, task: str) -> tuple[list[str], list[str]]:
    """(texts, labels) from a CSV with `text` and `label` columns (any case, extra columns ignored)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    raw = path.read_bytes()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(f"{path}: line {line} is not valid UTF-8") from None
    reader = csv.reader(io.StringIO(content, newline=""))
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise InputError(f"{path}: the file is empty (expected a header row with text,label)")
    columns = [cell.strip().lower() for cell in header]
    missing = [name for name in ("text", "label") if name not in columns]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)} (header: {','.join(header)})")
    text_at, label_at = columns.index("text"), columns.index("label")
    allowed = TASK_LABELS[task]
    texts, labels = [], []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(text_at, label_at):
            raise InputError(
                f"{path}: line {reader.line_num} has {len(row)} column(s), expected {len(header)}"
            )
        label = row[label_at].strip()
        if task == "language":
            label = label.lower()
        if allowed is not None and label not in allowed:
            raise InputError(
                f"{path}: line {reader.line_num}: unknown {task} label {label!r} (expected one of {', '.join(allowed)})"
            )
        if not label:
            raise InputError(f"{path}: line {reader.line_num}: empty label")
        texts.append(row[text_at])
        labels.append(label)
    if not texts:
        raise InputError(f"{path}: no data rows after the header")
    return texts, labels


def model_for(task: str) -> str:
    """Which model `predict` uses for `task`: the semantic spam/complaint heads (and the kind rules fed
    by them) when their artifacts are shipped, else the fast heads."""
    if task in ("spam", "complaint", "kind"):
        from townsquare.triage.refine import COMPLAINT_SEMANTIC, SPAM_SEMANTIC, semantic_heads_available

        if semantic_heads_available():
            return {
                "spam": SPAM_SEMANTIC,
                "complaint": COMPLAINT_SEMANTIC,
                "kind": "kind rules (semantic scores)",
            }[task]
        return {"spam": "spam (fast)", "complaint": "complaint (fast)", "kind": "kind rules (fast scores)"}[
            task
        ]
    return task


def predict(task: str, texts: list[str], train: tuple[list[str], list[str]] | None, seed: int) -> list[str]:
    """One predicted label per text for `task`, from the model `model_for(task)` names."""
    from townsquare.triage.text import clean

    texts = [clean(text) for text in texts]
    if task in ("spam", "complaint", "kind"):
        from townsquare.triage.refine import semantic_heads_available

        semantic = semantic_heads_available()
        if task == "kind":
            if semantic:
                from townsquare.triage.pipeline import triage_semantic

                return [result.kind for result in triage_semantic(texts)]
            from townsquare.triage.classify import FastClassifier

            return [score.kind for score in FastClassifier.load().classify(texts)]
        if semantic:
            from townsquare.triage.embeddings import embed
            from townsquare.triage.refine import refine_embedded

            scores = refine_embedded(embed(texts), texts)
        else:
            from townsquare.triage.classify import FastClassifier

            scores = FastClassifier.load().classify(texts)
        if task == "spam":
            return ["spam" if score.spam_score >= 0.5 else "ham" for score in scores]
        return ["complaint" if score.complaint_score >= 0.5 else "not_complaint" for score in scores]
    if task == "sentiment":
        try:
            from townsquare.triage.sentiment import predict_sentiment
        except ModuleNotFoundError as error:
            if error.name != "townsquare.triage.sentiment":
                raise
            from townsquare.triage.classify import FastClassifier

            return [score.sentiment for score in FastClassifier.load().classify(texts)]
        return [label for label, _ in predict_sentiment(texts)]
    if task == "language":
        from townsquare.triage.language import detect_languages, to_iso639_1

        return [to_iso639_1(code) for code, _ in detect_languages(texts)]
    from townsquare.triage.intents import IntentCatalogue

    if train is not None:
        catalogue = IntentCatalogue()
        catalogue.fit([clean(text) for text in train[0]], train[1], seed=seed)
    else:
        catalogue = IntentCatalogue.default()
    return [top[0][0] if top else "" for top in catalogue.predict(texts)]


def run_eval(task: str, data: Path, train: Path | None = None, seed: int = 0) -> dict:
    """The evaluation report for one labelled file (see evaluation.evaluate)."""
    from townsquare.triage.evaluation import evaluate

    texts, gold = read_labelled_csv(data, task)
    training = read_labelled_csv(train, task) if train is not None else None
    if training is not None and task != "intent":
        raise InputError("--train is only used by --task intent")
    predicted = predict(task, texts, training, seed)
    if task == "language":
        from townsquare.triage.language import to_iso639_1

        gold = [to_iso639_1(code) for code in gold]
    labels = TASK_LABELS[task] or sorted(set(gold))
    return {**evaluate(gold, predicted, labels, seed=seed, task=task), "model": model_for(task)}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="townsquare", description="Triage model training and evaluation.")
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("triage-train", help="train every triage model and print held-out scores")
    train.add_argument(
        "--data",
        type=Path,
        help="training data directory (default: $TOWNSQUARE_TRAINING_DATA or <repo>/../shared/data)",
    )
    train.add_argument("--out", type=Path, help="artifact directory (default: the package's artifacts/)")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--only", help="train one model only (spam, promo, complaint, sentiment_fast, …)")
    train.add_argument("--json", action="store_true", help="print the results as JSON")
    evaluate = commands.add_parser("triage-eval", help="score a labelled CSV (text,label) with 95%% CIs")
    evaluate.add_argument("--task", required=True, choices=TASKS)
    evaluate.add_argument("--data", required=True, type=Path)
    evaluate.add_argument(
        "--train", type=Path, help="intent only: fit the intent catalogue on this CSV first"
    )
    evaluate.add_argument("--json", action="store_true", help="print exactly one JSON object")
    evaluate.add_argument("--seed", type=int, default=0)
    intents = commands.add_parser(
        "triage-intents", help="fit the deployment's intent catalogue on a CSV (text,label)"
    )
    intents.add_argument(
        "--train", required=True, type=Path, help="labelled examples: text,label (label = intent)"
    )
    intents.add_argument(
        "--out",
        required=True,
        type=Path,
        help="where to write the catalogue (.npz, with a .json beside it); point "
        "$TOWNSQUARE_INTENT_CATALOGUE at it",
    )
    intents.add_argument("--seed", type=int, default=0)
    return parser


def main(argv: list[str]) -> int:
    """Run `triage-train` or `triage-eval`; returns the exit code (2 for bad input)."""
    arguments = _parser().parse_args(argv)
    from townsquare.triage.heads import ArtifactError

    try:
        if arguments.command == "triage-train":
            return _train(arguments)
        if arguments.command == "triage-intents":
            return _fit_intents(arguments)
        report = run_eval(arguments.task, arguments.data, arguments.train, arguments.seed)
    except (InputError, ArtifactError) as error:
        print(f"{arguments.command}: {error}", file=sys.stderr)
        return 2
    except ModuleNotFoundError as error:
        if not (error.name or "").startswith("townsquare.triage."):
            raise
        print(
            f"triage-eval: --task {arguments.task} needs {error.name}, which is not installed",
            file=sys.stderr,
        )
        return 2
    from townsquare.triage.evaluation import format_report

    print(json.dumps(report) if arguments.json else format_report(report))
    return 0


def _train(arguments: argparse.Namespace) -> int:
    from townsquare.triage.heads import ARTIFACTS
    from townsquare.triage.training.datasets import DataMissing, default_data_dir
    from townsquare.triage.training.run import format_table, train_all

    try:
        results = train_all(
            arguments.data or default_data_dir(), arguments.out or ARTIFACTS, arguments.seed, arguments.only
        )
    except (DataMissing, KeyError) as error:
        print(f"triage-train: {error.args[0]}", file=sys.stderr)
        return 2
    print(json.dumps(results, default=str) if arguments.json else format_table(results))
    return 0


def _fit_intents(arguments: argparse.Namespace) -> int:
    from townsquare.triage.intents import CATALOGUE_VARIABLE, IntentCatalogue

    texts, labels = read_labelled_csv(arguments.train, "intent")
    out = arguments.out if arguments.out.suffix == ".npz" else arguments.out.with_suffix(".npz")
    try:
        catalogue = IntentCatalogue().fit(texts, labels, seed=arguments.seed)
    except ValueError as error:
        raise InputError(f"{arguments.train}: {error}") from None
    out.parent.mkdir(parents=True, exist_ok=True)
    catalogue.save(out)
    print(
        f"{len(set(labels))} intents from {len(texts)} examples written to {out}; "
        f"set {CATALOGUE_VARIABLE}={out.resolve()} for triage to use it"
    )
    return 0
