"""An executor of daemon threads for the app's thread workers.

asyncio's default executor is joined when the event loop closes, so quitting (or closing the
terminal) while the model is still loading held the process - and the shell prompt - for the
rest of the load, 5 to 15 seconds. Daemon threads are left behind instead; they only ever
read the model or score, and drafts are saved before the app exits.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class DaemonThreadExecutor(ThreadPoolExecutor):
    """Each task on its own daemon thread; `shutdown` never waits.

    A ThreadPoolExecutor only because asyncio insists on one for its default executor; none of
    the pool machinery is used.
    """

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        future: Future[T] = Future()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:  # handed to the awaiting worker, as an executor does
                future.set_exception(exc)
            else:
                future.set_result(result)

        threading.Thread(target=run, name="coach-worker", daemon=True).start()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Nothing to wait for: the threads are daemons."""
