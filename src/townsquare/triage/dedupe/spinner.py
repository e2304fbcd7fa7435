"""A seeded "article spinner" that makes near-duplicate copies for evaluation.

It does what spam spinners do: swaps words for synonyms, drops and inserts filler words, changes
punctuation, case, links, numbers and emoji. Half of its swaps come from a list the detector's
synonym map does not know, so the evaluation does not only measure the map against itself.
"""

import random

from townsquare.triage.dedupe.synonyms import synonym_map

# Swaps the detector does not fold: a spun copy that uses them must survive on its other shingles.
_UNKNOWN_SWAPS = {
    "good": ["decent", "fine"],
    "really": ["truly", "very"],
    "want": ["wish", "would like"],
    "think": ["believe", "feel"],
    "big": ["huge", "large"],
    "my": ["our"],
    "this": ["that"],
    "is": ["'s"],
    "lot": ["ton", "bunch"],
    "song": ["banger"],
}
_FILLERS = ["really", "just", "so", "totally", "!!", "lol", "guys", "please"]
_EMOJI = ["🔥", "😍", "👍", "💯", "😂"]
_LINKS = ["http://bit.ly/3xYz", "www.example.net/free", "https://goo.gl/abc123", "promo.site"]


def _known_swaps() -> dict[str, list[str]]:
    words, _, _ = synonym_map()
    members: dict[str, list[str]] = {}
    for word, canonical in words.items():
        members.setdefault(canonical, []).append(word)
    return {
        word: [other for other in members[canonical] if other != word] for word, canonical in words.items()
    }


def spin(text: str, rng: random.Random) -> str:
    """A spun copy of `text`: the same message to a reader, different characters to a naive filter."""
    known = _known_swaps()
    words = []
    for word in text.split():
        bare = word.lower().strip(".,!?")
        roll = rng.random()
        if any(marker in bare for marker in ("http", "www.", ".com")):
            word = rng.choice(_LINKS)  # spinners rotate their links
        elif roll < 0.05:
            continue  # drop a word
        elif roll < 0.35 and known.get(bare):
            word = rng.choice(known[bare])
        elif roll < 0.55 and bare in _UNKNOWN_SWAPS:
            word = rng.choice(_UNKNOWN_SWAPS[bare])
        if rng.random() < 0.06:
            words.append(rng.choice(_FILLERS))
        words.append(word.upper() if rng.random() < 0.05 else word)
    if rng.random() < 0.5:
        words.append(rng.choice(_LINKS))
    if rng.random() < 0.4:
        words.append(rng.choice(_EMOJI) * rng.randint(1, 3))
    spun = " ".join(words)
    if rng.random() < 0.5:
        spun = spun.replace("!", "!!!").replace(".", "..")
    if rng.random() < 0.3:
        spun = spun.rstrip(".!? ") + rng.choice([" ?", "!!", " :)", ""])
    return spun
