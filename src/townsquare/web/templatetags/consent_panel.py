"""`{% consent_panel conversation %}`: the customer's consent on the conversation page (one query)."""

from django import template
from django.urls import reverse

from townsquare.web.consent import consent_panel_context

register = template.Library()


@register.inclusion_tag("web/_consent_panel.html", takes_context=True)
def consent_panel(context, conversation):
    user = context["request"].user
    next_url = reverse("web:conversation", args=[conversation.pk])
    panel = consent_panel_context(user, conversation.customer, next_url=next_url)
    return {**panel, "csrf_token": context.get("csrf_token"), "on_customer_page": False}
