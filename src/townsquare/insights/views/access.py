"""Insights are for the people who run care: supervisors and admins."""

from functools import wraps

from townsquare.inbox.visibility import Forbidden
from townsquare.web.access import console_view
from townsquare.web.supervisor import may_supervise


def insights_view(view):
    """Anonymous visitors go to the login page; everyone but supervisors and admins gets a 403
    page saying why (agents, ambassadors, moderators and customers alike)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_supervise(request.user):
            raise Forbidden("only supervisors and admins see insights")
        return view(request, *args, **kwargs)

    return console_view(wrapper)
