"""Coroutines started from Qt: a typed `asyncSlot`, and error reporting for other tasks.

`qasync.asyncSlot` schedules the coroutine as a task and returns it, and sends its exception
to `sys.excepthook`. The wrapper here only adds types, so callers (and tests) can await the
returned task.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec, TypeVar, cast

import qasync

P = ParamSpec("P")
R = TypeVar("R")


def async_slot(
    *types: type,
) -> Callable[[Callable[P, Coroutine[Any, Any, R]]], Callable[P, asyncio.Task[R]]]:
    """Decorate a coroutine method as a Qt slot that runs on the qasync loop."""
    return cast(
        "Callable[[Callable[P, Coroutine[Any, Any, R]]], Callable[P, asyncio.Task[R]]]",
        qasync.asyncSlot(*types),
    )


def report_task_errors(task: asyncio.Future[Any]) -> None:
    """Send an exception of a background task to `sys.excepthook`, as `asyncSlot` does."""

    def done(finished: asyncio.Future[Any]) -> None:
        if finished.cancelled():
            return
        error = finished.exception()
        if error is not None:
            sys.excepthook(type(error), error, error.__traceback__)

    task.add_done_callback(done)
