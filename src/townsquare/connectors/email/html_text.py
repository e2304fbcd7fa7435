"""HTML email bodies as plain text: tags dropped, scripts and styles skipped, line breaks kept.

Only the stdlib parser, which never executes or fetches anything; unbalanced or broken markup
gives best-effort text rather than an error.
"""

import re
from html.parser import HTMLParser

SKIPPED = {"script", "style", "head", "title", "template", "noscript", "svg", "object", "iframe"}
BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "table",
    "tr",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "hr",
    "form",
}
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.quote_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.skipping += 1
        elif tag == "br":
            self._newline()
        elif tag in BLOCKS:
            self._newline()
        elif tag == "li":
            self._newline()
            self.parts.append("- ")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag == "blockquote":
            self.quote_depth += 1
            self._newline()

    def handle_startendtag(self, tag, attrs):
        if tag in ("br", "hr"):
            self._newline()

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCKS or tag == "li":
            self._newline()
        elif tag == "blockquote":
            self.quote_depth = max(0, self.quote_depth - 1)
            self._newline()

    def handle_data(self, data):
        if self.skipping:
            return
        text = _SPACES.sub(" ", data.replace("\r", " ").replace("\n", " "))
        if self.quote_depth and text.strip() and (not self.parts or self.parts[-1].endswith("\n")):
            text = "> " * self.quote_depth + text.lstrip()
        self.parts.append(text)

    def _newline(self):
        self.parts.append("\n")


def html_to_text(html: str) -> str:
    """The readable text of an HTML body; quoted blocks (`<blockquote>`) become "> " lines."""
    extractor = _TextExtractor()
    try:
        extractor.feed(html)
        extractor.close()
    except (AssertionError, ValueError):  # the stdlib parser's rare failures on broken markup
        pass
    text = "".join(extractor.parts)
    lines = [line.strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
