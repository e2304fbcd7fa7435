"""What a person typed, turned into a query each database's full-text engine accepts as it is.

People type quotes that do not close, `*`, `-`, `NEAR`, `AND`, parentheses and colons; FTS5 would
read those as its own syntax and fail. So the text is parsed here into plain terms (runs of
letters and digits), quoted phrases and excluded terms, and every term goes to the engine quoted:
nothing a user types can be an operator.
"""

import re
from dataclasses import dataclass

# Letters, digits and marks of any script; apostrophes and other punctuation split words as the
# engines' own tokenizers do.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_PART = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
MAX_TERMS = 12
MAX_QUERY_CHARS = 300


Phrase = tuple[str, ...]


@dataclass(frozen=True)
class ParsedQuery:
    """Phrases (one or more words) that must all match, and phrases that must not."""

    required: tuple[Phrase, ...]
    excluded: tuple[Phrase, ...]

    def __bool__(self) -> bool:
        return bool(self.required)

    def fts5(self) -> str:
        """An FTS5 MATCH expression: every phrase one double-quoted string of plain words."""
        expression = " AND ".join(f'"{" ".join(phrase)}"' for phrase in self.required)
        for phrase in self.excluded:
            expression += f' NOT "{" ".join(phrase)}"'
        return expression

    def websearch(self) -> str:
        """Input for PostgreSQL's websearch_to_tsquery (which never raises on any input anyway)."""
        quoted = [f'"{" ".join(phrase)}"' if len(phrase) > 1 else phrase[0] for phrase in self.required]
        quoted += [f'-"{" ".join(phrase)}"' for phrase in self.excluded]
        return " ".join(quoted)


def words(text: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(text)]


def parse(text: str) -> ParsedQuery:
    """Parse a search box's text; an empty result (falsy) means there is nothing to search for.

    A quoted part is a phrase; so is a word with punctuation inside ("wi-fi", "e-mail"), as the
    engines split it the same way. A leading "-" excludes the word or phrase.
    """
    text = (text or "")[:MAX_QUERY_CHARS]
    required: list[Phrase] = []
    excluded: list[Phrase] = []
    for match in _PART.finditer(text):
        negated = bool(match.group(1) or match.group(3))
        phrase = tuple(words(match.group(2) if match.group(2) is not None else match.group(4)))
        target = excluded if negated else required
        if phrase and phrase not in target:
            target.append(phrase)
    return ParsedQuery(required=tuple(required[:MAX_TERMS]), excluded=tuple(excluded[:MAX_TERMS]))
