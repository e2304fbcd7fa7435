"""The page a member uses to flag a topic or post: /community/flag/<topic|post>/<id>/.

Topic pages link here from each post; the form says what each reason means, and the service
decides whether this member may flag (trust level 1, not suspended, not their own post, once).
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from townsquare.community.models import Post, Topic, Visibility
from townsquare.community.moderation.flags import flag
from townsquare.community.moderation.forms import FlagForm
from townsquare.community.moderation.targets import Target
from townsquare.community.views.outcomes import SERVICE_ERRORS, status_of
from townsquare.community.views.topic import topic_url


def _target(kind: str, pk: int) -> Target:
    if kind == "post":
        post = Post.objects.select_related("topic__space").filter(pk=pk).first()
        if post is not None and post.visibility == Visibility.VISIBLE:
            return Target(topic=post.topic, post=post)
    elif kind == "topic":
        topic = Topic.objects.select_related("space").filter(pk=pk).first()
        if topic is not None and topic.visibility == Visibility.VISIBLE:
            return Target(topic=topic)
    raise Http404("nothing to flag here")


@require_http_methods(["GET", "POST"])
def flag_page(request, kind: str, pk: int):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    target = _target(kind, pk)
    form = FlagForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                flag(
                    request.user,
                    reason=data["reason"],
                    guideline_id=data["rule"].pk if data["rule"] else None,
                    note=data["note"],
                    **{f"{kind}_id": pk},
                )
            except SERVICE_ERRORS as exc:
                status = status_of(exc)
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Thank you: moderators will look at it.")
                return redirect(topic_url(target.topic))
    context = {"form": form, "target": target, "back": topic_url(target.topic)}
    return render(request, "community/moderation/flag.html", context, status=status)
