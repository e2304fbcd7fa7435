"""Whatever correctly signed JSON a sender posts, the answer is never a 500."""

import json

from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.signing import post_signed

# NUL and lone surrogates are valid JSON escapes that databases refuse: throw them in on purpose.
awkward = st.sampled_from(["\x00", "\ud800", "a\udfffb", "9" * 50, "2026-11-20T10:15:00+14:00"])
scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30) | awkward
)
anything = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
ids = st.one_of(st.text(max_size=20), st.integers(), st.none(), st.booleans(), anything)
datetimes = st.one_of(
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.isoformat()),
    st.text(max_size=30),
    anything,
)
plausible_message = st.fixed_dictionaries(
    {"id": ids, "text": st.one_of(st.text(), anything), "created_at": datetimes},
    optional={
        "author": st.one_of(
            ids, st.fixed_dictionaries({"id": ids}, optional={"handle": anything, "name": anything})
        ),
        "direction": st.one_of(st.sampled_from(["in", "out"]), anything),
        "in_reply_to": ids,
        "extra": anything,
    },
)
bodies = st.one_of(
    anything,
    st.fixed_dictionaries(
        {"messages": st.one_of(anything, st.lists(plausible_message | anything, max_size=5))}
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies, partial=st.booleans())
def test_random_signed_bodies_never_cause_a_500(client, hook, body, partial):
    cache.clear()  # each example starts with the channel's full rate allowance
    response = post_signed(client, hook, body, query="?partial=true" if partial else "")
    assert response.status_code in {202, 400, 413, 422}, response.content
    json.loads(response.content)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200))
def test_random_signed_bytes_never_cause_a_500(client, hook, raw):
    cache.clear()
    response = post_signed(client, hook, raw)
    assert response.status_code in {202, 400, 422}, response.content
