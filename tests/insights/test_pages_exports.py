"""Carol downloads what the page shows: its figures, or the conversations behind one, as CSV or JSONL."""

import csv
import io
import json

import pytest

from tests.insights.page_fixtures import build, only_sections
from townsquare.insights.figures import Figure

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return b"".join(response.streaming_content).decode()


def probe(frame, filters):
    return {"title": "Probe", "figures": {"share": Figure(0.25, 12, (0.05, 0.57), "share")}}


def test_figures_as_csv_under_the_page_filters(client, carol, twitter, monkeypatch):
    made = build(twitter)
    only_sections(monkeypatch, probe=probe)
    client.force_login(carol)
    response = client.get("/insights/export.csv", {"channel": made["email_channel"].pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body(response))))
    first = next(r for r in rows if r["section"] == "headline" and r["column"] == "first_response_seconds")
    # Email's four waits are all 30 minutes.
    assert float(first["value"]) == 1800.0 and first["n"] == "4" and first["too_small"] == "True"
    share = next(r for r in rows if r["section"] == "probe")
    assert (share["value"], share["n"], share["ci_low"], share["ci_high"]) == ("0.25", "12", "0.05", "0.57")


def test_one_section_as_jsonl(client, carol, twitter, monkeypatch):
    build(twitter)
    only_sections(
        monkeypatch, probe=probe, other=lambda frame, filters: {"title": "Other", "figures": {"x": 1}}
    )
    client.force_login(carol)
    response = client.get("/insights/export.jsonl", {"section": "probe"})
    rows = [json.loads(line) for line in body(response).splitlines()]
    assert {row["section"] for row in rows} == {"headline", "probe"}
    first = next(r for r in rows if r["column"] == "first_response_seconds")
    # All 15 waits: the 8th smallest is 8 minutes.
    assert first["value"] == 480.0 and first["n"] == 15


def test_conversations_behind_a_figure_as_jsonl(client, carol, twitter):
    made = build(twitter)
    client.force_login(carol)
    response = client.get(
        "/insights/conversations/export.jsonl", {"metric": "resolved", "channel": twitter.pk}
    )
    assert response.status_code == 200
    rows = [json.loads(line) for line in body(response).splitlines()]
    assert sorted(r["conversation_id"] for r in rows) == sorted(c.pk for c in made["twitter"][:8])
    assert all(r["status"] == "resolved" for r in rows)
    assert "text" not in rows[0] and "subject" not in rows[0]  # facts only, nothing personal


def test_the_drill_down_page_links_its_download(client, carol, twitter):
    build(twitter)
    client.force_login(carol)
    html = client.get("/insights/conversations/", {"metric": "resolved", "period": "month"}).content.decode()
    assert "/insights/conversations/export.csv?period=month&amp;metric=resolved" in html


@pytest.mark.parametrize(
    ("url", "params", "message"),
    [
        ("/insights/export.csv", {"period": "fortnight"}, "period must be one of"),
        ("/insights/export.csv", {"section": "astrology"}, "no insights section is called"),
        ("/insights/conversations/export.csv", {"metric": "vibes"}, "unknown metric"),
    ],
)
def test_bad_downloads_say_why(client, carol, url, params, message):
    client.force_login(carol)
    response = client.get(url, params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_unknown_format_is_404(client, carol):
    client.force_login(carol)
    assert client.get("/insights/export.xlsx").status_code == 404
