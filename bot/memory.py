"""The garbage collector around start-up: off while the frameworks load, then told to leave
what start-up built alone.

The frameworks' models, the compiled statements and the translations are a few hundred
thousand objects that live as long as the process: each full collection walked them all,
seven times while the frameworks loaded (1.4 s of CPU before the first getUpdates) and then
about 0.3 s each during an intake burst. Frozen, a full pass walks what came after.
"""

from __future__ import annotations

import asyncio
import gc

START_WITHOUT_COLLECTOR = 30.0  # seconds; a start that waits longer (for the database) gets it


def pause_collector() -> None:
    """No garbage collection until `settle` says start-up is over."""
    gc.disable()


async def settle(running: asyncio.Event, wait: float = START_WITHOUT_COLLECTOR) -> None:
    """Once `running` is set, freeze what start-up built; the collector is back in every case."""
    try:
        await asyncio.wait_for(running.wait(), wait)
    except TimeoutError:
        return
    else:
        gc.freeze()
    finally:
        gc.enable()
