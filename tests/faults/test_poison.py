"""Poison: an update or timer that keeps failing is set aside, and everyone else goes on at once.

Also the shapes a framework cannot parse (Telegram added them since): what the customer sent is
still filed, from the raw JSON.
"""

from __future__ import annotations

from datetime import timedelta

from bot import dead_letters
from bot.clock import ManualClock
from bot.inbox import IDLE_LOOK
from flows.customer_service import TIMER_DRAFT_REMIND
from flows.intake import REMIND_AFTER
from flows.model import Timer
from sandbox.emulator import BotApiEmulator
from tests.e2e.chat import Person
from tests.e2e.conftest import Running
from tests.faults.conftest import POLICY
from tests.faults.malformed import inject
from tests.faults.waiting import exhaust, rows, until


def poison(user_id: int) -> dict[str, object]:
    """A message whose id is text: no translation can file it."""
    chat = {"id": user_id, "type": "private", "first_name": "Pat"}
    sender = {"id": user_id, "is_bot": False, "first_name": "Pat", "language_code": "en"}
    return {"message": {"message_id": "abc", "date": 1, "chat": chat, "from": sender, "text": "hi"}}


async def test_a_poison_update_is_set_aside_and_the_next_customer_is_answered_at_once(
    bot: Running, emu: BotApiEmulator, anna: Person, clock: ManualClock
) -> None:
    pat = Person(emu, 6001, "Pat")
    poisoned = inject(emu, poison(pat.id))
    await anna.write("/start")
    await anna.expect("Hello, Anna", timeout=5)
    # Its attempts are spaced: seconds, then a minute; then it is set aside, with an apology.
    await exhaust(bot, clock, poisoned)
    await pat.expect("Sorry", timeout=10)
    letters = await dead_letters.dead_letters(bot.app.settings.database_url)
    assert [(u.update_id, u.attempts) for u in letters.updates] == [(poisoned, POLICY.attempts)]
    assert "ValueError" in dead_letters.table(letters)
    assert "hi" not in letters.updates[0].error
    await anna.write("/help")
    await anna.expect("What I can do", timeout=5)


async def test_a_dead_update_replayed_after_the_fix_is_handled(
    bot: Running, emu: BotApiEmulator, anna: Person, clock: ManualClock
) -> None:
    await anna.write("/start")
    await anna.expect("Hello, Anna")
    async with bot.app.db.uow() as uow:  # an update set aside earlier, its cause since fixed
        await uow.inbox.add_many([{"update_id": 10_000, "message": _help(anna.id)}])
        await uow.inbox.mark_attempt_failed(10_000, "ValueError at x.py:1 in y", True)
        await uow.commit()
    # `hearback retry` runs in another process: nothing wakes the bot, its next look finds it.
    assert await dead_letters.retry(bot.app.settings.database_url, "update", 10_000, clock.now())
    await anna.expect("What I can do", timeout=IDLE_LOOK + 5)
    assert (await dead_letters.dead_letters(bot.app.settings.database_url)).updates == []


def _help(user_id: int) -> dict[str, object]:
    chat = {"id": user_id, "type": "private", "first_name": "Anna"}
    sender = {"id": user_id, "is_bot": False, "first_name": "Anna", "language_code": "en"}
    entities = [{"type": "bot_command", "offset": 0, "length": 5}]
    return {
        "message_id": 999,
        "date": 1,
        "chat": chat,
        "from": sender,
        "text": "/help",
        "entities": entities,
    }


async def test_shapes_the_framework_does_not_know_are_still_filed(
    bot: Running, emu: BotApiEmulator, anna: Person
) -> None:
    await anna.write("/new")
    await anna.expect("Choose a category")
    await anna.press("Delivery")
    await anna.expect("describe the problem")
    chat = {"id": anna.id, "type": "private", "first_name": "Anna"}
    sender = {"id": anna.id, "is_bot": False, "first_name": "Anna", "language_code": "en"}
    # A forward from an origin kind no framework knows yet, with an unknown field, and a
    # formatting entity that splits the emoji in half.
    inject(
        emu,
        {
            "message": {
                "message_id": 501,
                "date": 1,
                "chat": chat,
                "from": sender,
                "text": "👍 Parcel crushed <b>badly</b>",
                "entities": [{"type": "bold", "offset": 1, "length": 3}],
                "forward_origin": {"type": "hologram_channel", "date": 1},
                "future_field": {"anything": [1, 2]},
            }
        },
    )
    await anna.expect("Continue", timeout=10)
    # An attachment of a kind Telegram added since: kept as such.
    inject(
        emu,
        {
            "message": {
                "message_id": 502,
                "date": 1,
                "chat": chat,
                "from": sender,
                "hologram": {"file_id": "HOLO-1", "file_unique_id": "holo1"},
            }
        },
    )
    await until(
        lambda: (
            rows(bot, "SELECT kind FROM attachments") == [("hologram",)]
            or _draft_has(bot, "HOLO-1")
        ),
        timeout=10,
        what="the unknown attachment filed",
    )
    await anna.press("Continue")
    await anna.expect("How may we reach you")
    await anna.write("💬 Telegram only")
    summary = await anna.expect("Please check your complaint")
    assert (
        "Parcel crushed &lt;b&gt;badly" in summary.html or "Parcel crushed <b>badly" in summary.text
    )
    assert not [m for m in anna.inbox() if "Sorry" in (m.text or "")]


def _draft_has(bot: Running, file_id: str) -> bool:
    return any(file_id in str(row) for row in rows(bot, "SELECT state FROM conversations"))


async def test_a_poison_timer_does_not_hold_back_the_others(
    bot: Running, emu: BotApiEmulator, anna: Person, clock: ManualClock
) -> None:
    await bot.app.running.wait()
    async with bot.app.db.uow() as uow:  # a reminder timer whose key no handler can read
        await uow.timers.set(Timer(TIMER_DRAFT_REMIND, "not-a-customer", clock.now()))
        await uow.commit()
    await anna.write("/new")
    await anna.expect("Choose a category")
    clock.advance(REMIND_AFTER + timedelta(minutes=1))
    bot.app.scheduler.wake()
    await anna.expect("You started a complaint", timeout=10)
    for failed, delay in enumerate(POLICY.delays, start=1):  # retried, then set aside
        await until(
            lambda failed=failed: (
                rows(bot, "SELECT attempts FROM timers WHERE key = 'not-a-customer'") >= [(failed,)]
            ),
            timeout=5,
            what="the poison timer counted",
        )
        clock.advance(timedelta(seconds=delay))
        bot.app.scheduler.wake()
    await until(
        lambda: rows(bot, "SELECT status FROM timers WHERE key = 'not-a-customer'") == [("dead",)],
        timeout=10,
        what="the poison timer set aside",
    )
    letters = await dead_letters.dead_letters(bot.app.settings.database_url)
    assert [(t.kind, t.attempts) for t in letters.timers] == [(TIMER_DRAFT_REMIND, 3)]
    assert bot.app.scheduler.dead_letters == 1
