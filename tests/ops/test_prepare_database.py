"""`townsquare run` migrates, and fills only an empty database with the demo."""

import pytest

from townsquare.inbox.models import Channel, Message
from townsquare.ops.startup import prepare_database

pytestmark = pytest.mark.django_db


def test_an_empty_database_gets_the_demo():
    assert prepare_database() is True

    assert set(Channel.objects.values_list("name", flat=True)) == {
        "twitter-import",
        "shop-webhook",
        "community",
    }
    assert Message.objects.count() > 150


def test_the_demo_is_loaded_only_once():
    prepare_database()
    count = Message.objects.count()

    assert prepare_database() is False
    assert Message.objects.count() == count


def test_a_database_with_channels_is_left_alone(twitter):
    assert prepare_database() is False
    assert list(Channel.objects.values_list("name", flat=True)) == ["twitter"]


def test_no_demo_when_asked():
    assert prepare_database(load_demo=False) is False
    assert not Channel.objects.exists()
