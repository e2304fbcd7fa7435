"""POST /channels/{id}/imports, GET /imports, /imports/{id}, /imports/{id}/rejects: a script of
Grace's uploads an export, polls the import and fetches the reject report."""

import csv
import io

import pytest
from django.test import Client

from tests.uploads import (
    BAD_LINES,
    FIXTURE_ROWS,
    NOT_TWCS,
    TWCS,
    TWCS_WITH_REJECTS,
    upload,
)
from townsquare.events.models import Event
from townsquare.inbox.models import Channel, ImportRun, ImportStatus, Message

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_uploads")]


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    """send(user_headers, channel_id, content, fmt) -> response; the import runs on commit."""

    def post(headers, channel_id, content=TWCS, fmt="twcs"):
        data = {}
        if fmt is not None:
            data["format"] = fmt
        if content is not None:
            data["file"] = upload(content)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/api/v1/channels/{channel_id}/imports", data, headers=headers)

    return post


def test_grace_uploads_polls_and_downloads_the_rejects(client, grace, twitter, bearer, send):
    headers = bearer(grace)
    response = send(headers, twitter.pk, TWCS_WITH_REJECTS)
    assert response.status_code == 202
    queued = response.json()
    assert queued["status"] == "queued" and queued["file_name"] == "twcs_sample.csv"
    assert queued["channel"] == "twitter" and queued["started_by"] == "grace"

    done = client.get(f"/api/v1/imports/{queued['id']}", headers=headers).json()
    assert done["status"] == "done" and done["finished_at"]
    assert (done["read"], done["stored"], done["duplicates"], done["rejected"]) == (
        FIXTURE_ROWS + 2,
        FIXTURE_ROWS,
        0,
        2,
    )
    assert done["rejects_url"] == f"/api/v1/imports/{queued['id']}/rejects"

    report = client.get(done["rejects_url"], headers=headers)
    assert report.status_code == 200 and report["Content-Type"] == "text/csv"
    assert report["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(b"".join(report.streaming_content).decode())))
    assert rows[0] == ["line", "reason", "excerpt"] and [row[0] for row in rows[1:]] == BAD_LINES
    assert Event.objects.filter(kind="import.queued", actor_id=grace.pk).count() == 1


def test_a_jsonl_file_is_imported_too(client, carol, hook, bearer, send):
    lines = [
        '{"id": "m-1", "author": "u-7", "text": "Mi pedido llegó roto", "created_at": "2026-11-20T10:15:00Z"}',
        '{"id": "m-2", "author": "brand", "direction": "out", "text": "¡Lo sentimos!", '
        '"created_at": "2026-11-20T10:20:00Z", "in_reply_to": "m-1"}',
        '{"id": "m-3", "text": "no author, no date"}',
    ]
    run = send(bearer(carol), hook.pk, "\n".join(lines).encode(), "jsonl").json()
    done = client.get(f"/api/v1/imports/{run['id']}", headers=bearer(carol)).json()
    assert (done["format"], done["status"], done["stored"], done["rejected"]) == ("jsonl", "done", 2, 1)


def test_uploading_the_same_file_again_stores_nothing_new(grace, twitter, bearer, send):
    headers = bearer(grace)
    send(headers, twitter.pk)
    again = send(headers, twitter.pk).json()
    run = ImportRun.objects.get(pk=again["id"])
    assert (run.status, run.stored, run.duplicates) == (ImportStatus.DONE, 0, FIXTURE_ROWS)
    assert Message.objects.count() == FIXTURE_ROWS


def test_a_file_that_is_not_twcs_ends_failed_with_the_reason(client, grace, twitter, bearer, send):
    headers = bearer(grace)
    run_id = send(headers, twitter.pk, NOT_TWCS).json()["id"]
    failed = client.get(f"/api/v1/imports/{run_id}", headers=headers).json()
    assert failed["status"] == "failed"
    assert failed["error"].startswith("not a TWCS file: the header needs tweet_id")
    assert failed["rejects_url"] is None
    assert client.get(f"/api/v1/imports/{run_id}/rejects", headers=headers).status_code == 404


@pytest.mark.parametrize(
    ("content", "fmt", "field", "reason"),
    [
        (None, "twcs", "file", "Field required"),
        (TWCS, None, "format", "Field required"),
        (TWCS, "xml", "format", "Input should be 'twcs' or 'jsonl'"),
        (b"", "twcs", "file", "the file is empty"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(grace, twitter, bearer, send, content, fmt, field, reason):
    response = send(bearer(grace), twitter.pk, content, fmt)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors[0]["loc"][-1] == field and reason in errors[0]["msg"]
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("content_type", ["multipart/form-data", "multipart/form-data; boundary=x"])
def test_a_broken_multipart_body_is_a_400_or_422(client, grace, twitter, bearer, content_type):
    response = client.post(
        f"/api/v1/channels/{twitter.pk}/imports",
        data=b"--x\r\nnot a part",
        content_type=content_type,
        headers=bearer(grace),
    )
    assert response.status_code in {400, 422} and response.json()["detail"]
    assert not ImportRun.objects.exists()


def test_an_unknown_channel_is_a_404(grace, bearer, send):
    response = send(bearer(grace), 999_999)
    assert response.status_code == 404 and response.json()["detail"] == "channel 999999 not found"


def test_an_inactive_channel_is_a_409(grace, bearer, send):
    channel = Channel.objects.create(name="old-export", is_active=False)
    response = send(bearer(grace), channel.pk)
    assert response.status_code == 409 and "inactive" in response.json()["detail"]


def test_an_oversize_file_is_a_413(grace, twitter, bearer, send, settings):
    settings.IMPORT_MAX_BYTES = 100
    response = send(bearer(grace), twitter.pk)
    assert response.status_code == 413 and "the limit is 100" in response.json()["detail"]
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("persona", ["alice", "bob", "eve", "farid"])
def test_other_roles_get_a_403_everywhere(client, request, grace, twitter, bearer, send, persona):
    run_id = send(bearer(grace), twitter.pk, TWCS_WITH_REJECTS).json()["id"]
    headers = bearer(request.getfixturevalue(persona))
    # Refused before the channel is looked up: an unknown id is a 403 too, not a 404.
    assert send(headers, 999_999).status_code == 403
    assert send(headers, twitter.pk).status_code == 403
    for url in ("/api/v1/imports", f"/api/v1/imports/{run_id}", f"/api/v1/imports/{run_id}/rejects"):
        response = client.get(url, headers=headers)
        assert response.status_code == 403 and "admin or a supervisor" in response.json()["detail"]
    assert ImportRun.objects.count() == 1


def test_anonymous_callers_get_a_401(client, twitter, send):
    assert send({}, twitter.pk).status_code == 401
    for url in ("/api/v1/imports", "/api/v1/imports/1", "/api/v1/imports/1/rejects"):
        assert client.get(url).status_code == 401
    assert not ImportRun.objects.exists()


def test_the_console_session_needs_the_csrf_token(grace, twitter):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(grace)
    url = f"/api/v1/channels/{twitter.pk}/imports"
    assert browser.post(url, {"format": "twcs", "file": upload()}).status_code == 403
    browser.get("/login/")
    token = browser.cookies["csrftoken"].value
    response = browser.post(url, {"format": "twcs", "file": upload()}, headers={"X-CSRFToken": token})
    assert response.status_code == 202


def test_the_list_pages_newest_first_and_filters(client, carol, grace, twitter, hook, bearer, send):
    headers = bearer(grace)
    for channel in (twitter, hook, twitter):
        send(headers, channel.pk)
    carols = bearer(carol)
    first = client.get("/api/v1/imports?limit=2", headers=carols).json()
    second = client.get(f"/api/v1/imports?limit=2&cursor={first['next_cursor']}", headers=carols).json()
    ids = [item["id"] for item in first["items"] + second["items"]]
    assert ids == sorted(ImportRun.objects.values_list("id", flat=True), reverse=True)
    assert second["next_cursor"] is None
    only_hook = client.get(f"/api/v1/imports?channel={hook.pk}", headers=carols).json()["items"]
    assert [item["channel"] for item in only_hook] == ["shop-webhook"]
    done = client.get("/api/v1/imports?status=done", headers=carols).json()["items"]
    assert len(done) == 3
    assert client.get("/api/v1/imports?status=lost", headers=carols).status_code == 422
    assert client.get("/api/v1/imports?cursor=nonsense", headers=carols).status_code == 400


def test_an_unknown_import_is_a_404(client, carol, bearer):
    headers = bearer(carol)
    assert client.get("/api/v1/imports/999", headers=headers).json() == {"detail": "import 999 not found"}
    assert client.get("/api/v1/imports/999/rejects", headers=headers).status_code == 404


def test_openapi_describes_the_multipart_upload_and_the_csv(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    upload_op = paths["/api/v1/channels/{channel_id}/imports"]["post"]
    form = upload_op["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert set(form["required"]) == {"file", "format"}
    assert {"202", "400", "403", "404", "409", "413", "422"} <= set(upload_op["responses"])
    rejects = paths["/api/v1/imports/{import_id}/rejects"]["get"]["responses"]
    assert "text/csv" in rejects["200"]["content"]
