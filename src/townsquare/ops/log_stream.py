"""The console log handler: writes to whatever `sys.stderr` is when a record is emitted.

`logging.StreamHandler` keeps the stream it was given when logging was configured. Anything
that swaps `sys.stderr` for a while and closes its replacement (a test capturing output, a
command that redirects it) and configures logging in between leaves every later record,
from any thread, failing with "I/O operation on closed file". Looking the stream up on each
record, as logging's own last-resort handler does, follows stderr wherever it points now.
"""

import logging
import sys


class CurrentStderrHandler(logging.StreamHandler):
    def __init__(self, level=logging.NOTSET):
        # StreamHandler.__init__ would store a stream; this handler never keeps one.
        logging.Handler.__init__(self, level)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        raise AttributeError("CurrentStderrHandler always writes to the current sys.stderr")
