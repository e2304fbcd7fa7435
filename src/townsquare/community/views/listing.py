"""What the spaces index and the topic lists read, in a fixed number of queries however many topics.

Topic lists page by keyset on (last_activity_at, id), newest first, like the inbox
(`web.paging`): a space's list walks the `topic_space_activity` index (space, visibility,
-last_activity_at, -id) from the cursor, so page 1 and page 2,000 cost the same and no COUNT runs
over the whole space.
"""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.db.models.expressions import RawSQL

from townsquare.community.models import Space, Tag, Topic, TopicKind, Visibility
from townsquare.web.paging import Cursor, Page, page_of

TABS = {
    "latest": "Latest",
    "unanswered": "Unanswered",
    "solved": "Solved",
}
LATEST_PER_SPACE = 3


@dataclass
class SpaceSummary:
    space: Space
    topic_count: int
    latest: list

    @property
    def shown_count(self) -> str:
        """ "12 topics", or "10,000+ topics" past the cap."""
        if self.topic_count > COUNT_CAP:
            return f"{COUNT_CAP:,}+ topics"
        return f"{self.topic_count:,} topic{'' if self.topic_count == 1 else 's'}"


def _visible_in(space_ref) -> "Topic.objects":
    return Topic.objects.filter(space=space_ref, visibility=Visibility.VISIBLE)


COUNT_CAP = 10_000
# The count stops at COUNT_CAP + 1 rows, so the index costs the same at 20,000 topics as at 2 million
# (the page says "10,000+"). A correlated subquery in FROM, which SQLite and PostgreSQL both take.
_CAPPED_COUNT = (
    f"SELECT COUNT(*) FROM (SELECT 1 FROM {Topic._meta.db_table} t"
    f" WHERE t.space_id = {Space._meta.db_table}.id AND t.visibility = %s LIMIT %s) capped"
)


def space_summaries() -> list[SpaceSummary]:
    """Active spaces with their topic counts and latest topics: two queries for any number of spaces.

    Each space's latest topics are three scalar subqueries that each seek the activity index;
    the topics themselves come in one more query. The count reads only that index and stops at
    COUNT_CAP; a count of solved topics would visit every row (165 ms at 80,000 topics on a busy
    machine) and is left out.
    """
    latest = _visible_in(OuterRef("pk")).order_by("-last_activity_at", "-id").values("id")
    annotations = {
        # Only model table names are spliced in; the values go as parameters.
        "topic_count": RawSQL(_CAPPED_COUNT, (Visibility.VISIBLE, COUNT_CAP + 1)),  # noqa: S611
    }
    for rank in range(LATEST_PER_SPACE):
        annotations[f"latest_{rank}"] = Subquery(latest[rank : rank + 1])
    spaces = list(Space.objects.filter(is_active=True).annotate(**annotations))
    ids = [
        getattr(space, f"latest_{rank}")
        for space in spaces
        for rank in range(LATEST_PER_SPACE)
        if getattr(space, f"latest_{rank}") is not None
    ]
    topics = Topic.objects.in_bulk(ids) if ids else {}
    return [
        SpaceSummary(
            space=space,
            topic_count=space.topic_count,
            latest=[
                topics[pk]
                for rank in range(LATEST_PER_SPACE)
                if (pk := getattr(space, f"latest_{rank}")) in topics
            ],
        )
        for space in spaces
    ]


def topics_for(*, space: Space | None = None, tag: Tag | None = None, tab: str = "latest"):
    """The visible topics of a space and/or a tag, narrowed by the tab, with what a row shows."""
    topics = Topic.objects.filter(visibility=Visibility.VISIBLE)
    if space is not None:
        topics = topics.filter(space=space)
    if tag is not None:
        topics = topics.filter(tags=tag)
    if tab == "unanswered":
        topics = topics.filter(kind=TopicKind.QUESTION, answer_count=0)
    elif tab == "solved":
        topics = topics.filter(accepted_post__isnull=False)
    # A list shows titles, not bodies: up to 30,000 characters each are left in the database.
    topics = topics.defer("body", "body_html", "visibility_reason")
    return topics.select_related("author__member", "space").prefetch_related("tags")


# Topics per list page, as Discourse shows them: a page renders in a few tens of milliseconds.
TOPICS_PER_PAGE = 30


def topic_page(topics, *, after: Cursor | None = None, before: Cursor | None = None) -> Page:
    return page_of(topics, after=after, before=before, size=TOPICS_PER_PAGE)
