"""Word of mouth: how customers feel over time, and whether the brand's marketing posts sour it.

word_of_mouth_data.py reads the labelled customer messages and scored brand posts of the frame's
conversations in one query: counts per UTC hour, mapped here to local periods (DST-correct), and
per conversation the customer's sentiment on each side of its brand post.
"""

from datetime import date

import numpy as np
from scipy import stats

from townsquare.insights import figures
from townsquare.insights.figures import BOOTSTRAP_RESAMPLES, SEED, Figure
from townsquare.insights.filters import Filters
from townsquare.insights.frame import FactFrame
from townsquare.insights.impact import (
    BOOTSTRAP_LIMIT,
    arm_change,
    difference_in_differences,
    event_windows,
    segmented_regression,
)
from townsquare.insights.promo_folds import marketing_threshold
from townsquare.insights.report import section
from townsquare.insights.timebuckets import HOUR, period_labels
from townsquare.insights.word_of_mouth_data import WINDOW_MESSAGES, load_word_of_mouth

# Days on each side of a marketing day in the interrupted time series.
ITS_WINDOW_DAYS = 7
# Periods resampled together in one multinomial draw (bounds the draw's memory).
PERIODS_PER_DRAW = 200

METHOD = (
    "Customer sentiment is triage's label of each customer message (negative, neutral, positive), "
    "counted in the local period it was written; net sentiment is the positive share minus the "
    "negative share, with a bootstrap interval over messages. Each brand message is scored for "
    "promotion the way the reply guard judges replies: an explicit pitch (a code, a discount, a push "
    "to buy, a shop link, a launch) or a promotion model score of at least {threshold} (the guard's "
    "threshold) makes it marketing; every other brand message is help. Impact of brand posts: in "
    "each conversation with a brand post, the mean sentiment of the customer's {k} messages after "
    "the post (its first marketing post, or else its first post) minus that of their {k} messages "
    "before it; the difference-in-differences is that change after marketing minus the change after "
    "help, with a 95% interval from a bootstrap that resamples conversations within each kind (a "
    "normal approximation above {limit} conversations). The interrupted time series fits a "
    "straight line to daily net sentiment over the {days} days before each marketing day that had "
    "no other marketing day in them, and measures the jump (level change) and the change of slope "
    "over the {days} days from it (ordinary least squares, t intervals that treat days as "
    "independent). Both are observational: brands did not choose at random when to post "
    "marketing, so conversations or days that got it may differ in other ways (a customer already "
    "upset, a busy day); a real effect needs an experiment to confirm it."
)


def net_sentiments(counts: np.ndarray, seed: int = SEED) -> list[Figure]:
    """Positive share minus negative share for each row of [negative, neutral, positive] counts,
    with a seeded bootstrap interval over the messages: a resample of n messages is one
    multinomial draw of the three counts, so every period is resampled in one numpy call."""
    counts = np.asarray(counts, dtype=np.int64).reshape(-1, 3)
    totals = counts.sum(axis=1)
    shares = counts / np.maximum(totals, 1)[:, None]
    shares[totals == 0] = (0.0, 1.0, 0.0)
    rng = np.random.default_rng(seed)
    result = []
    for start in range(0, len(counts), PERIODS_PER_DRAW):
        part = slice(start, start + PERIODS_PER_DRAW)
        draws = rng.multinomial(totals[part], shares[part], size=(BOOTSTRAP_RESAMPLES, len(totals[part])))
        nets = (draws[:, :, 2] - draws[:, :, 0]) / np.maximum(totals[part], 1)
        lows, highs = np.percentile(nets, [2.5, 97.5], axis=0)
        for (negative, _, positive), total, low, high in zip(
            counts[part], totals[part], lows, highs, strict=True
        ):
            if total == 0:
                result.append(figures.empty("score"))
            else:
                result.append(
                    Figure((positive - negative) / total, int(total), (float(low), float(high)), "score")
                )
    return result


def proportions(successes: np.ndarray, totals: np.ndarray) -> list[Figure]:
    """`figures.proportion` (Clopper–Pearson) for many at once: one scipy call per bound."""
    k, n = np.asarray(successes, dtype=float), np.asarray(totals, dtype=float)
    low = np.where(k == 0, 0.0, stats.beta.ppf(0.025, np.maximum(k, 1), n - k + 1))
    high = np.where(k == n, 1.0, stats.beta.ppf(0.975, k + 1, np.maximum(n - k, 1)))
    return [
        Figure(kk / nn, int(nn), (float(lo), float(hi)), "share") if nn > 0 else figures.empty("share")
        for kk, nn, lo, hi in zip(k, n, low, high, strict=True)
    ]


def counts(values: np.ndarray) -> list[Figure]:
    """`figures.count` (Garwood interval) for many at once."""
    n = np.asarray(values, dtype=float)
    low = np.where(n == 0, 0.0, stats.chi2.ppf(0.025, 2 * np.maximum(n, 1)) / 2)
    high = stats.chi2.ppf(0.975, 2 * n + 2) / 2
    return [
        Figure(float(v), int(v), (float(lo), float(hi)), "count")
        for v, lo, hi in zip(n, low, high, strict=True)
    ]


def _tally(labels: np.ndarray, codes: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sorted unique labels, [label, code] count matrix over the five codes)."""
    names, index = np.unique(labels, return_inverse=True)
    table = np.zeros((len(names), 5))
    np.add.at(table, (index, codes.astype(int)), counts)
    return names, table


def sentiment_series(hours: np.ndarray, filters: Filters) -> tuple[list[dict], np.ndarray]:
    """The per-period series and the overall [negative, neutral, positive, marketing, help] counts."""
    labels = period_labels(hours[:, 0] * HOUR, filters.zone, filters.period)
    names, table = _tally(labels, hours[:, 1], hours[:, 2])
    totals = table[:, :3].sum(axis=1)

    def points(values: list[Figure]) -> list[dict]:
        return [{"x": name, "y": value} for name, value in zip(names, values, strict=True)]

    negative, positive = points(proportions(table[:, 0], totals)), points(proportions(table[:, 2], totals))
    net, posts = points(net_sentiments(table[:, :3])), points(counts(table[:, 3]))
    series = [
        {
            "name": "net_sentiment",
            "title": "Net sentiment of customer messages",
            "unit": "score",
            "points": net,
        },
        {
            "name": "negative_share",
            "title": "Share of customer messages negative",
            "unit": "share",
            "points": negative,
        },
        {
            "name": "positive_share",
            "title": "Share of customer messages positive",
            "unit": "share",
            "points": positive,
        },
        {"name": "marketing_posts", "title": "Brand marketing posts", "unit": "count", "points": posts},
    ]
    return series, table.sum(axis=0)


def daily_interruptions(hours: np.ndarray, filters: Filters):
    """The interrupted time series of daily net sentiment around marketing days (local days)."""
    labels = period_labels(hours[:, 0] * HOUR, filters.zone, "day")
    names, table = _tally(labels, hours[:, 1], hours[:, 2])
    days = np.array([date.fromisoformat(name).toordinal() for name in names], dtype=np.int64)
    messages = table[:, :3].sum(axis=1)
    has_messages = messages > 0
    net = (table[has_messages, 2] - table[has_messages, 0]) / messages[has_messages]
    marketing_days = days[table[:, 3] > 0]
    t, y, post, groups = event_windows(days[has_messages], net, marketing_days, ITS_WINDOW_DAYS)
    return segmented_regression(t, y, post, groups)


def impact(conversations: np.ndarray) -> tuple[dict, dict]:
    """Figures and the by-arm table of the difference-in-differences over conversations."""
    marketing, before_sum, before_n, after_sum, after_n = conversations.T
    before, after, is_marketing = before_sum / before_n, after_sum / after_n, marketing == 1
    did = difference_in_differences(before, after, is_marketing)
    rows = []
    for key, mask in (("marketing", is_marketing), ("help", ~is_marketing)):
        rows.append(
            {
                "key": key,
                "label": "After marketing posts" if key == "marketing" else "After help posts",
                "conversations": figures.count(int(mask.sum())),
                "sentiment_before": arm_change(before[mask]),
                "sentiment_after": arm_change(after[mask]),
                "change": arm_change(after[mask] - before[mask]),
            }
        )
    table = {
        "name": "by_post_kind",
        "title": "Customer sentiment around brand posts",
        "dimension": "post_kind",
        "columns": ["conversations", "sentiment_before", "sentiment_after", "change"],
        "rows": rows,
    }
    found = {"did": did, "change_after_marketing": rows[0]["change"], "change_after_help": rows[1]["change"]}
    return found, table


@section("word_of_mouth")
def word_of_mouth(frame: FactFrame, filters: Filters) -> dict:
    threshold = marketing_threshold()
    hours, conversations = load_word_of_mouth(filters, threshold)
    series, totals = sentiment_series(hours, filters)
    negative, neutral, positive, marketing, helping = (int(value) for value in totals)
    labelled = negative + neutral + positive
    found, table = impact(conversations)
    fit = daily_interruptions(hours, filters)
    notes = []
    if labelled == 0:
        notes.append("no customer message has a sentiment yet (triage labels them in the background)")
    if marketing + helping == 0:
        notes.append("no brand message has been scored for promotion yet")
    if found["did"].too_small:
        notes.append(
            "not enough data for the difference-in-differences: each kind of post needs "
            f"{figures.MIN_N} conversations with customer messages before and after it"
        )
    if fit.level_change is None:
        notes.append(
            "not enough data for the interrupted time series: no marketing day has "
            f"{ITS_WINDOW_DAYS} days of sentiment around it without another one before it"
        )
    return {
        "title": "Word of mouth",
        "method": METHOD.format(
            threshold=threshold, k=WINDOW_MESSAGES, days=ITS_WINDOW_DAYS, limit=f"{BOOTSTRAP_LIMIT:,}"
        ),
        "assumptions": [
            f"A brand message is marketing at a promotion score of {threshold} or more (the reply "
            "guard's threshold), or when it carries an explicit pitch; all other brand messages are help.",
            f"The customer's {WINDOW_MESSAGES} messages on each side of the post stand for their "
            "sentiment before and after it.",
            "Observational, not randomised: the estimates show association, not proof of cause.",
        ],
        "figures": {
            "negative_share": figures.proportion(negative, labelled),
            "positive_share": figures.proportion(positive, labelled),
            "net_sentiment": net_sentiments([negative, neutral, positive])[0],
            "marketing_posts": figures.count(marketing),
            "help_posts": figures.count(helping),
            **found,
            "its_level_change": Figure(fit.level_change, fit.n, fit.level_ci95, "score"),
            "its_slope_change": Figure(fit.slope_change, fit.n, fit.slope_ci95, "score"),
        },
        "labels": {
            "negative_share": "Customer messages negative",
            "positive_share": "Customer messages positive",
            "net_sentiment": "Net sentiment (positive − negative share)",
            "marketing_posts": "Brand marketing posts",
            "help_posts": "Brand help posts",
            "did": "Effect of marketing vs help posts on sentiment (difference-in-differences)",
            "change_after_marketing": "Change in sentiment after a marketing post",
            "change_after_help": "Change in sentiment after a help post",
            "its_level_change": "Jump in daily net sentiment on marketing days (time series)",
            "its_slope_change": "Change of daily trend after marketing days (time series)",
            "conversations": "Conversations",
            "sentiment_before": "Sentiment before",
            "sentiment_after": "Sentiment after",
            "change": "Change",
        },
        "tables": [table],
        "series": series,
        "notes": notes,
    }
