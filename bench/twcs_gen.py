"""A seeded generator of TWCS-shaped CSV ("Customer Support on Twitter"), streamed to a file.

Threads of 1-6 tweets: a customer writes to a brand, the brand answers, they go back and forth.
Customers have numeric author ids, brands are names like `AppleSupport`. As in the real file,
a thread's rows are not always in order (a reply can come before the tweet it answers). Text
sometimes holds commas, quotes, emoji and newlines, so the CSV needs real quoting.

    python -m bench.twcs_gen OUT.csv --rows 200000 [--seed 7]
"""

import argparse
import csv
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

HEADER = [
    "tweet_id",
    "author_id",
    "inbound",
    "created_at",
    "text",
    "response_tweet_id",
    "in_response_to_tweet_id",
]
BRANDS = [
    "AppleSupport",
    "AmazonHelp",
    "SpotifyCares",
    "VirginTrains",
    "ChaseSupport",
    "KestrelCare",
    "Uber_Support",
]
OPENERS = [
    "my order still hasn't arrived",
    "the app keeps crashing when I open settings",
    "why was I charged twice this month?",
    "can't log in since the update",
    "thanks for the quick fix yesterday",
    "the battery drains in two hours",
    "is there any way to change my delivery address",
    "your train was 40 minutes late again",
    "mi pedido llegó roto",
    "meine Bestellung ist nicht angekommen",
    "ma commande est en retard",
]
FOLLOW_UPS = [
    "I already tried that",
    "still not working, same error",
    "ok DM sent",
    "thanks, that worked!",
    "this is the third time I'm asking",
    "iOS 11.0.3 on an iPhone 7",
]
REPLIES = [
    "Sorry to hear that. Please send us a DM with your order number and we'll take a look.",
    "We can help. Which version are you on? You can find it in Settings > General > About.",
    "Thanks for reaching out, we're always happy to help. Send us a DM so we can look into this together.",
    "That's not the experience we want for you. Could you try restarting the device first?",
    "Glad to hear it! Let us know if there's anything else.",
]
EXTRAS = [
    ", please help",
    ' "urgent"',
    " 😡😡",
    " 🙏",
    " &amp; nobody answers",
    "\nsecond line, with a comma",
    " https://t.co/AbCdEf1234",
    " he said \"it's fine\", it isn't",
]
START = datetime(2017, 10, 1, tzinfo=UTC)


def twcs_date(moment: datetime) -> str:
    return moment.strftime("%a %b %d %H:%M:%S +0000 %Y")


def tweet_text(rng: random.Random, mention: str, pool: list[str]) -> str:
    parts = [mention, rng.choice(pool)]
    for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
        parts.append(rng.choice(EXTRAS))
    text = " ".join(parts)
    # Real tweets run from a few words up to the 280-character limit.
    if rng.random() < 0.2:
        text += " " + " ".join(rng.choice(pool) for _ in range(rng.randint(1, 2)))
    return text[:280]


def thread_rows(rng: random.Random, first_id: int, customer: int) -> list[list[str]]:
    """One customer/brand exchange as TWCS rows (ids first_id, first_id+1, ...)."""
    brand = rng.choice(BRANDS)
    length = rng.choices([1, 2, 3, 4, 5, 6], weights=[15, 40, 20, 12, 8, 5])[0]
    moment = START + timedelta(seconds=rng.randint(0, 60 * 86400))
    rows = []
    for position in range(length):
        inbound = position % 2 == 0
        if inbound:
            pool = OPENERS if position == 0 else FOLLOW_UPS
            author, text = str(customer), tweet_text(rng, f"@{brand}", pool)
        else:
            author, text = brand, tweet_text(rng, f"@{customer}", REPLIES)
        tweet_id = first_id + position
        rows.append(
            [
                str(tweet_id),
                author,
                "True" if inbound else "False",
                twcs_date(moment),
                text,
                str(tweet_id + 1) if position < length - 1 else "",
                str(tweet_id - 1) if position else "",
            ]
        )
        moment += timedelta(seconds=rng.randint(30, 6 * 3600))
    if length > 1 and rng.random() < 0.3:
        rows.reverse()
    return rows


def generate(path: Path, rows: int, seed: int = 7) -> int:
    """Write `rows` data rows (plus the header) to `path`; returns the number written."""
    rng = random.Random(seed)
    written, next_id, customer = 0, 1, 100_000
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        while written < rows:
            thread = thread_rows(rng, next_id, customer)[: rows - written]
            writer.writerows(thread)
            written += len(thread)
            next_id += len(thread) + rng.randint(0, 2)
            customer += 1
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    print(generate(args.out, args.rows, args.seed))


if __name__ == "__main__":
    main()
