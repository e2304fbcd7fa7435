"""/imports/: Grace uploads a year of exported support tweets in the console, follows the import
while it runs, and downloads the reject report. Only admins and supervisors import."""

import csv
import io

import pytest
from django.urls import reverse

from tests.uploads import (
    BAD_LINES,
    FIXTURE_ROWS,
    NOT_TWCS,
    TWCS,
    TWCS_WITH_REJECTS,
    upload,
)
from townsquare.inbox.models import ImportRun, ImportStatus, Message

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_uploads")]
URL = reverse("web:imports")


@pytest.fixture
def post_upload(client, django_capture_on_commit_callbacks):
    """post_upload(content, **fields) -> response; the import runs when the upload commits."""

    def post(content=TWCS, **fields):
        data = {"format": "twcs", **fields}
        if content is not None:
            data["file"] = upload(content)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, data)

    return post


def status_partial(client, run) -> str:
    return client.get(reverse("web:import", args=[run.pk]), headers={"HX-Request": "true"}).content.decode()


def test_grace_uploads_and_sees_the_counts_and_the_reject_report(client, grace, twitter, post_upload):
    client.force_login(grace)
    page = client.get(URL).content.decode()
    assert 'enctype="multipart/form-data"' in page and "csrfmiddlewaretoken" in page
    assert f'href="{URL}" aria-current="page">Imports<' in page

    response = post_upload(TWCS_WITH_REJECTS, channel=twitter.pk)
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("web:import", args=[run.pk])

    html = client.get(response["Location"]).content.decode()
    assert "twcs_sample.csv" in html and "Done" in html and "by Grace" in html
    assert f'data-testid="count-stored">{FIXTURE_ROWS}<' in html
    assert 'data-testid="count-rejected">2<' in html
    assert 'hx-trigger="every 2s"' not in html  # finished: no more polling

    download = client.get(reverse("web:import-rejects", args=[run.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "text/csv"
    assert download["Content-Disposition"] == f'attachment; filename="import-{run.pk}-rejects.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert [row[0] for row in rows[1:]] == BAD_LINES

    listing = client.get(URL).content.decode()
    assert 'data-testid="import-row"' in listing and ">Grace<" in listing


def test_the_page_polls_every_two_seconds_until_the_import_finishes(client, carol, twitter):
    client.force_login(carol)
    client.post(
        URL, {"channel": twitter.pk, "format": "twcs", "file": upload()}
    )  # not committed: stays queued
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.QUEUED
    page = client.get(reverse("web:import", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Queued" in page
    partial = status_partial(client, run)
    assert "<html" not in partial
    assert 'hx-trigger="every 2s"' in partial

    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.DONE, read=38, stored=38)
    partial = status_partial(client, run)
    assert "Done" in partial and 'hx-trigger="every 2s"' not in partial
    assert 'data-testid="count-stored">38<' in partial


def test_uploading_the_same_file_again_stores_nothing_new(client, grace, twitter, post_upload):
    client.force_login(grace)
    post_upload(channel=twitter.pk)
    post_upload(channel=twitter.pk)
    again = ImportRun.objects.order_by("-id").first()
    assert (again.stored, again.duplicates) == (0, FIXTURE_ROWS)
    assert Message.objects.count() == FIXTURE_ROWS
    html = client.get(reverse("web:import", args=[again.pk])).content.decode()
    assert f'data-testid="count-duplicates">{FIXTURE_ROWS}<' in html
    assert "rejects-link" not in html
    assert client.get(reverse("web:import-rejects", args=[again.pk])).status_code == 404


def test_a_file_that_is_not_twcs_ends_failed_with_the_reason(client, grace, twitter, post_upload):
    client.force_login(grace)
    response = post_upload(NOT_TWCS, channel=twitter.pk)
    html = client.get(response["Location"]).content.decode()
    assert "Failed" in html and "not a TWCS file: the header needs tweet_id" in html


@pytest.mark.parametrize(
    ("content", "fields", "reason"),
    [
        (None, {}, "This field is required"),
        (b"", {}, "The submitted file is empty"),
        (TWCS, {"format": "xml"}, "Select a valid choice"),
        (TWCS, {"channel": 999_999}, "Select a valid choice"),
        (TWCS, {"channel": "twitter"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_a_400_with_the_reason(client, grace, twitter, post_upload, content, fields, reason):
    client.force_login(grace)
    response = post_upload(content, **{"channel": twitter.pk, **fields})
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_broken_multipart_body_is_a_400(client, grace):
    client.force_login(grace)
    response = client.post(URL, data=b"--x\r\nnot a part", content_type="multipart/form-data")
    assert response.status_code == 400
    assert not ImportRun.objects.exists()


def test_an_inactive_channel_is_refused_with_the_reason(client, grace, twitter, post_upload):
    twitter.is_active = False
    twitter.save()
    client.force_login(grace)
    assert "twitter (inactive)" in client.get(URL).content.decode()
    response = post_upload(channel=twitter.pk)
    assert response.status_code == 400
    assert "is inactive; an admin can reactivate it" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_an_oversize_file_is_a_413_with_the_limit(client, grace, twitter, post_upload, settings):
    settings.IMPORT_MAX_BYTES = 100
    client.force_login(grace)
    response = post_upload(channel=twitter.pk)
    assert response.status_code == 413
    assert "the limit is 100" in response.content.decode()
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("persona", ["alice", "bob", "eve", "farid"])
def test_other_roles_get_a_403_and_no_nav_link(client, request, twitter, grace, post_upload, persona):
    client.force_login(grace)
    post_upload(TWCS_WITH_REJECTS, channel=twitter.pk)
    run = ImportRun.objects.get()
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert post_upload(channel=twitter.pk).status_code == 403
    assert client.get(reverse("web:import", args=[run.pk])).status_code == 403
    assert client.get(reverse("web:import-rejects", args=[run.pk])).status_code == 403
    assert ImportRun.objects.count() == 1
    if persona in {"alice", "bob"}:
        assert reverse("web:imports") not in client.get(reverse("web:tokens")).content.decode()


def test_anonymous_visitors_go_to_the_login_page(client, twitter):
    for url in (URL, reverse("web:import", args=[1]), reverse("web:import-rejects", args=[1])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.post(URL, {"channel": twitter.pk, "format": "twcs", "file": upload()}).status_code == 302
    assert not ImportRun.objects.exists()


def test_an_unknown_import_is_a_404(client, carol):
    client.force_login(carol)
    assert client.get(reverse("web:import", args=[999])).status_code == 404
    assert client.get(reverse("web:import-rejects", args=[999])).status_code == 404
