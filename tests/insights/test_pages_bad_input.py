"""Whatever a query string holds, the insights pages and downloads answer 4xx with a reason or a
page, never a 500: overflowing ids and dates, odd zones, huge page numbers, markup in values."""

import pytest

pytestmark = pytest.mark.django_db
URLS = [
    "/insights/",
    "/insights/care/",
    "/insights/conversations/",
    "/insights/export.csv",
    "/insights/conversations/export.csv",
]
ODD = [
    {"channel": ",,,"},
    {"queue": "-1"},
    {"since": "2026-02-30"},
    {"since": "\x00"},
    {"time_zone": "../../etc/passwd"},
    {"time_zone": "x" * 300},
    {"page": "99999999999"},
    {"group_by": "period", "group": "9999-99"},
    {"metric": "x" * 500},
    {"language": "e" * 100},
    {"kind": "<script>"},
]
REFUSED = [
    ({"agent": "99999999999999999999"}, "is not an id (too large)"),
    ({"channel": "99999999999999999999"}, "is not an id (too large)"),
    ({"until": "9999-12-31"}, "must be a date between 1970 and 2999"),
    ({"since": "0001-01-01"}, "must be a date between 1970 and 2999"),
]


def answer(client, url, params):
    response = client.get(url, params)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body.decode()


@pytest.mark.parametrize("params", ODD)
@pytest.mark.parametrize("url", URLS)
def test_odd_values_never_break_a_page(client, carol, url, params):
    client.force_login(carol)
    status, _ = answer(client, url, params)
    assert status < 500


@pytest.mark.parametrize(("params", "message"), REFUSED)
@pytest.mark.parametrize("url", URLS)
def test_out_of_range_ids_and_dates_are_refused_with_the_reason(client, carol, url, params, message):
    client.force_login(carol)
    status, body = answer(client, url, params)
    assert status == 400
    assert message in body


def test_a_drilled_row_with_an_overflowing_id_is_refused(client, carol):
    client.force_login(carol)
    status, body = answer(
        client, "/insights/conversations/", {"group_by": "channel", "group": "99999999999999999999"}
    )
    assert status == 400 and "is not an id (too large)" in body
