"""Django's ASGI handler, with each request's sync code run in one hop, on a thread kept for reuse.

Django's own ASGI handler costs a console page more than its view does, in two ways:

- It builds an async middleware chain. Our views are synchronous, and so are most middleware
  (Django's MiddlewareMixin ones, ours): each of their process_request, process_view and
  process_response calls, and the view, crossed from the event loop to the request's thread and
  back on its own: 9 crossings per console page, each a wake-up of two threads under the GIL.
  Here the chain is built synchronously, as under WSGI, and called in one crossing: 3 in all
  (the request_started signal, the request, closing the response and request_finished).
- It runs every request's sync code on a new thread (asgiref's ThreadSensitiveContext without
  an executor), and Django's database connections belong to threads: each request opened a new
  connection (for SQLite: open it and run its PRAGMAs; for PostgreSQL without the pool in
  envvars.database_from_url: a new server process) and dropped it with the thread, so
  CONN_MAX_AGE never applied. Here a request borrows a one-thread executor from a stack of idle
  ones and gives it back when it ends, so the thread and its connection serve the next request.

One request still has one thread to itself for its whole life (concurrent requests borrow
different threads), request_started/finished run as before, streaming responses (sync or async
iterators), disconnects and body reading are Django's; an async view would be run with
async_to_sync, as under WSGI.
"""

from collections import deque
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.handlers.asgi import ASGIHandler

# Idle request threads kept for reuse; a burst of more concurrent requests starts more threads,
# and those beyond this many end when their request does.
IDLE_THREADS_KEPT = 16


class RequestThreads:
    """One-thread executors for requests: the most recently used first (its connection is warm)."""

    def __init__(self, keep: int = IDLE_THREADS_KEPT):
        self.keep = keep
        self.idle: deque[ThreadPoolExecutor] = deque()

    def borrow(self) -> ThreadPoolExecutor:
        try:
            return self.idle.pop()
        except IndexError:
            return ThreadPoolExecutor(max_workers=1, thread_name_prefix="request")

    def give_back(self, executor: ThreadPoolExecutor) -> None:
        if len(self.idle) < self.keep:
            self.idle.append(executor)
        else:
            # Work already submitted (a request cancelled while its view runs) still finishes.
            executor.shutdown(wait=False)


class SyncChainASGIHandler(ASGIHandler):
    def __init__(self, threads: RequestThreads | None = None):
        self.threads = threads or RequestThreads()
        super().__init__()

    def load_middleware(self, is_async=False):
        # ASGIHandler.__init__ asks for an async chain. An async-only middleware would be adapted
        # with async_to_sync, as under WSGI.
        super().load_middleware(is_async=False)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        executor = self.threads.borrow()
        try:
            # The context sends this request's thread-sensitive calls to the borrowed thread.
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        finally:
            self.threads.give_back(executor)

    async def get_response_async(self, request):
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)


def get_http_application() -> SyncChainASGIHandler:
    """What django.core.asgi.get_asgi_application() does, with the handler above."""
    import django

    django.setup(set_prefix=False)
    return SyncChainASGIHandler()
