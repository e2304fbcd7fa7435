"""Title-like spans that language id reads apart from the rest of a request."""

import pytest

from townsquare.triage.language_titles import mask_titles


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Vis From South Africa to South Carolina", "Vis"),
        ("find the picture Louder Than Bombs", "find the picture"),
        ("Reserver et bord på The French Laundry i kveld", "Reserver et bord på i kveld"),
        ('spill "Hey Jude" nå', "spill nå"),
        ("legg til 12 Soulful Nights of Christmas på lista mi", "legg til på lista mi"),
    ],
)
def test_titles_and_quoted_spans_are_removed(text, masked):
    assert mask_titles(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "Wie wird das Wetter morgen in Berlin",  # German nouns: one capitalised word at a time
        "Hello World how are you",  # the first token never starts a run
        "my ORDER IS LATE again",  # ALL-CAPS words are shouting, not titles
        "Ok Louder Than Bombs",  # nothing of three letters would be left
        "",
    ],
)
def test_ordinary_text_is_left_alone(text):
    assert mask_titles(text) is text
