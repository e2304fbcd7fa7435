"""How a page answers when a community service says no: a message page with the right status.

CommunityError is a 400 (bad input, a closed topic), Conflict a 409 (already accepted), NotAllowed
a 403 (trust level, role, suspension, not signed in) - each with the service's own words, so the
member knows what to do next.
"""

from django.shortcuts import render

from townsquare.community.errors import CommunityError, Conflict, NotAllowed

SERVICE_ERRORS = (CommunityError, NotAllowed)


def status_of(error: Exception) -> int:
    if isinstance(error, Conflict):
        return 409
    if isinstance(error, NotAllowed):
        return 403
    return 400


def message_page(request, error: Exception, *, back: str = "", status: int | None = None):
    """The reason a change was refused, with a way back to where the member came from."""
    status = status or status_of(error)
    titles = {400: "That did not work", 403: "Not allowed", 404: "Not found", 409: "Already done"}
    context = {
        "title": titles.get(status, "That did not work"),
        "message": str(error),
        "back": back,
        "sign_in": status == 403 and not request.user.is_authenticated,
    }
    return render(request, "community/message.html", context, status=status)
