"""Word of mouth: how customers feel over time, and whether the brand's marketing posts sour it.

Everything comes from the shared frame: the fold keeps a word-of-mouth summary on each
conversation fact (wom_summary.py: labelled customer messages by sentiment, brand posts by kind,
the customer's sentiment on each side of the post that counts), so a report sums columns instead
of reading a million messages.
"""

import numpy as np
from scipy import stats

from townsquare.insights import figures
from townsquare.insights.figures import BOOTSTRAP_RESAMPLES, SEED, Figure
from townsquare.insights.filters import Filters
from townsquare.insights.frame import FactFrame
from townsquare.insights.impact import (
    BOOTSTRAP_LIMIT,
    Z95,
    arm_change,
    difference_in_differences,
    event_windows,
    segmented_regression,
)
from townsquare.insights.promo_folds import marketing_threshold
from townsquare.insights.report import section
from townsquare.insights.timebuckets import DAY, local_seconds
from townsquare.insights.wom_columns import KINDS, unpack
from townsquare.insights.wom_summary import WINDOW_MESSAGES

MARKETING = KINDS.index("marketing")

# Summary columns counted per period: customer messages by sentiment, then brand posts by kind.
COUNT_COLUMNS = ("wom_negative", "wom_neutral", "wom_positive", "wom_marketing_posts", "wom_help_posts")

# Days on each side of a marketing day in the interrupted time series.
ITS_WINDOW_DAYS = 7
# Periods resampled together in one multinomial draw (bounds the draw's memory).
PERIODS_PER_DRAW = 200
# Messages in a period above which the net sentiment's interval is the bootstrap's normal
# approximation (the resampling would cost most of the section's time at a million messages).
NET_BOOTSTRAP_LIMIT = 1000

METHOD = (
    "Customer sentiment is triage's label of each customer message (negative, neutral, positive), "
    "counted, like every figure of the report, in the local period its conversation started; net "
    "sentiment is the positive share minus the negative share, with a bootstrap interval over "
    "messages (its normal approximation above {net_limit} messages). Each brand message is scored "
    "for promotion in the background, the way the reply guard judges replies: an explicit pitch (a "
    "code, a discount, a push to buy, a shop link, a launch) or a promotion model score of at least "
    "{threshold} (the guard's threshold) makes it marketing; every other brand message is help "
    "(posts not scored yet are left out, and a note counts them). Impact of brand posts: in each "
    "conversation with a brand post, the mean sentiment of the customer's {k} messages after the "
    "post (its first marketing post, or else its first post) minus that of their {k} messages "
    "before it; the difference-in-differences is that change after marketing minus the change after "
    "help, with a 95% interval from a bootstrap that resamples conversations within each kind (a "
    "normal approximation above {limit} conversations). The interrupted time series fits a "
    "straight line to daily net sentiment (customer messages of the conversations started that "
    "day) over the {days} days before each marketing day (a day when a conversation's first "
    "marketing post was written) that had no other marketing day in them, and measures the jump "
    "(level change) and the change of slope over the {days} days from it (ordinary least squares, "
    "t intervals that treat days as independent). Both are observational: brands did not choose at "
    "random when to post marketing, so conversations or days that got it may differ in other ways "
    "(a customer already upset, a busy day); a real effect needs an experiment to confirm it."
)


def net_sentiments(counts: np.ndarray, seed: int = SEED) -> list[Figure]:
    """Positive share minus negative share for each row of [negative, neutral, positive] counts,
    with a seeded bootstrap interval over the messages: a resample of n messages is one
    multinomial draw of the three counts, so many periods are resampled in one numpy call. Above
    NET_BOOTSTRAP_LIMIT messages the interval is the bootstrap's normal approximation (the
    variance of a resampled net share is (p₊ + p₋ − (p₊ − p₋)²) / n), which it matches there."""
    counts = np.asarray(counts, dtype=np.int64).reshape(-1, 3)
    totals = counts.sum(axis=1)
    shares = counts / np.maximum(totals, 1)[:, None]
    nets = shares[:, 2] - shares[:, 0]
    half = Z95 * np.sqrt(np.maximum(shares[:, 2] + shares[:, 0] - nets**2, 0.0) / np.maximum(totals, 1))
    lows, highs = nets - half, nets + half
    small = np.flatnonzero((totals > 0) & (totals <= NET_BOOTSTRAP_LIMIT))
    rng = np.random.default_rng(seed)
    for start in range(0, len(small), PERIODS_PER_DRAW):
        part = small[start : start + PERIODS_PER_DRAW]
        draws = rng.multinomial(totals[part], shares[part], size=(BOOTSTRAP_RESAMPLES, len(part)))
        resampled = (draws[:, :, 2] - draws[:, :, 0]) / totals[part]
        lows[part], highs[part] = np.percentile(resampled, [2.5, 97.5], axis=0)
    return [
        Figure(float(net), int(total), (float(low), float(high)), "score")
        if total
        else figures.empty("score")
        for net, total, low, high in zip(nets, totals, lows, highs, strict=True)
    ]


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


def _tally(keys: np.ndarray, table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sorted unique keys, the rows of `table` summed per key)."""
    names, index = np.unique(keys, return_inverse=True)
    sums = np.column_stack([np.bincount(index, weights=column, minlength=len(names)) for column in table.T])
    return names, sums.reshape(len(names), table.shape[1])


def local_days(
    started_at: np.ndarray, posted_at: np.ndarray, filters: Filters
) -> tuple[np.ndarray, np.ndarray]:
    """Local day numbers (days since 1970-01-01 on the local calendar, DST-correct) of each
    conversation's start and of each marketing post that counts: one time-zone pass for both."""
    epochs = np.concatenate([started_at, posted_at])
    local = local_seconds(epochs, filters.zone)
    days = np.floor(np.nan_to_num(local) / DAY).astype(np.int64)
    return days[: len(started_at)], days[len(started_at) :]


def period_keys(days: np.ndarray, period: str) -> tuple[np.ndarray, np.ndarray]:
    """(labels, as timebuckets.period_labels writes them, of each day's period; the period each
    day falls in): labels are made for the periods that occur only."""
    if period == "week":
        keys = days - (days + 3) % 7  # Mondays (1970-01-01 was a Thursday)
    elif period == "month":
        keys = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    else:
        keys = days
    unique, inverse = np.unique(keys, return_inverse=True)
    unit = "M" if period == "month" else "D"
    return np.datetime_as_string(unique.astype(f"datetime64[{unit}]")).astype(object), inverse


def sentiment_series(start_days: np.ndarray, table: np.ndarray, period: str) -> list[dict]:
    """The per-period series (periods of the conversations' start) of the COUNT_COLUMNS `table`."""
    names, index = period_keys(start_days, period)
    sums = _tally(index, table)[1]
    totals = sums[:, :3].sum(axis=1)

    def points(values: list[Figure]) -> list[dict]:
        return [{"x": name, "y": value} for name, value in zip(names, values, strict=True)]

    negative, positive = points(proportions(sums[:, 0], totals)), points(proportions(sums[:, 2], totals))
    net, posts = points(net_sentiments(sums[:, :3])), points(counts(sums[:, 3]))
    return [
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


def daily_interruptions(start_days: np.ndarray, table: np.ndarray, marketing_days: np.ndarray):
    """The interrupted time series of daily net sentiment around marketing days (local days)."""
    days, sums = _tally(start_days, table[:, :3])
    messages = sums.sum(axis=1)
    has_messages = messages > 0
    net = (sums[has_messages, 2] - sums[has_messages, 0]) / messages[has_messages]
    t, y, post, groups = event_windows(days[has_messages], net, marketing_days, ITS_WINDOW_DAYS)
    return segmented_regression(t, y, post, groups)


def impact(wom: dict[str, np.ndarray]) -> tuple[dict, dict]:
    """Figures and the by-arm table of the difference-in-differences over conversations with
    customer messages on both sides of their brand post."""
    kind, before_n, after_n = wom["wom_post_kind"], wom["wom_before_n"], wom["wom_after_n"]
    compared = (kind > 0) & (before_n > 0) & (after_n > 0)
    before = wom["wom_before_sum"][compared] / before_n[compared]
    after = wom["wom_after_sum"][compared] / after_n[compared]
    is_marketing = kind[compared] == MARKETING
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
    wom = unpack(frame)
    counted = np.column_stack([wom[name] for name in COUNT_COLUMNS]).reshape(-1, len(COUNT_COLUMNS))
    marketing_posts = wom["wom_post_at"][wom["wom_post_kind"] == MARKETING]
    start_days, marketing_days = local_days(frame["started_at"], marketing_posts, filters)
    series = sentiment_series(start_days, counted, filters.period)
    negative, neutral, positive, marketing, helping = (int(value) for value in counted.sum(axis=0))
    labelled = negative + neutral + positive
    found, table = impact(wom)
    fit = daily_interruptions(start_days, counted, marketing_days)
    unscored = int(wom["wom_unscored_posts"].sum())
    notes = []
    if labelled == 0:
        notes.append("no customer message has a sentiment yet (triage labels them in the background)")
    if marketing + helping == 0:
        notes.append("no brand message has been scored for promotion yet")
    if unscored:
        notes.append(
            f"brand posts not scored for promotion yet: {unscored:,} (scoring runs in the background; "
            "until then they count neither as marketing nor as help)"
        )
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
            threshold=threshold,
            net_limit=f"{NET_BOOTSTRAP_LIMIT:,}",
            k=WINDOW_MESSAGES,
            days=ITS_WINDOW_DAYS,
            limit=f"{BOOTSTRAP_LIMIT:,}",
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
