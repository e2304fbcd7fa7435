"""The customer page, /customers/<id>/: one person across channels, their conversations and consent,
and the form that records a consent grant or revocation (from this page or the conversation page).

Staff only: ambassadors are customers themselves and never open another customer's page (403).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from townsquare.inbox.visibility import Forbidden
from townsquare.people.consent import InvalidConsent, consent_customers, record_consent
from townsquare.people.models import Customer
from townsquare.people.profiles import CONSENT_ROLES, customer_profile, visible_customers
from townsquare.web.access import console_view
from townsquare.web.consent import consent_panel_context
from townsquare.web.customer_merge import merge_panel_context

# The form's grant/revoke radio buttons.
ANSWERS = {"yes": True, "no": False}


def _require_staff(user) -> None:
    if user.role not in CONSENT_ROLES:
        raise Forbidden("customer pages are for admins, supervisors and agents")


def render_customer_page(request, customer, *, error: str = "", status: int = 200, merge_error: str = ""):
    page_url = reverse("web:customer", args=[customer.pk])
    context = {
        "profile": customer_profile(request.user, customer),
        **consent_panel_context(request.user, customer, next_url=page_url, ledger_limit=None),
        **merge_panel_context(request, customer, error=merge_error),
        "on_customer_page": True,
        "consent_error": error,
        "form_values": request.POST if error else {},
    }
    return render(request, "web/customer_detail.html", context, status=status)


@require_GET
@console_view
def customer_detail(request, customer_id: int):
    _require_staff(request.user)
    visible = visible_customers(request.user)
    customer = visible.filter(pk=customer_id).first()
    survivor_id = customer.merged_into_id if customer else merged_into(customer_id)
    if survivor_id and visible.filter(pk=survivor_id).exists():
        # A merged customer's page is its survivor's: old links keep working.
        messages.info(request, f"Customer {customer_id} was merged into this customer.")
        return redirect("web:customer", survivor_id)
    if customer is None:
        raise Http404("customer not found")
    return render_customer_page(request, customer)


def merged_into(customer_id: int) -> int | None:
    return Customer.objects.filter(pk=customer_id).values_list("merged_into_id", flat=True).first()


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


@require_POST
@console_view
def record_consent_view(request, customer_id: int):
    """Record what the customer answered, then back to the page the form was on."""
    customer = consent_customers(request.user).filter(pk=customer_id).first()
    if customer is None:
        raise Http404("customer not found")
    answer = request.POST.get("granted", "")
    if answer not in ANSWERS:
        return render_customer_page(
            request, customer, error="choose whether the customer granted or revoked", status=400
        )
    try:
        entry = record_consent(
            request.user,
            customer,
            request.POST.get("purpose", ""),
            granted=ANSWERS[answer],
            source=request.POST.get("source", ""),
            wording=request.POST.get("wording", ""),
        )
    except InvalidConsent as error:
        return render_customer_page(request, customer, error=str(error), status=400)
    verb = "granted" if entry.granted else "revoked"
    messages.success(request, f"Recorded: {customer} {verb} {entry.get_purpose_display().lower()}.")
    return redirect(_safe_next(request, reverse("web:customer", args=[customer.pk])))
