"""Team load and burnout watch: each person's open cases, work outside business hours, a run
of low ratings and how fast they answer; a manager hears once when someone passes a threshold.

The watch is a timer row (kind WATCH) that fires every WATCH_EVERY; its payload remembers who
is above which threshold, so an alert goes once per crossing: again only after the person
came back below it and crossed it anew.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flows import casework, records, report
from flows.business_time import is_business_time
from flows.config import OrgConfig
from flows.env import Env
from flows.lifecycle import is_open
from flows.messages import PRIORITY_NOTICE, Line, Param, Say
from flows.model import Case, Timer
from flows.ports import UnitOfWork
from flows.records import BROKEN, RATING, REPLY, Records

WATCH = "load_watch"
WATCH_KEY = "all"
WATCH_EVERY = timedelta(minutes=30)
WINDOW = timedelta(days=14)  # how far back handled cases, ratings and answers count
MIN_HANDLED = 5  # fewer cases than this say nothing about someone's hours
OPEN = "open"
AFTER_HOURS = "after-hours"


@dataclass(frozen=True)
class Person:
    """A staff member as the load counts them."""

    telegram_id: int
    name: str
    team: str


@dataclass(frozen=True)
class Load:
    """One person's load over the WINDOW before a moment."""

    person: Person
    open: int
    handled: int  # cases they acted on
    after_hours: int  # of which they acted on outside business hours
    low_run: int  # their latest ratings of 1–2 in a row
    first_answer: timedelta | None  # median working time to their first answers

    @property
    def after_hours_share(self) -> float:
        """The share of their cases they worked on outside business hours."""
        return self.after_hours / self.handled if self.handled else 0.0


def _actor(person: Person) -> str:
    return f"staff:{person.telegram_id}"


def people(members: Iterable[Person], cases: Iterable[Case], config: OrgConfig) -> list[Person]:
    """The staff seen in the groups, and whoever else owns an open case (managers aside)."""
    found = {p.telegram_id: p for p in members}
    managers = {m.telegram_id for m in config.managers}
    for case in cases:
        owner = case.owner_id
        if (
            is_open(case.state)
            and owner is not None
            and owner not in found
            and owner not in managers
        ):
            found[owner] = Person(owner, case.owner_name or str(owner), case.team)
    return sorted(found.values(), key=lambda p: (p.team, p.name.lower(), p.telegram_id))


def measure(records: Records, config: OrgConfig, person: Person, now: datetime) -> Load:
    """One person's load at `now`."""
    since, actor = now - WINDOW, _actor(person)
    org = config.organisation
    handled: set[str] = set()
    late: set[str] = set()
    for entry in records.by(actor):
        # A promise they broke names them too, but is not something they did.
        if since <= entry.at <= now and entry.kind != BROKEN:
            handled.add(entry.case_number)
            if not is_business_time(org, entry.at):
                late.add(entry.case_number)
    owned = {c.number: c for c in records.cases if c.owner_id == person.telegram_id}
    ratings = [
        e for e in records.entries if e.kind == RATING and e.case_number in owned and e.at <= now
    ]
    run = 0
    for entry in sorted(ratings, key=lambda e: e.at, reverse=True):
        stars = report.stars(entry)
        if stars is None or stars > report.LOW_RATING:
            break
        run += 1
    answers = []
    for case in records.cases:
        first = case.first_response_at
        if first is None or not since <= first <= now:
            continue
        replies = [e for e in records.history(case.number) if e.kind == REPLY]
        spent = report.first_answer_time(config, case)
        if replies and replies[0].actor == actor and spent is not None:
            answers.append(spent)
    return Load(
        person,
        sum(1 for c in owned.values() if is_open(c.state)),
        len(handled),
        len(late),
        run,
        report.median(answers) if answers else None,
    )


def above(load: Load, config: OrgConfig) -> frozenset[str]:
    """The thresholds this person is past: too many open cases, too much work after hours."""
    org = config.organisation
    found = set()
    if load.open > org.max_open_per_agent:
        found.add(OPEN)
    if load.handled >= MIN_HANDLED and load.after_hours_share > org.after_hours_share:
        found.add(AFTER_HOURS)
    return frozenset(found)


def lines(loads: Iterable[Load], config: OrgConfig) -> list[Line]:
    """One line per person for /queue, with a mark where they are past a threshold."""
    return [
        (
            "load-line",
            {
                "name": load.person.name,
                "open": load.open,
                "handled": load.handled,
                "percent": round(100 * load.after_hours_share),
                "low": load.low_run,
                "answer": None
                if load.first_answer is None
                else report.in_days(config, load.first_answer),
                "over": "yes" if above(load, config) else "",
            },
        )
        for load in loads
    ]


async def _people(
    uow: UnitOfWork, env: Env, found: Records, teams: Collection[str]
) -> list[Person]:
    members = [
        Person(m.telegram_id, m.first_name, m.team)
        for team in teams
        for m in await uow.staff.in_team(team)
    ]
    cases = [c for c in found.cases if c.team in teams]
    return people(members, cases, env.config)


async def team_lines(uow: UnitOfWork, env: Env, team: str) -> list[Line]:
    """The load of a team's people, for /queue."""
    found = await records.fetch(uow, env.now - WINDOW)
    loads = [measure(found, env.config, p, env.now) for p in await _people(uow, env, found, [team])]
    return [("load-title", {"window": WINDOW.days, "count": len(loads)}), *lines(loads, env.config)]


async def arm(uow: UnitOfWork, env: Env) -> None:
    """Start watching, unless the watch is set already."""
    if await uow.timers.get(WATCH, WATCH_KEY) is None:
        await uow.timers.set(Timer(WATCH, WATCH_KEY, env.now, {"above": []}))


async def watch(uow: UnitOfWork, env: Env, timer: Timer) -> None:
    """Measure everyone; tell their managers about each threshold newly passed."""
    found = await records.fetch(uow, env.now - WINDOW)
    teams = [t.key for t in env.config.teams]
    known = {str(item) for item in timer.payload.get("above", [])}
    now_above: set[str] = set()
    alerts = []
    for person in await _people(uow, env, found, teams):
        load = measure(found, env.config, person, env.now)
        for flag in above(load, env.config):
            mark = f"{person.telegram_id}:{flag}"
            now_above.add(mark)
            if mark not in known:
                alerts.extend(_alerts(env, load, flag))
    await casework.send(uow, env, *alerts)
    payload = {"above": sorted(now_above)}
    await uow.timers.set(Timer(WATCH, WATCH_KEY, env.now + WATCH_EVERY, payload))


def _alerts(env: Env, load: Load, flag: str) -> list[Say]:
    """The alert to each manager of the person's team's categories."""
    config, org = env.config, env.config.organisation
    managers = {c.manager for c in config.categories if c.team == load.person.team}
    language = casework.staff_language(env)
    team = next(
        (t.title_in(language) for t in config.teams if t.key == load.person.team),
        load.person.team,
    )
    params: dict[str, Param] = {
        "name": load.person.name,
        "team": team,
        "open": load.open,
        "limit": org.max_open_per_agent,
        "handled": load.handled,
        "after": load.after_hours,
        "percent": round(100 * load.after_hours_share),
        "share": round(100 * org.after_hours_share),
        "window": WINDOW.days,
    }
    key = "load-alert-open" if flag == OPEN else "load-alert-after-hours"
    return [
        Say(
            config.manager(m).telegram_id,
            key,
            language,
            params=params,
            priority=PRIORITY_NOTICE,
        )
        for m in sorted(managers)
    ]
