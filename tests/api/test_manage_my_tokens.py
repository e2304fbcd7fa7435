"""Alice manages her own personal API tokens through the API."""

from townsquare.people.models import ApiToken

URL = "/api/v1/tokens"


def test_alice_creates_lists_and_revokes_a_token(client, alice, bearer):
    headers = bearer(alice)
    created = client.post(URL, {"name": "reporting"}, content_type="application/json", headers=headers)
    assert created.status_code == 201
    token = created.json()["token"]
    assert token.startswith("ts_") and created.json()["prefix"] == token[:10]

    listed = client.get(URL, headers={"Authorization": f"Bearer {token}"}).json()
    assert {t["name"] for t in listed} == {"reporting", "tests"}
    assert all("token" not in t for t in listed)

    token_id = created.json()["id"]
    assert client.delete(f"{URL}/{token_id}", headers=headers).status_code == 204
    assert client.get(URL, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert ApiToken.objects.get(pk=token_id).revoked_at is not None


def test_alice_cannot_revoke_carols_token(client, alice, carol, bearer):
    bearer(carol)
    carols = ApiToken.objects.get(user=carol)
    response = client.delete(f"{URL}/{carols.pk}", headers=bearer(alice))
    assert response.status_code == 404
    carols.refresh_from_db()
    assert carols.revoked_at is None


def test_anonymous_cannot_manage_tokens(client, db):
    assert client.get(URL).status_code == 401
    assert client.post(URL, {}, content_type="application/json").status_code == 401


def test_a_too_long_name_is_422(client, alice, bearer):
    response = client.post(URL, {"name": "x" * 101}, content_type="application/json", headers=bearer(alice))
    assert response.status_code == 422
