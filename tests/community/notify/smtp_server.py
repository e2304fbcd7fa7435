"""A small SMTP server on 127.0.0.1 for tests: speaks enough ESMTP for smtplib and keeps each message.

The standard library lost `smtpd` in Python 3.12 and aiosmtpd is not a dependency; this is ~60 lines
of asyncio, run in its own thread so Django's blocking SMTP backend can talk to it.
"""

import asyncio
import email
import threading
from email.message import Message


class LoopbackSMTP:
    def __init__(self):
        self.messages: list[tuple[str, list[str], Message]] = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.server = None
        self.port = 0

    def __enter__(self):
        self.thread.start()
        start = asyncio.start_server(self._session, "127.0.0.1", 0)
        self.server = asyncio.run_coroutine_threadsafe(start, self.loop).result(timeout=5)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    def __exit__(self, *exc):
        async def stop():
            self.server.close()
            await self.server.wait_closed()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(timeout=5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        self.loop.close()

    async def _session(self, reader, writer):
        def reply(text: str):
            writer.write(text.encode() + b"\r\n")

        reply("220 localhost test SMTP")
        sender, recipients = "", []
        try:
            while line := await reader.readline():
                command = line.decode("utf-8", "replace").strip()
                verb = command[:4].upper()
                if verb == "EHLO":
                    reply("250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8")
                elif verb == "HELO":
                    reply("250 localhost")
                elif verb == "MAIL":
                    sender, recipients = command.split(":", 1)[1].strip().split()[0].strip("<>"), []
                    reply("250 OK")
                elif verb == "RCPT":
                    recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                    reply("250 OK")
                elif verb == "DATA":
                    reply("354 End data with <CR><LF>.<CR><LF>")
                    await writer.drain()
                    self.messages.append(
                        (sender, recipients, email.message_from_bytes(await self._data(reader)))
                    )
                    reply("250 OK: queued")
                elif verb in ("RSET", "NOOP"):
                    reply("250 OK")
                elif verb == "QUIT":
                    reply("221 Bye")
                    await writer.drain()
                    break
                else:
                    reply("502 Command not implemented")
                await writer.drain()
        finally:
            writer.close()

    @staticmethod
    async def _data(reader) -> bytes:
        lines = []
        while (line := await reader.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)  # undo dot-stuffing
        return b"".join(lines)
