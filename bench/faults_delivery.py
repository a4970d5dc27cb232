"""Delivery through Telegram's failures, at full size: a 60 s outage and a 60 s storm of 429s.

Customers keep writing commands while Telegram fails the bot's sends, and the bot (production
pacing, aiogram runtime, SQLite) answers each. Each scenario returns one row:

- lost: answers never delivered; duplicated: delivered more than once;
- out of order: chats whose answers came in another order than their commands;
- calls before retry_after: calls the bot started while a 429's retry_after was running
  (timed at the bot's transport, the moment the 429 came back);
- drain seconds: from the end of the fault until the last answer was delivered.

`bench/faults.py` calls `outage()` and `storm()`; on its own this prints the table and writes
JSON (use --small for a quick run: 10 s faults, fewer customers).

    .venv/bin/python bench/faults_delivery.py [--small]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS, TOKEN
from bench.seeding import CONFIG, fresh_app
from bot.settings import load_org
from bot.transport import Json, Outcome, RetryLater, Transport
from sandbox.emulator import BotApiEmulator, RateLimits

COMMANDS = (("/help", "What I can do"), ("/status", "no cases yet"), ("/start", "Hello"))
FIRST_CUSTOMER = 900_000
DRAIN_LIMIT = 600.0  # seconds after the fault before what is missing counts as lost


@dataclass
class FaultRow:
    """One scenario's outcome."""

    scenario: str
    fault_seconds: float
    customers: int
    commands: int
    lost: int
    duplicated: int
    out_of_order: int
    calls_before_retry_after: int
    rate_limited: int
    drain_seconds: float


@dataclass
class Recording:
    """The bot's transport, noting when calls leave and when 429s come back."""

    inner: Transport
    started: list[float] = field(default_factory=list)
    flood_waits: list[tuple[float, float]] = field(default_factory=list)

    async def call(self, method: str, params: Json) -> Outcome:
        """Call through, noting the times."""
        self.started.append(time.monotonic())
        outcome = await self.inner.call(method, params)
        if isinstance(outcome, RetryLater) and outcome.rate_limited:
            self.flood_waits.append((time.monotonic(), outcome.after))
        return outcome

    def early(self) -> int:
        """Calls started while a retry_after was running."""
        waits = sorted(self.flood_waits)
        early = 0
        for start in self.started:
            for received, seconds in waits:
                if received >= start:
                    break
                if start < received + seconds:
                    early += 1
                    break
        return early


def answers(emu: BotApiEmulator, user_id: int) -> list[int]:
    """Which command each of the bot's messages in the chat answers, in order."""
    found = []
    for message in emu.bot_messages(user_id):
        for index, (_, answer) in enumerate(COMMANDS):
            if answer in (message.text or ""):
                found.append(index)
                break
    return found


async def _scenario(
    name: str,
    seconds: float,
    customers: int,
    pace: float,
    phases: list[Callable[[BotApiEmulator], None]],
    fault_off: Callable[[BotApiEmulator], None],
) -> FaultRow:
    """Customers write `pace` commands per second in all while the fault lasts; each of the
    fault's `phases` starts in turn, at equal intervals."""
    org = load_org(CONFIG)
    async with BotApiEmulator(token=TOKEN, limits=RateLimits.telegram()) as emu:
        people = [FIRST_CUSTOMER + n for n in range(customers)]
        for user_id in people:
            emu.add_user(user_id, f"Customer{user_id}")
        async with fresh_app(emu, org, paced=True) as app:
            recording = Recording(app.sender._transport)
            app.sender._transport = recording
            runner = asyncio.create_task(app.run())
            await app.running.wait()
            expected: dict[int, list[int]] = {user_id: [] for user_id in people}
            written = 0
            loop = asyncio.get_running_loop()
            start = loop.time()
            while (now := loop.time()) - start < seconds:
                phase = int((now - start) / seconds * len(phases))
                if phases and phase < len(phases):
                    phases[phase](emu)
                # Due commands go out in a round over the customers, each in their order.
                due = int((now - start) * pace) + 1
                while written < due:
                    user_id = people[written % customers]
                    step = len(expected[user_id]) % len(COMMANDS)
                    await emu.send_text(user_id, COMMANDS[step][0])
                    expected[user_id].append(step)
                    written += 1
                await asyncio.sleep(1 / pace)  # the customers' pace, not a synchronisation
            fault_off(emu)
            ended = loop.time()

            def complete() -> bool:
                return all(len(answers(emu, u)) >= len(expected[u]) for u in people)

            await emu.wait_until(complete, DRAIN_LIMIT)
            drained = loop.time() - ended
            app.stop.set()
            await runner
        lost = duplicated = out_of_order = 0
        for user_id in people:
            got, wanted = answers(emu, user_id), expected[user_id]
            lost += max(0, len(wanted) - len(got))
            duplicated += max(0, len(got) - len(wanted))
            if got[: len(wanted)] != wanted[: len(got)]:
                out_of_order += 1
        return FaultRow(
            scenario=name,
            fault_seconds=seconds,
            customers=customers,
            commands=written,
            lost=lost,
            duplicated=duplicated,
            out_of_order=out_of_order,
            calls_before_retry_after=recording.early(),
            rate_limited=emu.stats.total_rate_limited,
            drain_seconds=round(drained, 1),
        )


async def outage(seconds: float = 60.0, customers: int = 100, pace: float = 10.0) -> FaultRow:
    """Telegram answers none of the bot's sends for `seconds`: 502s, then dropped connections."""

    def gateway(emu: BotApiEmulator) -> None:
        emu.set_outage(True, kind="502", sending_only=True)

    def dropped(emu: BotApiEmulator) -> None:
        emu.set_outage(True, kind="drop", sending_only=True)

    def off(emu: BotApiEmulator) -> None:
        emu.set_outage(False)

    return await _scenario("outage", seconds, customers, pace, [gateway, dropped], off)


async def storm(
    seconds: float = 60.0, customers: int = 100, pace: float = 2.0, share: float = 0.3
) -> FaultRow:
    """For `seconds`, `share` of the calls that send or edit answer 429 (retry_after 1-3 s)."""

    def on(emu: BotApiEmulator) -> None:
        emu.set_storm(share, retry_after=2, seed=1)

    def off(emu: BotApiEmulator) -> None:
        emu.set_storm(0)

    return await _scenario("429 storm (30%)", seconds, customers, pace, [on], off)


SCENARIOS: dict[str, Callable[..., Awaitable[FaultRow]]] = {"outage": outage, "storm": storm}


def rows_as_dicts(rows: list[FaultRow]) -> list[dict[str, object]]:
    """Rows for JSON (and for bench/faults.py's table)."""
    return [asdict(row) for row in rows]


def print_rows(rows: list[FaultRow]) -> None:
    """The delivery faults' table."""
    header = (
        f"{'scenario':<18}{'fault s':>8}{'commands':>9}{'lost':>6}{'dupl.':>6}{'order':>6}"
        f"{'early':>6}{'429s':>6}{'drain s':>8}"
    )
    print("\n" + header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r.scenario:<18}{r.fault_seconds:>8.0f}{r.commands:>9}{r.lost:>6}{r.duplicated:>6}"
            f"{r.out_of_order:>6}{r.calls_before_retry_after:>6}{r.rate_limited:>6}"
            f"{r.drain_seconds:>8.1f}"
        )
    print("(order: chats whose answers came out of order; early: calls before retry_after)")


async def main() -> None:
    """Run both scenarios; print and save the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", action="store_true", help="10 s faults, 20 customers")
    options = parser.parse_args()
    size = {"seconds": 10.0, "customers": 20} if options.small else {}
    rows = [await outage(**size), await storm(**size)]  # type: ignore[arg-type]
    print_rows(rows)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "faults_delivery.json"
    path.write_text(json.dumps({"rows": rows_as_dicts(rows), **vars(options)}, indent=2))
    print(f"saved {path}")


if __name__ == "__main__":
    asyncio.run(main())
