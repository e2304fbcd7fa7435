"""Grace scripts consent: `townsquare consent record|show|import`, bad rows reported by line."""

import json

import pytest
from django.core.management import CommandError, call_command

from townsquare.events.models import Event
from townsquare.people.consent import has_consent
from townsquare.people.models import ConsentRecord


def run(*args) -> tuple[str, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("consent", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_record_and_show(grace, dana):
    run("record", str(dana.pk), "offers", "grant", "--wording", "Offers: yes", "--as", "grace")
    assert has_consent(dana, "offers")
    body = json.loads(run("show", str(dana.pk), "--json")[0])
    assert body["state"]["offers"]["granted"] is True and body["state"]["offers"]["recorded_by"] == "grace"
    assert "offers            granted" in run("show", str(dana.pk))[0]


def test_ambassador_cannot_record(bob, dana):
    with pytest.raises(CommandError, match="only admins, supervisors and agents"):
        run("record", str(dana.pk), "offers", "grant", "--wording", "x", "--as", "bob")


def test_import_keeps_valid_rows_and_reports_bad_ones_by_line(grace, dana, tmp_path):
    path = tmp_path / "consent.csv"
    path.write_text(
        "customer_id,purpose,granted,source,wording,recorded_at\n"
        f"{dana.pk},offers,yes,import,Yes to offers,2025-03-01T10:00:00Z\n"
        f"{dana.pk},newsletter,yes,import,Yes,\n"
        "999999999,offers,yes,import,Yes,\n"
        f"{dana.pk},offers,maybe,import,Yes,\n"
        f"{dana.pk},offers,yes,import,Yes,2025-13-45T10:00:00\n"
        f"{dana.pk},product_news,no,email,Unsubscribe,\n",
        encoding="utf-8",
    )
    out, err = run("import", str(path), "--as", "grace")
    assert json.loads(out) == {"stored": 2, "rejected": 4}
    assert err.splitlines() == [
        "line 3: unknown purpose 'newsletter': use one of support_followup, product_news, offers,"
        " community_publish",
        "line 4: no customer '999999999'",
        "line 5: granted must be yes or no, not 'maybe'",
        "line 6: recorded_at '2025-13-45T10:00:00' is not an ISO 8601 date and time",
    ]
    imported = ConsentRecord.objects.get(purpose="offers")
    assert imported.recorded_at.isoformat() == "2025-03-01T10:00:00+00:00" and imported.recorded_by == grace
    assert (
        Event.objects.filter(kind="consent.granted").get().data["recorded_at"] == "2025-03-01T10:00:00+00:00"
    )


def test_import_refuses_a_file_without_the_columns(grace, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("customer,answer\n1,yes\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing columns customer_id, purpose, granted, source, wording"):
        run("import", str(path), "--as", "grace")
