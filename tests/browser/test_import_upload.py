"""Grace, in a real browser: uploads a year of exported support tweets on the Imports page, sees the
import finish with its counts, then uploads a file with bad rows and downloads its reject report."""

import csv
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD
from tests.uploads import BAD_LINES, FIXTURE, FIXTURE_ROWS, TWCS_WITH_REJECTS

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("import_uploads")]


def upload(page, path: Path) -> None:
    page.get_by_role("navigation").get_by_role("link", name="Imports").click()
    expect(page.get_by_role("heading", name="Imports", exact=True)).to_be_visible()
    page.get_by_label("Channel").select_option("twitter")
    page.get_by_label("Format").select_option("twcs")
    page.get_by_label("File", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="Upload and import").click()


def test_grace_uploads_the_export_and_sees_the_import_finish(grace, twitter, live_server, page, tmp_path):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("grace")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("role")).to_have_text("Admin")

    upload(page, FIXTURE)
    expect(page.get_by_role("heading", name="Import of twcs_sample.csv")).to_be_visible()
    expect(page.get_by_test_id("import-state")).to_have_text("Done")
    expect(page.get_by_test_id("count-read")).to_have_text(str(FIXTURE_ROWS))
    expect(page.get_by_test_id("count-stored")).to_have_text(str(FIXTURE_ROWS))
    expect(page.get_by_test_id("count-rejected")).to_have_text("0")
    expect(page.get_by_test_id("rejects-link")).to_have_count(0)
    screenshot(page, "import-done.png")

    with_rejects = tmp_path / "support-tweets.csv"
    with_rejects.write_bytes(TWCS_WITH_REJECTS)
    upload(page, with_rejects)
    expect(page.get_by_test_id("import-state")).to_have_text("Done")
    expect(page.get_by_test_id("count-duplicates")).to_have_text(str(FIXTURE_ROWS))
    expect(page.get_by_test_id("count-stored")).to_have_text("0")
    expect(page.get_by_test_id("count-rejected")).to_have_text("2")
    with page.expect_download() as download_info:
        page.get_by_test_id("rejects-link").click()
    report = Path(download_info.value.path())
    rows = list(csv.reader(report.open(encoding="utf-8")))
    assert [row[0] for row in rows[1:]] == BAD_LINES

    page.get_by_role("link", name="‹ Imports").click()
    expect(page.get_by_test_id("import-row")).to_have_count(2)
    screenshot(page, "imports-list.png")
