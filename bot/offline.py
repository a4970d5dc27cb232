"""`hearback export` and `hearback report`: the database read from the shell, into a CSV file,
or into the digest's text and chart, without the bot running."""

from __future__ import annotations

import csv
import html
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from bot.chart import draw
from bot.i18n import Renderer
from bot.render import message_text
from flows import digest, export, records, report
from flows.config import OrgConfig
from flows.messages import Chart, ChartDay, Say
from storage.database import Database

_TAG = re.compile(r"<[^>]+>")


class BadPeriod(ValueError):
    """The dates do not make a period; the message says what to write instead."""


@dataclass(frozen=True)
class Period:
    """Local days from `since` up to and including `until` (today when not given)."""

    since: datetime
    until: datetime

    @classmethod
    def of(cls, org: OrgConfig, since: date, until: date | None, now: datetime) -> Period:
        """The period of these local days, ending at `now` at the latest."""
        start = report.local_day_start(org, since)
        end = now if until is None else min(now, report.local_day_start(org, _next(until)))
        if end <= start:
            raise BadPeriod(
                f"--since {since.isoformat()} must be before --until "
                f"{(until or now.date()).isoformat()} and not in the future."
            )
        return cls(start, end)


def _next(day: date) -> date:
    return date.fromordinal(day.toordinal() + 1)


async def export_rows(
    database_url: str,
    org: OrgConfig,
    period: Period,
    events: bool,
    now: datetime,
    actor: str | None = None,
) -> list[export.Row]:
    """The cases filed in the period (or their audit log) as CSV rows; `actor` is recorded as
    having read the audit log (what customers wrote)."""
    db = Database(database_url)
    try:
        async with db.uow() as uow:
            rows = await export.export(uow, org, period.since, period.until, now, events, actor)
            await uow.commit()
            return rows
    finally:
        await db.dispose()


def save_csv(rows: list[export.Row], events: bool, out: Path) -> None:
    """UTF-8 CSV with a header row."""
    columns = export.EVENT_COLUMNS if events else export.CASE_COLUMNS
    with out.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


@dataclass(frozen=True)
class Printed:
    """A report as the shell shows it: plain text, and the chart's days to draw."""

    text: str
    days: tuple[ChartDay, ...]
    language: str

    def chart(self, org: OrgConfig) -> bytes:
        """The chart as PNG bytes."""
        return draw(self.days, self.language, Renderer(org.organisation.tz))


async def build_report(
    database_url: str,
    org: OrgConfig,
    period: Period,
    manager: str | None,
    language: str | None = None,
    legend: bool = False,
) -> Printed:
    """The digest of the period as plain text, for one manager or for everything (with the
    chart's legend when the chart is written too)."""
    chosen = next((m for m in org.managers if m.key == manager), None)
    if manager is not None and chosen is None:
        known = ", ".join(m.key for m in org.managers)
        raise BadPeriod(f'there is no manager "{manager}"; the managers are: {known}')
    categories = digest.categories_of(org, chosen) if chosen else [c.key for c in org.categories]
    managers = digest.chain_below(org, chosen.key) if chosen else [m.key for m in org.managers]
    language = language or org.organisation.default_language
    days = digest.chart_length(period.since, period.until)
    db = Database(database_url)
    try:
        async with db.uow() as uow:
            since = digest.fetch_since(org, period.since, period.until, days)
            found = await records.fetch(uow, since, [m.key for m in org.managers])
    finally:
        await db.dispose()
    built = report.build(found, org, categories, period.since, period.until, managers)
    chart = report.chart_days(found, org, categories, period.until, days)
    name = chosen.name if chosen else org.organisation.name
    renderer = Renderer(org.organisation.tz)
    texts = []
    for message in digest.compose(built, chart, org, 0, language, name):
        if isinstance(message, Say):
            texts.append(message_text(renderer, message))
        elif isinstance(message, Chart) and legend:
            texts.append(renderer.text(language, message.caption_key, message.params))
    plain = "\n".join(html.unescape(_TAG.sub("", text)) for text in texts)
    return Printed(plain, chart, language)
