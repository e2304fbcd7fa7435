"""`{% assignment_panel conversation %}`: who owns the conversation, and the buttons to take it,
give it to someone (supervisors) or let it go."""

from django import template

from townsquare.care.agents import agents_with_load
from townsquare.care.claims import ASSIGNABLE_STATUSES, MANAGER_ROLES
from townsquare.inbox.models import ChannelKind
from townsquare.people.models import Role

register = template.Library()


@register.inclusion_tag("web/_assignment.html", takes_context=True)
def assignment_panel(context, conversation):
    user = context["request"].user
    is_manager = user.role in MANAGER_ROLES
    open_for_work = conversation.status in ASSIGNABLE_STATUSES
    people = []
    if is_manager and open_for_work:
        # The picker shows each person's load, capacity and presence, not their queues: no prefetch.
        people = list(agents_with_load().prefetch_related(None))
        if conversation.channel.kind != ChannelKind.COMMUNITY:
            people = [p for p in people if p.role != Role.AMBASSADOR]
    owner_id = conversation.assignee_id
    return {
        "conversation": conversation,
        "may_take": open_for_work and owner_id is None and user.role != Role.AMBASSADOR,
        "may_release": owner_id is not None and (owner_id == user.pk or is_manager),
        "people": people,
        "csrf_token": context.get("csrf_token"),
    }
