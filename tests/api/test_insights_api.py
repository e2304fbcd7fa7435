"""Carol the supervisor reads insights through the API; agents, ambassadors and customers may not."""

import csv
import io
import json

import pytest

from tests.insights.twcs_by_hand import headline, ingest, threads
from townsquare.insights import report as report_module
from townsquare.insights.export import CONVERSATION_COLUMNS
from townsquare.insights.figures import count

pytestmark = pytest.mark.django_db
URL = "/api/v1/insights"
HEADLINE = ("first_response_seconds", "resolution_seconds", "resolution_rate")


@pytest.fixture(autouse=True)
def probe_section(monkeypatch):
    """Only a section registered by the test (a figure, a table row, a series point): these tests
    are about the API; each area's own tests check its figures."""

    def probe(frame, filters):
        volume = count(len(frame))
        table = {
            "name": "all",
            "columns": ["volume"],
            "rows": [{"key": "x", "label": "All", "volume": volume}],
        }
        return {
            "title": "Probe",
            "figures": {"volume": volume},
            "tables": [table],
            "series": [{"name": "flat", "unit": "count", "points": [{"x": "2017-10-09", "y": volume}]}],
        }

    monkeypatch.setattr(report_module, "SECTION_MODULES", [])
    registered = dict(report_module.SECTIONS)
    report_module.SECTIONS.clear()
    report_module.SECTIONS["probe"] = probe
    yield probe
    report_module.SECTIONS.clear()
    report_module.SECTIONS.update(registered)


def test_supervisor_reads_the_report_with_the_figures_by_hand(client, carol, bearer):
    ingest()
    response = client.get(f"{URL}/report", headers=bearer(carol))
    assert response.status_code == 200
    body = response.json()
    expected = headline(threads())
    for name in HEADLINE:
        assert body[name]["n"] == expected[name]["n"]
        assert body[name]["value"] == pytest.approx(expected[name]["value"])
        assert body[name]["ci95"] == pytest.approx(expected[name]["ci95"], abs=1e-6)
    assert body["events_behind"] == 0


def test_filters_narrow_the_report(client, grace, bearer):
    ingest("twitter")
    ingest("second-account")
    headers = bearer(grace)
    both = client.get(f"{URL}/report", headers=headers).json()
    assert both["resolution_rate"]["n"] == 26
    one = client.get(f"{URL}/report", {"channel": "twitter"}, headers=headers).json()
    assert one["resolution_rate"]["n"] == 13
    started_on_10th = sum(t["start"].day == 10 for t in threads())
    day = client.get(f"{URL}/report", {"channel": "twitter", "until": "2017-10-10"}, headers=headers).json()
    assert day["resolution_rate"]["n"] == started_on_10th
    assert day["first_response_seconds"]["too_small"] is True


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"since": "last tuesday"}, "is not a date"),
        ({"since": "2017-10-12", "until": "2017-10-10"}, "until must be after since"),
        ({"channel": "myspace"}, "no channel is named 'myspace'"),
        ({"queue": "billing"}, "queue must be ids"),
        ({"time_zone": "Mars/Olympus"}, "unknown time zone"),
        ({"until": "9999-12-31"}, "dates must fall between 1900 and 2999"),
        ({"until": "9999-12-30", "time_zone": "Etc/GMT+12"}, "dates must fall between 1900 and 2999"),
        ({"since": "0001-01-01", "time_zone": "Asia/Tokyo"}, "dates must fall between 1900 and 2999"),
        ({"agent": "99999999999999999999999"}, "agent ids run from 1 to"),
        ({"sections": "horoscope"}, "no section named horoscope"),
    ],
)
def test_bad_filters_answer_400_with_the_reason(client, carol, bearer, query, message):
    response = client.get(f"{URL}/report", query, headers=bearer(carol))
    assert response.status_code == 400, response.content
    assert message in response.json()["detail"]


def test_a_period_that_does_not_exist_answers_422(client, carol, bearer):
    response = client.get(f"{URL}/report", {"period": "fortnight"}, headers=bearer(carol))
    assert response.status_code == 422


@pytest.mark.parametrize("who", ["alice", "bob", "eve", "farid"])
def test_other_roles_are_refused(client, bearer, request, who):
    user = request.getfixturevalue(who)
    for path in ("/report", "/sections/probe", "/export", "/conversations"):
        response = client.get(f"{URL}{path}", headers=bearer(user))
        assert response.status_code == 403, path
        assert "supervisors and admins" in response.json()["detail"]


def test_anonymous_callers_must_sign_in(client, db):
    assert client.get(f"{URL}/report").status_code == 401
    assert client.post(f"{URL}/refresh").status_code == 401


def test_one_section_or_404(client, carol, bearer):
    ingest()
    headers = bearer(carol)
    response = client.get(f"{URL}/sections/probe", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "probe"
    assert body["section"]["figures"]["volume"]["n"] == 13
    assert body["section"]["tables"][0]["rows"][0]["volume"]["value"] == 13
    missing = client.get(f"{URL}/sections/horoscope", headers=headers)
    assert missing.status_code == 404
    assert missing.json()["detail"] == "no section named horoscope"


def test_figures_export_as_csv_matches_the_json_report(client, carol, bearer):
    ingest()
    headers = bearer(carol)
    report = client.get(f"{URL}/report", headers=headers).json()
    response = client.get(f"{URL}/export", {"what": "figures", "format": "csv"}, headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_key = {(r["section"], r["table"], r["row"], r["column"]): r for r in rows}
    for name in HEADLINE:
        row = by_key[("headline", "", "", name)]
        figure = report[name]
        assert float(row["value"]) == pytest.approx(figure["value"])
        assert int(row["n"]) == figure["n"]
        assert [float(row["ci_low"]), float(row["ci_high"])] == pytest.approx(figure["ci95"])
        assert row["too_small"] == str(figure["too_small"])
    assert by_key[("probe", "figures", "", "volume")]["n"] == "13"
    assert by_key[("probe", "all", "All", "volume")]["value"] == "13.0"
    assert by_key[("probe", "flat", "2017-10-09", "y")]["unit"] == "count"


def test_conversations_export_as_jsonl_one_object_per_line_without_personal_data(client, carol, bearer):
    ingest()
    response = client.get(
        f"{URL}/export", {"what": "conversations", "format": "jsonl"}, headers=bearer(carol)
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    text = b"".join(response.streaming_content).decode()
    lines = text.splitlines()
    assert len(lines) == 13
    facts = [json.loads(line) for line in lines]
    assert sorted(
        f["first_response_seconds"] for f in facts if f["first_response_seconds"] is not None
    ) == sorted(t["first_response"] for t in threads() if t["first_response"] is not None)
    assert "VirginTrains" not in text and "105836" not in text and "Miriam" not in text


def test_admin_refreshes_the_projection_others_may_not(client, grace, carol, bearer):
    ingest()
    headers = bearer(grace)
    response = client.post(f"{URL}/refresh", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["events"] > 0 and body["conversations"] == 13 and body["events_behind"] == 0
    assert client.post(f"{URL}/refresh", headers=headers).json()["events"] == 0
    refused = client.post(f"{URL}/refresh", headers=bearer(carol))
    assert refused.status_code == 403
    assert refused.json()["detail"] == "only an admin can refresh insights"


def test_drill_down_lists_exactly_the_conversations_behind_a_figure_in_pages(client, carol, bearer):
    ingest()
    headers = bearer(carol)
    answered = sorted((t["start"] for t in threads() if t["first_response"] is not None), reverse=True)
    seen, offset = [], 0
    while offset is not None:
        page = client.get(
            f"{URL}/conversations", {"metric": "responded", "limit": 4, "offset": offset}, headers=headers
        )
        assert page.status_code == 200, page.content
        seen.extend(page.json()["items"])
        offset = page.json()["next_offset"]
    assert len(seen) == len(answered) == 11
    assert len({item["conversation_id"] for item in seen}) == 11
    assert [item["started_at"] for item in seen] == [
        moment.isoformat().replace("+00:00", "Z") for moment in answered
    ]
    assert all(item["first_response_seconds"] is not None for item in seen)
    assert set(seen[0]) == set(CONVERSATION_COLUMNS)


def test_drill_down_into_a_table_row(client, carol, bearer):
    from townsquare.inbox.models import Channel

    ingest("twitter")
    ingest("second-account")
    headers = bearer(carol)
    second = Channel.objects.get(name="second-account").pk
    query = {"metric": "resolved", "group_by": "channel", "group": str(second), "limit": 100}
    items = client.get(f"{URL}/conversations", query, headers=headers).json()["items"]
    assert len(items) == sum(t["resolved"] for t in threads()) == 11
    assert {item["channel_id"] for item in items} == {second}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"metric": "happiness"}, "unknown metric 'happiness'"),
        ({"group_by": "channel"}, "group_by and group go together"),
        ({"group_by": "metric", "group": "x"}, "group_by must be one of"),
        ({"group_by": "channel", "group": "twitter"}, "channel rows are ids (1 to"),
        ({"group_by": "agent", "group": "99999999999999999999999"}, "agent rows are ids"),
        ({"group_by": "queue", "group": "²"}, "or 'none', not '²'"),
        ({"group_by": "period", "group": "someday"}, "is not a week label"),
    ],
)
def test_bad_drill_downs_answer_400(client, carol, bearer, query, message):
    response = client.get(f"{URL}/conversations", query, headers=bearer(carol))
    assert response.status_code == 400, response.content
    assert message in response.json()["detail"]


def test_the_report_carries_every_section_and_what_it_covers(client, carol, bearer):
    ingest()
    body = client.get(f"{URL}/report", {"time_zone": "Europe/London"}, headers=bearer(carol)).json()
    assert body["probe"]["figures"]["volume"]["n"] == 13
    assert body["filters"]["time_zone"] == "Europe/London"
    assert body["min_n"] == 10


def test_under_asgi_the_export_streams_chunk_by_chunk(async_client, carol, bearer):
    from asgiref.sync import async_to_sync

    ingest()
    headers = bearer(carol)

    async def download():
        response = await async_client.get(f"{URL}/export", {"what": "conversations"}, headers=headers)
        assert response.is_async  # not read whole into memory before sending
        return response.status_code, b"".join([chunk async for chunk in response.streaming_content])

    status, body = async_to_sync(download)()
    assert status == 200
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert len(rows) == 13 and list(rows[0]) == list(CONVERSATION_COLUMNS)
