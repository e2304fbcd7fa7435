"""A conversation's word-of-mouth summary, from its message timeline (pure: no database).

The fold keeps it on the conversation fact, so a report sums columns of the shared frame instead
of reading every message. What counts: customer messages triage has labelled, and brand posts
the promotion scorer has scored (the others wait in `wom_unscored_posts`). The brand post the
impact estimate compares is the conversation's first marketing post, or else its first post; its
sides are the customer's WINDOW_MESSAGES labelled messages nearest it before and after.
"""

from datetime import datetime

# Customer messages compared on each side of a brand post (the K nearest before and after it).
WINDOW_MESSAGES = 3
FIELDS = (
    "wom_negative",
    "wom_neutral",
    "wom_positive",
    "wom_marketing_posts",
    "wom_help_posts",
    "wom_unscored_posts",
    "wom_post_kind",
    "wom_post_at",
    "wom_before_sum",
    "wom_before_n",
    "wom_after_sum",
    "wom_after_n",
)


def summarise(messages: list[tuple], threshold: float, k: int = WINDOW_MESSAGES) -> dict:
    """The summary fields of one conversation from its messages, oldest first (ties in message
    id order): (written_at, direction "in"/"out", sentiment −1/0/1 or None, promo score or None)."""
    by_sentiment = {-1: 0, 0: 0, 1: 0}
    # The labelled customer messages and scored posts in order: (sentiment, None) or (None, post).
    steps: list[tuple[int | None, tuple[str, datetime] | None]] = []
    unscored = 0
    for written_at, direction, sentiment, promo_score in messages:
        if direction == "in":
            if sentiment is not None:
                by_sentiment[int(sentiment)] += 1
                steps.append((int(sentiment), None))
        elif promo_score is None:
            unscored += 1
        else:
            steps.append((None, ("marketing" if promo_score >= threshold else "help", written_at)))
    posts = [(index, post) for index, (_, post) in enumerate(steps) if post is not None]
    marketing = [(index, post) for index, post in posts if post[0] == "marketing"]
    summary = {
        "wom_negative": by_sentiment[-1],
        "wom_neutral": by_sentiment[0],
        "wom_positive": by_sentiment[1],
        "wom_marketing_posts": len(marketing),
        "wom_help_posts": len(posts) - len(marketing),
        "wom_unscored_posts": unscored,
        "wom_post_kind": "",
        "wom_post_at": None,
        "wom_before_sum": 0,
        "wom_before_n": 0,
        "wom_after_sum": 0,
        "wom_after_n": 0,
    }
    if not posts:
        return summary
    cut, (kind, at) = (marketing or posts)[0]
    before = [value for value, _ in steps[:cut] if value is not None][-k:]
    after = [value for value, _ in steps[cut + 1 :] if value is not None][:k]
    summary.update(
        wom_post_kind=kind,
        wom_post_at=at,
        wom_before_sum=sum(before),
        wom_before_n=len(before),
        wom_after_sum=sum(after),
        wom_after_n=len(after),
    )
    return summary


def apply_summary(fact, messages: list[tuple], threshold: float) -> None:
    """Set the fact's word-of-mouth fields from its message timeline (see `summarise`)."""
    for name, value in summarise(messages, threshold).items():
        setattr(fact, name, value)
