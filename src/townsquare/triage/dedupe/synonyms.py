"""The spinner synonym map: words and phrases that spun copies swap, folded to one canonical word.

Groups in `dedupe_synonyms.json` that share a word (e.g. "super" in German and French) are merged,
because at shingling time we do not know the language and a word must map to one canonical form.
"""

import json
from functools import cache
from pathlib import Path

SYNONYMS_FILE = Path(__file__).resolve().parent.parent / "dedupe_synonyms.json"


@cache
def synonym_map() -> tuple[dict[str, str], dict[tuple[str, ...], str], frozenset[str]]:
    """(word -> canonical, phrase as a word tuple -> canonical, first words of phrases), built once."""
    from townsquare.triage.text import normalize_for_duplicates

    data = json.loads(SYNONYMS_FILE.read_text(encoding="utf-8"))
    groups = [
        [normalize_for_duplicates(entry) for entry in group]
        for language, language_groups in data.items()
        if not language.startswith("_")
        for group in language_groups
    ]
    canonical_of = _merge_overlapping(groups)
    words = {entry: canonical for entry, canonical in canonical_of.items() if " " not in entry}
    phrases = {tuple(entry.split()): canonical for entry, canonical in canonical_of.items() if " " in entry}
    return words, phrases, frozenset(phrase[0] for phrase in phrases)


def _merge_overlapping(groups: list[list[str]]) -> dict[str, str]:
    """Union of groups sharing an entry; the canonical word is the first word of the earliest group."""
    parent: dict[str, str] = {}
    seen_at: dict[str, int] = {}

    def root(entry: str) -> str:
        while parent[entry] != entry:
            parent[entry] = parent[parent[entry]]
            entry = parent[entry]
        return entry

    for group in groups:
        for entry in group:
            parent.setdefault(entry, entry)
            seen_at.setdefault(entry, len(seen_at))
        for entry in group[1:]:
            first, other = root(group[0]), root(entry)
            if first != other:
                earlier, later = sorted((first, other), key=seen_at.__getitem__)
                parent[later] = earlier
    return {entry: root(entry) for entry in parent if entry}


def canonical_tokens(tokens: list[str]) -> list[str]:
    """Tokens with phrases (longest first) and words replaced by their canonical word."""
    words, phrases, phrase_starts = synonym_map()
    longest = max((len(phrase) for phrase in phrases), default=0)
    result: list[str] = []
    position = 0
    while position < len(tokens):
        starts_phrase = tokens[position] in phrase_starts
        for length in range(min(longest, len(tokens) - position) if starts_phrase else 1, 1, -1):
            canonical = phrases.get(tuple(tokens[position : position + length]))
            if canonical is not None:
                result.append(canonical)
                position += length
                break
        else:
            token = tokens[position]
            result.append(words.get(token, token))
            position += 1
    return result
