"""The simulated clock: jumps and speed move the time shown, and the bot's timers with it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.pages import SandboxPage
from tests.browser.running import RunningSandbox


def test_a_jump_moves_the_time_and_the_draft_reminder_arrives_live(
    sandbox: SandboxPage, running: RunningSandbox
) -> None:
    clock = sandbox.clock
    expect(clock.day).to_have_text("Mon 23 Nov")
    expect(clock.time).to_have_text(re.compile(r"^10:0\d:\d\d$"))  # Warsaw, not UTC
    anna = sandbox.customer
    anna.start()
    anna.press("File a complaint")
    anna.message("What is your complaint about?")
    anna.press("Delivery")
    anna.message("please describe the problem")

    clock.jump("+15 min")
    expect(clock.time).to_have_text(re.compile(r"^10:1\d:\d\d$"))
    clock.jump("+1 h")
    expect(clock.time).to_have_text(re.compile(r"^11:1\d:\d\d$"))
    reminder = anna.message("You started a complaint but did not finish it")
    # Sent when it was due, half an hour after she last wrote, not when the jump ended.
    expect(reminder.locator("time")).to_have_text(re.compile(r"^10:3\d$"))
    sandbox.screenshot("clock-reminder")

    clock.jump("+1 day")
    expect(clock.day).to_have_text("Tue 24 Nov")
    anna.message("discarded it")  # a draft untouched for a day is dropped, and she is told
    now = running.call(lambda s: s.clock.now())
    assert (now.day, now.hour) == (24, 10)  # 11:1x Warsaw = 10:1x UTC


def test_speed_runs_the_time_faster(sandbox: SandboxPage) -> None:
    clock = sandbox.clock
    expect(clock.time).to_have_text(re.compile(r"^10:"))
    clock.speed("×3600")
    expect(clock.time).not_to_have_text(re.compile(r"^10:"))  # an hour per second
    clock.speed("×1")
    expect(sandbox.page.get_by_role("button", name="×3600")).to_have_attribute(
        "aria-pressed", "false"
    )


def test_a_long_jump_shows_where_it_is_and_takes_no_second_jump_meanwhile(
    sandbox: SandboxPage, running: RunningSandbox
) -> None:
    clock = sandbox.clock
    anna = sandbox.customer
    anna.start()
    anna.press("File a complaint")
    anna.message("What is your complaint about?")  # a draft, reminded 30 minutes later
    running.call(lambda s: s.emu.set_outage(True))  # the reminder cannot go: the jump waits
    clock.jump("+1 h")
    expect(clock.jumping).to_have_text(re.compile(r"^jumping to Mon 23 Nov, 11:0\d$"))
    expect(clock.time).to_have_text(re.compile(r"^10:3\d:\d\d$"))  # the reminder's due time
    expect(clock.jump_button("+2 h")).to_be_disabled()
    clock.speed("×3600")  # still possible: the clock runs at it once the jump is over
    sandbox.screenshot("clock-jumping")
    running.call(lambda s: s.emu.set_outage(False))
    reminder = anna.message("You started a complaint but did not finish it")
    expect(reminder.locator("time")).to_have_text(re.compile(r"^10:3\d$"))
    expect(clock.jumping).to_be_hidden()
    expect(clock.jump_button("+2 h")).to_be_enabled()
    expect(clock.time).not_to_have_text(re.compile(r"^11:"))  # running again, an hour a second
