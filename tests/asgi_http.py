"""HTTP requests through the ASGI application as uvicorn calls it (no server, no socket)."""

import asyncio
from dataclasses import dataclass


@dataclass
class AsgiResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    def __getitem__(self, name: str) -> str:
        return self.headers[name.lower()]


async def asgi_request(
    application, method: str, path: str, *, cookie: str = "", body: bytes = b"", headers=None
) -> AsgiResponse:
    path, _, query = path.partition("?")
    raw_headers = [(b"host", b"127.0.0.1")]
    if cookie:
        raw_headers.append((b"cookie", cookie.encode()))
    if body:
        raw_headers += [
            (b"content-type", b"application/x-www-form-urlencoded"),
            (b"content-length", str(len(body)).encode()),
        ]
    raw_headers += [(name.lower().encode(), value.encode()) for name, value in (headers or {}).items()]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": raw_headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    sent = []
    delivered = False

    async def receive():
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # the client stays connected

    async def send(message):
        sent.append(message)

    await application(scope, receive, send)
    start = next(message for message in sent if message["type"] == "http.response.start")
    return AsgiResponse(
        start["status"],
        {name.decode().lower(): value.decode() for name, value in start.get("headers", [])},
        b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body"),
    )


def asgi_get(application, path: str, **kwargs) -> AsgiResponse:
    return asyncio.run(asgi_request(application, "GET", path, **kwargs))


def asgi_post(application, path: str, body: bytes = b"", **kwargs) -> AsgiResponse:
    return asyncio.run(asgi_request(application, "POST", path, body=body, **kwargs))
