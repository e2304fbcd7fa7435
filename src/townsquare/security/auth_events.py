"""Sign-in events for the audit log: auth.login, auth.login_failed, auth.logout.

The client address is REMOTE_ADDR. Behind a reverse proxy, run uvicorn with `--proxy-headers`
and `--forwarded-allow-ips` so that it is the visitor's address, not the proxy's; a header the
visitor could forge is never read here.
"""

from townsquare.events.log import record

MAX_USERNAME_IN_EVENT = 150


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def logged_in(request, user, method: str) -> None:
    """method: "password", "totp" or "recovery_code" (the last factor the person gave)."""
    record("auth.login", actor=user, data={"ip": client_ip(request), "method": method})


def login_failed(request, username: str, user=None, *, step: str, reason: str) -> None:
    """A failed sign-in step; actor is the account tried when it exists, so an admin filtering the
    audit log by a person sees the attempts on their account."""
    record(
        "auth.login_failed",
        actor=user,
        data={
            "username": (username or "")[:MAX_USERNAME_IN_EVENT],
            "ip": client_ip(request),
            "step": step,
            "reason": reason,
        },
    )


def logged_out(request, actor_id, reason: str) -> None:
    """reason: "user" (pressed log out), "idle" or "absolute" (the session ran out)."""
    record("auth.logout", actor=actor_id, data={"ip": client_ip(request), "reason": reason})
