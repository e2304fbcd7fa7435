"""Grace runs `townsquare report` over imported support tweets and checks the figures by hand."""

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from tests.insights.twcs_by_hand import headline, ingest, threads
from townsquare.cli import main
from townsquare.events.models import Event
from townsquare.inbox.models import Channel

pytestmark = pytest.mark.django_db
HEADLINE = ("first_response_seconds", "resolution_seconds", "resolution_rate")
OCT_11 = datetime(2017, 10, 11, tzinfo=UTC)


def report(*args) -> dict:
    out = io.StringIO()
    call_command("report", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def assert_headline(got: dict, expected: dict) -> None:
    for name in HEADLINE:
        assert got[name]["n"] == expected[name]["n"], name
        assert got[name]["value"] == pytest.approx(expected[name]["value"]), name
        assert got[name]["ci95"] == pytest.approx(expected[name]["ci95"], abs=1e-6), name


def test_json_headline_matches_the_threads_by_hand():
    ingest()
    got = report()
    expected = headline(threads())
    assert expected["resolution_rate"]["n"] == 13  # the sample's threads, one brand-only
    assert_headline(got, expected)
    assert got["first_response_seconds"]["too_small"] is False
    assert got["filters"]["channel"] == []


def test_the_command_folds_new_events_itself():
    ingest()
    assert report()["resolution_rate"]["n"] == 13
    ingest("second-account")  # the same tweets again, on another channel: 13 more threads
    assert report()["resolution_rate"]["n"] == 26


def test_since_and_until_narrow_to_the_threads_started_in_those_days():
    ingest()
    every = threads()
    from_11th = [t for t in every if t["start"] >= OCT_11]
    on_10th = [t for t in every if t["start"] < OCT_11]
    assert from_11th and on_10th
    assert_headline(report("--since", "2017-10-11"), headline(from_11th))
    # A bare --until date includes that whole day.
    until = report("--until", "2017-10-10")
    assert until["resolution_rate"]["n"] == len(on_10th)
    assert until["first_response_seconds"]["too_small"] is True


def test_channel_narrows_by_name_or_id():
    ingest("twitter")
    ingest("second-account")
    expected = headline(threads())
    assert_headline(report("--channel", "twitter"), expected)
    second = Channel.objects.get(name="second-account").pk
    assert_headline(report("--channel", str(second)), expected)
    assert report("--channel", "twitter", "second-account")["resolution_rate"]["n"] == 26


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "yesterday"], "not a date"),
        (["--until", "2017-13-45"], "not a date"),
        (["--since", "2017-10-12", "--until", "2017-10-10"], "until must be after since"),
        (["--channel", "myspace"], "no channel is named 'myspace'"),
        (["--channel", "99999999999999999999999"], "channel ids run from 1 to"),
        (["--until", "9999-12-31"], "dates must fall between 1900 and 2999"),
        (["--queue", "billing"], "queue must be ids"),
        (["--period", "fortnight"], "period must be one of"),
        (["--time-zone", "Mars/Olympus"], "unknown time zone"),
        (["--section", "horoscope"], "no section named horoscope"),
        (["--conversations"], "--conversations needs --format"),
    ],
)
def test_bad_options_are_refused_with_the_reason(args, message):
    ingest()
    with pytest.raises(CommandError, match=message):
        call_command("report", *args, stdout=io.StringIO())


@pytest.fixture
def keep_connection(monkeypatch):
    """`townsquare CMD` closes the database connections when it ends; in a test that would close
    the test's own transaction (PostgreSQL)."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


def test_the_cli_exits_non_zero_with_a_message_not_a_trace(capsys, keep_connection):
    with pytest.raises(SystemExit) as exit_:
        main(["report", "--since", "yesterday"])
    assert exit_.value.code != 0
    err = capsys.readouterr().err
    assert "'yesterday' is not a date" in err
    assert "Traceback" not in err


def test_text_summary_gives_each_figure_with_n_and_ci_or_not_enough_data():
    ingest()
    expected = headline(threads())
    out = io.StringIO()
    call_command("report", stdout=out)
    text = out.getvalue()
    rate = expected["resolution_rate"]
    low, high = (f"{bound * 100:.1f}%" for bound in rate["ci95"])
    assert f"Resolution rate: {rate['value'] * 100:.1f}% (95% CI {low}–{high}, n = 13)" in text
    assert f"n = {expected['first_response_seconds']['n']})" in text
    narrow = io.StringIO()
    call_command("report", "--until", "2017-10-10", stdout=narrow)
    assert "First response (median): not enough data (n = 1)" in narrow.getvalue()


def test_dashed_commands_refresh_and_rebuild_the_projection(capsys, keep_connection):
    ingest()
    main(["insights-refresh", "--json"])
    folded = json.loads(capsys.readouterr().out)
    assert folded["events"] == Event.objects.count() and folded["events_behind"] == 0
    main(["insights-rebuild", "--json"])
    rebuilt = json.loads(capsys.readouterr().out)
    assert rebuilt["events"] == Event.objects.count()
    assert rebuilt["conversations"] == 13
    assert report()["resolution_rate"]["n"] == 13


def test_rows_as_csv_match_the_json_and_conversations_as_jsonl():
    ingest()
    expected = headline(threads())
    out = io.StringIO()
    call_command("report", "--format", "csv", "--section", "care", stdout=out)
    parsed = list(csv.DictReader(io.StringIO(out.getvalue())))
    rows = {(r["section"], r["column"]): r for r in parsed if r["table"] in ("", "figures")}
    for name in HEADLINE:
        assert int(rows[("headline", name)]["n"]) == expected[name]["n"]
        assert float(rows[("headline", name)]["value"]) == pytest.approx(expected[name]["value"])
    assert {section for section, _ in rows} == {"headline", "care"}
    facts = io.StringIO()
    call_command("report", "--format", "jsonl", "--conversations", "--since", "2017-10-11", stdout=facts)
    lines = [json.loads(line) for line in facts.getvalue().splitlines()]
    assert len(lines) == sum(t["start"] >= OCT_11 for t in threads())
    assert all(line["started_at"] >= "2017-10-11" for line in lines)
