"""Stopping a helper task without swallowing our own cancellation.

`task.cancel(); with suppress(CancelledError): await task` also swallows a cancellation aimed at
the caller while it waits: the caller then runs on as if nobody had asked it to stop, and an
event loop closing (which cancels every task once) waits for it for ever.
"""

from __future__ import annotations

import asyncio
from typing import Any


async def cancel_and_wait(*tasks: asyncio.Task[Any]) -> None:
    """Cancel `tasks` and wait until they have ended; a cancellation of the caller goes on."""
    for task in tasks:
        task.cancel()
    for task in tasks:
        try:
            await task
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise
        except Exception:
            pass


async def first_of(one: asyncio.Event, other: asyncio.Event, timeout: float | None) -> None:
    """Wait until either event is set, or `timeout` seconds (None: no limit)."""
    waits = [asyncio.ensure_future(one.wait()), asyncio.ensure_future(other.wait())]
    try:
        await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        await cancel_and_wait(*(task for task in waits if not task.done()))


async def relay_set(source: asyncio.Event, target: asyncio.Event) -> None:
    """Set `target` once `source` is set (a worker waiting on its wake-up hears a stop)."""
    await source.wait()
    target.set()
