"""The web server parses HTTP in C: uvicorn's automatic choice (what `townsquare run`, the
README's uvicorn command and the benches use) is httptools when it is installed, and h11 (pure
Python, about 0.8 ms more server CPU per console page) when it is not."""

from uvicorn.config import Config


def test_uvicorn_serves_http_with_httptools():
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    config = Config(app=lambda scope, receive, send: None, lifespan="off")
    config.load()
    assert config.http_protocol_class is HttpToolsProtocol
