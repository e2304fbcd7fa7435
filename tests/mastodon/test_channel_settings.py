"""Configuring a Mastodon channel: what its settings must look like, said per setting."""

import pytest

from townsquare.connectors.base import ConfigInvalid
from townsquare.connectors.mastodon.connector import MastodonConnector
from townsquare.connectors.registry import connector_class


def problems(secrets=None, **settings) -> dict:
    connector = MastodonConnector(None, settings, {"access_token": "t"} if secrets is None else secrets)
    try:
        connector.validate()
    except ConfigInvalid as exc:
        return exc.fields
    return {}


def test_mastodon_channels_poll_and_send():
    cls = connector_class("mastodon")
    assert cls is MastodonConnector and cls.can_poll and cls.can_send
    names = [(s.name, s.secret) for s in cls.settings_schema]
    assert ("access_token", True) in names and ("base_url", False) in names


def test_an_https_instance_with_a_token_is_valid():
    assert problems(base_url="https://mastodon.social/") == {}
    assert problems(base_url="https://mastodon.social", poll_seconds="120", include_direct="false") == {}


def test_the_instance_and_the_token_are_required():
    assert problems(secrets={}) == {"base_url": "required", "access_token": "required"}


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://mastodon.social", "must use https (plain http only for an instance on this machine)"),
        ("ftp://mastodon.social", "must be the instance's address, like https://mastodon.social"),
        ("mastodon.social", "must be the instance's address, like https://mastodon.social"),
        (
            "https://me:pw@mastodon.social",
            "must be just the instance's address, without credentials, query or fragment",
        ),
        (
            "https://mastodon.social/?x=1",
            "must be just the instance's address, without credentials, query or fragment",
        ),
        ("https://mastodon.social:99999", "has an invalid port"),
    ],
)
def test_a_bad_instance_address_is_named(url, problem):
    assert problems(base_url=url) == {"base_url": problem}


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "http://localhost:3000", "http://[::1]:3000"])
def test_plain_http_is_allowed_for_an_instance_on_this_machine(url):
    assert problems(base_url=url) == {}


@pytest.mark.parametrize(
    ("value", "ok"), [(5, False), (10, True), (86400, True), (86401, False), ("soon", False)]
)
def test_the_poll_interval_has_bounds(value, ok):
    assert ("poll_seconds" not in problems(base_url="https://m.example", poll_seconds=value)) is ok


def test_the_account_must_look_like_a_handle():
    assert problems(base_url="https://m.example", account="@support@m.example") == {}
    assert problems(base_url="https://m.example", account="support team") == {
        "account": "must be a handle like @support@mastodon.social"
    }


def test_the_longest_post_has_bounds():
    assert problems(base_url="https://m.example", max_characters=0) == {
        "max_characters": "must be between 1 and 100000"
    }
