"""The widget's HTTP endpoints: start or resume a session, upload a file, leave an offline message,
and download an attachment (staff who may see the conversation, or the visitor's session)."""

from django.http import FileResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.views.decorators.http import require_GET

from townsquare.api.ratelimit import over_limit
from townsquare.inbox.visibility import Forbidden, visible_conversations
from townsquare.livechat import uploads
from townsquare.livechat.http import (
    TOKEN_HEADER,
    WidgetError,
    client_address,
    error_response,
    json_body,
    widget_endpoint,
)
from townsquare.livechat.ingest import ChatMessageRejected, check_chat_text, check_client_id
from townsquare.livechat.limits import limit
from townsquare.livechat.models import ChatAttachment
from townsquare.livechat.offline import OfflineRejected, leave_message
from townsquare.livechat.presence import agents_online
from townsquare.livechat.sessions import TooManySessions, session_of_token, start_session
from townsquare.livechat.tokens import IdentityRejected, verify_identity

DEFAULT_GREETING = "Hi! How can we help?"


@widget_endpoint("POST")
def session_view(request, channel):
    body = json_body(request)
    host = None
    if body.get("identity") is not None:
        try:
            host = verify_identity(channel.secret, body.get("identity"), body.get("identity_signature"))
        except IdentityRejected as exc:
            raise WidgetError(403, str(exc)) from None
    try:
        started = start_session(
            channel,
            token=body.get("token"),
            host=host,
            address=client_address(request),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except TooManySessions as exc:
        raise WidgetError(429, str(exc), exc.wait) from None
    settings = channel.settings or {}
    greeting = settings.get("greeting")
    return JsonResponse(
        {
            "token": started.token,
            "session": started.session.pk.hex,
            "resumed": started.resumed,
            "ws_url": f"/ws/livechat/{channel.pk}/",
            "agents_online": agents_online(channel),
            "greeting": greeting if isinstance(greeting, str) else DEFAULT_GREETING,
            "limits": {
                "max_text": limit("LIVECHAT_MAX_TEXT"),
                "max_upload_bytes": uploads.max_upload_bytes(settings),
                "upload_types": uploads.allowed_types(settings),
            },
        }
    )


@widget_endpoint("POST")
def upload_view(request, channel):
    settings = channel.settings or {}
    if _declared_length(request) > uploads.max_upload_bytes(settings) + 64 * 1024:
        raise WidgetError(413, f"the file is over the {uploads.max_upload_bytes(settings)} bytes limit")
    try:
        fields = request.POST
    except MultiPartParserError:
        raise WidgetError(400, "send the file as multipart/form-data") from None
    token = fields.get("token") or request.headers.get(TOKEN_HEADER)
    session = session_of_token(channel, token)
    if session is None:
        raise WidgetError(401, "the chat session token is missing, invalid or expired")
    upload = request.FILES.get("file")
    if upload is None:
        raise WidgetError(400, "send the file in the 'file' field")
    try:
        client_id = check_client_id(fields.get("client_id"))
        text = fields.get("text") or ""
        if text:
            text = check_chat_text(text, limit("LIVECHAT_MAX_TEXT"))
    except ChatMessageRejected as exc:
        raise WidgetError(400, str(exc)) from None
    allowance = limit("LIVECHAT_UPLOADS_PER_SESSION_HOUR")
    wait = over_limit(f"livechat:uploads:{session.pk.hex}", allowance, 3600) if allowance else None
    if wait is not None:
        raise WidgetError(429, f"too many files from this chat; retry in {wait} s", wait)
    try:
        uploaded = uploads.save_upload(session, upload, client_id=client_id, text=text)
    except uploads.UploadRejected as exc:
        raise WidgetError(exc.status, str(exc)) from None
    status = 200 if uploaded.ingested.duplicate else 201
    return JsonResponse(
        {"id": uploaded.ingested.message_id, "attachment": uploaded.attachment}, status=status
    )


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@widget_endpoint("POST")
def offline_view(request, channel):
    try:
        left = leave_message(
            channel,
            json_body(request),
            address=client_address(request),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except OfflineRejected as exc:
        raise WidgetError(exc.status, str(exc), exc.wait) from None
    return JsonResponse({"id": left.message_id, "token": left.token}, status=200 if left.duplicate else 201)


@require_GET
def attachment_view(request, channel_id: int, attachment_id: int):
    attachment = (
        ChatAttachment.objects.select_related("session", "message")
        .filter(pk=attachment_id, session__channel_id=channel_id)
        .first()
    )
    if attachment is None or not _may_download(request, attachment):
        return error_response(404, "no such attachment, or you may not see it")
    try:
        handle = uploads.attachment_path(attachment).open("rb")
    except OSError:
        return error_response(404, "the file is no longer kept")
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def _may_download(request, attachment: ChatAttachment) -> bool:
    token = request.GET.get("token") or request.headers.get(TOKEN_HEADER)
    if token:
        session = session_of_token(attachment.session.channel, token)
        return session is not None and session.pk == attachment.session_id
    user = request.user
    if not user.is_authenticated or attachment.message is None:
        return False
    try:
        return visible_conversations(user).filter(pk=attachment.message.conversation_id).exists()
    except Forbidden:
        return False
