"""The in-memory channel layer of the embedded default, with its expiry sweep made cheap.

channels' InMemoryChannelLayer sweeps every channel and every group membership for expired
entries on each receive and each group send: with 2,000 chat sockets that is thousands of
dictionary entries walked per message, most of the web process's time at 200 messages a second.
Messages expire after a minute and memberships after a day, so sweeping once a second changes
nothing anyone can see.
"""

import time

from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer

SWEEP_EVERY_SECONDS = 1.0


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._next_sweep = 0.0

    def _clean_expired(self):
        now = time.monotonic()
        if now < self._next_sweep:
            return
        self._next_sweep = now + SWEEP_EVERY_SECONDS
        super()._clean_expired()
