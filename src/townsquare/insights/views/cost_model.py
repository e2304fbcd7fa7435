"""/insights/cost-model/: the cost-of-care model in the console. Supervisors read it; admins
change it with a form. A bad value shows the form again with the reason (400); a saved model
sends the admin back to the cost section, with the report's filters kept."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from townsquare.inbox.channels import require_admin
from townsquare.inbox.models import ChannelKind
from townsquare.insights.cost import HANDLER_LABELS
from townsquare.insights.cost_model import ROLES, CostModelError, current_model, update_model
from townsquare.insights.views.access import insights_view
from townsquare.insights.views.params import kept
from townsquare.people.models import Role, User

TEMPLATE = "insights/cost_model.html"


@require_http_methods(["GET", "POST"])
@insights_view
def cost_model(request):
    model = current_model()
    if request.method == "POST":
        require_admin(request.user)  # supervisors read only: 403 before anything is parsed
        try:
            update_model(request.user, **posted(request.POST))
        except CostModelError as error:
            context = page(request, model, typed=request.POST)
            context["error"] = str(error)
            return render(request, TEMPLATE, context, status=400)
        return redirect(back_to_section(request.GET))
    return render(request, TEMPLATE, page(request, model))


def posted(form) -> dict:
    """The model's values from the form, as typed: the model says what is wrong with them. A
    channel kind left empty has no cost of its own (its contacts cost what staff cost)."""
    kinds = [kind.value for kind in ChannelKind]
    return {
        "currency": form.get("currency", "").strip(),
        "by_role": {role: form.get(f"role_{role}", "").strip() for role in ROLES},
        "by_channel": {kind: value for kind in kinds if (value := form.get(f"channel_{kind}", "").strip())},
        "deflection_share": form.get("deflection_share", "").strip(),
    }


def back_to_section(query) -> str:
    """The cost section with the report's filters only (never a URL from the request)."""
    filters = kept(query)
    return reverse("insights:section", args=["cost"]) + (f"?{filters}" if filters else "")


def number(value: float) -> str:
    """A cost as typed: 4 not 4.0, and every digit kept, so saving the form unchanged changes nothing."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def page(request, model, typed=None) -> dict:
    """The page's values: the saved model, or what the admin typed when it was refused."""

    def value(key: str, saved) -> str:
        if typed is not None:
            return typed.get(key, "")
        return "" if saved is None else number(float(saved))

    saved = not model._state.adding
    changed_by = (
        User.objects.filter(pk=model.updated_by_id).first() if saved and model.updated_by_id else None
    )
    return {
        "may_edit": request.user.role == Role.ADMIN,
        "currency": typed.get("currency", "") if typed is not None else model.currency,
        "roles": [
            (f"role_{role}", HANDLER_LABELS[role], value(f"role_{role}", model.by_role.get(role)))
            for role in ROLES
        ],
        "channels": [
            (f"channel_{kind}", label, value(f"channel_{kind}", model.by_channel.get(kind)))
            for kind, label in ChannelKind.choices
        ],
        "deflection_share": value("deflection_share", model.deflection_share),
        "saved": saved,
        "updated_at": model.updated_at if saved else None,
        "changed_by": changed_by,
        "section_url": back_to_section(request.GET),
        "action": request.get_full_path(),
    }
