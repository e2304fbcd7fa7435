"""A post with script in it is shown as text: the raw tag never reaches the page unescaped."""

import pytest

from tests.community.pages.conftest import page_of
from townsquare.community.posting import answer, ask, comment

pytestmark = pytest.mark.django_db
SCRIPT = "<script>alert('pwned')</script>"
HANDLER = '<img src=x onerror="alert(1)">'


def test_script_in_a_title_body_answer_and_comment_is_not_executed(client, devices_space, members):
    topic = ask(members["farid"], devices_space, f"Why {SCRIPT} here", f"Body {SCRIPT} and {HANDLER}")
    reply = answer(members["bob"], topic, f"Answer {SCRIPT} [x](javascript:alert(1))")
    comment(members["dana"], topic, f"Comment {HANDLER}", parent=reply)
    for url in (page_of(topic), "/community/s/devices/", "/community/"):
        html = client.get(url).content.decode()
        assert SCRIPT not in html, url
        assert "<img" not in html, url
        assert 'href="javascript:' not in html, url
    html = client.get(page_of(topic)).content.decode()
    assert "&lt;script&gt;" in html


def test_a_display_name_with_markup_is_escaped(client, devices_space, members):
    from townsquare.community.members import member_of

    member = member_of(members["farid"])
    member.display_name = SCRIPT
    member.save()
    topic = ask(members["farid"], devices_space, "A question with a name", "text")
    assert SCRIPT not in client.get(page_of(topic)).content.decode()
    assert SCRIPT not in client.get("/community/s/devices/").content.decode()
