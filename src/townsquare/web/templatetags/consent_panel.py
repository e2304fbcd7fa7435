"""`{% consent_panel conversation %}`: the customer's consent on the conversation page (one query, shared with the page's other panels)."""

from django import template
from django.urls import reverse

from townsquare.inbox.page_reads import shared
from townsquare.people.consent import CONSENT_LEDGER
from townsquare.web.consent import consent_panel_context

register = template.Library()


@register.inclusion_tag("web/_consent_panel.html", takes_context=True)
def consent_panel(context, conversation):
    user = context["request"].user
    next_url = reverse("web:conversation", args=[conversation.pk])
    panel = consent_panel_context(
        user,
        conversation.customer,
        next_url=next_url,
        read=lambda load: shared(conversation, CONSENT_LEDGER, load),
    )
    return {**panel, "csrf_token": context.get("csrf_token"), "on_customer_page": False}
