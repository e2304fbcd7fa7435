"""Console actions on a conversation: reply (with the guard's verdict), undo, status, notes, canned
preview and the collision banner. Each answers the partial it changed for htmx, or redirects back."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from townsquare.inbox.visibility import visible_conversations
from townsquare.replies.canned import render_canned
from townsquare.replies.models import CannedReply, Reply
from townsquare.replies.notes import add_note
from townsquare.replies.presence import heartbeat, replying_now
from townsquare.replies.retry import NotRetryable, retry_reply
from townsquare.replies.send import (
    ConversationClosed,
    NeedsAcknowledgement,
    ReplyBlocked,
    TooLateToUndo,
    send_reply,
    undo,
)
from townsquare.replies.status import InvalidTransition, change_status
from townsquare.replies.text import BadText
from townsquare.web.access import console_view
from townsquare.web.pii_fence import shown_free_text


def _conversation(request, conversation_id: int):
    # Invisible conversations answer 404 like missing ones, as on the conversation page.
    return get_object_or_404(
        visible_conversations(request.user).select_related("channel", "customer"), pk=conversation_id
    )


def _back(conversation, anchor: str = ""):
    return redirect(reverse("web:conversation", args=[conversation.pk]) + anchor)


def _reply_box(request, conversation, outcome: dict, status: int = 200):
    """The reply box partial for htmx; a full-page form post goes back to the page with a message."""
    if request.htmx:
        return render(
            request, "web/_reply_box.html", {"conversation": conversation, "outcome": outcome}, status=status
        )
    text = outcome.get("error") or outcome.get("detail") or outcome.get("done")
    if text:
        level = messages.SUCCESS if outcome.get("done") else messages.ERROR
        details = " ".join(outcome.get("reasons", []) + outcome.get("warnings", []))
        messages.add_message(request, level, f"{text} {details}".strip())
    return _back(conversation, "#reply-box")


@require_POST
@console_view
def post_reply(request, conversation_id: int):
    conversation = _conversation(request, conversation_id)
    text = request.POST.get("text", "")
    seen = request.POST.get("seen_message_id", "")
    try:
        reply = send_reply(
            request.user,
            conversation,
            text,
            override_reason=request.POST.get("override_reason") or None,
            acknowledge_warnings=request.POST.get("acknowledge_warnings") == "on",
            seen_message_id=int(seen) if seen.isdigit() and len(seen) < 19 else None,
        )
    except BadText as exc:
        return _reply_box(request, conversation, {"error": str(exc), "text": text}, status=400)
    except ConversationClosed as exc:
        return _reply_box(request, conversation, {"error": str(exc), "text": text}, status=409)
    except ReplyBlocked as exc:
        outcome = {"detail": str(exc), "reasons": exc.reasons, "text": text, "blocked": True}
        return _reply_box(request, conversation, outcome, status=409)
    except NeedsAcknowledgement as exc:
        outcome = {"detail": str(exc), "warnings": exc.warnings, "text": text, "needs_ack": True}
        return _reply_box(request, conversation, outcome, status=409)
    done = f"Reply scheduled; it is sent at {reply.send_after:%H:%M:%S} unless you undo it."
    return _reply_box(request, conversation, {"done": done})


@require_POST
@console_view
def undo_reply(request, reply_id: int):
    reply = get_object_or_404(Reply.objects.select_related("conversation"), pk=reply_id)
    conversation = _conversation(request, reply.conversation_id)
    try:
        undo(request.user, reply)
    except TooLateToUndo as exc:
        return _reply_box(request, conversation, {"error": str(exc)}, status=409)
    return _reply_box(
        request, conversation, {"done": "Reply undone: it will not be sent.", "text": reply.text}
    )


@require_POST
@console_view
def retry_failed_reply(request, reply_id: int):
    reply = get_object_or_404(Reply.objects.select_related("conversation"), pk=reply_id)
    conversation = _conversation(request, reply.conversation_id)
    try:
        retry_reply(request.user, reply)
    except (NotRetryable, ConversationClosed) as exc:
        return _reply_box(request, conversation, {"error": str(exc)}, status=409)
    return _reply_box(request, conversation, {"done": "Delivery retried: the reply is on its way again."})


@require_POST
@console_view
def post_status(request, conversation_id: int):
    conversation = _conversation(request, conversation_id)
    try:
        change_status(
            request.user,
            conversation,
            request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
        )
    except InvalidTransition as exc:
        return _reply_box(request, conversation, {"error": str(exc)}, status=409)
    except BadText as exc:
        return _reply_box(request, conversation, {"error": str(exc)}, status=400)
    return _reply_box(
        request, conversation, {"done": f"Conversation is now {conversation.get_status_display().lower()}."}
    )


@require_POST
@console_view
def post_note(request, conversation_id: int):
    conversation = _conversation(request, conversation_id)
    context = {"conversation": conversation, "note_text": ""}
    status = 200
    try:
        add_note(request.user, conversation, request.POST.get("text", ""))
    except BadText as exc:
        context.update(note_error=str(exc), note_text=request.POST.get("text", ""))
        status = 400
    if request.htmx:
        return render(request, "web/_notes.html", context, status=status)
    if status != 200:
        messages.error(request, context["note_error"])
    return _back(conversation, "#notes")


@console_view
def typing(request, conversation_id: int):
    """POST: the user is drafting here (heartbeat). GET or POST: the collision banner."""
    if request.method not in ("GET", "POST"):
        return render(request, "web/_reply_collision.html", {}, status=405)
    conversation = _conversation(request, conversation_id)
    if request.method == "POST":
        heartbeat(request.user, conversation)
    others = replying_now(conversation, except_user=request.user)
    return render(request, "web/_reply_collision.html", {"others": others})


@require_GET
@console_view
def canned_preview(request, conversation_id: int):
    """The draft area filled with a canned reply rendered for this conversation."""
    conversation = _conversation(request, conversation_id)
    canned_id = request.GET.get("canned", "")
    canned = (
        CannedReply.objects.filter(pk=int(canned_id)).first()
        if canned_id.isdigit() and len(canned_id) < 19
        else None
    )
    if canned is None:
        return render(
            request,
            "web/_reply_draft.html",
            {"conversation": conversation, "text": "", "missing": []},
            status=404 if canned_id else 200,
        )
    rendered = render_canned(canned, conversation, request.user)
    return render(
        request,
        "web/_reply_draft.html",
        {
            "conversation": conversation,
            "text": shown_free_text(request.user, rendered.text),
            "missing": rendered.missing,
        },
    )
