"""Error bodies and exception handlers: every failure is JSON with a `detail`, never an HTML 500.

Operations declare the error statuses they can answer with `error_responses(...)`, so that the
OpenAPI document lists them next to the success response.
"""

import logging
from http import HTTPStatus

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from townsquare.inbox.visibility import Forbidden

logger = logging.getLogger(__name__)


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut]


def error_responses(*codes: int) -> dict[int, type[Schema]]:
    """Response schemas for the given error statuses, for an operation's `response=`."""
    return {code: ValidationErrorOut if code == 422 else ErrorOut for code in codes}


def problem(api, request, status: int, detail: str, **extra):
    return api.create_response(request, {"detail": detail, **extra}, status=status)


def install_handlers(api) -> None:
    def on_http_error(request, exc: HttpError):
        response = problem(api, request, exc.status_code, str(exc))
        if isinstance(exc, AuthenticationError):
            response["WWW-Authenticate"] = 'Bearer realm="townsquare"'
        if getattr(exc, "wait", None):
            response["Retry-After"] = str(exc.wait)
        return response

    def on_validation_error(request, exc: ValidationError):
        errors = [
            {
                "loc": [str(part) if not isinstance(part, int) else part for part in error.get("loc", ())],
                "msg": str(error.get("msg", "invalid value")),
                "type": str(error.get("type", "value_error")),
            }
            for error in exc.errors
        ]
        return problem(api, request, 422, "the request is not valid", errors=errors)

    def on_forbidden(request, exc: Forbidden):
        return problem(api, request, 403, str(exc) or "forbidden")

    def on_not_found(request, exc: Http404):
        # Django's own 404 messages name models and queries; only ours are meant for clients.
        detail = str(exc) if getattr(exc, "public", False) else "not found"
        return problem(api, request, 404, detail)

    def on_too_big(request, exc: RequestDataTooBig):
        return problem(api, request, 413, "request body is too large")

    def on_suspicious(request, exc: SuspiciousOperation):
        return problem(api, request, 400, "bad request")

    def on_bad_multipart(request, exc: MultiPartParserError):
        # A file upload whose multipart body is broken (no boundary, truncated): the client's fault.
        return problem(api, request, 400, "the multipart body cannot be read")

    def on_unexpected(request, exc: Exception):
        logger.exception("unhandled error in %s %s", request.method, request.path)
        return problem(api, request, 500, HTTPStatus.INTERNAL_SERVER_ERROR.phrase)

    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(Forbidden, on_forbidden)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
    api.add_exception_handler(SuspiciousOperation, on_suspicious)
    api.add_exception_handler(MultiPartParserError, on_bad_multipart)
    api.add_exception_handler(Exception, on_unexpected)


class NotFound(Http404):
    """A 404 whose message is safe to show the client (e.g. "conversation 7 not found")."""

    public = True
