"""Coroutines started from Qt: an `async_slot` decorator, and error reporting for tasks.

`async_slot` works like `qasync.asyncSlot`: the slot schedules the coroutine as a task on the
running loop, returns the task (so callers and tests can await it) and sends an exception to
`sys.excepthook`. It imports asyncio only when a slot first runs, so the window can open
before asyncio and qasync are loaded.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from PySide6.QtCore import Slot

# The code flag of a function that takes *args (`inspect.CO_VARARGS`).
CO_VARARGS = 0x04

if TYPE_CHECKING:
    import asyncio

P = ParamSpec("P")
R = TypeVar("R")


def async_slot(
    *types: type,
) -> Callable[[Callable[P, Coroutine[Any, Any, R]]], Callable[P, asyncio.Task[R]]]:
    """Decorate a coroutine method as a Qt slot that runs on the qasync loop."""

    def decorate(function: Callable[P, Coroutine[Any, Any, R]]) -> Callable[P, asyncio.Task[R]]:
        code = function.__code__
        takes_varargs = bool(code.co_flags & CO_VARARGS)

        @Slot(*types)
        @functools.wraps(function)
        def slot(*args: Any, **kwargs: Any) -> asyncio.Task[R]:
            import asyncio

            # Qt passes a signal's arguments even when the slot takes fewer, such as the
            # `checked` flag of `clicked`. The trailing ones the function cannot take are dropped.
            positional = args if takes_varargs else args[: code.co_argcount]
            task = asyncio.ensure_future(function(*positional, **kwargs))
            report_task_errors(task)
            return task

        return slot

    return decorate


def report_task_errors(task: asyncio.Future[Any]) -> None:
    """Send an exception of a background task to `sys.excepthook`, as a slot's would go."""

    def done(finished: asyncio.Future[Any]) -> None:
        if finished.cancelled():
            return
        error = finished.exception()
        if error is not None:
            sys.excepthook(type(error), error, error.__traceback__)

    task.add_done_callback(done)
