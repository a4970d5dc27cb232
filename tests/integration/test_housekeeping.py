"""Housekeeping on SQL: old processed rows go in batches; pending, recent and needed ones stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import ManualClock
from bot.housekeeping import Housekeeper
from flows.messages import Say
from storage.database import Database
from storage.unit_of_work import SqlUnitOfWork

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
KEEP = timedelta(days=7)


async def deliver(uow: SqlUnitOfWork, message: Say, at: datetime, message_id: int) -> None:
    await uow.outbox.add(message, at)
    await uow.outbox.mark_sent(await uow.outbox.newest_id(), at, message_id)


async def a_day_of_work(database: Database, day: datetime, first_update: int) -> None:
    """Five handled updates, and six delivered messages: three to customers about a case, two
    in its staff topic (one with no message id), one to a group about no case."""
    async with database.uow() as uow:
        ids = list(range(first_update, first_update + 5))
        await uow.inbox.add_many([{"update_id": n} for n in ids], day)
        await uow.inbox.mark_all_done(ids, day)
        number = f"HB-{first_update:06}"
        for n in range(3):
            told = Say(chat_id=77 + n, key="registered", language="en", params={"number": number})
            await deliver(uow, told, day, n + 1)
        card = Say(chat_id=-100, key="card", language="en", topic_of=number)
        await deliver(uow, card, day, first_update)
        await uow.outbox.add(Say(chat_id=-100, key="x", topic_of=card.topic_of, language="en"), day)
        await uow.outbox.mark_sent(await uow.outbox.newest_id(), day, None)
        await deliver(uow, Say(chat_id=-200, key="digest", language="en"), day, 9)
        await uow.commit()


async def test_old_processed_rows_go_and_pending_recent_and_needed_ones_stay(
    database: Database,
) -> None:
    clock = ManualClock(START)
    await a_day_of_work(database, START, 1)
    async with database.uow() as uow:
        await uow.inbox.add_many([{"update_id": 6}], START)  # never handled: stays pending
        await uow.outbox.add(Say(chat_id=90, key="later", language="en"), START)  # not yet sent
        await uow.commit()
    await a_day_of_work(database, START + timedelta(days=6), 100)
    keeper = Housekeeper(database.uow, clock, KEEP, batch=2)

    clock.advance(timedelta(days=7) - timedelta(seconds=1))
    assert await keeper.purge() == 0, "nothing is a week old yet"

    clock.advance(timedelta(seconds=2))
    assert await keeper.purge() == 5 + 6, "the first day: its updates and its messages"
    async with database.uow() as uow:
        assert [row.update_id for row in await uow.inbox.pending(10)] == [6], "never handled"
        assert await uow.inbox.last_update_id() == 104
        assert await uow.outbox.counts() == {"pending": 1, "sent": 6}
        assert (await uow.privacy.erase_case("HB-000001", clock.now(), frozenset())) == {
            -100: [1]
        }, "the case's card in its staff topic can be deleted until the case is erased"
        await uow.commit()

    clock.advance(timedelta(days=30))
    assert await keeper.purge() == 4 + 6
    async with database.uow() as uow:
        assert await uow.inbox.last_update_id() == 104, "the newest id stays: polling goes on"
        assert await uow.outbox.counts() == {"pending": 1}
        assert (await uow.privacy.erase_case("HB-000100", clock.now(), frozenset())) == {
            -100: [100]
        }
        await uow.commit()
        assert (await uow.privacy.erase_case("HB-000001", clock.now(), frozenset())) == {}, (
            "erased: nothing of it is kept"
        )
