"""A synthetic Stack Exchange dump for the community bench, from the Beer site's own words.

    python -m bench.community_gen OUT_DIR [QUESTIONS] [POSTS]

Writes one dump folder per site (Posts.xml, Comments.xml, Users.xml, Tags.xml) under OUT_DIR, as
the real dumps are laid out: one <row/> per line, ids in the order posts were written, answers
arriving after their question (a few dozen questions later, so the importer finds most questions
in an earlier batch). Seeded: the same sizes give the same files.

What makes it realistic enough to time pages on:
- titles and sentences come from shared/data/stackexchange-beer; body lengths are drawn from the
  real bodies' lengths; tags from the real tags, weighted by their use;
- answers per question follow the real distribution scaled to the requested total, plus a few
  "hot" questions with hundreds of answers (the topic page's worst case); ~60% of the questions
  with an answer have an accepted one; comments hang off questions and answers;
- a few thousand members per site whose activity is heavy-tailed (a few answer most questions).
"""

import csv
import json
import random
import re
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

GENERATOR_VERSION = 1
DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "stackexchange-beer"
SITES = ("beer", "wine", "spirits", "homebrew")
HOT_PER_SITE = 3
HOT_ANSWERS = 200
ACCEPTED_SHARE = 0.6
ANSWER_SHARE = 0.6  # of the posts; the rest are comments
USERS_PER_SITE = 12_000
LAG = 40  # answers to question i are written after question i + LAG
START = datetime(2014, 1, 21, tzinfo=UTC)
SPAN_DAYS = 3650
NAMES = "Ada Bo Cleo Dev Ezra Fay Gus Hana Ivo Jun Kai Lea Milo Nia Omar Pia Quin Rui Sol Tess Uma Vik Wen Yara Zed"


@dataclass
class Corpus:
    titles: list[str]
    sentences: list[str]
    words: list[str]
    tags: list[str]
    tag_weights: list[int]
    question_lengths: list[int]
    answer_lengths: list[int]
    answer_counts: list[int]


def load_corpus(folder: Path = DATA) -> Corpus:
    with (folder / "questions.csv").open(newline="", encoding="utf-8") as handle:
        questions = list(csv.DictReader(handle))
    with (folder / "answers.csv").open(newline="", encoding="utf-8") as handle:
        answers = list(csv.DictReader(handle))
    sentences = []
    for row in questions + answers:
        sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", row["body_text"]) if 20 <= len(s) <= 400]
    words = sorted({w for s in sentences for w in re.findall(r"[A-Za-z]{4,14}", s)})
    uses: dict[str, int] = {}
    for row in questions:
        for tag in filter(None, row["tags"].split(";")):
            uses[tag] = uses.get(tag, 0) + 1
    return Corpus(
        titles=[row["title"] for row in questions],
        sentences=sentences,
        words=words,
        tags=sorted(uses),
        tag_weights=[uses[tag] for tag in sorted(uses)],
        question_lengths=[len(row["body_html"]) for row in questions],
        answer_lengths=[len(row["body_html"]) for row in answers],
        answer_counts=[int(row["answer_count"]) for row in questions],
    )


def attr(value: str) -> str:
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\n", "&#xA;")
    )


def row(**fields) -> str:
    return "  <row " + " ".join(f'{k}="{attr(str(v))}"' for k, v in fields.items() if v is not None) + " />\n"


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


class Site:
    """One site's dump, written straight to its files."""

    def __init__(self, name: str, corpus: Corpus, questions: int, answers: int, comments: int, seed: int):
        self.name, self.corpus = name, corpus
        self.rng = random.Random(f"{seed}:{name}")
        self.questions, self.answers, self.comments = questions, answers, comments
        weights = [1 / (rank + 1) ** 0.9 for rank in range(USERS_PER_SITE)]
        self.user_weights = _cumulative(weights)
        self.next_id = 1
        self.counts = {"questions": 0, "answers": 0, "comments": 0, "accepted": 0, "users": USERS_PER_SITE}

    def user(self) -> int:
        return self.rng.choices(range(1, USERS_PER_SITE + 1), cum_weights=self.user_weights)[0]

    def body(self, lengths: list[int]) -> str:
        rng, corpus = self.rng, self.corpus
        target, parts, size = rng.choice(lengths), [], 0
        while size < target:
            paragraph = " ".join(rng.choice(corpus.sentences) for _ in range(rng.randint(1, 3)))
            roll = rng.random()
            if roll < 0.08:
                paragraph = f"<pre><code>{' '.join(rng.choices(corpus.words, k=8))}\n</code></pre>"
            elif roll < 0.2:
                word = rng.choice(corpus.words)
                paragraph += f' See <a href="https://example.com/{word.lower()}">{word}</a>.'
                paragraph = f"<p>{paragraph}</p>"
            else:
                paragraph = f"<p>{paragraph}</p>"
            parts.append(paragraph)
            size += len(paragraph) + 1
        return "\n\n".join(parts) + "\n"

    def title(self) -> str:
        rng, corpus = self.rng, self.corpus
        words = rng.choice(corpus.titles).split()
        for _ in range(rng.randint(1, 2)):
            words[rng.randrange(len(words))] = rng.choice(corpus.words).lower()
        return " ".join(words)[:150]

    def answer_plan(self) -> list[int]:
        """Answers per question: the real distribution, scaled to the total, plus the hot ones."""
        rng = self.rng
        counts = [rng.choice(self.corpus.answer_counts) for _ in range(self.questions)]
        hot = rng.sample(range(self.questions), min(HOT_PER_SITE, self.questions))
        for index in hot:
            counts[index] = HOT_ANSWERS
        total, skip = sum(counts), set(hot)
        others = [i for i in range(self.questions) if i not in skip]
        while total != self.answers and others:
            index = rng.choice(others)
            if total < self.answers:
                counts[index] += 1
                total += 1
            elif counts[index] > 0:
                counts[index] -= 1
                total -= 1
        return counts

    def write(self, folder: Path) -> dict:
        folder.mkdir(parents=True, exist_ok=True)
        self._write_tags(folder / "Tags.xml")
        self._write_users(folder / "Users.xml")
        posts = self._write_posts(folder / "Posts.xml")
        self._write_comments(folder / "Comments.xml", posts)
        return {**self.counts, "hot": self.hot}

    def _write_tags(self, path: Path) -> None:
        with path.open("w", encoding="utf-8") as out:
            out.write('<?xml version="1.0" encoding="utf-8"?>\n<tags>\n')
            for number, tag in enumerate(self.corpus.tags, 1):
                out.write(row(Id=number, TagName=tag))
            out.write("</tags>\n")

    def _write_users(self, path: Path) -> None:
        names = NAMES.split()
        with path.open("w", encoding="utf-8") as out:
            out.write('<?xml version="1.0" encoding="utf-8"?>\n<users>\n')
            out.write(row(Id=-1, DisplayName="Community", CreationDate=stamp(START)))
            for number in range(1, USERS_PER_SITE + 1):
                joined = START + timedelta(days=self.rng.uniform(0, SPAN_DAYS / 2))
                name = f"{self.rng.choice(names)} {self.rng.choice(names)}{number % 97}"
                out.write(row(Id=number, DisplayName=name, CreationDate=stamp(joined)))
            out.write("</users>\n")

    def _write_posts(self, path: Path) -> list[tuple[int, datetime]]:
        """Questions and answers; returns (post id, date) of every post, for the comments."""
        rng, corpus = self.rng, self.corpus
        plan = self.answer_plan()
        self.hot = [i for i, n in enumerate(plan) if n == HOT_ANSWERS]
        step = SPAN_DAYS * 86400 / max(self.questions, 1)
        written: list[tuple[int, datetime]] = []
        pending: list[tuple[int, int, datetime, int]] = []  # (question index, question id, asked, answers)
        with path.open("w", encoding="utf-8") as out:
            out.write('<?xml version="1.0" encoding="utf-8"?>\n<posts>\n')
            for index in range(self.questions):
                asked = START + timedelta(seconds=index * step + rng.uniform(0, step))
                question_id = self._take_id()
                accepted = None
                if plan[index] and rng.random() < ACCEPTED_SHARE / 0.97:
                    accepted = rng.randrange(plan[index])
                tags = "".join(
                    f"<{t}>" for t in set(rng.choices(corpus.tags, corpus.tag_weights, k=rng.randint(1, 4)))
                )
                answers = self._answers(question_id, asked, plan[index], accepted)
                accepted_id = answers[accepted][0] if accepted is not None else None
                out.write(
                    row(Id=question_id, PostTypeId=1, AcceptedAnswerId=accepted_id, CreationDate=stamp(asked),
                        Score=int(rng.expovariate(1 / 4)) - 1, ViewCount=int(rng.expovariate(1 / 900)),
                        Body=self.body(corpus.question_lengths), OwnerUserId=self.user(),
                        Title=self.title(), Tags=tags, AnswerCount=plan[index])
                )  # fmt: skip
                written.append((question_id, asked))
                self.counts["questions"] += 1
                self.counts["accepted"] += accepted is not None
                pending.append((index, question_id, asked, answers))
                if len(pending) > LAG:
                    self._flush_answers(out, pending.pop(0), written)
            for item in pending:
                self._flush_answers(out, item, written)
            out.write("</posts>\n")
        return written

    def _answers(self, question_id: int, asked: datetime, count: int, accepted) -> list[tuple[int, datetime]]:
        answers = []
        for _ in range(count):
            answered = asked + timedelta(minutes=self.rng.expovariate(1 / 600))
            answers.append((self._take_id(), answered))
        return answers

    def _flush_answers(self, out, item, written) -> None:
        _, question_id, _, answers = item
        for answer_id, answered in answers:
            out.write(
                row(Id=answer_id, PostTypeId=2, ParentId=question_id, CreationDate=stamp(answered),
                    Score=int(self.rng.expovariate(1 / 3)) - 1, Body=self.body(self.corpus.answer_lengths),
                    OwnerUserId=self.user())
            )  # fmt: skip
            written.append((answer_id, answered))
            self.counts["answers"] += 1

    def _write_comments(self, path: Path, posts: list[tuple[int, datetime]]) -> None:
        rng = self.rng
        with path.open("w", encoding="utf-8") as out:
            out.write('<?xml version="1.0" encoding="utf-8"?>\n<comments>\n')
            for number in range(1, self.comments + 1):
                post_id, written = rng.choice(posts)
                text = rng.choice(self.corpus.sentences)
                when = written + timedelta(minutes=rng.expovariate(1 / 300))
                out.write(
                    row(Id=number, PostId=post_id, Score=int(rng.expovariate(1 / 1.5)), Text=text,
                        CreationDate=stamp(when), UserId=self.user())
                )  # fmt: skip
                self.counts["comments"] += 1
            out.write("</comments>\n")

    def _take_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def generate(out_dir: Path, questions: int = 100_000, posts: int = 500_000, seed: int = 6) -> dict:
    """Write len(SITES) dumps sharing `questions` and `posts` (answers + comments) between them."""
    corpus = load_corpus()
    answers = int(posts * ANSWER_SHARE)
    summary = {}
    for number, name in enumerate(SITES):
        share = lambda total, number=number: total // len(SITES) + (number < total % len(SITES))  # noqa: E731
        site = Site(name, corpus, share(questions), share(answers), share(posts - answers), seed)
        summary[name] = site.write(out_dir / f"{name}.stackexchange.com")
    return summary


if __name__ == "__main__":
    target = Path(sys.argv[1])
    sizes = [int(value) for value in sys.argv[2:4]]
    print(json.dumps(generate(target, *sizes)))
