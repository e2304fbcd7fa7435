"""Semantic spam and complaint heads (refine.py), their trainers, and how the pipeline and
`triage-eval` use them."""

import json
from pathlib import Path

import numpy as np
import pytest

from townsquare.cli import main
from townsquare.triage import refine
from townsquare.triage.classify import FastClassifier, decide_kinds
from townsquare.triage.complaint_stack import StackedComplaintHead, fit_stacked_complaint_head
from townsquare.triage.embeddings import embed
from townsquare.triage.features import featurize
from townsquare.triage.heads import ArtifactError, write_npz
from townsquare.triage.pipeline import triage, triage_fast, triage_semantic
from townsquare.triage.refine import Refined, SemanticHead, load_heads, refine_embedded
from townsquare.triage.training import complaint_semantic, spam_semantic
from townsquare.triage.training.run import available_trainers

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "triage" / "refine"
# Complaints without an English complaint word: the fast word head scores these below 0.4.
FOREIGN_COMPLAINTS = [
    "@acme dos semanas y nada, es ridículo. nunca vuelvo a comprar con ustedes",
    "@acme deux semaines et toujours rien, c'est ridicule. plus jamais chez vous",
]
ORDINARY_LINK_TWEETS = [
    "Great match tonight, full highlights here http://bbc.co.uk/sport/123",
    "Reading this thread about climate policy https://t.co/abc123",
]
SPAM = [
    "Check out my new video and subscribe to my channel http://youtu.be/abc",
    "Mira mi nuevo video y suscríbete a mi canal http://youtu.be/abc",
]


def _refined(texts):
    return refine_embedded(embed(texts), texts)


def test_foreign_language_complaints_are_recognised():
    assert all(result.complaint_score >= 0.7 for result in _refined(FOREIGN_COMPLAINTS))


def test_spam_is_caught_and_ordinary_tweets_with_links_are_not():
    spam, ordinary = _refined(SPAM), _refined(ORDINARY_LINK_TWEETS)
    assert all(result.spam_score >= 0.9 for result in spam)
    assert all(result.spam_score < 0.7 for result in ordinary)


def test_refine_embedded_shapes_and_empty_input():
    assert refine_embedded(np.zeros((0, 512), dtype=np.float32), []) == []
    results = _refined(["", "🙂", "x" * 5000])
    assert len(results) == 3 and all(isinstance(result, Refined) for result in results)
    assert all(
        0.0 <= value <= 1.0 for result in results for value in (result.spam_score, result.complaint_score)
    )
    with pytest.raises(ValueError):
        refine_embedded(np.zeros((2, 512), dtype=np.float32), ["only one"])


def test_heads_are_loaded_once():
    assert load_heads() is load_heads()


def test_artifact_with_other_features_is_refused(tmp_path):
    write_npz(
        tmp_path / "spam_semantic.npz",
        {
            "coef": np.zeros(10, dtype=np.float16),
            "intercept": np.zeros(1, dtype=np.float32),
            "positive": np.asarray("spam"),
            "feature_spec": np.asarray("something-else"),
        },
    )
    with pytest.raises(ArtifactError, match="retrain"):
        SemanticHead.load("spam_semantic", tmp_path)
    with pytest.raises(ArtifactError, match="missing"):
        SemanticHead.load("complaint_semantic", tmp_path)


def test_decide_kinds_reproduces_the_fast_classifier():
    texts = FOREIGN_COMPLAINTS + ORDINARY_LINK_TWEETS + SPAM + ["@acme how do I reset my password?"]
    fast = FastClassifier.load().classify(texts, brand_handles=["acme"])
    decisions = decide_kinds(
        texts,
        [score.spam_score for score in fast],
        [score.complaint_score for score in fast],
        [score.sentiment for score in fast],
        [score.sentiment_score for score in fast],
        ["acme"],
    )
    assert [(d.kind, d.invites_reply_score) for d in decisions] == [
        (score.kind, score.invites_reply_score) for score in fast
    ]


def test_semantic_path_refines_kind_and_triage_merges_it():
    fast = triage_fast(FOREIGN_COMPLAINTS, brand_handles=["acme"])
    semantic = triage_semantic(FOREIGN_COMPLAINTS, brand_handles=["acme"])
    merged = triage(FOREIGN_COMPLAINTS, brand_handles=["acme"])
    assert [labels.kind for labels in fast] != ["complaint", "complaint"]
    assert [result.kind for result in semantic] == ["complaint", "complaint"]
    assert [labels.kind for labels in merged] == ["complaint", "complaint"]
    assert all(labels.invites_reply for labels in merged)
    assert [labels.spam_score for labels in merged] == [result.spam_score for result in semantic]


def test_without_semantic_artifacts_the_fast_kind_stays(monkeypatch):
    monkeypatch.setattr(refine, "semantic_heads_available", lambda directory=None: False)
    semantic = triage_semantic(FOREIGN_COMPLAINTS)
    assert all(result.kind is None and result.spam_score is None for result in semantic)
    fast = triage_fast(FOREIGN_COMPLAINTS)
    assert [labels.kind for labels in triage(FOREIGN_COMPLAINTS)] == [labels.kind for labels in fast]


def test_trainers_are_registered():
    assert {"spam_semantic", "complaint_semantic"} <= set(available_trainers())


@pytest.mark.parametrize("trainer", [spam_semantic, complaint_semantic])
def test_trainer_writes_a_loadable_reproducible_artifact(trainer, tmp_path):
    first = trainer.train(FIXTURES, tmp_path / "a", seed=0)
    second = trainer.train(FIXTURES, tmp_path / "b", seed=0)
    path = Path(first["artifact"])
    assert path.read_bytes() == Path(second["artifact"]).read_bytes()
    assert first["held_out"]["n"] == 16 and first["positive"] in first["held_out"]["per_class"]
    loader = StackedComplaintHead if trainer is complaint_semantic else SemanticHead
    head = loader.load(path.stem, path.parent)
    assert head.positive == first["positive"]
    if trainer is spam_semantic:
        assert first["tweets_with_links"] == 10 and 0.0 <= first["tweets_with_links_spam_rate"] <= 1.0


def test_triage_eval_says_which_model_scored(tmp_path, capsys, monkeypatch):
    data = tmp_path / "data.csv"
    data.write_text(
        "text,label\n"
        + "".join(f'"{text}",spam\n' for text in SPAM)
        + "".join(f'"{text}",ham\n' for text in ORDINARY_LINK_TWEETS),
        encoding="utf-8",
    )
    with pytest.raises(SystemExit):
        main(["triage-eval", "--task", "spam", "--data", str(data), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report["model"] == "spam_semantic" and report["n"] == 4
    monkeypatch.setattr(refine, "semantic_heads_available", lambda directory=None: False)
    with pytest.raises(SystemExit):
        main(["triage-eval", "--task", "spam", "--data", str(data)])
    assert "model spam (fast)" in capsys.readouterr().out


def test_stacked_scoring_matches_each_head_on_the_shared_features():
    texts = SPAM + FOREIGN_COMPLAINTS + ["", "hello there http://x.co"]
    vectors = embed(texts)
    features = refine.semantic_features(vectors, texts)
    spam_head, complaint_head = load_heads()
    results = refine_embedded(vectors, texts)
    np.testing.assert_allclose([r.spam_score for r in results], spam_head.scores(features), atol=1e-5)
    np.testing.assert_allclose(
        [r.complaint_score for r in results], complaint_head.scores(vectors, featurize(texts), texts), atol=1e-5
    )


def test_shipped_complaint_head_stacks_an_embedding_svm_and_a_word_model():
    _, complaint_head = load_heads()
    assert isinstance(complaint_head, StackedComplaintHead)
    # The stacker trusts both views: each base model's log-odds raises P(complaint); positive valence lowers it.
    assert complaint_head.stack_coef.shape == (3,) and (complaint_head.stack_coef[:2] > 0).all()
    assert complaint_head.stack_coef[2] < 0
    assert len(complaint_head.support_vectors) > 100


def test_stacked_head_svm_matches_sklearn_and_stack_uses_both_views():
    from sklearn.svm import SVC

    from townsquare.triage.complaint_stack import SVM_C, SVM_GAMMA
    from townsquare.triage.training.datasets import read_rows
    from townsquare.triage.valence import compounds

    rows = read_rows(FIXTURES, "complaints-twitter/dev.csv")
    texts = [row["text"] for row in rows]
    labels = np.asarray([row["label_name"] for row in rows])
    vectors, words = embed(texts), featurize(texts)
    head = fit_stacked_complaint_head("complaint_semantic", vectors, words, texts, labels, seed=0)
    reference = SVC(C=SVM_C, kernel="rbf", gamma=SVM_GAMMA, class_weight="balanced").fit(
        vectors, labels == "complaint"
    )
    np.testing.assert_allclose(head.svm_logits(vectors), 2 * reference.decision_function(vectors), atol=1e-4)
    word_logits = np.asarray(words @ head.word_coef).ravel() + head.word_intercept
    expected = 1 / (
        1
        + np.exp(
            -(head.stack_coef @ np.vstack([head.svm_logits(vectors), word_logits, compounds(texts)]) + head.stack_intercept)
        )
    )
    np.testing.assert_allclose(head.scores(vectors, words, texts), expected, atol=1e-6)
    assert ((head.scores(vectors, words, texts) >= 0.5) == (labels == "complaint")).mean() > 0.8


def test_complaint_artifact_in_the_old_linear_format_is_refused(tmp_path):
    write_npz(
        tmp_path / "complaint_semantic.npz",
        {
            "coef": np.zeros(10, dtype=np.float16),
            "intercept": np.zeros(1, dtype=np.float32),
            "positive": np.asarray("complaint"),
            "feature_spec": np.asarray(refine.SEMANTIC_FEATURE_SPEC),
        },
    )
    with pytest.raises(ArtifactError, match="retrain"):
        StackedComplaintHead.load("complaint_semantic", tmp_path)
