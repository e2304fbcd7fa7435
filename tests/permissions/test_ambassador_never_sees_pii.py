"""Bob (ambassador) handles Dana's community question; her email address, phone number and card
number are in the subject, the messages, a staff note, her profile and her email identity. No API
answer and no console page Bob can open shows any of them."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.permissions.calls import API_PREFIX, PATH_PARAM, operations
from tests.permissions.world import EMAIL, PII_VALUES
from townsquare.api.urls import api

pytestmark = pytest.mark.django_db

GET_OPERATIONS = [op for op in operations(api.get_openapi_schema()) if op.startswith("GET ")]
SKIPPED_PREFIXES = ("admin/", "api/")
CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def leaks(body: str) -> list[str]:
    return [value for value in PII_VALUES if value in body]


def api_url(operation: str, ids: dict) -> str:
    return API_PREFIX + PATH_PARAM.sub(lambda m: str(ids[m.group(1)]), operation.split(" ", 1)[1])


def test_the_seeded_data_is_really_there_for_staff(client, world):
    """Guards the test itself: Alice (agent) sees the raw values Bob must not."""
    body = client.get(
        api_url("GET /conversations/{conversation_id}/messages", world.ids), headers=world.headers("alice")
    ).content.decode()
    assert EMAIL in body
    client.force_login(world.users["alice"])
    page = client.get(f"/conversations/{world.ids['conversation_id']}/").content.decode()
    assert EMAIL in page


@pytest.mark.parametrize("operation", GET_OPERATIONS)
def test_no_api_answer_shows_bob_personal_data(client, world, operation):
    ids = {**world.ids, "token_id": world.tokens["bob"][0].pk}
    response = client.get(api_url(operation, ids), headers=world.headers("bob"))
    assert response.status_code != 500
    assert not leaks(response.content.decode()), f"{operation} shows Bob {leaks(response.content.decode())}"


def test_searching_the_api_for_her_address_finds_nothing_for_bob(client, world):
    response = client.get(API_PREFIX + "/conversations", {"q": EMAIL}, headers=world.headers("bob"))
    assert response.status_code in {200, 400}
    if response.status_code == 200:
        assert response.json()["items"] == []


# Community routes name their objects generically (<pk>, <slug>); the world's objects by route.
COMMUNITY_PARAMS = {
    "slug": "devices",
    "kind": "topic",
    "name": "pairing",
    "username": "farid",
    "invite_id": 1,
    # Insights downloads: /insights/export.csv
    "rows_format": "csv",
    # Live chat attachments: /livechat/<channel_id>/attachments/<attachment_id>
    "attachment_id": 1,
}


def path_id(route: str, name: str, ids: dict):
    if name == "pk":
        for part, key in (("/p/", "post_id"), ("suspensions/", "suspension_id"), ("spaces/", "space_id")):
            if part in route:
                return ids[key]
        return ids["topic_id"]
    return ids[name] if name in ids else COMMUNITY_PARAMS[name]


def console_paths(ids: dict):
    """Every console URL, with the world's ids in its path."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield "/" + CONVERTER.sub(lambda m, route=route: str(path_id(route, m.group(1), ids)), route)

    return list(walk(get_resolver().url_patterns))


def test_no_console_page_shows_bob_personal_data(client, world):
    ids = {**world.ids, "token_id": world.tokens["bob"][0].pk, "token": "csat-permission-matrix"}
    client.force_login(world.users["bob"])
    opened = []
    for path in console_paths(ids):
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(path, headers=headers)
            assert response.status_code != 500, path
            body = response.content.decode(errors="replace")
            assert not leaks(body), f"{path} shows Bob {leaks(body)}"
            if response.status_code == 200:
                opened.append(path)
    # He did open his conversation, the list and the search: the test looked at real pages.
    assert f"/conversations/{ids['conversation_id']}/" in opened and "/" in opened
    for query in ({"q": "refund"}, {"q": EMAIL}, {"q": "612"}):
        body = client.get("/", query).content.decode()
        # The search box shows back what Bob typed; nothing else may.
        body = body.replace(f'value="{query["q"]}"', "")
        assert not leaks(body), f"the list searched for {query} shows Bob {leaks(body)}"
    # Searching for her address finds nothing: matching it would tell him whose it is.
    found = client.get("/", {"q": EMAIL}).content.decode()
    assert 'data-testid="conversation-row"' not in found
    preview = client.get(
        f"/conversations/{ids['conversation_id']}/canned-preview", {"canned": ids["canned_id"]}
    )
    assert not leaks(preview.content.decode())
