"""Cue lists (a word boundary, then many alternatives) compiled to regexes that match in the same
texts faster: the alternatives are grouped by their first letter."""

import re


def cue_regex(pattern: str) -> re.Pattern:
    r"""Compile a `\b(?:a|b|...)` cue list with its alternatives grouped by first letter.

    The regex engine tries every alternative at every word start; grouped, it tries one per first
    letter (the problem cues went from 111 to 40 ms per 10k tweets). Only whether the cue matches
    is used, and that does not depend on the order of the alternatives.
    """
    if not pattern.startswith(r"\b(?:"):
        raise ValueError(f"a cue list must start with \\b(?:, not {pattern[:20]!r}")
    body, tail = _outer_group(pattern[len(r"\b(?:") :])
    by_letter: dict[str, list[str]] = {}
    others = []
    for alternative in _top_level_alternatives(body):
        # The outer \b already holds where every alternative starts.
        alternative = alternative.removeprefix(r"\b")
        if alternative[:1].isalpha() and alternative[1:2] not in ("?", "*", "+", "{"):
            by_letter.setdefault(alternative[0], []).append(alternative[1:])
        else:
            others.append(alternative)
    grouped = [f"{letter}(?:{'|'.join(rests)})" for letter, rests in by_letter.items()]
    return re.compile(r"\b(?:" + "|".join(grouped + others) + ")" + tail)


def _outer_group(after_open: str) -> tuple[str, str]:
    """(the group's body, what follows its closing parenthesis) for text right after a "(?:"."""
    depth, position = 1, 0
    while depth:
        character = after_open[position]
        if character == "\\":
            position += 2
            continue
        depth += (character == "(") - (character == ")")
        position += 1
    return after_open[: position - 1], after_open[position:]


def _top_level_alternatives(body: str) -> list[str]:
    """`body` split at the "|" that are outside parentheses and character classes."""
    alternatives, current, depth, in_class, position = [], [], 0, False, 0
    while position < len(body):
        character = body[position]
        if character == "\\":
            current.append(body[position : position + 2])
            position += 2
            continue
        if in_class:
            in_class = character != "]"
        elif character == "[":
            in_class = True
        elif character in "()":
            depth += 1 if character == "(" else -1
        elif character == "|" and depth == 0:
            alternatives.append("".join(current))
            current = []
            position += 1
            continue
        current.append(character)
        position += 1
    alternatives.append("".join(current))
    return alternatives
