"""Reading import files line by line, in bounded memory, with line numbers for rejects.

Each line is decoded on its own, so one line of invalid UTF-8 does not stop the file: that
line is flagged and rejected, the lines around it are read normally.
"""

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

# A line longer than this cannot hold a valid message (text is capped at 64 KB); it is skipped
# in pieces rather than read whole, so memory stays flat even on a corrupt file.
MAX_LINE_BYTES = 256 * 1024
_UNDECODABLE = re.compile("[\udc80-\udcff]")


@dataclass(slots=True)
class Line:
    number: int  # 1-based physical line number in the file
    text: str  # with its line ending
    bad_utf8: bool = False
    too_long: bool = False


@dataclass(slots=True)
class Reject:
    line: int
    reason: str
    excerpt: str


def excerpt(text: str, limit: int = 120) -> str:
    return _UNDECODABLE.sub("\ufffd", text[:limit].rstrip("\r\n"))


def bad_line_reject(line: Line) -> Reject | None:
    if line.too_long:
        return Reject(line.number, "line is longer than 256 KB", excerpt(line.text))
    if line.bad_utf8:
        return Reject(line.number, "invalid UTF-8", excerpt(line.text))
    return None


class LineReader:
    """Physical lines with numbers and a bounded length; lines can be pushed back to re-read.

    Iterating gives a Line per line. `texts()` gives the same lines as bare strings, for a
    reader that counts lines itself (twcs.py): no object per line, and the few lines that are
    not clean (invalid UTF-8, too long) are kept in `unclean` by number.
    """

    def __init__(self, handle: BinaryIO):
        self.handle = handle
        self.number = 0
        self.pushed: deque = deque()  # of what the iteration in use gives: Line or str
        self.unclean: dict[int, Line] = {}

    def __iter__(self) -> Iterator[Line]:
        return self

    def __next__(self) -> Line:
        if self.pushed:
            return self.pushed.popleft()
        data = self.handle.readline(MAX_LINE_BYTES)
        if not data:
            raise StopIteration
        self.number += 1
        return self._line(data)

    def texts(self, seen: list[str]) -> Iterator[str]:
        """Each line's text, also appended to `seen` (the lines of the record being read)."""
        readline, pushed, append = self.handle.readline, self.pushed, seen.append
        while True:
            if pushed:
                text = pushed.popleft()
            else:
                data = readline(MAX_LINE_BYTES)
                if not data:
                    return
                self.number += 1
                text = None
                if self.number > 1 and len(data) < MAX_LINE_BYTES:
                    try:
                        text = data.decode("utf-8")
                    except UnicodeDecodeError:
                        pass
                if text is None:  # the first line (a BOM?), a long line or invalid UTF-8
                    line = self._line(data)
                    if line.bad_utf8 or line.too_long:
                        self.unclean[line.number] = line
                    text = line.text
            append(text)
            yield text

    def _line(self, data: bytes) -> Line:
        if self.number == 1 and data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            line = Line(self.number, data.decode("utf-8"))
        except UnicodeDecodeError:
            line = Line(self.number, data.decode("utf-8", errors="surrogateescape"), bad_utf8=True)
        if len(data) >= MAX_LINE_BYTES and not data.endswith(b"\n"):
            line.too_long = True
            while True:  # drop the rest of the over-long line
                rest = self.handle.readline(MAX_LINE_BYTES)
                if not rest or rest.endswith(b"\n"):
                    break
        return line

    def push_back(self, lines: list) -> None:
        """Read these again next (Line objects when iterating, strings with `texts()`)."""
        self.pushed.extendleft(reversed(lines))
