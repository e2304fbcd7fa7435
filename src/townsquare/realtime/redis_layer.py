"""The Redis channel layer's connection settings (several web processes and workers).

channels_redis waits for messages with `BZPOPMIN … 5`; redis-py 8 gives up reading a socket
after 5 s by default, so an idle consumer's receive raised a TimeoutError and its WebSocket was
dropped. The read timeout must outlast the blocking pop. redis-py's asyncio pool also raises
(instead of waiting) past 100 connections, which a burst of group sends reaches.
"""

# Longer than channels_redis's 5 s blocking pop.
SOCKET_TIMEOUT_SECONDS = 15
MAX_CONNECTIONS = 1000
# Messages a channel may hold before channels_redis drops new ones (its default is 100): an agent
# socket a moment behind at 200 messages/s would silently lose events.
CAPACITY = 1000


def redis_layer(url: str, prefix: str) -> dict:
    return {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [
                {"address": url, "socket_timeout": SOCKET_TIMEOUT_SECONDS, "max_connections": MAX_CONNECTIONS}
            ],
            "prefix": prefix,
            "capacity": CAPACITY,
        },
    }
