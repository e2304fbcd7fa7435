"""`{% escalation_panel conversation %}`: the ladder's rung, its history, and the escalate form."""

from django import template

from townsquare.care.escalation import LADDER, current_level, rank
from townsquare.events.models import Event
from townsquare.people.models import Role

register = template.Library()


@register.inclusion_tag("web/_escalation.html", takes_context=True)
def escalation_panel(context, conversation):
    user = context["request"].user
    level = current_level(conversation)
    steps = Event.objects.filter(kind="conversation.escalated", conversation_id=conversation.pk).order_by(
        "id"
    )
    return {
        "conversation": conversation,
        "level": level,
        "next_level": LADDER[rank(level) + 1] if rank(level) + 1 < len(LADDER) else None,
        "levels": LADDER,
        "may_choose": user.role in (Role.SUPERVISOR, Role.ADMIN),
        "is_ambassador": user.role == Role.AMBASSADOR,
        "finished": conversation.status in ("resolved", "closed"),
        "steps": list(steps),
        "csrf_token": context.get("csrf_token"),
    }
