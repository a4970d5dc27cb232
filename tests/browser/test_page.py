"""The page itself: the first-visit tour, window sizes, live connection."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, OpenPage
from tests.browser.running import RunningSandbox


def test_the_tour_shows_on_the_first_visit_only(open_page: OpenPage) -> None:
    sandbox = open_page(first_visit=True)
    tour = sandbox.page.get_by_test_id("tour")
    expect(tour).to_contain_text("File a complaint")
    sandbox.screenshot("tour")
    for _ in range(2):
        tour.get_by_role("button", name="Next").click()
    expect(tour).to_contain_text("jump 2 hours")
    sandbox.screenshot("tour-clock")
    tour.get_by_role("button", name="Next").click()
    expect(tour).to_contain_text("Acknowledge as manager")
    tour.get_by_role("button", name="Got it").click()
    expect(tour).to_be_hidden()
    sandbox.page.reload()
    expect(sandbox.page.locator("body")).to_have_attribute("data-ready", "true")
    expect(tour).to_be_hidden()
    sandbox.page.get_by_role("button", name="Tour").click()
    expect(tour).to_be_visible()
    sandbox.page.keyboard.press("Escape")
    expect(tour).to_be_hidden()


def test_a_large_window_shows_the_three_panes_side_by_side(
    open_page: OpenPage, running: RunningSandbox
) -> None:
    sandbox = open_page(viewport=DESKTOP)
    boxes = [getattr(sandbox, p).pane.bounding_box() for p in ("customer", "staff", "manager")]
    assert all(box is not None for box in boxes)
    lefts = [box["x"] for box in boxes if box]
    assert lefts == sorted(lefts) and lefts[2] > 1200
    width = sandbox.page.evaluate("document.documentElement.scrollWidth")
    assert width <= DESKTOP["width"]  # nothing sticks out sideways
    number = sandbox.customer.file_complaint(share_phone=False)
    expect(sandbox.customer.pinned).to_contain_text(number)
    sandbox.screenshot("desktop")


def test_a_narrow_window_shows_one_pane_at_a_time(open_page: OpenPage) -> None:
    sandbox = open_page(viewport={"width": 820, "height": 900})
    expect(sandbox.customer.pane).to_be_visible()
    expect(sandbox.staff.pane).to_be_hidden()
    sandbox.page.get_by_role("navigation", name="Panes").get_by_role("button", name="Staff").click()
    expect(sandbox.staff.pane).to_be_visible()
    expect(sandbox.customer.pane).to_be_hidden()
    sandbox.screenshot("narrow")
