"""How `townsquare run` configures uvicorn: no per-message compression, no chat tokens in the logs.

Per-message deflate cost about a tenth of a busy chat server's CPU for frames of a few hundred
bytes. The live chat widget authenticates its WebSocket with `?token=…` (browsers cannot set
headers on a WebSocket), and uvicorn logs request lines and WebSocket paths with their query
strings, so token values are replaced before a line is written.
"""

import copy
import logging
import re

TOKEN_IN_QUERY = re.compile(r"((?:^|[?&])(?:token|chat_token)=)[^&\s\"']+")


def redact(text: str) -> str:
    return TOKEN_IN_QUERY.sub(r"\1[redacted]", text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def uvicorn_log_config() -> dict:
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact_tokens": {"()": "townsquare.ops.serving.RedactTokens"}}
    for handler in config["handlers"].values():
        handler["filters"] = ["redact_tokens"]
    return config


def uvicorn_options() -> dict:
    return {"ws_per_message_deflate": False, "log_config": uvicorn_log_config()}
