"""Who may read and who may change SLA policies and calendars."""

from townsquare.inbox.visibility import Forbidden, can_use_console
from townsquare.people.models import STAFF_CONSOLE_ROLES, Role

MANAGER_ROLES = {Role.ADMIN, Role.SUPERVISOR}


class SlaError(ValueError):
    """A policy or calendar change that cannot be made as asked; the message says why (400)."""


class SlaConflict(SlaError):
    """The change clashes with what exists (a name taken, a calendar in use): 409."""


def require_reader(user) -> None:
    """Staff read policies and calendars (agents see what they are held to)."""
    if not can_use_console(user) or user.role not in STAFF_CONSOLE_ROLES:
        raise Forbidden("only staff (agents, supervisors, admins) can see SLA policies")


def require_manager(user) -> None:
    require_reader(user)
    if user.role not in MANAGER_ROLES:
        raise Forbidden("only a supervisor or an admin can change SLA policies and calendars")
