"""Stream the rows of a Stack Exchange dump's XML files (Posts, Comments, Users, Tags) in flat memory.

Each file is one `<rows>` element with one `<row …/>` per line. Expat is fed 1 MB at a time and
reports the line each row starts on, for the reject report; the rows found so far are handed out
after each chunk, so memory holds one chunk's rows whatever the size of the file. A file that
stops being XML (truncated, corrupt) ends there with one reject naming the line: every row before
it has been read.
"""

from collections.abc import Iterator
from pathlib import Path
from xml.parsers import expat

from townsquare.community.importers.se_records import (
    Answer,
    BadField,
    Comment,
    Question,
    Reject,
    SEUser,
    excerpt,
    optional_date,
    optional_int,
    owner,
    parse_date,
    parse_id,
    split_tags,
)

CHUNK = 1 << 20
QUESTION, ANSWER = "1", "2"


def xml_rows(path: Path) -> Iterator[tuple[int, dict[str, str]] | Reject]:
    """(line, attributes) of every <row> in the file, or a Reject where the XML breaks."""
    found: list[tuple[int, dict[str, str]]] = []
    parser = expat.ParserCreate()
    parser.buffer_text = True

    def start(name: str, attributes: dict[str, str]) -> None:
        if name == "row":
            found.append((parser.CurrentLineNumber, attributes))

    parser.StartElementHandler = start
    with path.open("rb") as handle:
        while True:
            data = handle.read(CHUNK)
            try:
                parser.Parse(data, not data)
            except expat.ExpatError as exc:
                yield from found
                yield Reject(path.name, exc.lineno, f"the file is not valid XML from here on: {exc}")
                return
            yield from found
            found.clear()
            if not data:
                return


def read_posts(path: Path) -> Iterator[Question | Answer | Reject]:
    """Questions (PostTypeId 1) and answers (2) of Posts.xml; other post types are skipped."""
    for item in xml_rows(path):
        if isinstance(item, Reject):
            yield item
            continue
        line, row = item
        kind = row.get("PostTypeId")
        if kind not in (QUESTION, ANSWER):
            continue
        try:
            yield _question(line, row) if kind == QUESTION else _answer(line, row)
        except BadField as exc:
            yield Reject(path.name, line, str(exc), excerpt(row.get("Title") or row.get("Body", "")))


def _question(line: int, row: dict[str, str]) -> Question:
    title = (row.get("Title") or "").strip()
    if not title:
        raise BadField("the question has no title")
    return Question(
        line=line,
        source_id=parse_id(row.get("Id")),
        created_at=parse_date(row.get("CreationDate"), "CreationDate"),
        title=title,
        body_html=row.get("Body") or "",
        owner_id=owner(row.get("OwnerUserId")),
        score=optional_int(row.get("Score"), "Score") or 0,
        view_count=optional_int(row.get("ViewCount"), "ViewCount") or 0,
        accepted_answer_id=optional_int(row.get("AcceptedAnswerId"), "AcceptedAnswerId"),
        tags=split_tags(row.get("Tags")),
        closed=bool(row.get("ClosedDate")),
        last_activity_at=optional_date(row.get("LastActivityDate"), "LastActivityDate"),
    )


def _answer(line: int, row: dict[str, str]) -> Answer:
    return Answer(
        line=line,
        source_id=parse_id(row.get("Id")),
        question_id=parse_id(row.get("ParentId"), "ParentId"),
        created_at=parse_date(row.get("CreationDate"), "CreationDate"),
        body_html=row.get("Body") or "",
        owner_id=owner(row.get("OwnerUserId")),
        score=optional_int(row.get("Score"), "Score") or 0,
    )


def read_comments(path: Path) -> Iterator[Comment | Reject]:
    for item in xml_rows(path):
        if isinstance(item, Reject):
            yield item
            continue
        line, row = item
        try:
            yield Comment(
                line=line,
                source_id=parse_id(row.get("Id")),
                post_id=parse_id(row.get("PostId"), "PostId"),
                created_at=parse_date(row.get("CreationDate"), "CreationDate"),
                text=row.get("Text") or "",
                owner_id=owner(row.get("UserId")),
                score=optional_int(row.get("Score"), "Score") or 0,
            )
        except BadField as exc:
            yield Reject(path.name, line, str(exc), excerpt(row.get("Text", "")))


def read_users(path: Path) -> Iterator[SEUser | Reject]:
    for item in xml_rows(path):
        if isinstance(item, Reject):
            yield item
            continue
        line, row = item
        try:
            source_id = parse_id(row.get("Id"), "Id")
            created = optional_date(row.get("CreationDate"), "CreationDate")
        except BadField as exc:
            yield Reject(path.name, line, str(exc), excerpt(row.get("DisplayName", "")))
            continue
        if source_id > 0:  # -1 is the site's "Community" bot, which owns nothing we import
            yield SEUser(line, source_id, (row.get("DisplayName") or "").strip()[:100], created)


def read_tags(path: Path) -> Iterator[str]:
    for item in xml_rows(path):
        if not isinstance(item, Reject):
            names = split_tags(f"<{item[1].get('TagName', '')}>")
            yield from names
