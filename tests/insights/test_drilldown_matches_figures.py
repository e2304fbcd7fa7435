"""Drill-down: the conversations behind a figure are exactly those it counted, newest first."""

import pytest

from tests.insights.care_story import MONDAY, care, converse, seconds
from townsquare.care.models import Queue
from townsquare.insights.care import DRILL_METRICS
from townsquare.insights.care_section import DRILL_OF_FIGURE
from townsquare.insights.drilldown import conversation_count, conversation_ids
from townsquare.insights.filters import FilterError, Filters
from townsquare.insights.frame import load_frame
from townsquare.insights.projection import refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(hook, twitter, alice, bob):
    queue = Queue.objects.create(name="Devices")
    told = {"resolved": [], "reopened": [], "unanswered": [], "all": []}
    for i in range(14):
        options = {
            "reply_after": None if i % 5 == 0 else 60 * (i + 1),
            "resolve_after": 3600 if i % 3 == 0 else None,
            "reopen_after": 4000 if i == 3 else None,
            "language": "en" if i % 2 else "de",
            "kind": "question" if i < 7 else "problem",
            "queue_id": queue.pk if i < 4 else None,
            "assignee": (alice, bob, None)[i % 3],
            "csat": 1 + i % 5 if i % 2 else None,
            "peer": i == 6,
            "sla": {"first_response": "met" if i % 5 else "breached", "resolution": "running"}
            if i > 8
            else None,
        }
        channel = hook if i < 10 else twitter
        story = converse(channel, MONDAY + seconds(3600 * i), **options)
        told["all"].append(story.conversation_id)
        if options["resolve_after"] and not options["reopen_after"]:
            told["resolved"].append(story.conversation_id)
        if options["reopen_after"]:
            told["reopened"].append(story.conversation_id)
    refresh()  # the drill-down reads the projection, as the report it came from did
    return told


def successes(figure) -> int:
    return round(figure["value"] * figure["n"])


def test_every_figure_overall_and_in_every_row_drills_down_to_its_n_and_successes(story):
    section = care()
    filters = Filters()
    places = [({}, section["figures"])]
    places += [(r["drill"], r) for table in section["tables"] for r in table["rows"]]
    checked = 0
    for drill, figures in places:
        for name, metrics in DRILL_OF_FIGURE.items():
            figure = figures[name]
            if "n" in metrics:
                assert conversation_count(filters, metrics["n"], **drill) == figure["n"], (name, drill)
            if "successes" in metrics and figure["n"]:
                assert conversation_count(filters, metrics["successes"], **drill) == successes(figure), (
                    name,
                    drill,
                )
            checked += 1
    assert checked > 100


def test_the_resolved_list_is_what_was_resolved_newest_first(story, twitter):
    # Twitter is an import channel: a thread the brand spoke last in counts as resolved there too.
    ids = conversation_ids(Filters(), "resolved")
    assert set(story["resolved"]) <= set(ids)
    assert ids == sorted(ids, reverse=True)  # told an hour apart, in id order
    assert conversation_ids(Filters(), "reopened") == story["reopened"]
    assert conversation_ids(Filters(), None) == sorted(story["all"], reverse=True)


def test_paging_with_limit_and_offset(story):
    everything = conversation_ids(Filters(), "all")
    assert conversation_ids(Filters(), "all", limit=5) == everything[:5]
    assert conversation_ids(Filters(), "all", limit=5, offset=10) == everything[10:15]


def test_a_group_outside_the_filters_has_no_conversations(story, hook, twitter):
    narrowed = Filters(channel_ids=(hook.pk,))
    assert conversation_ids(narrowed, "all", channel=str(twitter.pk)) == []
    assert conversation_count(narrowed, "all", channel=str(hook.pk)) == 10
    assert conversation_count(Filters(), "all", period="2026-11-16") == 14
    assert conversation_count(Filters(), "all", period="2026-11-09") == 0


@pytest.mark.parametrize(
    ("metric", "group", "message"),
    [
        ("fastest", {}, "unknown metric"),
        ("all", {"colour": "red"}, "unknown dimension"),
        ("all", {"channel": "twitter"}, "channel must be an id"),
        ("all", {"period": "last week"}, "is not a week label"),
    ],
)
def test_bad_drill_down_values_are_refused_with_a_reason(db, metric, group, message):
    with pytest.raises(FilterError, match=message):
        conversation_ids(Filters(), metric, **group)


def test_negative_paging_is_refused(db):
    with pytest.raises(FilterError, match="must not be negative"):
        conversation_ids(Filters(), "all", offset=-1)


def test_every_metric_picks_the_same_conversations_from_the_narrow_load_as_from_the_whole_frame(story):
    frame = load_frame(Filters())
    for metric, picks in DRILL_METRICS.items():
        expected = sorted(int(cid) for cid in frame["conversation_id"][picks(frame)])
        assert sorted(conversation_ids(Filters(), metric)) == expected, metric
