"""The managers' digest: every working day at their time, bad news first, numbers against
targets and a chart of the last two weeks; `/report` gives the same for any period.

Each manager's digest is a timer row (kind DIGEST, keyed by the manager) whose payload says
where the previous digest ended, so a digest covers exactly the time since the last one, fires
once even with several instances, and one that came due while the bot was down goes out when
it starts. Its numbers are computed in the transaction that queues it; the chart is drawn from
them when it is sent.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta

from flows import casework, records, report
from flows.config import Manager, Organisation, OrgConfig
from flows.env import Env
from flows.messages import (
    PRIORITY_NOTICE,
    PRIORITY_REPLY,
    Chart,
    ChartDay,
    Line,
    Outgoing,
    Param,
    Say,
)
from flows.model import Timer
from flows.ports import UnitOfWork
from flows.report import Report

DIGEST = "digest"
NUMBERS_SHOWN = 5  # case numbers listed in one line; the rest are counted
ITEMS_SHOWN = 3  # waiting customers, silent escalations, low ratings, causes
QUOTES_SHOWN = 2
MAX_REPORT = timedelta(days=366)
MAX_CHART_DAYS = 31
_PERIOD = re.compile(r"^(\d{1,4})\s*([hdw])$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SEARCH_DAYS = 3 * 366  # a config with no working day at all must not loop forever


# -- who sees what, and when ---------------------------------------------------------------


def chain_below(config: OrgConfig, key: str) -> frozenset[str]:
    """The manager `key` and every manager whose escalation chain reaches them."""
    found = set()
    for manager in config.managers:
        step: str | None = manager.key
        seen: set[str] = set()
        while step is not None and step not in seen:
            if step == key:
                found.add(manager.key)
                break
            seen.add(step)
            step = config.manager(step).escalates_to
    return frozenset(found)


def categories_of(config: OrgConfig, manager: Manager) -> tuple[str, ...]:
    """The categories a manager sees: their own and those of the managers below them."""
    below = chain_below(config, manager.key)
    return tuple(c.key for c in config.categories if c.manager in below)


def is_working_day(org: Organisation, day: date) -> bool:
    """Whether the team works on `day` (a working weekday that is not a holiday)."""
    return day.weekday() in org.business_hours.weekdays and day not in org.holidays


def _moment(org: Organisation, day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=org.tz).astimezone(UTC)


def next_digest(org: Organisation, at: time, after: datetime) -> datetime:
    """The first working day's `at` (local time) strictly after `after`."""
    day = after.astimezone(org.tz).date()
    for _ in range(_SEARCH_DAYS):
        moment = _moment(org, day, at)
        if is_working_day(org, day) and moment > after:
            return moment
        day += timedelta(days=1)
    raise ValueError("the business hours have no working day in the next three years")


def last_digest(org: Organisation, at: time, before: datetime) -> datetime:
    """The last working day's `at` at or before `before` (a day earlier if there is none)."""
    day = before.astimezone(org.tz).date()
    for _ in range(_SEARCH_DAYS):
        moment = _moment(org, day, at)
        if is_working_day(org, day) and moment <= before:
            return moment
        day -= timedelta(days=1)
    return before - timedelta(days=1)


async def arm(uow: UnitOfWork, env: Env) -> None:
    """Give every manager who gets a digest its timer, at the configured time (kept on restart:
    a digest already due fires as it is, one whose time changed in the config moves)."""
    org = env.config.organisation
    for manager in env.config.managers:
        at = manager.digest_time(org)
        timer = await uow.timers.get(DIGEST, manager.key)
        if at is None:
            if timer is not None:
                await uow.timers.cancel(DIGEST, manager.key)
            continue
        due = next_digest(org, at, env.now)
        if timer is None:
            since = last_digest(org, at, env.now)
            await uow.timers.set(Timer(DIGEST, manager.key, due, {"since": since.isoformat()}))
        elif env.now < timer.due_at != due:
            await uow.timers.set(Timer(DIGEST, manager.key, due, timer.payload))


async def fire(uow: UnitOfWork, env: Env, timer: Timer) -> None:
    """A manager's digest time came: send what happened since the last one, set the next."""
    manager = next((m for m in env.config.managers if m.key == timer.key), None)
    at = None if manager is None else manager.digest_time(env.config.organisation)
    if manager is None or at is None:
        return  # no longer configured: the timer ends here
    raw = timer.payload.get("since")
    since = datetime.fromisoformat(raw) if isinstance(raw, str) else env.now - timedelta(days=1)
    # Up to its own time ("08:30 to 08:30"): what happened since is the next digest's. One
    # that fires after the next digest's time has passed too (the bot was down) covers both.
    org = env.config.organisation
    until = env.now if next_digest(org, at, timer.due_at) <= env.now else timer.due_at
    messages = await compile_report(uow, env, manager, since, until, daily=True)
    await casework.send(uow, env, *messages)
    due = next_digest(org, at, env.now)
    since_next = until.astimezone(UTC).isoformat()
    await uow.timers.set(Timer(DIGEST, manager.key, due, {"since": since_next}))


# -- /report -------------------------------------------------------------------------------


def parse_period(config: OrgConfig, args: str, now: datetime) -> tuple[datetime, datetime] | None:
    """The period `/report` asks for: "" (a day), "7d", "12h", "2w", a date, or two dates."""
    text = args.strip().lower()
    if not text:
        return now - timedelta(days=1), now
    found = _PERIOD.match(text)
    if found:
        amount, unit = int(found[1]), found[2]
        length = {"h": timedelta(hours=amount), "d": timedelta(days=amount)}.get(
            unit, timedelta(weeks=amount)
        )
        if timedelta(0) < length <= MAX_REPORT:
            return now - length, now
        return None
    parts = text.replace("..", " ").split()
    if not 1 <= len(parts) <= 2 or not all(_DATE.match(p) for p in parts):
        return None
    try:
        days = [date.fromisoformat(p) for p in parts]
    except ValueError:
        return None
    since = report.local_day_start(config, days[0])
    until = min(now, report.local_day_start(config, days[-1] + timedelta(days=1)))
    if not since < until or until - since > MAX_REPORT:
        return None
    return since, until


async def on_demand(uow: UnitOfWork, env: Env, manager: Manager, args: str) -> None:
    """`/report [period]` in the manager's chat."""
    period = parse_period(env.config, args, env.now)
    if period is None:
        usage = Say(
            chat_id=manager.telegram_id,
            key="report-usage",
            language=casework.staff_language(env),
            params={"days": MAX_REPORT.days},
        )
        await casework.send(uow, env, usage)
        return
    messages = await compile_report(uow, env, manager, *period, daily=False)
    await casework.send(uow, env, *messages)


# -- composing -----------------------------------------------------------------------------


async def compile_report(
    uow: UnitOfWork, env: Env, manager: Manager, since: datetime, until: datetime, daily: bool
) -> list[Outgoing]:
    """The digest (or report) of (since, until] for a manager, as messages to their chat."""
    categories = categories_of(env.config, manager)
    if not categories:
        return []
    days = chart_length(since, until)
    fetched = await records.fetch(
        uow, fetch_since(env.config, since, until, days), [m.key for m in env.config.managers]
    )
    below = chain_below(env.config, manager.key)
    built = report.build(fetched, env.config, categories, since, until, below)
    chart = report.chart_days(fetched, env.config, categories, until, days)
    return compose(
        built,
        chart,
        env.config,
        manager.telegram_id,
        casework.staff_language(env),
        manager.name,
        PRIORITY_NOTICE if daily else PRIORITY_REPLY,
    )


def chart_length(since: datetime, until: datetime) -> int:
    """Days on the chart: two weeks, or the period's days up to a month."""
    period_days = math.ceil((until - since) / timedelta(days=1))
    return min(MAX_CHART_DAYS, max(report.CHART_DAYS, period_days))


def fetch_since(config: OrgConfig, since: datetime, until: datetime, days: int) -> datetime:
    """From when a report needs the records: its period, its chart and the repeat window."""
    today = until.astimezone(config.organisation.tz).date()
    chart_start = report.local_day_start(config, today - timedelta(days=days))
    return min(since, chart_start, until - report.REPEAT_WINDOW)


def _numbers(numbers: Collection[str]) -> str:
    listed = list(numbers)
    shown = ", ".join(listed[:NUMBERS_SHOWN])
    hidden = len(listed) - NUMBERS_SHOWN
    return f"{shown} +{hidden}" if hidden > 0 else shown


def _title(config: OrgConfig, key: str, language: str) -> str:
    category = config.category(key)
    return category.title_in(language) if category else key


def bad_news(built: Report, config: OrgConfig, language: str) -> list[Line]:
    """The digest's first section: what went wrong and who is still waiting."""
    lines: list[Line] = []
    for key, numbers in (
        ("digest-first-late", built.first_late),
        ("digest-promises-broken", built.broken),
        ("digest-resolve-late", built.resolve_late),
        ("digest-reopened", built.reopened),
        ("digest-appealed", built.appealed),
    ):
        if numbers:
            lines.append((key, {"count": len(numbers), "numbers": _numbers(numbers)}))
    if built.unacknowledged:
        lines.append(("digest-unacknowledged", {"count": len(built.unacknowledged)}))
        lines += [
            (
                "digest-unacknowledged-line",
                {"number": u.number, "manager": u.manager, "waited": u.waited},
            )
            for u in built.unacknowledged[:ITEMS_SHOWN]
        ]
    lines += [
        ("digest-low-rating", {"number": r.number, "stars": r.stars, "comment": r.comment})
        for r in built.low_ratings[:ITEMS_SHOWN]
    ]
    if len(built.low_ratings) > ITEMS_SHOWN:
        lines.append(("digest-more", {"count": len(built.low_ratings) - ITEMS_SHOWN}))
    if built.waiting:
        lines.append(("digest-waiting", {"count": len(built.waiting)}))
        lines += [
            (
                "digest-waiting-line",
                {
                    "number": w.number,
                    "category": _title(config, w.category, language),
                    "waited": w.waited,
                },
            )
            for w in built.waiting[:ITEMS_SHOWN]
        ]
    lines += [
        (
            "digest-repeat",
            {"cause": c.cause, "count": c.count, "days": report.REPEAT_WINDOW.days},
        )
        for c in built.repeats
    ]
    if built.open_reviews:
        lines.append(("digest-reviews-open", {"count": built.open_reviews}))
    return lines or [("digest-no-bad-news", {})]


def numbers(built: Report, config: OrgConfig, language: str) -> list[Line]:
    """The digest's second section: new, closed and withdrawn, first answers, resolutions,
    ratings."""
    lines: list[Line] = [
        ("digest-numbers", {}),
        (
            "digest-new-closed",
            {"opened": built.opened, "closed": built.closed, "withdrawn": built.withdrawn},
        ),
    ]
    for answers in built.first_answers:
        lines.append(
            (
                "digest-first-answer",
                {
                    "category": _title(config, answers.category, language),
                    "count": answers.count,
                    "median": report.in_days(config, answers.median),
                    "p90": report.in_days(config, answers.p90),
                    "target": report.in_days(config, answers.target),
                    "in_time": answers.in_time,
                },
            )
        )
    if not built.first_answers:
        lines.append(("digest-first-answer-none", {}))
    percent = round(100 * built.resolved_in_time / built.resolved) if built.resolved else 0
    lines.append(
        (
            "digest-resolved",
            {"resolved": built.resolved, "in_time": built.resolved_in_time, "percent": percent},
        )
    )
    lines.append(
        ("digest-rating", {"average": built.average_rating, "count": built.ratings})
        if built.average_rating is not None
        else ("digest-rating-none", {})
    )
    return lines


def root_causes(built: Report) -> list[Line]:
    """The digest's third section: root causes ranked, with what the managers wrote."""
    if not built.causes:
        return []
    lines: list[Line] = [("digest-causes", {})]
    for rank, cause in enumerate(built.causes[:ITEMS_SHOWN], start=1):
        lines.append(("digest-cause", {"rank": rank, "cause": cause.cause, "count": cause.count}))
        lines += [
            ("digest-quote", {"number": number, "answer": answer})
            for number, answer in cause.quotes[:QUOTES_SHOWN]
        ]
    return lines


def compose(
    built: Report,
    days: tuple[ChartDay, ...],
    config: OrgConfig,
    chat_id: int,
    language: str,
    name: str,
    priority: int = PRIORITY_NOTICE,
) -> list[Outgoing]:
    """The chart (captioned) and the text of a report; one line alone for an empty period."""
    params: dict[str, Param] = {
        "name": name,
        "since": built.since,
        "until": built.until,
        "categories": ", ".join(_title(config, key, language) for key in built.categories),
    }
    if built.empty:
        return [
            Say(chat_id, "digest-empty", language, params=params, priority=priority),
        ]
    lines = [
        *bad_news(built, config, language),
        *numbers(built, config, language),
        *root_causes(built),
    ]
    return [
        Chart(
            chat_id,
            language,
            days,
            "digest-chart",
            params={"name": name, "days": len(days)},
            priority=priority,
        ),
        Say(
            chat_id, "digest-title", language, params=params, lines=tuple(lines), priority=priority
        ),
    ]
