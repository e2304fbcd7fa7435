"""An amendment shows what it changes: removed and added words in place, runs of changes as one block."""

from townsquare.community.guidelines.diff import Piece, word_diff


def test_changed_words_are_marked_in_place():
    assert word_diff(
        "Be kind to everyone here. No insults.", "Be kind to everyone here, always. No insults or threats."
    ) == [
        Piece("same", "Be kind to everyone "),
        Piece("removed", "here. "),
        Piece("added", "here, always. "),
        Piece("same", "No "),
        Piece("removed", "insults."),
        Piece("added", "insults or threats."),
    ]


def test_a_rewrite_is_one_removal_and_one_addition():
    pieces = word_diff("Post in the space the question belongs to.", "Post in the right space, please.")
    assert [p.change for p in pieces] == ["same", "removed", "added"]


def test_identical_texts_have_no_changes():
    assert word_diff("Same words.", "Same words.") == [Piece("same", "Same words.")]
