"""The spaces index, a space's topic list and a tag's topic list: public pages, no account needed."""

from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from townsquare.community.models import Space, Tag
from townsquare.community.views.listing import TABS, space_summaries, topic_page, topics_for
from townsquare.community.views.outcomes import message_page
from townsquare.web.paging import BadCursor, Cursor


@require_GET
def index(request):
    return render(request, "community/index.html", {"summaries": space_summaries()})


def _cursors(request) -> tuple[Cursor | None, Cursor | None]:
    after, before = request.GET.get("after"), request.GET.get("before")
    return (Cursor.decode(after) if after else None, Cursor.decode(before) if before else None)


def _list_page(request, *, space=None, tag=None, template_context: dict):
    tab = request.GET.get("tab", "latest")
    if tab not in TABS:
        tab = "latest"
    try:
        after, before = _cursors(request)
    except BadCursor as exc:
        return message_page(request, exc, status=400, back=request.path)
    page = topic_page(topics_for(space=space, tag=tag, tab=tab), after=after, before=before)
    context = {
        **template_context,
        "page": page,
        "tab": tab,
        "tabs": TABS,
        "space": space,
        "tag": tag,
    }
    # The pager's htmx request swaps only the rows; a history restore needs the whole page.
    partial = request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    response = render(request, "community/_topic_rows.html" if partial else "community/topics.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def space_topics(request, slug: str):
    space = get_object_or_404(Space, slug=slug, is_active=True)
    tag = None
    if tag_name := request.GET.get("tag"):
        tag = get_object_or_404(Tag, name=tag_name.strip().lower())
    return _list_page(request, space=space, tag=tag, template_context={"heading": space.name})


@require_GET
def tag_topics(request, name: str):
    tag = get_object_or_404(Tag, name=name.lower())
    return _list_page(request, tag=tag, template_context={"heading": f"Tagged {tag.name}"})
