"""Word of mouth: how customers feel over time, and whether the brand's marketing posts sour it.

One SQL statement reads the message facts of the frame's conversations, already aggregated:
labelled customer messages and scored brand posts counted per UTC hour (mapped to local periods
here, DST-correct), and per conversation with a brand post the customer's sentiment just before
and just after it. At a million messages nothing is fetched row by row.
"""

from datetime import date

import numpy as np
from django.db import connection

from townsquare.insights import figures
from townsquare.insights.figures import BOOTSTRAP_RESAMPLES, SEED, Figure
from townsquare.insights.filters import Filters
from townsquare.insights.frame import FactFrame, fact_conditions
from townsquare.insights.impact import (
    arm_change,
    difference_in_differences,
    event_windows,
    segmented_regression,
)
from townsquare.insights.models import ConversationFact, MessageFact
from townsquare.insights.promo_folds import marketing_threshold
from townsquare.insights.report import section
from townsquare.insights.timebuckets import HOUR, period_labels

# Customer messages compared on each side of a brand post (the K nearest before and after it).
WINDOW_MESSAGES = 3
# Days on each side of a marketing day in the interrupted time series.
ITS_WINDOW_DAYS = 7
# Codes of the hourly counts: customer sentiment -1/0/1, then brand posts by kind.
MARKETING, HELP = 2, 3

METHOD = (
    "Customer sentiment is triage's label of each customer message (negative, neutral, positive); "
    "net sentiment is the positive share minus the negative share, with a bootstrap interval over "
    "messages. Each brand message is scored for promotion the way the reply guard judges replies: "
    "an explicit pitch (a code, a discount, a push to buy, a shop link, a launch) or a promotion "
    "model score of at least {threshold} (the guard's threshold) makes it marketing; every other "
    "brand message is help. Impact of brand posts: in each conversation with a brand post, the "
    "mean sentiment of the customer's {k} messages after the post (its first marketing post, or "
    "else its first post) minus that of their {k} messages before it; the difference-in-differences "
    "is that change after marketing minus the change after help, with a 95% bootstrap interval "
    "that resamples conversations. The interrupted time series fits a straight line to daily net "
    "sentiment in the {days} days before each marketing day (with no marketing day before it in "
    "that window) and measures the jump (level change) and the change of slope after it (OLS, "
    "t intervals). Both are observational: brands did not choose at random when to post "
    "marketing, so conversations or days that got it may differ in other ways; a real effect "
    "needs an experiment to confirm it."
)


def _vendor_hour(column: str) -> tuple[str, str]:
    """(an expression grouping a timestamp by UTC hour, the same group as whole hours since 1970)."""
    if connection.vendor == "postgresql":
        hour = f"FLOOR(EXTRACT(EPOCH FROM {column}) / 3600)::bigint"
        return hour, "hk"
    # SQLite keeps UTC text "YYYY-MM-DD HH:MM:SS": the first 13 characters are the hour.
    return f"substr({column}, 1, 13)", "CAST(strftime('%%s', hk || ':00:00') AS INTEGER) / 3600"


def _statement(filters: Filters, threshold: float) -> tuple[str, list]:
    facts, messages = ConversationFact._meta.db_table, MessageFact._meta.db_table
    where, frame_params = fact_conditions(filters)
    frame = f"SELECT conversation_id FROM {facts} WHERE {' AND '.join(where)}"
    hour_group, hour_number = _vendor_hour("written_at")
    bounds, bound_params = "", []
    for operator, moment in ((">=", filters.since), ("<", filters.until)):
        if moment is not None:
            bounds += f" AND written_at {operator} %s"
            bound_params.append(connection.ops.adapt_datetimefield_value(moment))
    k = int(WINDOW_MESSAGES)
    before = f"pre = 1 AND rn > cnt - {k}"
    after = f"pre = 0 AND rn <= {k}"
    sql = f"""
SELECT 0, {hour_number}, code, n, 0, 0, 0 FROM (
  SELECT {hour_group} AS hk,
         CASE WHEN direction = 'in' THEN sentiment WHEN promo_score >= %s THEN {MARKETING} ELSE {HELP} END AS code,
         COUNT(*) AS n
  FROM {messages}
  WHERE conversation_id IN ({frame})
    AND ((direction = 'in' AND sentiment IS NOT NULL) OR (direction = 'out' AND promo_score IS NOT NULL)){bounds}
  GROUP BY hk, code
) AS hours
UNION ALL
SELECT 1, c, marketing,
       SUM(CASE WHEN {before} THEN s ELSE 0 END), SUM(CASE WHEN {before} THEN 1 ELSE 0 END),
       SUM(CASE WHEN {after} THEN s ELSE 0 END), SUM(CASE WHEN {after} THEN 1 ELSE 0 END)
FROM (
  SELECT c, s, marketing, pre,
         ROW_NUMBER() OVER (PARTITION BY c, pre ORDER BY w, i) AS rn,
         COUNT(*) OVER (PARTITION BY c, pre) AS cnt
  FROM (
    SELECT m.conversation_id AS c, m.sentiment AS s, m.written_at AS w, m.message_id AS i,
           CASE WHEN cut.first_marketing IS NULL THEN 0 ELSE 1 END AS marketing,
           CASE WHEN m.written_at < COALESCE(cut.first_marketing, cut.first_post) THEN 1 ELSE 0 END AS pre
    FROM {messages} AS m
    JOIN (
      SELECT conversation_id AS c, MIN(CASE WHEN promo_score >= %s THEN written_at END) AS first_marketing,
             MIN(written_at) AS first_post
      FROM {messages}
      WHERE direction = 'out' AND promo_score IS NOT NULL AND conversation_id IN ({frame})
      GROUP BY conversation_id
    ) AS cut ON cut.c = m.conversation_id
    WHERE m.direction = 'in' AND m.sentiment IS NOT NULL
  ) AS sided
) AS ranked
GROUP BY c, marketing
HAVING SUM(CASE WHEN {before} THEN 1 ELSE 0 END) > 0 AND SUM(CASE WHEN {after} THEN 1 ELSE 0 END) > 0
"""
    params = [threshold, *frame_params, *bound_params, threshold, *frame_params]
    return sql, params


def load_word_of_mouth(filters: Filters, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """(hourly counts: [hour, code, n] rows; conversations: [id, marketing, before sum, before n,
    after sum, after n] rows), as float arrays, from one query."""
    sql, params = _statement(filters, threshold)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = np.array(cursor.fetchall(), dtype=float).reshape(-1, 7)
    hours, conversations = rows[rows[:, 0] == 0][:, 1:4], rows[rows[:, 0] == 1][:, 1:7]
    return hours, conversations


def net_sentiment(negative: int, neutral: int, positive: int, seed: int = SEED) -> Figure:
    """Positive share minus negative share, with a seeded bootstrap interval over the messages
    (a resample of n messages is a multinomial draw of the three counts)."""
    n = int(negative + neutral + positive)
    if n == 0:
        return figures.empty("score")
    value = (positive - negative) / n
    draws = np.random.default_rng(seed).multinomial(
        n, [negative / n, neutral / n, positive / n], BOOTSTRAP_RESAMPLES
    )
    low, high = np.percentile((draws[:, 2] - draws[:, 0]) / n, [2.5, 97.5])
    return Figure(value, n, (float(low), float(high)), "score")


def _tally(labels: np.ndarray, codes: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sorted unique labels, [label, code] count matrix over codes -1, 0, 1, MARKETING, HELP)."""
    names, index = np.unique(labels, return_inverse=True)
    table = np.zeros((len(names), 5))
    np.add.at(table, (index, codes.astype(int) + 1), counts)
    return names, table


def sentiment_series(hours: np.ndarray, filters: Filters) -> tuple[list[dict], np.ndarray]:
    """The per-period series and the overall [negative, neutral, positive, marketing, help] counts."""
    labels = period_labels(hours[:, 0] * HOUR, filters.zone, filters.period)
    names, table = _tally(labels, hours[:, 1], hours[:, 2])
    negative, positive, net, posts = [], [], [], []
    for name, (neg, neu, pos, marketing, _) in zip(names, table, strict=True):
        total = int(neg + neu + pos)
        negative.append({"x": name, "y": figures.proportion(int(neg), total)})
        positive.append({"x": name, "y": figures.proportion(int(pos), total)})
        net.append({"x": name, "y": net_sentiment(int(neg), int(neu), int(pos))})
        posts.append({"x": name, "y": figures.count(int(marketing))})
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
    _, marketing, before_sum, before_n, after_sum, after_n = conversations.T
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
        "method": METHOD.format(threshold=threshold, k=WINDOW_MESSAGES, days=ITS_WINDOW_DAYS),
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
            "net_sentiment": net_sentiment(negative, neutral, positive),
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
