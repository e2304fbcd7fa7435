"""Dump bodies are HTML written by Stack Exchange's editor. We keep two forms of each:

- `body_html`: the dump's HTML through the same nh3 allow-list as every member's post
  (`community.markdown`), so a `<script>` or an `onerror=` in a dump is neutralised like one typed
  in our editor; images become links (the allow-list has no <img>: no tracking pixels).
- `body`: a Markdown-ish text of it, what an edit form starts from and what search and triage read.

Regular expressions over the sanitiser's output, not an HTML parser: html5ever has already made
the markup regular (quoted attributes, closed tags), and a Python parser would cost more than the
rest of the import.
"""

import html
import re

import nh3

from townsquare.community.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES

_IMG = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*([\"'])(.*?)\1[^>]*>", re.IGNORECASE | re.DOTALL)
_ALT = re.compile(r"\balt\s*=\s*([\"'])(.*?)\1", re.IGNORECASE | re.DOTALL)
_PRE = re.compile(r"<pre>(?:<code[^>]*>)?(.*?)(?:</code>)?</pre>", re.DOTALL)
_CODE = re.compile(r"<code[^>]*>(.*?)</code>", re.DOTALL)
_LINK = re.compile(r'<a href="([^"]*)"[^>]*>(.*?)</a>', re.DOTALL)
_QUOTE = re.compile(r"<blockquote>(.*?)</blockquote>", re.DOTALL)
_HEADING = re.compile(r"<h([1-6])>")
_SIMPLE = [  # (a substring every match contains, pattern, replacement)
    ("<", re.compile(r"</?(strong|b|em|i|del|s)>"), lambda m: _EMPHASIS[m.group(1)]),
    ("<li>", re.compile(r"<li>"), "\n- "),
    ("<br", re.compile(r"<br\s*/?>"), "  \n"),
    ("<hr", re.compile(r"<hr\s*/?>"), "\n\n---\n\n"),
    ("</", re.compile(r"</(?:p|h[1-6]|ul|ol|table|tr)>"), "\n\n"),
]
_EMPHASIS = {"strong": "**", "b": "**", "em": "*", "i": "*", "del": "~~", "s": "~~"}
_TAG = re.compile(r"<[^>]+>")
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_URL = re.compile(r"\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)]")
_PLACEHOLDER = "\x00{}\x00"
_PLACEHOLDERS = re.compile(r"\x00(\d+)\x00")


def _image_as_link(match: re.Match) -> str:
    alt = _ALT.search(match.group(0))
    label = alt.group(2) if alt and alt.group(2).strip() else "image"
    return f'<a href="{match.group(2)}">{label}</a>'


def clean_html(source: str) -> str:
    """The dump's HTML, made safe by the allow-list every community post goes through."""
    return nh3.clean(
        _IMG.sub(_image_as_link, source or ""),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        filter_style_properties={"text-align"},
    )


def markdown_of(clean: str) -> str:
    """A Markdown-ish text of sanitised HTML (code blocks indented, links as [text](url))."""
    kept: list[str] = []

    def keep(text: str) -> str:
        kept.append(text)
        return _PLACEHOLDER.format(len(kept) - 1)

    text = clean
    # Most bodies are plain paragraphs: a substring test is far cheaper than a regex pass.
    if "<pre" in text:
        text = _PRE.sub(lambda m: keep("\n\n" + _indent(_TAG.sub("", m.group(1))) + "\n\n"), text)
    if "<code" in text:
        text = _CODE.sub(lambda m: keep("`" + _TAG.sub("", m.group(1)) + "`"), text)
    if "<a " in text:
        text = _LINK.sub(lambda m: f"[{m.group(2)}]({m.group(1)})", text)
    if "<blockquote" in text:
        text = _QUOTE.sub(lambda m: keep(_quote(m.group(1))), text)
    if "<h" in text:
        text = _HEADING.sub(lambda m: "\n\n" + "#" * int(m.group(1)) + " ", text)
    for marker, pattern, replacement in _SIMPLE:
        if marker in text:
            text = pattern.sub(replacement, text)
    text = _TAG.sub("", text)
    while "\x00" in text:
        text = _PLACEHOLDERS.sub(lambda m: kept[int(m.group(1))], text)
    return _BLANK_LINES.sub("\n\n", html.unescape(text)).strip()


def _indent(code: str) -> str:
    return "\n".join("    " + line for line in code.strip("\n").split("\n"))


def _quote(inner: str) -> str:
    text = markdown_of(inner)
    return "\n\n" + "\n".join("> " + line if line else ">" for line in text.split("\n")) + "\n\n"


def comment_html(text: str) -> str:
    """A comment is plain text (with bare links); escaped first, then the same allow-list."""
    text, parts, last = text or "", [], 0
    for match in _URL.finditer(text):
        url = html.escape(match.group(0))
        parts += [html.escape(text[last : match.start()]), f'<a href="{url}">{url}</a>']
        last = match.end()
    parts.append(html.escape(text[last:]))
    return clean_html(f"<p>{''.join(parts)}</p>")
