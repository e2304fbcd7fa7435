"""GET/POST /tokens and DELETE /tokens/{id}: the caller's own personal API tokens."""

from datetime import datetime

from ninja import Field, Router, Schema, Status

from townsquare.api.auth import caller
from townsquare.api.errors import NotFound, error_responses
from townsquare.api.params import Id
from townsquare.people.tokens import create_token, revoke_token

router = Router(tags=["tokens"])


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="the token's first characters, to tell tokens apart")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str = Field(description="send as `Authorization: Bearer <token>`; shown only now")


class TokenIn(Schema):
    name: str = Field("", max_length=100, description="what the token is for")


@router.get("", response={200: list[TokenOut], **error_responses(401)}, summary="List my tokens")
def list_tokens(request):
    return list(caller(request).api_tokens.order_by("-created_at", "-id"))


@router.post(
    "",
    response={201: TokenCreatedOut, **error_responses(400, 401, 403, 422)},
    summary="Create a token for me; the answer holds the token, shown once",
)
def create_token_endpoint(request, payload: TokenIn):
    token, plaintext = create_token(caller(request), payload.name)
    token.token = plaintext
    return Status(201, token)


@router.delete(
    "/{token_id}",
    response={204: None, **error_responses(401, 403, 404, 422)},
    summary="Revoke one of my tokens",
)
def revoke_token_endpoint(request, token_id: Id):
    user = caller(request)
    # Someone else's token is "not found": ids must not reveal which tokens exist.
    token = user.api_tokens.filter(pk=token_id).first()
    if token is None:
        raise NotFound(f"token {token_id} not found")
    revoke_token(token, actor=user)
    return Status(204, None)
