"""Semantic spam head: youtube-spam (UCI, CC BY 4.0) with the fast head's 20% held-out split, plus
TWEET_HAM_ROWS xlmt-sentiment train tweets (Apache-2.0) as ham at TWEET_HAM_WEIGHT, over
[embedding | fast-path word features].

The tweets are there for the same reason as in the fast head: without them "has a link" means
spam. The check is reported on data neither head trains on: the xlmt-sentiment *val* tweets that
contain a link, none of which is spam; `tweets_with_links_spam_rate` is the share scored >= 0.7
(the kind rules' spam threshold).
"""

from pathlib import Path

import numpy as np

from townsquare.triage.classify import SPAM_THRESHOLD
from townsquare.triage.embeddings import embed
from townsquare.triage.evaluation import evaluate
from townsquare.triage.refine import SPAM_SEMANTIC, fit_semantic_head, semantic_features
from townsquare.triage.training.datasets import held_out_split, read_rows

DATASET = "youtube-spam/youtube_spam.csv"
TWEETS = "xlmt-sentiment/train_val.csv"
TWEET_HAM_ROWS = 3000
TWEET_HAM_WEIGHT = 0.3
REGULARISATION = 10.0
LABELS = ("spam", "ham")


def train(data_dir: Path, out_dir: Path, seed: int) -> dict:
    rows = read_rows(data_dir, DATASET)
    texts = [row["content"] for row in rows]
    labels = [row["label"] for row in rows]
    train_rows, test_rows = held_out_split(labels, seed)
    tweets = read_rows(data_dir, TWEETS)
    train_tweets = [row["text"] for row in tweets if row["split"] == "train"]
    link_tweets = [row["text"] for row in tweets if row["split"] == "val" and "http" in row["text"].lower()]
    chosen = np.random.default_rng(seed).choice(
        len(train_tweets), min(TWEET_HAM_ROWS, len(train_tweets)), replace=False
    )
    all_texts = texts + [train_tweets[i] for i in chosen]
    all_labels = labels + ["ham"] * len(chosen)
    weights = np.concatenate([np.ones(len(texts)), np.full(len(chosen), TWEET_HAM_WEIGHT)])
    features = semantic_features(embed(all_texts), all_texts)
    extra = np.arange(len(texts), len(all_texts))

    def fit(rows_to_fit):
        return fit_semantic_head(
            SPAM_SEMANTIC,
            "spam",
            features[rows_to_fit],
            [all_labels[i] for i in rows_to_fit],
            seed,
            REGULARISATION,
            weights=weights[rows_to_fit],
        )

    held_out_head = fit(np.concatenate([train_rows, extra]))
    scores = held_out_head.scores(features[test_rows])
    predicted = ["spam" if score >= 0.5 else "ham" for score in scores]
    report = evaluate([labels[i] for i in test_rows], predicted, LABELS, seed=seed, task=SPAM_SEMANTIC)
    head = fit(np.arange(len(all_texts)))
    link_scores = (
        head.scores(semantic_features(embed(link_tweets), link_tweets)) if link_tweets else np.zeros(0)
    )
    path = head.save(out_dir)
    return {
        "model": SPAM_SEMANTIC,
        "data": "youtube-spam (+ xlmt-sentiment train tweets as ham; embedding + word features)",
        "rows": len(all_texts),
        "held_out": report,
        "positive": "spam",
        "tweets_with_links": len(link_tweets),
        "tweets_with_links_spam_rate": round(float((link_scores >= SPAM_THRESHOLD).mean()), 4)
        if len(link_scores)
        else 0.0,
        "artifact": str(path),
        "bytes": path.stat().st_size,
    }
