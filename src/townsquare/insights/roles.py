"""Staff members' rungs on the escalation ladder, for who handled a conversation."""

from townsquare.people.models import Role, User

LEVEL_OF_ROLE = {
    Role.AMBASSADOR: "ambassador",
    Role.AGENT: "agent",
    Role.SUPERVISOR: "supervisor",
    Role.ADMIN: "supervisor",
}


def levels_by_user() -> dict[int, str]:
    rows = User.objects.filter(role__in=list(LEVEL_OF_ROLE)).values_list("pk", "role")
    return {pk: LEVEL_OF_ROLE[role] for pk, role in rows}
