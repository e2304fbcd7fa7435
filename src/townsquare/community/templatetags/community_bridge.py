"""`{% community_suggestions conversation %}` and `{% community_publish_panel conversation %}`: the
care conversation page's community parts, computed here so the page's view stays as it is."""

from django import template

from townsquare.community.bridge.publish import publish_panel_context
from townsquare.community.bridge.suggestions import suggestions_for

register = template.Library()


@register.inclusion_tag("web/_community_suggestions.html", takes_context=True)
def community_suggestions(context, conversation):
    request = context["request"]
    return {
        "conversation": conversation,
        "community_suggestions": suggestions_for(conversation, request.build_absolute_uri),
    }


@register.inclusion_tag("web/_community_publish.html", takes_context=True)
def community_publish_panel(context, conversation):
    request = context["request"]
    return {
        **publish_panel_context(request.user, conversation),
        "conversation": conversation,
        "csrf_token": context.get("csrf_token"),
    }
