"""What every widget endpoint shares: JSON errors, CORS for the channel's allowed origins, preflight.

The widget runs on the brand's site, so these endpoints are cross-origin and authenticated by the
chat session token (never by cookies): CSRF protection does not apply and they are exempt.
"""

import functools
import json

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from townsquare.livechat.origins import origin_allowed
from townsquare.livechat.sessions import ChannelUnavailable, livechat_channel

MAX_JSON_BODY = 16 * 1024
TOKEN_HEADER = "X-Townsquare-Chat-Token"  # noqa: S105 (a header name)


class WidgetError(Exception):
    """Answered as {"error": message} with this status (and Retry-After when `wait` is set)."""

    def __init__(self, status: int, message: str, wait: int | None = None):
        super().__init__(message)
        self.status = status
        self.wait = wait


def error_response(status: int, message: str, wait: int | None = None) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    if wait is not None:
        response["Retry-After"] = str(wait)
    return response


def widget_endpoint(*methods: str):
    """A view(request, channel, ...) for the widget: the channel is resolved, the Origin checked,
    CORS headers added, OPTIONS answered, WidgetError turned into its JSON response."""

    def wrap(view):
        @csrf_exempt
        @functools.wraps(view)
        def endpoint(request, channel_id: int, *args, **kwargs):
            try:
                channel = livechat_channel(channel_id)
            except ChannelUnavailable as exc:
                return error_response(404, str(exc))
            origin = request.headers.get("Origin")
            if not origin_allowed(origin, request.get_host(), channel.settings or {}):
                # Readable by the refused page (CORS on the refusal and its preflight), so the
                # widget can tell the site owner why instead of retrying as if offline. Nothing
                # but the refusal is ever answered to that origin.
                refusal = (
                    HttpResponse(status=204)
                    if request.method == "OPTIONS"
                    else error_response(403, "this site may not use the channel's chat")
                )
                return _with_cors(refusal, origin, methods)
            if request.method == "OPTIONS":
                response = HttpResponse(status=204)
            elif request.method not in methods:
                response = error_response(405, f"use {' or '.join(methods)}")
                response["Allow"] = ", ".join((*methods, "OPTIONS"))
            else:
                try:
                    response = view(request, channel, *args, **kwargs)
                except WidgetError as exc:
                    response = error_response(exc.status, str(exc), exc.wait)
            return _with_cors(response, origin, methods)

        return endpoint

    return wrap


def _with_cors(response, origin: str | None, methods) -> HttpResponse:
    if origin:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = ", ".join((*methods, "OPTIONS"))
        response["Access-Control-Allow-Headers"] = f"Content-Type, {TOKEN_HEADER}"
        response["Access-Control-Max-Age"] = "600"
        response["Vary"] = "Origin"
    return response


def json_body(request) -> dict:
    if len(request.body) > MAX_JSON_BODY:
        raise WidgetError(413, f"the request body is over {MAX_JSON_BODY // 1024} KB")
    if not request.body:
        return {}
    try:
        body = json.loads(request.body)
    except (ValueError, RecursionError):
        raise WidgetError(400, "the request body is not JSON") from None
    if not isinstance(body, dict):
        raise WidgetError(400, "the request body must be a JSON object")
    return body


def client_address(request) -> str:
    # REMOTE_ADDR: behind a reverse proxy, uvicorn runs with --proxy-headers (see README).
    return request.META.get("REMOTE_ADDR") or "unknown"
