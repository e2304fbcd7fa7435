"""Freed capacity gets work: when a conversation an agent owns leaves new/open (pending, resolved,
closed), the work waiting in their queues is offered again.

It listens to the event log rather than being called by the status service: every status change
already writes `conversation.status_changed` in its transaction, so no caller can forget it.
"""

from django.db import transaction

from townsquare.care.claims import LOAD_STATUSES


def offer_after_status_change(sender, instance, created, **kwargs) -> None:
    if not created or instance.kind != "conversation.status_changed" or instance.conversation_id is None:
        return
    data = instance.data or {}
    if data.get("from") in LOAD_STATUSES and data.get("to") not in LOAD_STATUSES:
        conversation_id = instance.conversation_id
        transaction.on_commit(lambda: offer_to_owner_of(conversation_id))


def offer_to_owner_of(conversation_id: int) -> None:
    from townsquare.care.routing import capacity_freed
    from townsquare.inbox.models import Conversation

    owner_id = Conversation.objects.filter(pk=conversation_id).values_list("assignee_id", flat=True).first()
    if owner_id is not None:
        capacity_freed(owner_id)
