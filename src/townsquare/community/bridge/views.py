"""The publish page: the conversation page's "Publish to the community" form posts here.

GET shows the form on its own page; POST publishes and goes to the new topic, or shows the form
again with the reason (400 bad input, 403 not staff, 409 no consent / not resolved / published).
"""

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from townsquare.community.bridge.links import topic_path
from townsquare.community.bridge.publish import publish, publish_panel_context, require_publisher
from townsquare.community.errors import CommunityError, Conflict, NotAllowed
from townsquare.community.models import Space
from townsquare.inbox.visibility import visible_conversations
from townsquare.web.access import console_view

FIELDS = ("space", "title", "question", "answer")


@require_http_methods(["GET", "POST"])
@console_view
def publish_view(request, conversation_id: int):
    conversation = get_object_or_404(
        visible_conversations(request.user).select_related("channel", "customer"), pk=conversation_id
    )
    require_publisher(request.user, conversation)
    if request.method == "GET":
        return _page(request, conversation, {"open": True})
    form = {name: request.POST.get(name, "") for name in FIELDS}
    space = Space.objects.filter(pk=int(form["space"])).first() if form["space"].isdigit() else None
    if space is None:
        return _page(request, conversation, {"form": form, "publish_error": "choose a space"}, status=400)
    try:
        topic = publish(
            request.user,
            conversation,
            space=space,
            title=form["title"],
            question=form["question"],
            answer=form["answer"],
        )
    except NotAllowed as exc:
        return _page(request, conversation, {"form": form, "publish_error": str(exc)}, status=403)
    except CommunityError as exc:
        status = 409 if isinstance(exc, Conflict) else 400
        return _page(request, conversation, {"form": form, "publish_error": str(exc)}, status=status)
    return redirect(topic_path(topic))


def _page(request, conversation, extra: dict, status: int = 200):
    context = {**publish_panel_context(request.user, conversation), "conversation": conversation, **extra}
    return render(request, "community/bridge_publish.html", context, status=status)
