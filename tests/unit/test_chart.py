"""The digest's chart: a real PNG of the expected size in every language, sent as a photo."""

from __future__ import annotations

import struct
from zoneinfo import ZoneInfo

import pytest

from bot.chart import HEIGHT, WIDTH, draw, drawable
from bot.i18n import Renderer
from bot.render import render
from bot.transport import Upload
from flows.config import LANGUAGES
from flows.messages import Chart, ChartDay

RENDERER = Renderer(ZoneInfo("Europe/Warsaw"))


def fortnight(days: int = 14) -> tuple[ChartDay, ...]:
    return tuple(
        ChartDay(f"2026-11-{n:02d}", (3 * n) % 7, (2 * n) % 5, n % 3, None if n % 4 else 3.5)
        for n in range(30 - days + 1, 31)
    )


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_chart_is_a_png_of_the_expected_size(language: str) -> None:
    png = draw(fortnight(), language, RENDERER)
    assert png_size(png) == (WIDTH, HEIGHT) == (960, 540)
    assert len(png) > 10_000  # bars, lines and labels, not an empty canvas


def test_a_month_and_an_empty_fortnight_draw_too() -> None:
    assert png_size(draw(fortnight(30), "en", RENDERER)) == (960, 540)
    empty = tuple(ChartDay(f"2026-11-{n:02d}", 0, 0, 0) for n in range(10, 24))
    assert png_size(draw(empty, "pl", RENDERER)) == (960, 540)


def test_words_the_font_cannot_draw_stay_in_the_caption() -> None:
    assert drawable("Opened · Открыто · Zamknięte")
    assert not drawable(RENDERER.text("ta", "chart-opened"))  # Tamil: the caption has the legend


def test_a_chart_message_becomes_a_photo_upload_with_its_caption() -> None:
    message = Chart(
        111111, "en", fortnight(), "digest-chart", params={"name": "Maria Kowalska", "days": 14}
    )
    call = render(RENDERER, message)
    assert call.method == "sendPhoto"
    photo = call.params["photo"]
    assert isinstance(photo, Upload) and photo.content_type == "image/png"
    assert png_size(photo.data) == (960, 540)
    assert call.params["chat_id"] == 111111 and call.params["parse_mode"] == "HTML"
    assert call.params["caption"].startswith("📊 Maria Kowalska: the last 14 days.")
    assert "bytes" in repr(photo) and str(len(photo.data)) in repr(photo)  # never the bytes
