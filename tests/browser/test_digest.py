"""The managers' digest in the sandbox: a jump past 08:30 on the next working day brings the
chart (a picture) and the digest, bad news first, into the manager's pane."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.pages import SandboxPage


def test_the_digest_appears_in_the_managers_pane_after_a_clock_jump(sandbox: SandboxPage) -> None:
    anna, maria, clock = sandbox.customer, sandbox.manager, sandbox.clock
    number = anna.file_complaint(share_phone=False)  # Monday 10:0x; nobody takes it
    expect(maria.messages.filter(has_text="the last 14 days")).to_have_count(0)

    clock.jump("+1 day")  # Tuesday 10:0x: past Maria's 08:30
    expect(clock.day).to_have_text("Tue 24 Nov")
    chart = maria.message("Maria Kowalska: the last 14 days")
    digest = maria.message("Bad news first")
    # Both in: the pane is drawn again when a message arrives, which would detach the chart.
    expect(digest).to_be_visible()
    picture = chart.locator("img")
    expect(picture).to_be_visible()
    picture.scroll_into_view_if_needed()
    sizes = picture.evaluate(
        "img => img.decode().then(() => [img.naturalWidth, img.naturalHeight])"
    )
    assert sizes == [960, 540], "the chart itself, drawn by the bot, not a placeholder"
    expect(chart).to_contain_text("🟦 opened · 🟩 closed · 🟥 deadlines missed · 🟧 average rating")

    expect(digest).to_contain_text(
        "Maria Kowalska: Mon 23 Nov, 08:30 (Warsaw) to Tue 24 Nov, 08:30"
    )
    expect(digest).to_contain_text(f"First answer later than promised: one case, {number}")
    expect(digest).to_contain_text("New: 1 · Closed: 0")
    sandbox.screenshot("manager-digest")

    maria.write("/report 7d")
    expect(maria.messages.filter(has_text="the last 14 days")).to_have_count(2)
