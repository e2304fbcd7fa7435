"""/insights/cost-model: what a contact costs, as the report's cost section prices it.

Supervisors and admins read it; only admins change it, since it changes every cost figure. A PUT
is a partial update: fields left out (or null) keep their values, and a `by_role` naming one role
keeps the others; `by_channel` is the whole list of channel costs and replaces the earlier one.
"""

from datetime import datetime
from typing import Annotated

from ninja import Field, Router, Schema
from ninja.errors import HttpError
from pydantic import StrictFloat, StrictInt, StringConstraints

from townsquare.api.auth import caller
from townsquare.api.errors import error_responses
from townsquare.api.insights import require_reader
from townsquare.inbox.channels import require_admin
from townsquare.insights.cost_model import CostModelError, as_dict, current_model, update_model

router = Router(tags=["insights"])

# Numbers only: a string or a boolean where a cost goes is a malformed request (422), while a
# number the model cannot use (negative, too large, not finite) is refused with the reason (400).
Number = StrictInt | StrictFloat
Key = Annotated[str, StringConstraints(max_length=32)]
Currency = Annotated[str, StringConstraints(max_length=16)]


class CostModelOut(Schema):
    currency: str = Field(description="ISO 4217 code, e.g. GBP")
    by_role: dict[str, float] = Field(
        description="cost of one contact handled by staff, ambassador, community"
    )
    by_channel: dict[str, float] = Field(description="staff cost of one contact by channel kind (email, …)")
    deflection_share: float = Field(description="share of non-writing readers counted as deflected, 0 to 1")
    updated_at: datetime | None = Field(description="when an admin last changed it; null: the defaults")
    updated_by: int | None = Field(description="who changed it (user id); null: the defaults or the CLI")


class CostModelIn(Schema):
    currency: Currency | None = Field(None, description="three-letter ISO 4217 code")
    by_role: dict[Key, Number] | None = Field(None, description="roles to change; the others keep their cost")
    by_channel: dict[Key, Number] | None = Field(
        None, description="the staff cost by channel kind; replaces the earlier list ({} clears it)"
    )
    deflection_share: Number | None = Field(None, description="between 0 and 1")


@router.get(
    "/cost-model",
    response={200: CostModelOut, **error_responses(401, 403)},
    summary="The cost-of-care model the cost section uses (supervisor, admin)",
)
def read_cost_model(request):
    require_reader(caller(request))
    return shown(current_model())


@router.put(
    "/cost-model",
    response={200: CostModelOut, **error_responses(400, 401, 403, 422)},
    summary="Change the cost-of-care model; fields left out keep their values (admin)",
)
def change_cost_model(request, payload: CostModelIn):
    user = caller(request)
    require_admin(user)
    by_role = None
    if payload.by_role is not None:
        # Merged here: the model's own update replaces the roles as a whole.
        by_role = {**current_model().by_role, **payload.by_role}
    try:
        model = update_model(
            user,
            currency=payload.currency,
            by_role=by_role,
            by_channel=payload.by_channel,
            deflection_share=payload.deflection_share,
        )
    except CostModelError as exc:
        raise HttpError(400, str(exc)) from None
    return shown(model)


def shown(model) -> dict:
    """The model as a dict; the unsaved defaults have no change time (their field defaults to now)."""
    return {**as_dict(model), **({"updated_at": None} if model._state.adding else {})}
