"""The managers' chart: days of opened and closed cases, missed targets and the average rating.

Drawn with matplotlib's Agg canvas straight into PNG bytes (no pyplot, no display, no global
state), when the message is sent, from the numbers its outbox row keeps. Words on the picture
are in the reader's language when the bundled font can draw them; otherwise the picture has
none and the caption, which Telegram draws in any script, carries the legend alone.
"""

from __future__ import annotations

import io
import math
from datetime import date
from functools import cache

from babel.dates import format_skeleton
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.ticker import MaxNLocator

from bot.i18n import Renderer
from flows.messages import ChartDay

WIDTH, HEIGHT, DPI = 960, 540, 120  # pixels: wide enough for 14 days, small enough for a phone
TEXT = 11  # points: still legible where Telegram shows the photo a third of its size
FONT = "DejaVu Sans"  # shipped with matplotlib, so the picture looks the same everywhere
# The caption's legend uses the matching coloured squares: 🟦 🟩 🟥 🟧.
OPENED, CLOSED, BREACHES, RATING = "#2f6fdf", "#2fa84f", "#d93636", "#f08c00"


@cache
def _drawable() -> frozenset[int]:
    path = font_manager.findfont(font_manager.FontProperties(family=FONT))
    return frozenset(FT2Font(path).get_charmap())


def drawable(text: str) -> bool:
    """Whether the chart's font has a glyph for every character of `text`."""
    glyphs = _drawable()
    return all(ord(char) in glyphs for char in text if not char.isspace())


def _day_label(day: str, language: str) -> str:
    label = format_skeleton("dM", date.fromisoformat(day), locale=language)
    return label if drawable(label) else date.fromisoformat(day).strftime("%d.%m")


def draw(days: tuple[ChartDay, ...], language: str, renderer: Renderer) -> bytes:
    """The chart as PNG bytes, WIDTH × HEIGHT pixels."""
    figure = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    counts = figure.add_subplot()
    where = list(range(len(days)))
    labels = {
        key: renderer.text(language, f"chart-{key}")
        for key in ("opened", "closed", "breaches", "rating")
    }
    legend = all(drawable(text) for text in labels.values())
    opened = counts.bar(
        [x - 0.2 for x in where],
        [d.opened for d in days],
        0.4,
        color=OPENED,
        label=labels["opened"],
    )
    closed = counts.bar(
        [x + 0.2 for x in where],
        [d.closed for d in days],
        0.4,
        color=CLOSED,
        label=labels["closed"],
    )
    (missed,) = counts.plot(
        where,
        [d.breaches for d in days],
        color=BREACHES,
        marker="o",
        linewidth=2,
        label=labels["breaches"],
    )
    top = max([1, *(max(d.opened, d.closed, d.breaches) for d in days)])
    counts.set_ylim(0, math.ceil(top * 1.15) + 0.5)
    counts.yaxis.set_major_locator(MaxNLocator(integer=True))
    step = 1 if len(days) <= 16 else 2  # a month's dates would run into each other
    counts.set_xticks(
        where[::step], [_day_label(d.day, language) for d in days][::step], fontsize=TEXT - 1
    )
    counts.tick_params(axis="y", labelsize=TEXT)
    counts.set_xlim(-0.6, len(days) - 0.4)
    counts.grid(axis="y", alpha=0.3)
    counts.spines[["top"]].set_visible(False)
    ratings = counts.twinx()
    (rated,) = ratings.plot(
        where,
        [math.nan if d.rating is None else d.rating for d in days],
        color=RATING,
        marker="D",
        linewidth=2,
        label=labels["rating"],
    )
    ratings.set_ylim(0, 5.5)
    ratings.set_yticks([1, 2, 3, 4, 5])
    ratings.tick_params(axis="y", colors=RATING, labelsize=TEXT)
    ratings.spines[["top"]].set_visible(False)
    if legend:
        counts.legend(
            handles=[opened, closed, missed, rated],
            loc="upper left",
            ncols=4,
            fontsize=TEXT,
            frameon=False,
            bbox_to_anchor=(0, 1.1),
        )
    figure.subplots_adjust(left=0.06, right=0.94, top=0.87, bottom=0.1)
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()
