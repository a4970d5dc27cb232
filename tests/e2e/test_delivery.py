"""Delivery under Telegram's real behaviour: limits, 429, 5xx, outages and blocked users."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from bot.clock import ManualClock
from bot.limits import SendLimits
from flows.messages import Say, to_json
from sandbox.emulator import BotApiEmulator, RateLimits
from storage.tables import OUTBOX
from tests.e2e.chat import Person, eventually
from tests.e2e.conftest import Running


async def test_server_errors_are_retried_until_the_message_arrives(
    bot: Running, anna: Person, emu: BotApiEmulator
) -> None:
    emu.fail_next("sendMessage", status=500, count=2)
    await anna.write("/start")
    await anna.expect("Hello, Anna", timeout=15)
    assert emu.stats.errors.get(500, 0) >= 2
    assert len([m for m in anna.inbox() if "Hello" in m.text]) == 1


async def test_a_telegram_outage_loses_nothing(
    bot: Running, anna: Person, emu: BotApiEmulator
) -> None:
    await anna.write("/start")
    await anna.expect("Hello")
    emu.set_outage(True)
    await anna.write("/help")
    await anna.write("/status")
    emu.set_outage(False)
    await anna.expect("What I can do", timeout=20)
    await anna.expect("no cases yet", timeout=20)


async def test_429_is_honoured_and_order_is_kept(
    bot: Running, anna: Person, emu: BotApiEmulator
) -> None:
    # The bot paces nothing in this test (SendLimits.unlimited), so Telegram's 429s must be
    # honoured by waiting retry_after, never by dropping or reordering messages.
    emu.set_limits(RateLimits.telegram())
    for command in ("/start", "/help", "/status", "/help", "/start"):
        await anna.write(command)
    await anna.expect("Hello", timeout=20)
    await anna.expect("What I can do", timeout=20)
    await anna.expect("no cases yet", timeout=20)
    await anna.expect("What I can do", timeout=20)
    await anna.expect("Hello", timeout=20)
    assert emu.stats.total_rate_limited >= 1


async def test_the_pacing_sender_stays_under_telegrams_limits(
    emu: BotApiEmulator, anna: Person, bot: Running
) -> None:
    bot.app.sender._limiter.limits = SendLimits()  # the production pacing
    emu.set_limits(RateLimits.telegram())
    for _ in range(6):
        await anna.write("/help")
    await emu.wait_for(
        lambda: len([m for m in anna.inbox() if "What I can do" in m.text]) == 6,
        timeout=20,
        message="six answers",
    )
    assert emu.stats.total_rate_limited == 0


async def test_a_customer_who_blocked_the_bot_is_marked_unreachable(
    bot: Running, anna: Person, emu: BotApiEmulator, clock: ManualClock
) -> None:
    await anna.write("/new")
    await anna.expect("Choose a category")
    emu.block_bot(anna.id)
    clock.advance(timedelta(minutes=31))  # the draft reminder is now due, and will get a 403
    bot.app.scheduler.wake()

    async def unreachable() -> bool:
        async with bot.app.db.uow() as tx:
            customer = await tx.customers.by_telegram_id(anna.id)
            counts = await tx.outbox.counts()
        return bool(customer and customer.unreachable and counts.get("failed"))

    await emu.wait_for(
        lambda: emu.stats.errors.get(403), message="the reminder never hit the block"
    )
    await eventually(unreachable, what="marking the customer unreachable")


async def test_a_crowd_writing_at_once_gets_every_answer_without_a_429(
    emu: BotApiEmulator, bot: Running
) -> None:
    # More chats than Telegram's global burst, all answered at once: requests leave the bot
    # at uneven moments, and the pacing must leave room for that, not only count decisions.
    bot.app.sender._limiter.limits = SendLimits()  # the production pacing
    emu.set_limits(RateLimits.telegram())
    crowd = [Person(emu, 6000 + n, f"Customer{n}", "Test") for n in range(90)]
    for person in crowd:
        await person.write("/help")
    await emu.wait_for(
        lambda: all(any("What I can do" in m.text for m in p.inbox()) for p in crowd),
        timeout=60,
        message="an answer for everyone",
    )
    assert emu.stats.total_rate_limited == 0


async def test_a_message_this_version_cannot_read_holds_back_only_its_own_chat(
    bot: Running, anna: Person, emu: BotApiEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    await bot.app.running.wait()
    ben = Person(emu, 5002, "Ben", "Nowak")
    now = datetime.now(UTC)

    def row(chat_id: int, payload: dict[str, object]) -> dict[str, object]:
        return {"chat_id": chat_id, "payload": payload, "priority": 0, "status": "pending"}

    async with bot.app.db.engine.begin() as connection:  # queued together: read in one go
        await connection.execute(
            insert(OUTBOX),
            [
                # as a newer version of the bot might have written it
                {**row(ben.id, {"type": "sticker"}), "attempts": 0, "created_at": now},
                {
                    **row(anna.id, to_json(Say(anna.id, "help", "en"))),
                    "attempts": 0,
                    "created_at": now,
                },
            ],
        )
    bot.app.sender.wake()
    await anna.expect("What I can do")
    assert "cannot be read" in caplog.text
    assert ben.inbox() == []
    async with bot.app.db.engine.connect() as connection:
        kept = select(OUTBOX.c.status).where(OUTBOX.c.chat_id == ben.id)
        assert (await connection.execute(kept)).scalars().all() == ["pending"], "it waits"
