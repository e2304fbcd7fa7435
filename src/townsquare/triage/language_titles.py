"""Title-like spans in a short request, for language id: "spiel From South Africa to South Carolina".

Song, film, playlist and place names inside a sentence are often in another language than the
sentence itself ("legg til Bob Klose til la mejor música para tus fiestas" is Norwegian). Language
id scores the text with and without them (`language._detect_stacked`) and lets its stacker weigh both.
"""

import re

_TITLE_TOKEN = re.compile(r"^[\"'“”„«»(\[]*(?:[A-ZÀ-Þ][a-zß-ÿ]|[0-9])")
_TITLE_CONNECTORS = frozenset(
    "of the to and a an in on at for from with & - : de la el y und der die das von og i på til et en le les du des".split()
)
_QUOTED_SPAN = re.compile(r"\"[^\"]{2,80}\"|“[^”]{2,80}”|„[^“”]{2,80}[“”]|«[^»]{2,80}»")
_THREE_LETTERS = re.compile(r"[^\W\d_]{3}")
# Necessary for a run: two title tokens after the first token, at most one token between them.
_TITLE_PAIR = re.compile(
    r"\s[\"'“”„«»(\[]*(?:[A-ZÀ-Þ][a-zß-ÿ]|[0-9])\S*\s+(?:\S+\s+)?[\"'“”„«»(\[]*(?:[A-ZÀ-Þ][a-zß-ÿ]|[0-9])"
)


def mask_titles(words: str) -> str:
    """The text without title-like spans (quoted spans; runs of two or more Titlecase or numeric
    tokens after the first token, with connectors such as "of", "the", "to" inside a run):
    "Vis From South Africa to South Carolina" -> "Vis". Unchanged when no word of three letters
    would remain."""
    quoted = '"' in words or "“" in words or "„" in words or "«" in words
    if not quoted and _TITLE_PAIR.search(words) is None:
        return words
    text = _QUOTED_SPAN.sub(" ", words) if quoted else words
    tokens = text.split()
    keep = [True] * len(tokens)
    position = 1  # the first token (sentence start, often a capitalised verb) never starts a run
    while position < len(tokens):
        if _TITLE_TOKEN.match(tokens[position]):
            end, capitalised, last = position + 1, 1, position
            while end < len(tokens):
                if _TITLE_TOKEN.match(tokens[end]):
                    capitalised, last, end = capitalised + 1, end, end + 1
                elif (
                    tokens[end].lower() in _TITLE_CONNECTORS
                    and end + 1 < len(tokens)
                    and _TITLE_TOKEN.match(tokens[end + 1])
                ):
                    end += 1
                else:
                    break
            if capitalised >= 2:
                for index in range(position, last + 1):
                    keep[index] = False
            position = last + 1
        else:
            position += 1
    masked = " ".join(token for token, kept in zip(tokens, keep, strict=True) if kept)
    if masked == words or not _THREE_LETTERS.search(masked):
        return words
    return masked
