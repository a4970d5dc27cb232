"""The whole journey in the page: a complaint is filed, taken, answered, given more time,
checked in on, escalated to a named manager who acknowledges, resolved, confirmed and rated."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import WIDE, OpenPage


def test_a_complaint_goes_from_filing_through_a_manager_to_a_rating(
    open_page: OpenPage,
) -> None:
    sandbox = open_page(viewport=WIDE)
    anna, staff, maria, clock = sandbox.customer, sandbox.staff, sandbox.manager, sandbox.clock
    number = anna.file_complaint(share_phone=False)
    sandbox.screenshot("journey-1-filed")

    staff.open_topic(number)
    card = staff.message(re.compile(f"{number} · Delivery · Support"))
    expect(staff.pinned).to_contain_text(number)
    expect(card).to_contain_text("nobody has taken it")
    staff.press("Take")
    staff.message(f"Ola (Support) took {number}")
    expect(card).to_contain_text("owner: Ola (Support)")
    anna.message(re.compile(r"Ola \(Support\).*is now handling"))
    staff.write("Hello Anna, I have asked the courier where your parcel is.")
    answer = anna.message("asked the courier")
    expect(answer).to_contain_text("— Ola (Support)")
    staff.press("More time")  # the courier answers tomorrow: say so before 14:00 passes
    staff.message("How much more time do you need?")
    staff.press("+1 day")
    staff.write("The courier's depot answers tomorrow morning.")
    later = anna.message("needs more time")
    expect(later).to_contain_text("Tue 24 Nov, 10:00")
    sandbox.screenshot("journey-2-taken")

    clock.jump("+2 h")
    expect(clock.time).to_have_text(re.compile(r"^12:"))
    clock.jump("+2 h")  # four working hours without a word: an honest status
    check_in = anna.message(f"An update on your case {number}")
    expect(check_in).to_contain_text("Ola (Support) is handling your case")
    expect(check_in).to_contain_text("Tue 24 Nov, 10:00")
    staff.message("so the bot sent them an honest status")
    anna.press("Talk to a manager")
    anna.message(re.compile(r"As you asked.*Maria Kowalska, Head of Customer Care"))

    escalation = maria.message(f"Escalation to you, Maria Kowalska: {number}")
    expect(escalation).to_contain_text("the customer asked for a manager")
    staff.message(f"Maria Kowalska is paged about {number}")
    expect(card).to_contain_text("escalated to a manager")
    staff.pinned.click()  # back up to the case's card
    expect(card).to_be_in_viewport()
    sandbox.screenshot("journey-3-escalated")  # the README's picture
    maria.press(re.compile("^✅ Acknowledge"))
    maria.message(f"Acknowledged. The customer of {number}")
    expect(escalation.locator(".inline-button")).to_have_count(0)  # not acknowledged twice
    told = anna.message("is now personally responsible")
    expect(told.locator("strong").first).to_have_text("Maria Kowalska")
    expect(told).to_contain_text("Head of Customer Care")
    staff.message(f"Maria Kowalska acknowledged {number}")
    sandbox.screenshot("journey-4-acknowledged")

    staff.press("Resolve")
    staff.message("was resolved")
    staff.write("The depot found your parcel; it is delivered today.")
    solved = anna.message("Did this solve your problem?")
    expect(solved).to_contain_text("delivered today")
    anna.press("Yes, it's solved")
    anna.message("How would you rate the way we handled it?")
    anna.press("⭐ 5")
    anna.message("Thank you for your rating (5/5)")
    anna.press("Skip")
    anna.message("Your feedback goes to the people who can change things")
    staff.message(f"The customer rated {number}: 5/5")
    expect(card).to_contain_text("Rated 5/5")
    sandbox.screenshot("journey-5-rated")
