"""{% sla_clock conversation %}: the conversation page's SLA clocks, time left in business time."""

from django import template

from townsquare.sla.readout import read_sla

register = template.Library()


@register.inclusion_tag("web/_sla_clock.html")
def sla_clock(conversation):
    reading = read_sla(conversation.pk)
    return {"conversation": conversation, "sla": reading, "clocks": reading.clocks if reading else []}


@register.filter
def business_duration(seconds) -> str:
    """3725 -> "1 h 2 min"; negative values read as overdue by that much."""
    if seconds is None:
        return ""
    minutes = int(abs(seconds) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days} d"] if days else []
    parts += [f"{hours} h"] if hours else []
    parts += [f"{minutes} min"] if minutes or not parts else []
    return " ".join(parts[:2])
