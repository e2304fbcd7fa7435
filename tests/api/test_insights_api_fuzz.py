"""Whatever query string a supervisor sends to the insights endpoints, the answer is never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.factories import make_conversation

PARAMS = {
    "/api/v1/insights/report": [
        "since",
        "until",
        "channel",
        "queue",
        "agent",
        "kind",
        "period",
        "time_zone",
        "sections",
    ],
    "/api/v1/insights/sections/care": ["since", "until", "channel", "language", "level", "time_zone"],
    "/api/v1/insights/conversations": [
        "since",
        "until",
        "period",
        "time_zone",
        "metric",
        "group_by",
        "group",
        "limit",
        "offset",
    ],
    "/api/v1/insights/export": ["since", "until", "channel", "what", "format", "sections"],
}
awkward = st.sampled_from(
    [
        "\x00",
        "99999999999999999999999",
        "-1",
        "0",
        "9999-12-31",
        "9999-12-30",
        "²",
        "0001-01-01",
        "9999-12-31T23:59:59-14:00",
        "0001-01-01T00:00:00+14:00",
        "2026-11-20T10:00:00",
        "2026-13",
        "9999-12",
        "0001-01",
        "channel",
        "period",
        "none",
        "NaN",
        "é",
        "",
    ]
)
values = st.one_of(awkward, st.text(max_size=30), st.integers().map(str))


@pytest.fixture
def headers(carol, twitter, bearer):
    make_conversation(twitter, texts=("a", "b"))
    return bearer(carol)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=st.sampled_from(sorted(PARAMS)), data=st.data())
def test_random_insights_queries_never_cause_a_500(client, headers, url, data):
    names = data.draw(st.lists(st.sampled_from(PARAMS[url]), unique=True, max_size=4))
    params = {name: data.draw(values) for name in names}
    if url.endswith("/conversations") and "group" in params and data.draw(st.booleans()):
        params["group_by"] = data.draw(st.sampled_from(["period", "channel", "queue", "agent", "language"]))
    response = client.get(url, params, headers=headers)
    assert response.status_code in {200, 400, 422}, (params, response.content[:300])
