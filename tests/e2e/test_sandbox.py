"""`hearback demo`: the sandbox resumes, starts clean on request, and its web API is safe.

The page itself is tested in tests/browser; here are the parts a browser does not see.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from sandbox.demo import saved
from sandbox.demo.sandbox import Sandbox
from tests.conftest import MONDAY_10_WARSAW

ANNA = 5001
TIMEOUT = 15.0
# A fresh interpreter imports both runtimes before it prints its URL: slow on a busy machine.
STARTUP = 60.0


@contextlib.asynccontextmanager
async def running(database: Path, **options: Any) -> AsyncIterator[Sandbox]:
    """A sandbox on `database` whose clock starts Monday 10:00 in Warsaw when fresh."""
    sandbox = Sandbox(database, port=0, start=MONDAY_10_WARSAW, tick_interval=0.05, **options)
    await sandbox.start()
    try:
        yield sandbox
    finally:
        await sandbox.stop()


async def greeted(sandbox: Sandbox, times: int = 1) -> None:
    """Anna sends /start and the bot greets her (the `times`-th greeting)."""
    await sandbox.emu.send_text(ANNA, "/start")
    await sandbox.emu.wait_for_bot_message(ANNA, "Hello, Anna", count=times, timeout=TIMEOUT)


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    async with running(tmp_path / "hearback-demo.db") as fresh:
        yield fresh


@pytest.fixture
async def http(sandbox: Sandbox) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(base_url=sandbox.url) as session:
        yield session


async def test_the_sandbox_resumes_where_it_stopped(tmp_path: Path) -> None:
    database = tmp_path / "hearback-demo.db"
    async with running(database) as first:
        await greeted(first)
        first.world.add_customer(first.emu, "Zofia", "Nowak", "pl")
        await first.jump(timedelta(hours=3))
    assert saved.world_file(database).exists()

    async with running(database) as second:
        now = second.clock.now()
        assert MONDAY_10_WARSAW + timedelta(hours=3) <= now < MONDAY_10_WARSAW + timedelta(hours=4)
        assert [m.text for m in second.emu.messages(ANNA)][:1] == ["/start"]
        assert [p.first_name for p in second.world.customers] == ["Anna", "Ivan", "Zofia"]
        # A new update, not taken for a replay of one the bot stored before the restart.
        await greeted(second, times=2)
        assert second.notes == []


async def test_reset_starts_clean(tmp_path: Path) -> None:
    database = tmp_path / "hearback-demo.db"
    async with running(database) as first:
        await greeted(first)
    async with running(database, reset=True) as again:
        assert again.emu.messages(ANNA) == []
        assert again.clock.now() - MONDAY_10_WARSAW < timedelta(minutes=1)


async def test_a_world_file_that_cannot_be_read_starts_clean_and_says_why(tmp_path: Path) -> None:
    database = tmp_path / "hearback-demo.db"
    database.write_bytes(b"")
    saved.world_file(database).write_text("{not json", encoding="utf-8")
    async with running(database) as sandbox:
        [note] = sandbox.notes
        assert "cannot be resumed" in note and "starts clean" in note
        await greeted(sandbox)


async def test_the_world_has_forums_staff_and_managers_who_started_the_bot(
    sandbox: Sandbox,
) -> None:
    emu = sandbox.emu
    for group in sandbox.world.groups:
        chat = emu.chat(group.chat_id)
        assert chat.is_forum and chat.bot_admin and chat.bot_can_manage_topics
        assert all(chat.members[p.id] in ("administrator", "member") for p in group.staff)
    for manager in sandbox.world.managers:
        assert emu.chat(manager.id).started
    assert [g.name for g in sandbox.world.groups] == ["Support", "Billing"]


async def test_events_stream_everything_first_then_what_changed(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    last = sandbox.world.managers[-1].id  # the bot sets the managers' menus last
    await sandbox.emu.wait_for(
        lambda: sandbox.emu.bot_commands(last) != sandbox.emu.bot_commands(),
        TIMEOUT,
        "the bot never set its menus",
    )
    async with http.get("/api/events") as response:
        assert response.headers["Content-Type"].startswith("text/event-stream")
        first = await _event(response)
        assert first["full"] and first["clock"]["speed"] == 1.0
        assert {c["id"] for c in first["chats"]} >= {ANNA, -1001234567890, 111111}
        await sandbox.emu.send_text(ANNA, "hello there")
        change = await _event(response)
        assert "full" not in change and "people" not in change
        chats = {c["id"]: c for c in change["chats"]}
        assert chats[ANNA]["messages"][0]["text"] == "hello there"


async def test_each_private_chat_shows_the_menu_in_its_persons_language(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    ivan, maria = sandbox.world.customers[1], sandbox.world.managers[0]
    last = sandbox.world.managers[-1].id
    await sandbox.emu.wait_for(
        lambda: sandbox.emu.bot_commands(last) != sandbox.emu.bot_commands(),
        TIMEOUT,
        "the bot never set its menus",
    )

    async def menus() -> dict[int, dict[str, str]]:
        async with http.get("/api/state") as response:
            shown = (await response.json())["people"]["commands"]
        return {int(i): {c["command"]: c["description"] for c in m} for i, m in shown.items()}

    before = await menus()
    assert before[ANNA]["new"] == "File a complaint"
    assert before[ANNA]["withdraw"] == "Withdraw a complaint"
    assert before[ivan.id]["new"] == "Подать жалобу"
    assert list(before[maria.id])[:4] == ["report", "reviews", "done", "new"]
    async with http.post(f"/api/users/{ANNA}/language", json={"language": "pl"}) as switched:
        assert switched.status == 200
    assert (await menus())[ANNA]["new"] == "Nowa reklamacja"


async def _event(response: aiohttp.ClientResponse) -> dict[str, Any]:
    async with asyncio.timeout(TIMEOUT):
        while True:
            line = (await response.content.readline()).decode()
            if line.startswith("data: "):
                return dict(json.loads(line.removeprefix("data: ")))


async def test_the_page_forbids_anything_external_and_other_sites_cannot_act(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    async with http.get("/") as page:
        assert page.status == 200
        assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    body = {"user_id": ANNA, "text": "hi"}
    foreign = {"Origin": "https://example.com"}
    async with http.post(f"/api/chats/{ANNA}/messages", json=body, headers=foreign) as refused:
        assert refused.status == 403
    rebound = {"Host": f"evil.example:{sandbox.url.rsplit(':', 1)[1]}"}
    async with http.post(f"/api/chats/{ANNA}/messages", json=body, headers=rebound) as refused:
        assert refused.status == 403
    assert sandbox.emu.messages(ANNA) == []


@pytest.mark.parametrize(
    ("path", "body", "problem"),
    [
        ("/api/clock", {"speed": 7}, "×1, ×60 or ×3600"),
        ("/api/clock", {"jump": -60}, "jumps ahead"),
        (f"/api/chats/{ANNA}/messages", {"user_id": 123456, "text": "as the bot"}, "nobody"),
        (f"/api/chats/{ANNA}/messages", {"user_id": 5002, "text": "not mine"}, "cannot write"),
        (f"/api/chats/{ANNA}/messages", {"user_id": ANNA, "text": "  "}, "nothing to send"),
        ("/api/customers", {"first_name": "", "language": "en"}, "first name"),
        (f"/api/users/{ANNA}/language", {"language": "<en>"}, "not a language code"),
    ],
)
async def test_bad_requests_get_a_clear_answer_and_change_nothing(
    sandbox: Sandbox, http: aiohttp.ClientSession, path: str, body: Any, problem: str
) -> None:
    async with http.post(path, json=body) as response:
        assert response.status == 400
        assert problem in (await response.json())["error"]
    assert sandbox.emu.messages(ANNA) == []
    assert sandbox.clock.speed == 1.0


async def test_pictures_are_shown_and_other_files_only_downloaded(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    for name, data in (("dent.png", png), ("dent.svg", svg)):
        form = aiohttp.FormData({"user_id": str(ANNA), "width": "640", "height": "480"})
        form.add_field("file", data, filename=name, content_type="image/svg+xml")
        async with http.post(f"/api/chats/{ANNA}/files", data=form) as response:
            assert response.status == 200, await response.text()
    photo, document = sandbox.emu.messages(ANNA)
    assert (photo.kind, document.kind) == ("photo", "document")
    assert photo.content["photo"][-1]["width"] == 640
    async with http.get(f"/api/files/{photo.content['photo'][-1]['file_id']}") as shown:
        assert shown.content_type == "image/png" and await shown.read() == png
    async with http.get(f"/api/files/{document.content['document']['file_id']}") as file:
        assert file.content_type == "application/octet-stream"
        assert file.headers["Content-Disposition"].startswith("attachment")
    async with http.get("/api/files/unknown") as missing:
        assert missing.status == 404


async def test_the_command_prints_a_scripted_conversation_only_and_exits_0() -> None:
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "bot.cli", "demo", "--script"),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    assert err.decode() == "", "no log lines and no warnings when all is well"
    text = out.decode()
    assert "Your complaint is registered as HB-" in text
    assert "The team is not at work now" not in text, "the sandbox clock is in business hours"
    lines = text.splitlines()
    assert lines[0].startswith("hearback sandbox:") and lines[-1].startswith("Case HB-")
    conversation = ("  ── ", "👤 Anna │ ", "🤖 bot  │ ", "       │")
    strays = [line for line in lines[2:-1] if line and not line.startswith(conversation)]
    assert strays == [], "only the conversation between the first lines and the last"


async def test_the_command_serves_the_page_until_interrupted(tmp_path: Path) -> None:
    database = tmp_path / "hearback-demo.db"
    process = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "bot.cli", "demo", "--port", "0", "--database", str(database)),
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        url = await asyncio.wait_for(_url(process.stdout), STARTUP)
        async with aiohttp.ClientSession() as session, session.get(url) as page:
            assert "hearback sandbox" in await page.text()
    finally:
        process.send_signal(signal.SIGINT)
        await asyncio.wait_for(process.wait(), 30)
    assert process.returncode == 0
    assert saved.world_file(database).exists()


async def _url(stdout: asyncio.StreamReader) -> str:
    while True:
        line = (await stdout.readline()).decode()
        assert line, "hearback demo ended without printing its URL"
        if "http://" in line:
            return "http://" + line.split("http://", 1)[1].split()[0]


async def test_the_command_says_what_to_do_when_the_port_is_taken(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "bot.cli", "demo", "--port", str(port)),
            *("--database", str(tmp_path / "demo.db")),
            stderr=asyncio.subprocess.PIPE,
        )
        _, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2
    assert "--port" in err.decode()
    assert not (tmp_path / "demo.db").exists()
