"""Browser fixtures: one Debian chromium for the package, a fresh sandbox and page per test.

Browsers cannot be downloaded here: Playwright drives the chromium that `make test` installs
with apt-get. Without it these tests are skipped locally and fail under CI=true.
"""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect, sync_playwright

from tests.browser.pages import SandboxPage
from tests.browser.running import RunningSandbox
from tests.conftest import MONDAY_10_WARSAW

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LAPTOP = {"width": 1366, "height": 768}
WIDE = {"width": 1600, "height": 900}
DESKTOP = {"width": 1920, "height": 1080}

expect.set_options(timeout=10_000)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless, with a fresh empty profile (Playwright makes one per launch)."""
    if not os.access(CHROMIUM, os.X_OK):
        message = f"Debian's chromium is not installed at {CHROMIUM} (`make test` installs it)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + "; CI needs it", pytrace=False)
        pytest.skip(message)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="package")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: $HEARBACK_SCREENSHOTS if set (to look at them), else a temp dir."""
    folder = os.environ.get("HEARBACK_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def running(tmp_path: Path) -> Iterator[RunningSandbox]:
    """`hearback demo` on a fresh database, its clock starting Monday 10:00 in Warsaw."""
    sandbox = RunningSandbox(tmp_path / "hearback-demo.db", MONDAY_10_WARSAW)
    yield sandbox
    sandbox.stop()


OpenPage = Callable[..., SandboxPage]


@pytest.fixture
def open_page(browser: Browser, running: RunningSandbox, screenshots: Path) -> Iterator[OpenPage]:
    """Open the sandbox in a fresh browser profile; page errors fail the test."""
    contexts = []
    errors: list[str] = []

    def open_(viewport: dict[str, int] = LAPTOP, first_visit: bool = False) -> SandboxPage:
        context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
        contexts.append(context)
        if not first_visit:
            context.add_init_script("localStorage.setItem('hearback.sandbox.tour', 'done')")
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(running.url)
        expect(page.locator("body")).to_have_attribute("data-ready", "true")
        return SandboxPage(page, screenshots)

    yield open_
    for context in contexts:
        context.close()
    assert errors == [], f"the page reported errors: {errors}"


@pytest.fixture
def sandbox(open_page: OpenPage) -> SandboxPage:
    """The sandbox page in a 1366×768 window, the tour already seen."""
    return open_page()


@pytest.fixture
def picture(tmp_path: Path) -> Path:
    """A small PNG on disk: a parcel on a light background."""
    path = tmp_path / "parcel.png"
    path.write_bytes(parcel_png(240, 180))
    return path


def parcel_png(width: int, height: int) -> bytes:
    """A real PNG file drawn without any imaging library."""

    def pixel(x: int, y: int) -> tuple[int, int, int]:
        inside = width // 4 <= x < 3 * width // 4 and height // 4 <= y < 3 * height // 4
        if inside and abs(x - width // 2) < width // 30:
            return (222, 196, 140)  # tape
        if inside:
            return (176, 124, 72)  # cardboard
        return (226, 234, 240 - y // 8)

    rows = b"".join(
        b"\x00" + bytes(c for x in range(width) for c in pixel(x, y)) for y in range(height)
    )

    def chunk(tag: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(tag + data)
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
