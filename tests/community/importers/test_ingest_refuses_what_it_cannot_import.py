"""Grace points the import at the wrong thing: a clear error, nothing stored."""

import pytest
from django.core.management import CommandError, call_command

from tests.community.importers.conftest import CSV_SAMPLE, ingest
from townsquare.community.models import Space, Topic

pytestmark = pytest.mark.django_db


def test_a_missing_folder_is_named(tmp_path):
    with pytest.raises(CommandError, match="no such file or folder"):
        ingest(tmp_path / "nowhere")


def test_a_folder_that_is_not_a_dump_says_what_was_expected(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(CommandError, match="Posts.xml"):
        ingest(tmp_path)
    assert not Space.objects.exists()


def test_a_csv_without_the_expected_columns_is_refused(tmp_path):
    folder = tmp_path / "stackexchange-beer"
    folder.mkdir()
    (folder / "questions.csv").write_text("id,title\n1,Hello\n")
    (folder / "answers.csv").write_text((CSV_SAMPLE / "answers.csv").read_text())
    with pytest.raises(CommandError, match="questions.csv: the header lacks"):
        ingest(folder)
    assert not Topic.objects.exists()


def test_a_space_slug_must_be_a_slug():
    with pytest.raises(CommandError, match="a slug is lowercase"):
        ingest(CSV_SAMPLE, "--space", "Not A Slug")


def test_message_formats_still_need_a_channel(tmp_path):
    path = tmp_path / "tweets.csv"
    path.write_text("tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n")
    with pytest.raises(CommandError, match="--channel is required"):
        call_command("ingest", str(path), "--format", "twcs")
