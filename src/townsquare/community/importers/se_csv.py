"""Stream the CSV pair derived from a Stack Exchange dump (`questions.csv`, `answers.csv`; see
`shared/data/stackexchange-beer/SOURCE.md`), with the line each record starts on."""

import csv
from collections.abc import Iterator
from pathlib import Path

from townsquare.community.importers.se_records import (
    Answer,
    BadField,
    Question,
    Reject,
    excerpt,
    optional_int,
    owner,
    parse_date,
    parse_id,
    split_tags,
)

QUESTION_COLUMNS = ["id", "creation_date", "score", "view_count", "accepted_answer_id", "owner_user_id"]
QUESTION_COLUMNS += ["closed_date", "tags", "title", "body_html"]
ANSWER_COLUMNS = ["id", "question_id", "creation_date", "score", "is_accepted", "owner_user_id", "body_html"]


class FormatError(ValueError):
    """PATH is not a dump in a format we read (no Posts.xml, a CSV header lacking columns)."""


def csv_records(path: Path, required: list[str]) -> Iterator[tuple[int, dict[str, str]] | Reject]:
    """(first line, row as a dict) per record; a Reject for a record with the wrong number of fields."""
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        reader = csv.reader(handle)
        header = next(reader, None) or []
        missing = [name for name in required if name not in header]
        if missing:
            raise FormatError(f"{path.name}: the header lacks {', '.join(missing)}")
        last = reader.line_num
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield Reject(path.name, last + 1, f"unreadable CSV: {exc}")
                last = reader.line_num
                continue
            line, last = last + 1, reader.line_num
            if not fields:
                continue
            if len(fields) != len(header):
                yield Reject(
                    path.name,
                    line,
                    f"expected {len(header)} fields, found {len(fields)}",
                    excerpt(",".join(fields)),
                )
                continue
            yield line, dict(zip(header, fields, strict=True))


def read_questions(path: Path) -> Iterator[Question | Reject]:
    for item in csv_records(path, QUESTION_COLUMNS):
        if isinstance(item, Reject):
            yield item
            continue
        line, row = item
        try:
            title = row["title"].strip()
            if not title:
                raise BadField("the question has no title")
            yield Question(
                line=line,
                source_id=parse_id(row["id"]),
                created_at=parse_date(row["creation_date"], "creation_date"),
                title=title,
                body_html=row["body_html"],
                owner_id=owner(row["owner_user_id"]),
                score=optional_int(row["score"], "score") or 0,
                view_count=optional_int(row["view_count"], "view_count") or 0,
                accepted_answer_id=optional_int(row["accepted_answer_id"], "accepted_answer_id"),
                tags=split_tags(row["tags"]),
                closed=bool(row["closed_date"].strip()),
            )
        except BadField as exc:
            yield Reject(path.name, line, str(exc), excerpt(row.get("title") or row.get("body_html", "")))


def read_answers(path: Path) -> Iterator[Answer | Reject]:
    for item in csv_records(path, ANSWER_COLUMNS):
        if isinstance(item, Reject):
            yield item
            continue
        line, row = item
        try:
            accepted = row["is_accepted"].strip()
            if accepted not in ("True", "False", ""):
                raise BadField(f"is_accepted {accepted[:20]!r} is neither True nor False")
            yield Answer(
                line=line,
                source_id=parse_id(row["id"]),
                question_id=parse_id(row["question_id"], "question_id"),
                created_at=parse_date(row["creation_date"], "creation_date"),
                body_html=row["body_html"],
                owner_id=owner(row["owner_user_id"]),
                score=optional_int(row["score"], "score") or 0,
                is_accepted=accepted == "True",
            )
        except BadField as exc:
            yield Reject(path.name, line, str(exc), excerpt(row.get("body_html", "")))


def read_csv_posts(folder: Path) -> Iterator[Question | Answer | Reject]:
    """All questions, then all answers: an answer's question is always read before it."""
    yield from read_questions(folder / "questions.csv")
    yield from read_answers(folder / "answers.csv")
