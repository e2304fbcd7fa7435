"""A word-level difference between a rule's current text and a proposed one, for the proposal page."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

# Each word with the space after it: runs of changed words then come out as one block, not
# alternating single words, and unchanged spacing never splits a change in two.
_WORDS = re.compile(r"\s*\S+\s*|\s+")


@dataclass(frozen=True)
class Piece:
    change: str  # "same", "added" or "removed"
    text: str


def word_diff(old: str, new: str) -> list[Piece]:
    """Pieces that read as the new text with the removed words kept in place (marked removed)."""
    before, after = _WORDS.findall(old or ""), _WORDS.findall(new or "")
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(Piece("same", "".join(before[i1:i2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(Piece("removed", "".join(before[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(Piece("added", "".join(after[j1:j2])))
    return _merged(pieces)


def _merged(pieces: list[Piece]) -> list[Piece]:
    merged: list[Piece] = []
    for piece in pieces:
        if merged and merged[-1].change == piece.change:
            merged[-1] = Piece(piece.change, merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return merged
