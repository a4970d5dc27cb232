"""Every expected failure says plainly what is wrong and what to do; only what cannot heal stops
`hearback run`, and a worker that crashes is restarted, never dead in silence."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from bot.app import ABORT_GRACE, STOP_GRACE, App
from bot.clock import ManualClock
from bot.limits import SendLimits
from bot.settings import ConfigError, Settings, load_org
from bot.supervise import Supervisor
from flows.config import OrgConfig
from sandbox.emulator import BotApiEmulator
from storage.database import Database
from tests.conftest import DEMO_CONFIG, MONDAY_10_WARSAW
from tests.e2e.chat import Person, eventually
from tests.e2e.conftest import STAFF_GROUP
from tests.e2e.process import TOKEN

OTHER_TOKEN = "654321:Revoked-token-bbbbbbbbbbbbbbbbbbbbbbbbbbbb"


def app(emu: BotApiEmulator, org: OrgConfig, url: str, token: str = TOKEN) -> App:
    settings = Settings(
        bot_token=token,  # type: ignore[arg-type]
        database_url=url,
        telegram_api_base=emu.base_url,
        hearback_config=DEMO_CONFIG,
    )
    return App(settings, org, ManualClock(MONDAY_10_WARSAW), SendLimits.unlimited(), poll_timeout=1)


async def started(bot: App) -> asyncio.Task[None]:
    """Run `bot` until its workers run; its task, to wait for or stop."""
    running = asyncio.create_task(bot.run())
    await asyncio.wait_for(bot.running.wait(), timeout=30)
    return running


def test_a_config_file_that_is_not_utf8_is_named_plainly(tmp_path: Path) -> None:
    config = tmp_path / "hearback.toml"
    config.write_bytes(DEMO_CONFIG.read_bytes().replace(b"Acme", "Acmé".encode("latin-1")))
    with pytest.raises(ConfigError, match="is not UTF-8 text"):
        load_org(config)


async def test_a_rejected_token_stops_the_bot_with_exit_code_1(
    emu: BotApiEmulator, org: OrgConfig, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bot = app(emu, org, f"sqlite+aiosqlite:///{tmp_path / 'a.db'}", OTHER_TOKEN)
    await asyncio.wait_for(bot.run(), timeout=30)
    assert bot.exit_code == 1
    assert any("rejected the bot token (401" in r.getMessage() for r in caplog.records)
    assert all(OTHER_TOKEN not in r.getMessage() for r in caplog.records)


async def test_a_token_revoked_while_the_bot_runs_stops_it_with_exit_code_1(
    emu: BotApiEmulator, org: OrgConfig, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bot = app(emu, org, f"sqlite+aiosqlite:///{tmp_path / 'r.db'}")
    running = await started(bot)
    emu.token = OTHER_TOKEN  # revoked in @BotFather: the next long poll is refused
    await asyncio.wait_for(running, timeout=30)
    assert bot.exit_code == 1
    assert any("rejected the bot token (401" in r.getMessage() for r in caplog.records)
    assert not any("polling failed" in r.getMessage() for r in caplog.records)


async def test_an_unreachable_database_is_named_and_waited_for(
    emu: BotApiEmulator, org: OrgConfig, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    bot = app(emu, org, "postgresql://postgres@127.0.0.1:9/test")
    running = asyncio.create_task(bot.run())

    async def said() -> bool:
        return any(
            "cannot reach PostgreSQL at 127.0.0.1:9" in r.getMessage() for r in caplog.records
        )

    await eventually(said, timeout=20, what="the unreachable database named")
    line = next(r.getMessage() for r in caplog.records if "cannot reach" in r.getMessage())
    assert line == "cannot reach PostgreSQL at 127.0.0.1:9: connection refused; retrying in 5 s"
    assert not any(r.exc_info for r in caplog.records), "no traceback"
    bot.stop.set()
    await asyncio.wait_for(running, timeout=20)
    assert bot.exit_code == 0


async def test_a_schema_newer_than_the_code_stops_the_bot(
    emu: BotApiEmulator, org: OrgConfig, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'newer.db'}"
    async with Database(url) as db:
        await db.migrate()
        async with db.engine.begin() as connection:
            await connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    bot = app(emu, org, url)
    await asyncio.wait_for(bot.run(), timeout=30)
    assert bot.exit_code == 1
    assert any("revision 9999, newer than this hearback" in r.getMessage() for r in caplog.records)


async def test_a_group_where_the_bot_lost_its_admin_right_is_named_once(
    emu: BotApiEmulator, org: OrgConfig, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bot = app(emu, org, f"sqlite+aiosqlite:///{tmp_path / 'b.db'}")
    running = await started(bot)
    emu.set_bot_admin(STAFF_GROUP, admin=False)
    bot_id = int(TOKEN.split(":")[0])
    await bot.check_staff_groups(bot_id)
    await bot.check_staff_groups(bot_id)
    lines = [r.getMessage() for r in caplog.records if f"group {STAFF_GROUP}" in r.getMessage()]
    assert lines == [
        f"ACTION NEEDED for team support, group {STAFF_GROUP}: the bot is not an admin: make it "
        "one, with the right to manage topics"
    ]
    bot.stop.set()
    await running


async def test_a_group_check_telegram_does_not_answer_raises_no_false_alarm(
    emu: BotApiEmulator, org: OrgConfig, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    bot = app(emu, org, f"sqlite+aiosqlite:///{tmp_path / 'g.db'}")
    running = await started(bot)
    emu.set_bot_admin(STAFF_GROUP, admin=False)
    bot_id = int(TOKEN.split(":")[0])
    await bot.check_staff_groups(bot_id)
    emu.fail_next("getChat", 502)  # Telegram's gateway, for this check only
    await bot.check_staff_groups(bot_id)
    emu.fail_next("getChatMember", 502)
    await bot.check_staff_groups(bot_id)
    lines = [r.getMessage() for r in caplog.records if f"group {STAFF_GROUP}" in r.getMessage()]
    assert lines == [
        f"ACTION NEEDED for team support, group {STAFF_GROUP}: the bot is not an admin: make it "
        "one, with the right to manage topics",
        f"group {STAFF_GROUP} could not be checked: Telegram did not answer; it is checked "
        "again in 10 minutes",
        f"group {STAFF_GROUP} could not be checked: Telegram did not answer; it is checked "
        "again in 10 minutes",
    ]
    emu.set_bot_admin(STAFF_GROUP, admin=True)  # what was known held: its fix is still noticed
    await bot.check_staff_groups(bot_id)
    assert f"group {STAFF_GROUP} is fixed: no longer 'the bot is not an admin'" in [
        r.getMessage() for r in caplog.records
    ]
    bot.stop.set()
    await running


async def test_a_bot_stopped_while_telegram_hangs_stops_in_time_and_answers_after(
    emu: BotApiEmulator, org: OrgConfig, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'h.db'}"
    bot = app(emu, org, url)
    running = await started(bot)
    # Telegram takes the bot's sends and never answers them; the customer's message comes in.
    emu.set_outage(True, kind="hang", sending_only=True)
    anna = Person(emu, 501, "Anna")
    await anna.write("/start")
    await emu.wait_for(lambda: emu.stats.unanswered > 0, timeout=10, message="a send hanging")
    bot.stop.set()  # SIGTERM: a container manager kills 10 s later
    await asyncio.wait_for(running, timeout=STOP_GRACE + ABORT_GRACE + 1)
    assert bot.exit_code == 0
    assert any("calls waiting for Telegram are abandoned" in r.getMessage() for r in caplog.records)
    emu.set_outage(False)
    restarted = app(emu, org, url)
    again = await started(restarted)
    await anna.expect("Acme")  # the greeting was kept, and goes at the next start
    assert len(anna.inbox()) == 1
    restarted.stop.set()
    await again


async def test_a_crashed_worker_is_restarted_and_counted(caplog: pytest.LogCaptureFixture) -> None:
    stop = asyncio.Event()
    supervisor = Supervisor(stop, first_pause=0.0)
    runs = 0

    async def work(stop: asyncio.Event) -> None:
        nonlocal runs
        runs += 1
        if runs < 3:
            raise RuntimeError("a bug")
        stop.set()

    await supervisor.run("sender", work)
    assert runs == 3 and supervisor.restarts["sender"] == 2
    crashes = [r for r in caplog.records if "the sender stopped unexpectedly" in r.getMessage()]
    assert len(crashes) == 2 and all(r.exc_info for r in crashes), "once each, with the traceback"
