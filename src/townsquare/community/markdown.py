"""Members write Markdown; pages show sanitised HTML rendered once, when the text is saved.

Two walls against script injection: the parser never passes raw HTML through (`html=False`: a
`<script>` in a post is shown as text), and its output goes through an allow-list sanitiser
(nh3, the Ammonia crate) that keeps only formatting tags, drops every event-handler attribute
and any link scheme but http(s) and mailto, and marks links `nofollow ugc` so spam links earn
nothing.
"""

import html as html_entities
import re

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li",
    "ol", "p", "pre", "s", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"style"}, "th": {"style"}, "code": {"class"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Links anywhere in a text: what "may post links" (trust level 1) is about.
_LINK = re.compile(r"(?:https?://|www\.)\S+|\[[^\]]*\]\([^)]+\)|<https?:[^>]+>", re.IGNORECASE)

_parser = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False}).enable(
    ["table", "strikethrough", "linkify"]
)


def render(text: str) -> str:
    """Safe HTML for a member's Markdown `text`."""
    html = _parser.render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        filter_style_properties={"text-align"},
    )


def has_links(text: str) -> bool:
    return bool(_LINK.search(text or ""))


def plain_text(text: str) -> str:
    """The words of a Markdown text without markup, for triage, search and notifications."""
    html = _parser.render(text or "")
    return html_entities.unescape(re.sub(r"\s+", " ", nh3.clean(html, tags=set()))).strip()
