"""Whatever JSON an admin PATCHes into a channel's configuration, the answer is never a 500, and a
200 stores only values the setting's kind can hold."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.channel_kit import ProbeConnector, probe_channel
from townsquare.inbox.models import Channel
from townsquare.people.tokens import create_token

# NUL and lone surrogates are valid JSON escapes that databases refuse: throw them in on purpose.
awkward = st.sampled_from(
    ["\x00", "\ud800", "a\udfffb", "9" * 50, "1e400", "2²", "--5", "https://x\u2028.example"]
)
scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30) | awkward
)
values = st.recursive(scalars, lambda children: st.lists(children, max_size=4), max_leaves=10)
names = st.sampled_from([s.name for s in ProbeConnector.settings_schema]) | st.text(max_size=12) | awkward
# Mostly a usable host and port, so that many bodies get past the required settings to storage.
usable = st.fixed_dictionaries({"host": st.text(max_size=10) | awkward, "port": st.integers(1, 65535)})
random_settings = st.dictionaries(names, values, max_size=6)
bodies = st.fixed_dictionaries(
    {},
    optional={
        "settings": st.builds(lambda base, extra: {**base, **extra}, usable, random_settings)
        | random_settings
        | values,
        "secrets": st.dictionaries(names, scalars, max_size=3) | values,
        "is_active": scalars,
    },
)
KINDS = {"text": str, "password": str, "int": int, "bool": bool, "list": list, "email": str, "url": str}


@pytest.mark.django_db
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies)
def test_no_patch_is_a_500(client, grace, body):
    channel = Channel.objects.filter(name="probe-1").first() or probe_channel()
    token = create_token(grace, "fuzz")[1]
    response = client.patch(
        f"/api/v1/channels/{channel.pk}",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code in {200, 400, 422}, response.content[:300]
    stored = Channel.objects.get(pk=channel.pk).settings
    kinds = {s.name: s.kind for s in ProbeConnector.settings_schema}
    for name, value in stored.items():
        assert isinstance(value, KINDS[kinds[name]]), (name, value)
