"""The cost-of-care model: what a contact costs, read by the cost section and changed by admins.

There is one row ("default"). Until an admin saves it, the model comes from the settings
(TOWNSQUARE_COST_*), so a fresh install reports with stated defaults. Every change is validated as
a whole and recorded as `insights.cost_model_changed` (before and after) in the same transaction.
"""

import math
import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from townsquare.events.log import record
from townsquare.inbox.channels import require_admin
from townsquare.inbox.models import ChannelKind
from townsquare.insights.models import CostModel

MODEL_NAME = "default"
ROLES = ("staff", "ambassador", "community")
# A contact costing more than this is a typo (a yearly salary typed as a cost per contact).
MAX_COST = 1_000_000.0


class CostModelError(ValueError):
    """A cost model value that cannot be used; the message says which and why."""


def default_model() -> CostModel:
    return CostModel(
        name=MODEL_NAME,
        currency=settings.COST_CURRENCY,
        by_role={
            "staff": settings.COST_STAFF,
            "ambassador": settings.COST_AMBASSADOR,
            "community": settings.COST_COMMUNITY,
        },
        by_channel={},
        deflection_share=settings.DEFLECTION_SHARE,
    )


def current_model() -> CostModel:
    """The saved model, or the defaults from the settings (not saved) when nobody changed it yet."""
    model = CostModel.objects.filter(name=MODEL_NAME).first()
    if model is None:
        return default_model()
    # Roles a saved model leaves out keep their default cost.
    model.by_role = {**default_model().by_role, **(model.by_role or {})}
    return model


def as_dict(model: CostModel) -> dict:
    return {
        "currency": model.currency,
        "by_role": dict(model.by_role),
        "by_channel": dict(model.by_channel),
        "deflection_share": model.deflection_share,
        # The defaults were never saved: no time to show.
        "updated_at": model.updated_at.isoformat() if not model._state.adding and model.updated_at else None,
        "updated_by": model.updated_by_id,
    }


def update_model(
    actor,
    *,
    currency=None,
    by_role=None,
    by_channel=None,
    deflection_share=None,
) -> CostModel:
    """Change the model (admins only); values left as None stay. `by_role` and `by_channel`
    replace what was there. Raises CostModelError naming the bad value; nothing is saved then."""
    require_admin(actor)
    with transaction.atomic():
        model = CostModel.objects.select_for_update().filter(name=MODEL_NAME).first() or default_model()
        before = _snapshot(model)
        if currency is not None:
            model.currency = clean_currency(currency)
        if by_role is not None:
            model.by_role = clean_by_role(by_role)
        if by_channel is not None:
            model.by_channel = clean_by_channel(by_channel)
        if deflection_share is not None:
            model.deflection_share = clean_share(deflection_share)
        after = _snapshot(model)
        if after == before and not model._state.adding:
            return model  # nothing changed: no event
        model.updated_at = timezone.now()
        model.updated_by_id = getattr(actor, "pk", None)
        model.save()
        record(
            "insights.cost_model_changed",
            actor=actor if getattr(actor, "pk", None) else None,
            data={"before": before, "after": after},
        )
    return model


def _snapshot(model: CostModel) -> dict:
    return {
        "currency": model.currency,
        "by_role": dict(model.by_role),
        "by_channel": dict(model.by_channel),
        "deflection_share": model.deflection_share,
    }


def clean_cost(value, name: str) -> float:
    if isinstance(value, bool):
        raise CostModelError(f"{name} must be a number, not {value!r}")
    try:
        cost = float(value)
    except (TypeError, ValueError):
        raise CostModelError(f"{name} must be a number, not {value!r}") from None
    if not math.isfinite(cost):
        raise CostModelError(f"{name} must be a finite number")
    if cost < 0:
        raise CostModelError(f"{name} cannot be negative (got {cost:g})")
    if cost > MAX_COST:
        raise CostModelError(f"{name} is more than {MAX_COST:,.0f} for one contact; is it a yearly figure?")
    return cost


def clean_by_role(values) -> dict:
    if not isinstance(values, dict):
        raise CostModelError('by_role must be an object such as {"staff": 4.0, "ambassador": 0.8}')
    unknown = sorted(set(map(str, values)) - set(ROLES))
    if unknown:
        raise CostModelError(f"unknown role {unknown[0]!r} in by_role; use {', '.join(ROLES)}")
    return {
        role: clean_cost(cost, f"the cost of a contact handled by {role}") for role, cost in values.items()
    }


def clean_by_channel(values) -> dict:
    if not isinstance(values, dict):
        raise CostModelError('by_channel must be an object such as {"email": 5.5}')
    kinds = [kind.value for kind in ChannelKind]
    cleaned = {}
    for kind, cost in values.items():
        if kind not in kinds:
            raise CostModelError(f"unknown channel kind {kind!r}; use one of {', '.join(kinds)}")
        cleaned[kind] = clean_cost(cost, f"the staff cost of a {kind} contact")
    return cleaned


def clean_share(value) -> float:
    if isinstance(value, bool):
        raise CostModelError(f"deflection_share must be a number between 0 and 1, not {value!r}")
    try:
        share = float(value)
    except (TypeError, ValueError):
        raise CostModelError(f"deflection_share must be a number between 0 and 1, not {value!r}") from None
    if not (0.0 <= share <= 1.0):
        raise CostModelError(f"deflection_share must be between 0 and 1 (a share), not {share:g}")
    return share


def clean_currency(value) -> str:
    text = str(value or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", text):
        raise CostModelError(f"currency must be a three-letter ISO 4217 code such as GBP, not {value!r}")
    return text
