"""Figures in templates: `{{ figure|figure }}` → "12 min (95% CI 9–15), n = 340" or
"not enough data (n = 4)"; `{{ figure|figure_value }}` → "12 min"."""

from django import template

from townsquare.insights.display import duration_text, figure_text, value_text
from townsquare.insights.figures import Figure

register = template.Library()


@register.filter
def figure(value, unit: str = "") -> str:
    return figure_text(value, unit or "")


@register.filter
def figure_value(value, unit: str = "") -> str:
    return value_text(value, unit or "")


@register.filter
def is_figure(value) -> bool:
    """A measured figure (with n and interval), as against an exact value such as a set cost."""
    return isinstance(value, Figure)


@register.filter
def too_small(value) -> bool:
    return isinstance(value, Figure) and value.too_small


@register.filter
def sample_size(value) -> str:
    """ "n = 340" for a figure, "" for an exact value."""
    return f"n = {value.n:,}" if isinstance(value, Figure) else ""


@register.filter
def duration(seconds) -> str:
    return duration_text(seconds)
