"""Figures in words for people: "12 min (95% CI 9–15), n = 340" or "not enough data (n = 4)".

A figure's interval is written in the same scale as its value, so the reader compares like with
like. Charts use the same scales (`scale_for`) for their axes.
"""

import math
from dataclasses import dataclass

from townsquare.insights.figures import Figure

MINUTE = 60.0
HOUR = 3600.0
DAY = 86400.0


@dataclass(frozen=True)
class Scale:
    """Divide a raw value by `divisor` and write `suffix` after it."""

    divisor: float
    suffix: str

    def apply(self, value: float) -> float:
        return value / self.divisor

    def text(self, value: float) -> str:
        number = number_text(self.apply(value))
        if not self.suffix:
            return number
        return f"{number}{self.suffix}" if self.suffix == "%" else f"{number} {self.suffix}"


def scale_for(unit: str, magnitude: float | None) -> Scale:
    """The scale that writes values around `magnitude` readably (seconds as s/min/h/d)."""
    size = abs(magnitude or 0.0)
    if unit == "seconds":
        if size < 90:
            return Scale(1.0, "s")
        if size < 90 * MINUTE:
            return Scale(MINUTE, "min")
        if size < 48 * HOUR:
            return Scale(HOUR, "h")
        return Scale(DAY, "d")
    if unit == "share":
        return Scale(0.01, "%")
    return Scale(1.0, "")


def number_text(value: float) -> str:
    """Whole numbers from 10 up (with thousands separators), one decimal below."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if abs(value) >= 10 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:.1f}"


def is_figure(value) -> bool:
    return isinstance(value, Figure)


def value_text(value, unit: str = "") -> str:
    """A figure's value alone in its own scale ("12 min", "83%"), or the exact value given."""
    if isinstance(value, Figure):
        if value.too_small:
            return "not enough data"
        return scale_for(value.unit or unit, value.value).text(value.value)
    if isinstance(value, bool) or value is None:
        return "—" if value is None else ("yes" if value else "no")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        # An exact value (a configured cost, say) keeps its cents.
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def figure_text(value, unit: str = "") -> str:
    """The whole statement: value, interval and sample size, or "not enough data (n = …)"."""
    if not isinstance(value, Figure):
        return value_text(value, unit)
    if value.too_small:
        return f"not enough data (n = {value.n:,})"
    scale = scale_for(value.unit or unit, value.value)
    text = scale.text(value.value)
    if value.ci95 is not None:
        low, high = (number_text(scale.apply(bound)) for bound in value.ci95)
        text += f" (95% CI {low}–{high})"
    return f"{text}, n = {value.n:,}"


def duration_text(seconds) -> str:
    """A raw number of seconds as "45 s", "12 min", "3.5 h" or "2.1 d"; "—" for none."""
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "—"
    return scale_for("seconds", seconds).text(seconds)
