"""Bad rows are reported with their file, line and reason; every valid row around them is stored."""

import csv

import pytest

from tests.community.importers.conftest import ingest
from townsquare.community.models import Post, Topic

pytestmark = pytest.mark.django_db

QUESTIONS = """id,creation_date,score,view_count,answer_count,accepted_answer_id,owner_user_id,closed_date,tags,title,body_text,body_html
1,2014-01-21T20:26:05.383,3,10,1,2,7,,hops,Fine question,x,<p>What are citra hops?</p>
3,yesterday,1,1,0,,7,,hops,A date nobody can read,x,<p>When?</p>
4,2014-01-22T10:00:00.000,1,1,0,,7,,hops,Nothing in it,x,<p> </p>
5,2014-01-22T11:00:00.000,1,1,0,,7,,hops,"A title, with a comma",x,"<p>A body
over two lines</p>"
6,2014-01-22T12:00:00.000,1,1
7,2014-01-22T13:00:00.000,2,5,0,,8,,wine,Last fine one,x,<p>Red or white?</p>
"""
ANSWERS = """id,question_id,creation_date,score,is_accepted,owner_user_id,body_text,body_html
2,1,2014-01-21T21:00:00.000,5,True,8,x,<p>Citra is a hop variety.</p>
8,999,2014-01-21T21:00:00.000,1,False,8,x,<p>An answer to a question that is not there.</p>
9,5,2014-01-23T21:00:00.000,1,maybe,8,x,<p>Accepted or not?</p>
10,5,2014-01-23T22:00:00.000,1,False,8,x,<p></p>
11,5,2014-01-23T23:00:00.000,1,False,8,x,<p>A fine answer.</p>
"""


def read_report(path):
    with open(path, newline="") as handle:
        return [(row["file"], int(row["line"]), row["reason"]) for row in csv.DictReader(handle)]


def test_each_bad_csv_row_is_reported_with_its_line_and_reason(tmp_path):
    folder = tmp_path / "stackexchange-beer"
    folder.mkdir()
    (folder / "questions.csv").write_text(QUESTIONS)
    (folder / "answers.csv").write_text(ANSWERS)
    report = tmp_path / "rejects.csv"

    summary = ingest(folder, "--rejects", str(report))

    assert (summary["topics"], summary["answers"], summary["rejected"]) == (3, 2, 6)
    assert summary["reject_report"] == str(report)
    reasons = {(file, line): reason for file, line, reason in read_report(report)}
    assert sorted(reasons) == [
        ("answers.csv", 3),
        ("answers.csv", 4),
        ("answers.csv", 5),
        ("questions.csv", 3),
        ("questions.csv", 4),
        ("questions.csv", 7),
    ]
    assert "'yesterday' is not a date" in reasons["questions.csv", 3]
    assert "body is empty" in reasons["questions.csv", 4]
    assert "expected 12 fields, found 4" in reasons["questions.csv", 7]
    assert "question 999 is not in the dump" in reasons["answers.csv", 3]
    assert "neither True nor False" in reasons["answers.csv", 4]
    assert "body is empty" in reasons["answers.csv", 5]
    assert set(Topic.objects.values_list("title", flat=True)) == {
        "Fine question",
        "A title, with a comma",
        "Last fine one",
    }
    assert Topic.objects.get(title="A title, with a comma").body == "A body\nover two lines"
    assert Topic.objects.get(title="Fine question").accepted_post.external_id == "stackexchange:beer:2"


def test_a_dump_that_breaks_off_keeps_every_row_before_the_break(dump_folder, tmp_path):
    posts = dump_folder / "Posts.xml"
    lines = posts.read_text().splitlines()
    # Line 10 loses its end; the file stops there, like a download cut short.
    posts.write_text("\n".join(lines[:9]) + "\n" + lines[9][:80])
    (dump_folder / "Comments.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<comments>\n'
        '  <row Id="1" PostId="1" Text="On the citra question." CreationDate="2014-01-21T21:00:00.000" />\n'
        '  <row Id="2" PostId="424242" Text="On nothing we have." CreationDate="2014-01-21T21:00:00.000" />\n'
        '  <row Id="3" PostId="1" Text="" CreationDate="2014-01-21T21:00:00.000" />\n'
        '  <row Id="4" PostId="1" Text="A bad date" CreationDate="2014-13-45T00:00:00" />\n'
        "</comments>\n"
    )
    report = tmp_path / "rejects.csv"

    summary = ingest(dump_folder, "--rejects", str(report))

    by_line = {(file, line): reason for file, line, reason in read_report(report)}
    assert sorted(by_line) == [
        ("Comments.xml", 4),
        ("Comments.xml", 5),
        ("Comments.xml", 6),
        ("Posts.xml", 10),
    ]
    assert "not valid XML" in by_line[("Posts.xml", 10)]
    assert "424242" in by_line[("Comments.xml", 4)]
    assert "empty" in by_line[("Comments.xml", 5)]
    assert "not a date" in by_line[("Comments.xml", 6)]
    assert summary["topics"] + summary["answers"] == 7  # rows on lines 3-9
    assert Post.objects.filter(external_id="stackexchange:beer:c1").exists()
