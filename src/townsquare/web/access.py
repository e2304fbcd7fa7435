"""Who may open console pages: signed-in people whose role has console access."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from townsquare.inbox.visibility import Forbidden


def console_view(view):
    """Anonymous visitors go to the login page; roles without console access get a 403 page.

    The 403 page shows the reason from `Forbidden`, so a customer who signs in here learns
    why the console is closed to them instead of seeing a bare error.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Forbidden as exc:
            raise PermissionDenied(str(exc)) from exc

    return login_required(wrapper)
