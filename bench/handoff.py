"""Handoff under Telegram's group limit: bursts from 50 customers into one staff group's topics.

N open cases live in one staff supergroup, each in its own topic; every customer sends a burst of
messages at once. The emulator enforces Telegram's limits (20 messages/min per group, 1/s per
private chat, 30/s overall). Printed: how long until every message is in its topic, 429s
received, messages lost; for hearback pacing its sends, and, as the baseline in the same run,
the same bot with its pacing switched off (it only reacts to 429 retry_after).

With `--cpu` it measures instead what relaying costs: staff write in the case topics (a burst
per case) and the bot copies every message to its customer, with Telegram's limits and the
bot's pacing off, the bot a process of its own; printed is the CPU per relayed staff message,
beside the bare aiogram echo bot answering as many messages written in the same topics.

    .venv/bin/python bench/handoff.py [--cases 50] [--burst 2] [--groups 1] [--cpu] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS, TOKEN, Child, python
from bench.seeding import CONFIG, STAFF, forget_updates, fresh_app, seed
from bot.settings import load_org
from flows.config import OrgConfig
from sandbox.emulator import BotApiEmulator, RateLimits

SUPPORT_GROUPS = (-1001234567890, -1001234567880, -1001234567870, -1001234567860)


@dataclass
class Row:
    """One run of the benchmark."""

    name: str
    cases: int
    messages: int
    seconds: float
    per_minute: float
    rate_limited: int
    lost: int


def organisation(groups: int) -> OrgConfig:
    """The demo organisation, with the Support team spread over `groups` staff groups."""
    org = load_org(CONFIG)
    support = org.teams[0].model_copy(update={"extra_chat_ids": SUPPORT_GROUPS[1:groups]})
    return org.model_copy(update={"teams": (support, *org.teams[1:])})


def copies_in_topics(emu: BotApiEmulator, topics: dict[int, int]) -> int:
    """Customer messages the bot has copied into their case topics."""
    threads = set(topics.values())
    return sum(
        1
        for group in SUPPORT_GROUPS
        if group in emu.state.chats
        for m in emu.messages(group)
        if m.from_bot and m.thread_id in threads and m.text.startswith("burst ")
    )


async def run(name: str, paced: bool, cases: int, burst: int, groups: int) -> Row:
    """One bot, one emulator, one burst; measured from the first message to the last copy."""
    org = organisation(groups)
    async with BotApiEmulator(token=TOKEN, limits=RateLimits.telegram()) as emu:
        emu.add_user(STAFF, "Piotr")
        emu.add_supergroup(-1001234567891, "Acme Billing")
        for group in SUPPORT_GROUPS[:groups]:
            emu.add_supergroup(group, "Acme Support", members=[STAFF])
        async with fresh_app(emu, org, paced) as app:
            topics = await seed(app, emu, org, cases)
            runner = asyncio.create_task(app.run())
            started = time.perf_counter()
            for n in range(burst):
                for user_id in topics:
                    await emu.send_text(user_id, f"burst {n} from {user_id}")
            expected = cases * burst
            await emu.wait_for(
                lambda: copies_in_topics(emu, topics) >= expected,
                timeout=expected * 3.5 / groups + 120,
                message="not every message reached its topic",
            )
            seconds = time.perf_counter() - started
            app.stop.set()
            await runner
            lost = expected - copies_in_topics(emu, topics)
            return Row(
                name=name,
                cases=cases,
                messages=expected,
                seconds=round(seconds, 1),
                per_minute=round(expected / seconds * 60, 1),
                rate_limited=emu.stats.total_rate_limited,
                lost=lost,
            )


async def relay_cpu(echo: bool, cases: int, burst: int) -> float:
    """CPU ms of the bot process per staff message written in a case topic, from the first
    message until every customer has their copies (echo: until every echo is in the topic)."""
    org = organisation(1)
    group = SUPPORT_GROUPS[0]
    async with BotApiEmulator(token=TOKEN, limits=RateLimits.off()) as emu:
        emu.add_user(STAFF, "Piotr")
        emu.add_supergroup(-1001234567891, "Acme Billing")
        emu.add_supergroup(group, "Acme Support", members=[STAFF])
        async with fresh_app(emu, org, paced=False) as app:
            topics = await seed(app, emu, org, cases)
            forget_updates(emu)
            await app.db.dispose()
            env = {"BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": emu.base_url}
            if echo:
                args = [python(), str(Path(__file__).parent / "echo_bot.py")]
            else:
                args = [python(), "-m", "bot.cli", "run"]
                env |= {
                    "DATABASE_URL": app.settings.database_url,
                    "HEARBACK_CONFIG": str(CONFIG),
                    "HEARBACK_SEND_LIMITS": "off",
                }
            child = Child(args, env)
            try:
                await emu.wait_for(
                    lambda: emu.stats.requests["getUpdates"] > 1, timeout=120, message="no poll"
                )
                before = child.cpu()
                for n in range(burst):
                    for thread in topics.values():
                        await emu.send_text(
                            STAFF, f"answer {n} in {thread}", chat_id=group, thread_id=thread
                        )

                def arrived() -> bool:
                    if echo:
                        return len(emu.bot_messages(group)) >= cases * burst
                    return all(len(emu.bot_messages(user)) >= burst for user in topics)

                await emu.wait_for(arrived, timeout=300, message="not every message relayed")
                return (child.cpu() - before) * 1000 / (cases * burst)
            except BaseException:
                print(child.log_tail(), file=sys.stderr)
                raise
            finally:
                await child.stopped()


async def cpu_main(options: argparse.Namespace) -> None:
    """CPU per relayed staff message, beside the echo bot, round after round."""
    rounds = [
        (
            await relay_cpu(True, options.cases, options.burst),
            await relay_cpu(False, options.cases, options.burst),
        )
        for _ in range(options.rounds)
    ]
    echo = statistics.median(r[0] for r in rounds)
    ours = statistics.median(r[1] for r in rounds)
    print(
        f"\n{options.cases} cases × {options.burst} staff messages in their topics, limits off; "
        f"median of {options.rounds} round(s)\n"
    )
    print(f"{'bot':<34}{'CPU ms/message':>15}{'× echo':>8}")
    print(f"{'aiogram echo (base)':<34}{echo:>15.2f}{1:>8.2f}")
    print(f"{'hearback, staff → customer':<34}{ours:>15.2f}{ours / echo:>8.2f}")
    print("round by round (echo, hearback):", [(round(e, 2), round(h, 2)) for e, h in rounds])
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "handoff-cpu.json"
    path.write_text(
        json.dumps(
            {"echo_ms": echo, "hearback_ms": ours, "rounds": rounds, **vars(options)}, indent=2
        )
    )
    print(f"saved {path}")


async def main() -> None:
    """Run hearback and the unpaced baseline; print and save the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=50)
    parser.add_argument("--burst", type=int, default=2)
    parser.add_argument("--groups", type=int, default=1, choices=range(1, 5))
    parser.add_argument("--cpu", action="store_true", help="CPU per relayed staff message")
    parser.add_argument("--rounds", type=int, default=3, help="with --cpu")
    options = parser.parse_args()
    if options.cpu:
        await cpu_main(options)
        return
    rows = [
        await run("unpaced (baseline)", False, options.cases, options.burst, options.groups),
        await run("hearback paced", True, options.cases, options.burst, options.groups),
    ]
    ideal = options.cases * options.burst / (20 * options.groups)
    print(
        f"\n{options.cases} cases × {options.burst} messages into {options.groups} staff "
        f"group(s); emulator enforces 20/min per group, 1/s per chat, 30/s overall"
    )
    print(f"(the group limit alone allows {20 * options.groups}/min: ≥ {ideal:.1f} min)\n")
    header = f"{'bot':<22}{'messages':>9}{'seconds':>9}{'per min':>9}{'429s':>7}{'lost':>6}"
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r.name:<22}{r.messages:>9}{r.seconds:>9.1f}{r.per_minute:>9.1f}"
            f"{r.rate_limited:>7}{r.lost:>6}"
        )
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"handoff-{options.groups}g.json"
    path.write_text(json.dumps({"rows": [asdict(r) for r in rows], **vars(options)}, indent=2))
    print(f"\nsaved {path}")


if __name__ == "__main__":
    asyncio.run(main())
