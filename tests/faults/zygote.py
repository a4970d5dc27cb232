"""A bot process factory for kill tests: imports hearback once, then forks a fresh bot per start.

Importing aiogram or python-telegram-bot costs seconds of CPU; a kill test restarts the bot
dozens of times. Each forked child is a whole new bot process (its own event loop, database
connections and HTTP sessions) that a SIGKILL ends like a power cut; only the imports are shared.

Protocol on stdin/stdout, one line each: `start` → the child's pid.
"""

from __future__ import annotations

import os
import signal
import sys

import bot.aiogram_runtime
import bot.app
import bot.cli
import bot.ptb_runtime
import storage.database  # noqa: F401  (imported once, for every child)


def main() -> None:
    """Fork a bot for each `start` line until stdin closes."""
    runtime = sys.argv[1]
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children reap themselves
    for line in sys.stdin:
        if line.strip() != "start":
            continue
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            os._exit(bot.cli.main(["run", "--runtime", runtime]))
        print(pid, flush=True)


if __name__ == "__main__":
    main()
