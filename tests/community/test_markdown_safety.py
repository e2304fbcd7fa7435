"""Markdown renders; scripts, event handlers and javascript: links never survive."""

from html.parser import HTMLParser

import pytest

from townsquare.community.markdown import has_links, plain_text, render

ATTACKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//evil.example></iframe>",
    "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<svg onload="alert(1)">',
    "[x](vbscript:msgbox(1))",
    "<style>body{display:none}</style>",
]


class Elements(HTMLParser):
    """The tags and attributes a browser would build from the HTML (text is not markup)."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


@pytest.mark.parametrize("attack", ATTACKS)
def test_xss_attempts_are_neutralised(attack):
    for tag, attrs in Elements(render(attack)).found:
        assert tag not in {"script", "iframe", "svg", "img", "style", "object", "embed"}
        assert not any(name.startswith("on") for name in attrs)
        href = (attrs.get("href") or "").strip().lower()
        assert href == "" or href.startswith(("http://", "https://", "mailto:"))


def test_markdown_formats():
    html = render("**bold** and `code`\n\n- one\n- two\n\n[docs](https://example.com)")
    assert "<strong>bold</strong>" in html and "<code>code</code>" in html and "<li>one</li>" in html
    assert '<a href="https://example.com" rel="nofollow ugc noopener">docs</a>' in html


def test_links_and_plain_text():
    assert has_links("see www.example.com") and has_links("[a](https://x.y)")
    assert not has_links("no links here")
    assert plain_text("**Hello** <b>there</b>") == "Hello <b>there</b>"  # shown as text, never as markup
