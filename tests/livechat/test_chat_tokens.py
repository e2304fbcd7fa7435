"""Session tokens and host identities, as the shop's developers would check their own signing."""

import time
import uuid

import pytest

from townsquare.livechat.origins import normalize_origin, origin_allowed
from townsquare.livechat.tokens import (
    IdentityRejected,
    identity_signature,
    read_session_token,
    session_token,
    verify_identity,
)

SECRET = "s3cret"  # noqa: S105 (the README example)


def test_a_token_names_its_session_and_channel_only():
    session = uuid.uuid4()
    token = session_token(session, 7)
    assert read_session_token(token, 7) == session
    assert read_session_token(token, 8) is None
    assert read_session_token(token + "x", 7) is None
    assert read_session_token(None, 7) is None
    assert read_session_token("x" * 600, 7) is None


def test_the_documented_signature_example():
    identity = {"email": "dana@example.org", "id": "u-77", "name": "Dana", "ts": 1763633700}
    assert identity_signature(SECRET, identity) == identity_signature(
        SECRET, dict(reversed(identity.items()))
    )
    # The README gives this example so host sites can check their own signing code.
    assert (
        identity_signature(SECRET, identity)
        == "c39441e662fe4c26bdca944b052735edd221d6b8790a3c3271ed3fbdf96165a3"
    )


def test_a_signed_identity_is_read_and_checked():
    identity = {"id": 77, "email": " Dana@Example.org ", "name": "Dana", "ts": int(time.time())}
    host = verify_identity(SECRET, identity, identity_signature(SECRET, identity).upper())
    assert (host.user_id, host.email, host.name) == ("77", "dana@example.org", "Dana")


@pytest.mark.parametrize(
    ("identity", "reason"),
    [
        ({"id": "u-1"}, "ts must be unix seconds"),
        ({"id": "u-1", "ts": True}, "ts must be unix seconds"),
        ({"id": "", "ts": 0}, "24 hours"),
        ({"id": "", "ts": "now"}, "ts must be unix seconds"),
        ({"id": ["u"], "ts": None}, "ts must be unix seconds"),
    ],
)
def test_malformed_identities_are_refused(identity, reason):
    with pytest.raises(IdentityRejected, match=reason):
        verify_identity(SECRET, identity, identity_signature(SECRET, identity))


def test_fields_are_checked_after_the_signature():
    now = int(time.time())
    for identity, reason in [
        ({"id": "", "ts": now}, "identity.id"),
        ({"id": "u-1", "email": "nope", "ts": now}, "identity.email"),
        ({"id": "u-1", "name": 5, "ts": now}, "identity.name"),
    ]:
        with pytest.raises(IdentityRejected, match=reason):
            verify_identity(SECRET, identity, identity_signature(SECRET, identity))


def test_origins_are_compared_by_scheme_host_and_port():
    assert normalize_origin("HTTPS://Shop.Example:443/") == "https://shop.example"
    assert normalize_origin("http://shop.example:8080") == "http://shop.example:8080"
    assert normalize_origin("javascript:alert(1)") == ""
    settings = {"allowed_origins": ["https://shop.example"]}
    assert origin_allowed("https://shop.example", "townsquare.example", settings)
    assert not origin_allowed("http://shop.example", "townsquare.example", settings)
    assert not origin_allowed("https://shop.example.evil", "townsquare.example", settings)
    assert origin_allowed("https://townsquare.example", "townsquare.example", settings)
    assert origin_allowed(None, "townsquare.example", settings)
    assert not origin_allowed("null", "townsquare.example", settings)
    assert origin_allowed("https://any.example", "x", {"allowed_origins": "*"})
