"""`townsquare triage-eval` and `triage-train`: JSON output and clear errors with exit code 2."""

import json

import pytest

from townsquare.cli import main


def _run(argv, capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


def _csv(tmp_path, content: str | bytes, name: str = "data.csv"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_json_output_is_one_object_with_scores_and_intervals(tmp_path, capsys):
    data = _csv(
        tmp_path,
        "Text,Label,lang,extra\n"
        "Check out my channel and subscribe http://youtu.be/x,spam,en,1\n"
        "this song never gets old,ham,en,2\n"
        "SUBSCRIBE to my channel for free gift cards,spam,en,3\n"
        "@acme my order never arrived,ham,en,4\n",
    )
    code, out, _ = _run(["triage-eval", "--task", "spam", "--data", str(data), "--json"], capsys)
    assert code == 0
    report = json.loads(out)
    assert report["task"] == "spam" and report["n"] == 4
    assert set(report) >= {"accuracy", "macro_f1", "ci95", "per_class", "confusion"}
    assert set(report["per_class"]["spam"]) == {"precision", "recall", "f1", "support", "f1_ci95"}


def test_plain_output_shows_the_confusion_matrix(tmp_path, capsys):
    data = _csv(tmp_path, "text,label\nI love it,positive\nthis is awful,negative\n")
    code, out, _ = _run(["triage-eval", "--task", "sentiment", "--data", str(data)], capsys)
    assert code == 0
    assert "macro-F1" in out and "confusion (rows: gold" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("text,gold\nhello,spam\n", "missing column(s) label"),
        ("text,label\nhello,ham\nbuy now,SPAMMY\n", "line 3: unknown spam label 'SPAMMY'"),
        (b"text,label\nhello,ham\n\xff\xfe bad,spam\n", "line 3 is not valid UTF-8"),
        ("text,label\n", "no data rows"),
    ],
)
def test_bad_input_is_a_clear_message_and_exit_code_2(tmp_path, capsys, content, message):
    data = _csv(tmp_path, content)
    code, out, err = _run(["triage-eval", "--task", "spam", "--data", str(data)], capsys)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert out == ""


def test_missing_file_and_unknown_task_exit_2(tmp_path, capsys):
    code, _, err = _run(["triage-eval", "--task", "spam", "--data", str(tmp_path / "nope.csv")], capsys)
    assert code == 2 and "no such file" in err
    code, _, err = _run(["triage-eval", "--task", "poetry", "--data", str(tmp_path / "nope.csv")], capsys)
    assert code == 2 and "invalid choice" in err


def test_triage_train_without_data_exits_2(tmp_path, capsys):
    code, _, err = _run(["triage-train", "--data", str(tmp_path / "nowhere"), "--out", str(tmp_path)], capsys)
    assert code == 2 and "does not exist" in err


def test_missing_artifacts_are_a_clear_error(tmp_path, capsys, monkeypatch):
    from townsquare.triage import classify, refine

    monkeypatch.setattr(classify.FastClassifier.load.__func__, "__defaults__", (tmp_path / "no-artifacts",))
    # Neither the semantic heads (tried first for spam) nor the fast ones are there.
    monkeypatch.setattr(refine, "semantic_heads_available", lambda directory=None: False)
    data = _csv(tmp_path, "text,label\nhello,ham\n")
    code, _, err = _run(["triage-eval", "--task", "spam", "--data", str(data)], capsys)
    assert code == 2 and "triage-train --only" in err
