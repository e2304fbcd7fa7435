"""The word-of-mouth summary as the shared frame loads it: its twelve columns packed into three
numbers per conversation, computed by the database. A 200,000-row frame costs what its Python
values cost (twelve more columns added half a second), so the report reads three and numpy takes
them apart.

- wom_sentiments: negative + S·neutral + S²·positive labelled customer messages;
- wom_posts: marketing + S·help + S²·unscored brand posts (S = 2**17: each count is capped at
  S − 1, far beyond any conversation);
- wom_window: the post that counts and its sides (kind 0 none / 1 help / 2 marketing, the sums
  and counts of the customer's sentiment before and after it), plus WINDOW_CODES × the post's
  time in whole seconds after the conversation's start (biased to stay positive).
All stay below 2**53, so float64 carries them exactly.
"""

import numpy as np

from townsquare.insights.wom_summary import WINDOW_MESSAGES

SHIFT = 2**17
CAP = SHIFT - 1
KINDS = ("", "help", "marketing")
# A window's sums run from −K to K, its counts from 0 to K: base 2K + 1 holds either.
BASE = 2 * WINDOW_MESSAGES + 1
WINDOW_CODES = 3 * BASE**4
# Seconds from the start to the post, shifted to be positive (posts up to ~8,700 years away).
OFFSET_BIAS = 2**38


def _capped(column: str) -> str:
    return f"(CASE WHEN {column} > {CAP} THEN {CAP} ELSE {column} END)"


def _three(first: str, second: str, third: str) -> str:
    return f"({_capped(first)} + {SHIFT} * {_capped(second)} + {SHIFT * SHIFT} * {_capped(third)})"


def packed_columns(epoch_sql) -> dict[str, str]:
    """Frame column name -> its SQL expression over the fact table; `epoch_sql(column)` turns a
    time column into epoch seconds on this database."""
    k = WINDOW_MESSAGES
    kind = "(CASE wom_post_kind WHEN 'marketing' THEN 2 WHEN 'help' THEN 1 ELSE 0 END)"
    window = (
        f"{kind} + 3 * (wom_before_sum + {k}) + {3 * BASE} * wom_before_n"
        f" + {3 * BASE**2} * (wom_after_sum + {k}) + {3 * BASE**3} * wom_after_n"
    )
    offset = f"COALESCE(ROUND({epoch_sql('wom_post_at')} - {epoch_sql('started_at')}), 0)"
    return {
        "wom_sentiments": _three("wom_negative", "wom_neutral", "wom_positive"),
        "wom_posts": _three("wom_marketing_posts", "wom_help_posts", "wom_unscored_posts"),
        "wom_window": f"({window} + {WINDOW_CODES} * ({offset} + {OFFSET_BIAS}))",
    }


def _split(values: np.ndarray, base: int, parts: int) -> list[np.ndarray]:
    rest = np.nan_to_num(values).astype(np.int64)
    found = []
    for _ in range(parts):
        rest, part = np.divmod(rest, base)
        found.append(part)
    return found


def unpack(frame) -> dict[str, np.ndarray]:
    """The summary's columns (as wom_summary names them; counts as int64, kind as 0/1/2 codes in
    `wom_post_kind`, `wom_post_at` in epoch seconds, NaN without a post) from the frame."""
    negative, neutral, positive = _split(frame["wom_sentiments"], SHIFT, 3)
    marketing, helping, unscored = _split(frame["wom_posts"], SHIFT, 3)
    window = np.nan_to_num(frame["wom_window"]).astype(np.int64)
    codes, offsets = window % WINDOW_CODES, window // WINDOW_CODES - OFFSET_BIAS
    kind, before_sum, before_n, after_sum, after_n = _split(codes, 3, 1) + _split(codes // 3, BASE, 4)
    return {
        "wom_negative": negative,
        "wom_neutral": neutral,
        "wom_positive": positive,
        "wom_marketing_posts": marketing,
        "wom_help_posts": helping,
        "wom_unscored_posts": unscored,
        "wom_post_kind": kind,
        "wom_post_at": np.where(kind > 0, frame["started_at"] + offsets, np.nan),
        "wom_before_sum": before_sum - WINDOW_MESSAGES,
        "wom_before_n": before_n,
        "wom_after_sum": after_sum - WINDOW_MESSAGES,
        "wom_after_n": after_n,
    }


def pack(columns: dict) -> dict[str, np.ndarray]:
    """The inverse of `unpack` (the database's work, in numpy): for building frames in tests."""

    def three(a, b, c):
        return (np.minimum(a, CAP) + SHIFT * np.minimum(b, CAP) + SHIFT * SHIFT * np.minimum(c, CAP)).astype(
            float
        )

    kind = np.array([KINDS.index(value) for value in columns["wom_post_kind"]], dtype=np.int64)
    codes = (
        kind
        + 3 * (columns["wom_before_sum"] + WINDOW_MESSAGES)
        + 3 * BASE * columns["wom_before_n"]
        + 3 * BASE**2 * (columns["wom_after_sum"] + WINDOW_MESSAGES)
        + 3 * BASE**3 * columns["wom_after_n"]
    )
    offsets = np.where(kind > 0, np.round(np.nan_to_num(columns["wom_post_at"] - columns["started_at"])), 0)
    return {
        "wom_sentiments": three(columns["wom_negative"], columns["wom_neutral"], columns["wom_positive"]),
        "wom_posts": three(
            columns["wom_marketing_posts"], columns["wom_help_posts"], columns["wom_unscored_posts"]
        ),
        "wom_window": (codes + WINDOW_CODES * (offsets + OFFSET_BIAS)).astype(float),
    }
