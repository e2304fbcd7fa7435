"""A dump is other people's HTML: script in a body is neutralised like script typed in our editor."""

import re

import pytest

from tests.community.importers.conftest import ingest
from townsquare.community.markdown import render
from townsquare.community.models import Post, Topic

pytestmark = pytest.mark.django_db

ATTACKS = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(2)">',
    '<a href="javascript:alert(3)">click</a>',
    '<p onclick="alert(4)">hi</p>',
    "<iframe src='//evil.example'></iframe>",
    "<svg><script>alert(5)</script></svg>",
    '<a href="https://ok.example" style="x" onmouseover="alert(6)">fine link</a>',
]


def dump(folder, body):
    folder.mkdir()
    escaped = body.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    (folder / "Posts.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<posts>\n'
        f'  <row Id="1" PostTypeId="1" CreationDate="2020-01-01T00:00:00.000" Title="XSS" Body="{escaped}" />\n'
        f'  <row Id="2" PostTypeId="2" ParentId="1" CreationDate="2020-01-02T00:00:00.000" Body="{escaped}" />\n'
        "</posts>\n"
    )
    (folder / "Comments.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<comments>\n'
        f'  <row Id="1" PostId="2" Text="{escaped}" CreationDate="2020-01-03T00:00:00.000" />\n'
        "</comments>\n"
    )


def assert_harmless(html):
    """No element that runs code, no event handler, no javascript: link (escaped text is fine)."""
    for tag in re.findall(r"<[a-z][^>]*>", html.lower()):
        assert not re.match(r"<(script|iframe|svg|img|object|embed)\b", tag), html
        assert not re.search(r"\son\w+\s*=", tag), html
        assert "javascript:" not in tag, html


def test_script_in_bodies_and_comments_never_reaches_the_page(tmp_path):
    dump(tmp_path / "xss.stackexchange.com", "<p>Before</p>" + "".join(ATTACKS) + "<p>After</p>")

    summary = ingest(tmp_path / "xss.stackexchange.com")

    assert (summary["topics"], summary["answers"], summary["comments"]) == (1, 1, 1)
    topic = Topic.objects.get()
    answer, comment = Post.objects.order_by("id")
    for html in (
        topic.body_html,
        answer.body_html,
        comment.body_html,
        render(topic.body),
        render(answer.body),
    ):
        assert_harmless(html)
    assert "Before" in topic.body_html and "After" in topic.body_html
    assert 'href="https://ok.example"' in answer.body_html
    assert 'rel="nofollow ugc noopener"' in answer.body_html
    assert "&lt;script&gt;" in comment.body_html  # a comment is text: shown, never run
