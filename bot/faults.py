"""Crash points for the durability tests: the process kills itself where the test asks it to.

`HEARBACK_CRASH_AT=inbox-committed` makes the bot SIGKILL itself right
after that commit, exactly like a power cut, so the tests can prove nothing is lost or doubled.
"""

from __future__ import annotations

import os
import signal

ENV = "HEARBACK_CRASH_AT"


def crash_point(name: str) -> None:
    """Die here, without any clean-up, if the environment asks for it."""
    if os.environ.get(ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
