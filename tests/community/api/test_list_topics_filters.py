"""Listing topics by space, tag, author and status, page by page with a cursor."""

import pytest

from townsquare.community.accepting import accept
from townsquare.community.posting import answer, ask

from .conftest import API

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(devices_space, espanol_space, members):
    farid, bob, dana = members["farid"], members["bob"], members["dana"]
    open_question = ask(
        farid, devices_space, "Battery drains overnight", "Even when switched off.", tags=["battery"]
    )
    solved = ask(dana, devices_space, "Which charger do I need?", "For the new model.", tags=["charging"])
    accept(dana, answer(bob, solved, "Any USB-C charger of 20 W or more."))
    spanish = ask(dana, espanol_space, "No carga el cargador", "Desde ayer no carga nada.")
    return {"open": open_question, "solved": solved, "spanish": spanish}


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_filters(client, board, devices_space, members):
    assert set(ids(client.get(f"{API}/topics?space={devices_space.pk}"))) == {
        board["open"].pk,
        board["solved"].pk,
    }
    assert ids(client.get(f"{API}/topics?tag=battery")) == [board["open"].pk]
    assert ids(client.get(f"{API}/topics?status=solved")) == [board["solved"].pk]
    assert set(ids(client.get(f"{API}/topics?status=unanswered"))) == {board["open"].pk, board["spanish"].pk}
    assert set(ids(client.get(f"{API}/topics?author={members['dana'].pk}"))) == {
        board["solved"].pk,
        board["spanish"].pk,
    }


def test_bad_filters_are_422(client, board):
    assert client.get(f"{API}/topics?status=open").status_code == 422
    assert client.get(f"{API}/topics?tag=Not%20A%20Tag").status_code == 422
    assert client.get(f"{API}/topics?limit=0").status_code == 422
    assert client.get(f"{API}/topics?cursor=garbage").status_code == 400


def test_pages_follow_the_cursor_without_repeats(client, board):
    seen, url = [], f"{API}/topics?limit=1"
    while url:
        response = client.get(url)
        seen += ids(response)
        cursor = response.json()["next_cursor"]
        url = f"{API}/topics?limit=1&cursor={cursor}" if cursor else None
    assert sorted(seen) == sorted(topic.pk for topic in board.values())
    assert len(seen) == 3
