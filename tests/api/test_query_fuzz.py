"""Whatever query string or path id a client sends to the read endpoints, the answer is never a 500."""

import base64
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.factories import make_conversation

LISTS = {
    "/api/v1/conversations": ["channel", "status", "q", "customer", "updated_since", "cursor", "limit"],
    "/api/v1/messages": ["channel", "conversation", "direction", "since", "cursor", "limit"],
}
ITEMS = [
    "/api/v1/conversations/{}",
    "/api/v1/conversations/{}/messages",
    "/api/v1/messages/{}",
    "/api/v1/channels/{}",
]

awkward = st.sampled_from(
    [
        "\x00",
        "99999999999999999999999",
        "-1",
        "0",
        "9999-12-31T23:59:59-14:00",
        "0001-01-01T00:00:00+14:00",
        "2026-11-20T10:00:00",
        "NaN",
        "é",
        "",
    ]
)
values = st.one_of(awkward, st.text(max_size=40), st.integers().map(str))


def cursor_of(name, moment, row_id) -> str:
    return base64.urlsafe_b64encode(json.dumps([name, moment, row_id]).encode()).decode()


@pytest.fixture
def headers(alice, twitter, bearer):
    make_conversation(twitter, texts=("a", "b"))
    return bearer(alice)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=st.sampled_from(sorted(LISTS)), data=st.data())
def test_random_query_strings_never_cause_a_500(client, headers, url, data):
    names = data.draw(st.lists(st.sampled_from(LISTS[url]), unique=True, max_size=4))
    params = {name: data.draw(values) for name in names}
    response = client.get(url, params, headers=headers)
    assert response.status_code in {200, 400, 422}, (params, response.content)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(template=st.sampled_from(ITEMS), value=values)
def test_random_path_ids_never_cause_a_500(client, headers, template, value):
    response = client.get(template.format(value), headers=headers)
    assert response.status_code in {200, 404, 422}, response.content


@pytest.mark.parametrize(
    "params",
    [
        {"channel": "99999999999999999999999"},
        {"customer": str(2**63)},
        {"updated_since": "9999-12-31T23:59:59-14:00"},
        {"q": "nul \x00 byte"},
        {"cursor": cursor_of("conversations", "9999-12-31T23:59:59-14:00", 1)},
        {"cursor": cursor_of("conversations", "2026-11-20T10:00:00+00:00", 2**70)},
        {"cursor": cursor_of("conversations", "2026-11-20T10:00:00", 1)},
    ],
)
def test_values_the_database_cannot_hold_are_refused_clearly(client, headers, params):
    response = client.get("/api/v1/conversations", params, headers=headers)
    assert response.status_code in {400, 422}
    assert response.json()["detail"]
