"""Polling never waits behind storage: the gaps between getUpdates calls under load.

2,000 check-ins come due at once (as in bench/fanout.py) when the bot starts, and meanwhile 50
customers file complaints at once. A pass-through proxy between the bot and the emulator notes
when each getUpdates began and when its answer left; a gap is the time from one answer to the
next call, the time during which Telegram holds the bot's updates back. Printed: the longest gap
and the 99th percentile while the customers are filing (target: longest < 250 ms), for hearback
with the fan-out, and as baselines in the same run hearback with the burst alone and the bare
aiogram echo bot under the same burst. The emulator enforces Telegram's limits and hearback
paces itself, as in production (the echo bot, which does not pace, meets no limits).

    .venv/bin/python bench/polling.py [--due 2000] [--customers 50] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from pathlib import Path

from aiohttp import ClientSession, web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS, TOKEN, Child, percentile, python
from bench.intake import Customer
from bench.seeding import CONFIG, STAFF, forget_updates, fresh_app, seed
from bot.settings import load_org
from flows import case_timers
from sandbox.emulator import BotApiEmulator, RateLimits

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Row:
    """One bot's gaps between getUpdates calls during the burst."""

    name: str
    polls: int
    longest_gap_ms: float
    p99_gap_ms: float
    burst_seconds: float


class PollWatch:
    """A pass-through proxy to the emulator noting when each getUpdates began and ended."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.polls: list[tuple[float, float]] = []
        self.base_url = ""

    async def _forward(self, request: web.Request) -> web.Response:
        began = time.perf_counter()
        headers = {k: v for k, v in request.headers.items() if k.lower() == "content-type"}
        async with self._session.request(
            request.method,
            self.upstream + request.path_qs,
            data=await request.read(),
            headers=headers,
        ) as answer:
            body, status, kind = await answer.read(), answer.status, answer.content_type
        if request.path.lower().endswith("/getupdates"):
            self.polls.append((began, time.perf_counter()))
        return web.Response(body=body, status=status, content_type=kind)

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[PollWatch]:
        """Serve on a free port while in the block."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{path:.*}", self._forward)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"
        async with ClientSession() as self._session:
            try:
                yield self
            finally:
                await runner.cleanup()

    def gaps(self, since: float, until: float) -> list[float]:
        """Seconds from each answer to the next call, for calls answered in [since, until]."""
        polls = sorted(self.polls)
        return [
            polls[n + 1][0] - ended
            for n, (_, ended) in enumerate(polls[:-1])
            if since <= ended <= until
        ]


async def burst(
    name: str, emu: BotApiEmulator, args: list[str], env: dict[str, str], customers: int, first: int
) -> Row:
    """Start the bot through the proxy; once it polls, N customers act at once; note the gaps."""
    async with PollWatch(emu.base_url).running() as watch:
        child = Child(args, {"BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": watch.base_url, **env})
        try:
            await emu.wait_for(lambda: watch.polls, timeout=120, message=f"{name}: no poll")
            people = [Customer(emu, first + n, []) for n in range(customers)]
            script = "echo_round" if "echo" in name else "file_complaint"
            started = time.perf_counter()
            await asyncio.gather(*(getattr(p, script)() for p in people))
            ended = time.perf_counter()
        except BaseException:
            print(f"{name} log:\n{child.log_tail()}", file=sys.stderr)
            raise
        finally:
            await child.stopped()
    gaps = watch.gaps(started, ended)
    return Row(
        name=name,
        polls=len(gaps) + 1,
        longest_gap_ms=round(max(gaps, default=0) * 1000, 1),
        p99_gap_ms=round(percentile(gaps, 0.99) * 1000, 1),
        burst_seconds=round(ended - started, 1),
    )


async def hearback(due: int, customers: int, first: int) -> Row:
    """hearback, paced, on a database where `due` check-ins are due (0: the burst alone)."""
    org = load_org(CONFIG)
    async with BotApiEmulator(token=TOKEN, limits=RateLimits.telegram()) as emu:
        emu.add_user(STAFF, "Piotr")
        for team in org.teams:
            for chat_id in team.chat_ids:
                emu.add_supergroup(chat_id, team.title, members=[STAFF])
        async with fresh_app(emu, org, paced=True) as app:
            if due:
                await seed(app, emu, org, due, timer=case_timers.PROMISE)
                forget_updates(emu)
            await app.db.dispose()
            env = {
                "DATABASE_URL": app.settings.database_url,
                "HEARBACK_CONFIG": str(CONFIG),
            }
            name = f"hearback, {due} check-ins due" if due else "hearback, burst alone (base)"
            args = [python(), "-m", "bot.cli", "run"]
            return await burst(name, emu, args, env, customers, first)


async def echo(customers: int, first: int) -> Row:
    """The bare aiogram echo bot under the same burst."""
    async with BotApiEmulator(token=TOKEN, limits=RateLimits.off()) as emu:
        args = [python(), str(ROOT / "bench" / "echo_bot.py")]
        return await burst("aiogram echo (base)", emu, args, {}, customers, first)


async def main() -> None:
    """Round after round: the echo bot, hearback alone, hearback with the fan-out."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--due", type=int, default=2000)
    parser.add_argument("--customers", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    rounds: list[list[Row]] = []
    for n in range(options.rounds):
        first = 1_000_000 + n * 10_000
        rounds.append(
            [
                await echo(options.customers, first),
                await hearback(0, options.customers, first),
                await hearback(options.due, options.customers, first),
            ]
        )
    print(
        f"\n{options.customers} customers at once; gaps between getUpdates calls while they act; "
        f"median of {options.rounds} round(s) by longest gap\n"
    )
    header = f"{'bot':<32}{'polls':>7}{'longest ms':>12}{'p99 ms':>9}{'burst s':>9}"
    print(header)
    print("-" * len(header))
    medians = []
    for k in range(len(rounds[0])):
        rows = sorted((r[k] for r in rounds), key=lambda r: r.longest_gap_ms)
        row = rows[len(rows) // 2]
        medians.append(row)
        print(
            f"{row.name:<32}{row.polls:>7}{row.longest_gap_ms:>12.1f}{row.p99_gap_ms:>9.1f}"
            f"{row.burst_seconds:>9.1f}"
        )
        print(f"{'':<32}longest, round by round: {[one[k].longest_gap_ms for one in rounds]}")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "polling.json"
    path.write_text(
        json.dumps(
            {
                "rows": [asdict(r) for r in medians],
                "rounds": [[asdict(r) for r in one] for one in rounds],
                **vars(options),
            },
            indent=2,
        )
    )
    print(f"saved {path}")


if __name__ == "__main__":
    asyncio.run(main())
