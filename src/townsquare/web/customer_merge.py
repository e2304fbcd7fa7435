"""Merging and splitting on the customer page: find the other customer, merge them with a reason,
split an identity off, and read back the history of both from the audit events.

Staff only (admins, supervisors, agents), each for customers they can see; the services in
people.merging and people.splitting check it again and write the events.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from townsquare.people.merge_history import merge_history
from townsquare.people.merge_search import MAX_QUERY, find_customers
from townsquare.people.merging import MergeError, merge_customers
from townsquare.people.models import Customer, Identity
from townsquare.people.profiles import visible_customers
from townsquare.people.splitting import split_off
from townsquare.web.access import console_view

MAX_ID_DIGITS = 18


def merge_panel_context(request, customer, *, error: str = "") -> dict:
    """The merge form (with search results for ?find=…), the split buttons' state and the history."""
    query = request.GET.get("find", "")[:MAX_QUERY]
    return {
        "merge_query": query,
        "merge_candidates": find_customers(request.user, query, exclude=customer) if query.strip() else None,
        "merge_history": merge_history(customer.pk),
        "merge_error": error,
        "merge_values": request.POST if error else {},
    }


def _page(customer) -> str:
    return reverse("web:customer", args=[customer.pk])


def _staff_customer(request, customer_id: int) -> Customer:
    from townsquare.web.customers import _require_staff

    _require_staff(request.user)
    customer = visible_customers(request.user).filter(pk=customer_id).first()
    if customer is None:
        raise Http404("customer not found")
    return customer


def _refused(request, customer, message: str):
    from townsquare.web.customers import render_customer_page

    return render_customer_page(request, customer, merge_error=message, status=400)


@require_POST
@console_view
def merge_view(request, customer_id: int):
    """Merge the customer named in the form into this one, then back to this customer's page."""
    survivor = _staff_customer(request, customer_id)
    other_id = request.POST.get("other", "").strip().lstrip("#")
    if not other_id.isdigit() or len(other_id) > MAX_ID_DIGITS:
        return _refused(request, survivor, "give the number of the customer to merge into this one (e.g. 42)")
    other = Customer.objects.filter(pk=int(other_id)).first()
    not_found = f"customer {other_id} not found among the customers you can see"
    if other is None:
        return _refused(request, survivor, not_found)
    try:
        merge_customers(request.user, survivor, other, reason=request.POST.get("reason", ""))
    except MergeError as error:
        return _refused(request, survivor, str(error))
    except LookupError:
        return _refused(request, survivor, not_found)
    messages.success(request, f"Merged customer {other.pk} into this customer.")
    return redirect(_page(survivor))


@require_POST
@console_view
def split_view(request, identity_id: int):
    """Split the identity off its customer, then back to that customer's page."""
    identity = Identity.objects.filter(pk=identity_id, customer__isnull=False).first()
    if identity is None:
        raise Http404("identity not found")
    source = _staff_customer(request, identity.customer_id)
    try:
        done = split_off(request.user, identity, reason=request.POST.get("reason", ""))
    except MergeError as error:
        return _refused(request, source, str(error))
    except LookupError:
        raise Http404("identity not found") from None
    where = "back to" if done.revived else "to a new"
    messages.success(
        request,
        f"Split {identity} off {where} customer #{done.customer.pk} with {len(done.conversations)} "
        f"conversation{'s' if len(done.conversations) != 1 else ''}.",
    )
    return redirect(_page(source))
