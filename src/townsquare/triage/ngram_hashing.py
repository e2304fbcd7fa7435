"""Hashed character n-grams within words, as sklearn's HashingVectorizer computes them, faster.

`HashingVectorizer(analyzer="char_wb", alternate_sign=False, lowercase=False, norm="l2")` builds
every n-gram of every word in Python and hashes each one, though most words of a stream of
messages were seen a moment ago. char_wb n-grams never cross a word (each word is padded with
one space and cut on its own), so a word's columns are a function of the word: we remember them
per word and hash only new words, with the same MurmurHash3 and column rule as sklearn. Counts
and the l2 norm then go through the same scipy/sklearn steps, so the matrix is identical (tested
against sklearn on real multilingual texts).
"""

import threading

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize
from sklearn.utils import murmurhash3_32

# Words remembered per hasher; the memo starts over past this (a few tens of MB at most).
MEMO_WORDS = 200_000


class CharNgramHasher:
    """`transform(texts)` -> (n, n_features) float32 CSR, rows l2-normalised, like sklearn's."""

    def __init__(self, n_features: int, ngram_range: tuple[int, int]):
        self.n_features = int(n_features)
        self.min_n, self.max_n = ngram_range
        self._columns: dict[str, list[int]] = {}
        self._lock = threading.Lock()

    def transform(self, texts: list[str]):
        indices: list[int] = []
        indptr = [0]
        memo = self._columns
        for text in texts:
            for word in text.split():
                columns = memo.get(word)
                if columns is None:
                    columns = self._word_columns(word)
                    with self._lock:
                        if len(memo) >= MEMO_WORDS:
                            memo.clear()
                        memo[word] = columns
                indices += columns
            indptr.append(len(indices))
        matrix = sp.csr_matrix(
            (np.ones(len(indices), dtype=np.float32), np.array(indices, dtype=np.int32), indptr),
            shape=(len(texts), self.n_features),
        )
        matrix.sum_duplicates()
        return normalize(matrix, norm="l2", copy=False)

    def _word_columns(self, word: str) -> list[int]:
        """sklearn's _char_wb_ngrams for one word, each n-gram hashed to its column."""
        padded = f" {word} "
        length = len(padded)
        columns = []
        for n in range(self.min_n, self.max_n + 1):
            columns.append(self._column(padded[:n]))
            for offset in range(1, length - n + 1):
                columns.append(self._column(padded[offset : offset + n]))
            if length <= n:  # a short word is counted once, as a whole
                break
        return columns

    def _column(self, gram: str) -> int:
        # FeatureHasher's rule: |signed MurmurHash3| mod n_features, with the one overflow case.
        h = murmurhash3_32(gram, seed=0)
        if h == -(2**31):
            return (2**31 - 1 - (self.n_features - 1)) % self.n_features
        return abs(h) % self.n_features
