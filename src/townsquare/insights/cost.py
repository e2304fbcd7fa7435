"""The "cost" section: what care cost in the period, what it would have cost if staff had handled
every contact, the contacts community answers deflected, and all of it projected to a year."""

from datetime import UTC, datetime

import numpy as np
from django.utils import timezone

from townsquare.insights import figures
from townsquare.insights.cost_model import current_model
from townsquare.insights.deflection import WINDOW_DAYS, Deflection, deflection
from townsquare.insights.figures import Figure
from townsquare.insights.frame import FactFrame
from townsquare.insights.report import section

HANDLERS = ("staff", "ambassador", "community")
HANDLER_LABELS = {
    "staff": "Staff (agents, supervisors)",
    "ambassador": "Ambassadors",
    "community": "Community (peer answer, no staff)",
}
MIN_DAYS = 7
DAYS_PER_YEAR = 365.0

LABELS = {
    "contacts": "Contacts",
    "actual_cost": "Cost of care",
    "staff_only_cost": "Cost if staff had handled every contact",
    "saving": "Saved by ambassadors and the community",
    "cost_per_contact": "Cost per contact",
    "readers": "Readers of solved community topics",
    "not_writing_share": "Share of followable readers who did not write to us within 7 days",
    "contacts_deflected": "Contacts deflected by community answers",
    "deflection_saving": "Saved by deflected contacts",
    "total_saving": "Total saved",
    "contacts_per_year": "Contacts per year",
    "deflected_per_year": "Contacts deflected per year",
    "saving_per_year": "Saved per year",
    "share": "Share of contacts",
    "staff_cost": "Staff-only cost",
}

METHOD = (
    "Every conversation in the period is one contact. A contact resolved by a peer answer with no staff "
    "counts as handled by the community, one an ambassador handled last as handled by an ambassador, "
    "every other one as handled by staff, at the staff cost of its channel kind when the cost model "
    "sets one. The cost of care is the sum of those costs; the staff-only cost prices every contact "
    "as staff; the saving is the difference. Contacts deflected: distinct readers of community topics "
    "that had an accepted answer. Readers linked to a customer are followed: those who did not open a "
    f"conversation within {WINDOW_DAYS} days after reading give the share (Clopper–Pearson interval) "
    "that is applied to all readers, and the configured deflection share of those is counted as "
    "deflected, each saving one staff contact. The yearly figures scale the period to 365 days; their "
    "intervals are the exact Poisson intervals of the counts, combined with the share's interval at "
    "the ends that make the result lowest and highest (a conservative interval)."
)


def handled_by(frame: FactFrame) -> np.ndarray:
    """Per contact: "community" (peer-resolved), "ambassador" or "staff"."""
    who = np.full(len(frame), "staff", dtype=object)
    who[frame["handler_level"] == "ambassador"] = "ambassador"
    who[frame["peer_resolved"]] = "community"
    return who


def contact_costs(frame: FactFrame, model) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(who handled, what it cost, what staff would have cost) per contact."""
    who = handled_by(frame)
    inverse, _, kinds = channel_groups(frame)
    by_kind = {kind: float(cost) for kind, cost in model.by_channel.items()}
    per_group = np.array([by_kind.get(kind, float(model.by_role["staff"])) for kind in kinds], dtype=float)
    staff = per_group[inverse] if len(frame) else np.zeros(0)
    cost = staff.copy()
    for role in ("ambassador", "community"):
        cost[who == role] = float(model.by_role[role])
    return who, cost, staff


def period_days(frame: FactFrame, now: datetime) -> float | None:
    """Length of the period in days: the filters' range (up to now), else the data's first contact."""
    filters = frame.filters
    end = min(filters.until, now) if filters.until is not None else now
    if filters.since is not None:
        start = filters.since
    elif len(frame) and not np.all(np.isnan(frame["started_at"])):
        start = datetime.fromtimestamp(float(np.nanmin(frame["started_at"])), UTC)
    else:
        return None
    return max(0.0, (end - start).total_seconds() / 86400.0)


def money(value: float, n: int, ci=None) -> Figure:
    return Figure(float(value), n, ci, "money")


def scaled_count(n: int, scale: float) -> Figure:
    fig = figures.count(n)
    return Figure(n * scale, n, (fig.ci95[0] * scale, fig.ci95[1] * scale), "count")


def handler_rows(who, cost, staff) -> tuple[list[dict], dict]:
    rows, per_contact_saving = [], {}
    total = len(who)
    for role in HANDLERS:
        mask = who == role
        n = int(mask.sum())
        saving = float((staff[mask] - cost[mask]).sum())
        per_contact_saving[role] = saving / n if n else 0.0
        rows.append(
            {
                "key": role,
                "label": HANDLER_LABELS[role],
                "contacts": figures.count(n),
                "share": figures.proportion(n, total),
                "cost_per_contact": money(cost[mask].mean(), n) if n else figures.empty("money"),
                "actual_cost": money(cost[mask].sum(), n),
                "staff_cost": money(staff[mask].sum(), n),
                "saving": money(saving, n),
            }
        )
    return rows, per_contact_saving


def channel_groups(frame: FactFrame) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(group of each contact, channel id of each group (-1: none), kind of each group): grouping by
    the numeric channel id is much faster than comparing 200,000 kind strings."""
    ids = np.nan_to_num(frame["channel_id"], nan=-1.0).astype(np.int64)
    channels, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
    return inverse, channels, [str(frame["channel_kind"][i] or "") for i in first]


def channel_rows(frame: FactFrame, cost, staff) -> list[dict]:
    inverse, channels, kinds = channel_groups(frame)
    size = len(channels)
    counts = np.bincount(inverse, minlength=size)
    costs = np.bincount(inverse, weights=cost, minlength=size)
    staff_costs = np.bincount(inverse, weights=staff, minlength=size)
    rows = []
    for kind in sorted(set(kinds)):
        group = np.array([k == kind for k in kinds])
        n, actual, as_staff = (
            int(counts[group].sum()),
            float(costs[group].sum()),
            float(staff_costs[group].sum()),
        )
        channel_ids = [str(c) for c in channels[group] if c >= 0]
        rows.append(
            {
                "key": kind or "unknown",
                "label": kind or "unknown",
                "contacts": figures.count(n),
                "cost_per_contact": money(actual / n, n),
                "actual_cost": money(actual, n),
                "staff_cost": money(as_staff, n),
                "saving": money(as_staff - actual, n),
                "drill": {"channel": ",".join(channel_ids)} if channel_ids else {},
            }
        )
    return rows


def yearly(who, per_contact_saving, found: Deflection, model, days: float | None) -> tuple[dict, list[str]]:
    """Contacts, deflections and savings per year, or "not enough data" for a short period."""
    names = ("contacts_per_year", "deflected_per_year", "saving_per_year")
    if days is None or days < MIN_DAYS:
        note = f"the period is shorter than {MIN_DAYS} days: not enough data for a yearly projection"
        return {name: figures.empty("money" if "saving" in name else "count") for name in names}, [note]
    scale = DAYS_PER_YEAR / days
    low = high = value = 0.0
    for role in HANDLERS:
        n = int((who == role).sum())
        count = figures.count(n)
        ends = sorted(end * scale * per_contact_saving[role] for end in count.ci95)
        value += n * scale * per_contact_saving[role]
        low, high = low + ends[0], high + ends[1]
    deflected = found.deflected_per(scale, model.deflection_share)
    staff_cost = float(model.by_role["staff"])
    if deflected.value is not None:
        value += deflected.value * staff_cost
        low, high = low + deflected.ci95[0] * staff_cost, high + deflected.ci95[1] * staff_cost
    return {
        "contacts_per_year": scaled_count(len(who), scale),
        "deflected_per_year": deflected,
        "saving_per_year": money(value, len(who), (low, high)),
    }, []


@section("cost")
def cost_section(frame: FactFrame, filters) -> dict:
    model = current_model()
    who, cost, staff = contact_costs(frame, model)
    n = len(frame)
    found = deflection(filters, model.deflection_share)
    staff_cost = float(model.by_role["staff"])
    rows, per_contact_saving = handler_rows(who, cost, staff)
    deflected = found.deflected
    deflection_saving = (
        money(deflected.value * staff_cost, deflected.n, tuple(end * staff_cost for end in deflected.ci95))
        if deflected.value is not None
        else figures.empty("money")
    )
    handled_saving = float((staff - cost).sum())
    total = handled_saving + (deflection_saving.value or 0.0)
    total_ci = (
        (handled_saving + deflection_saving.ci95[0], handled_saving + deflection_saving.ci95[1])
        if deflection_saving.ci95 is not None
        else None
    )
    year, notes = yearly(who, per_contact_saving, found, model, period_days(frame, timezone.now()))
    if found.followable < figures.MIN_N:
        notes.append(
            f"not enough data for contacts deflected: {found.followable} readers linked to a customer "
            f"could be followed for {WINDOW_DAYS} days (at least {figures.MIN_N} are needed)"
        )
    if found.pending:
        notes.append(f"{found.pending} readers linked to a customer read less than {WINDOW_DAYS} days ago")
    return {
        "title": "Cost of care",
        "method": METHOD,
        "assumptions": assumptions(model),
        "currency": model.currency,
        "cost_model": {
            "by_role": dict(model.by_role),
            "by_channel": dict(model.by_channel),
            "deflection_share": model.deflection_share,
        },
        "figures": {
            "contacts": figures.count(n),
            "actual_cost": money(cost.sum(), n),
            "staff_only_cost": money(staff.sum(), n),
            "saving": money(handled_saving, n),
            "cost_per_contact": money(cost.mean(), n) if n else figures.empty("money"),
            "readers": figures.count(found.readers),
            "not_writing_share": found.not_writing,
            "contacts_deflected": deflected,
            "deflection_saving": deflection_saving,
            "total_saving": money(total, n, total_ci),
            **year,
        },
        "labels": labels(model.currency),
        "tables": [
            {
                "name": "by_handler",
                "title": "By who handled the contact",
                "dimension": "handler",
                "columns": ["contacts", "share", "cost_per_contact", "actual_cost", "staff_cost", "saving"],
                "rows": rows,
            },
            {
                "name": "by_channel_kind",
                "title": "By channel kind",
                "dimension": "channel",
                "columns": ["contacts", "cost_per_contact", "actual_cost", "staff_cost", "saving"],
                "rows": channel_rows(frame, cost, staff),
            },
        ],
        "notes": notes,
    }


def labels(currency: str) -> dict:
    """Money figures name their currency: the renderers only know the unit "money"."""
    money_names = {"actual_cost", "staff_only_cost", "saving", "cost_per_contact", "deflection_saving"}
    money_names |= {"total_saving", "saving_per_year", "staff_cost"}
    return {name: f"{label} ({currency})" if name in money_names else label for name, label in LABELS.items()}


def assumptions(model) -> list[str]:
    currency = model.currency
    by_channel = ", ".join(f"{kind} {cost:g}" for kind, cost in sorted(model.by_channel.items()))
    return [
        f"A contact costs {model.by_role['staff']:g} {currency} when staff handle it"
        + (f" (by channel kind: {by_channel})" if by_channel else "")
        + f", {model.by_role['ambassador']:g} {currency} when an ambassador does and "
        f"{model.by_role['community']:g} {currency} when the community resolves it (the cost model).",
        f"{model.deflection_share:.0%} of readers of a solved community topic who did not write to us "
        "would otherwise have written (the configured deflection share).",
        "Anonymous readers and members not linked to a customer cannot be followed: they are assumed to "
        "write to us as often as the readers who can.",
        f"A reader who opens a conversation more than {WINDOW_DAYS} days after reading counts as deflected.",
        "A deflected contact would have cost what a staff contact costs.",
        "Readers are counted over the report's dates only (channel, queue and other filters do not apply to "
        "them), and a conversation on any channel counts as writing to us.",
        "The yearly projection assumes the rest of the year looks like this period.",
    ]
