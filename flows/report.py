"""What happened in a period, bad news first: pure functions over fetched records.

Definitions (each number of the digest, `/report` and `hearback report` comes from here):

- *first answer late*: the case's first-response due time fell in the period while the case was
  open, and nobody had written to the customer by then;
- *promises broken*: any other promise to the customer (an update, a manager's answer, a
  decision, a first answer moved by a transfer) whose time passed unkept in the period (the
  case log's `promise_broken`); one whose time was the first-answer target is the first answer
  late above, not counted twice;
- *resolution late*: the resolution due time fell in the period while the case was open and
  neither resolved nor waiting for the customer's answer;
- *escalations nobody acknowledged*: the paged manager's time to acknowledge (`ack_within`)
  passed before the period's end without an acknowledgement, on a case still open then;
- *reopened*, *declines appealed*, *ratings of 1–2*: those events within the period;
- *waiting*: cases open at the period's end in which the customer waits for us (not resolved,
  not waiting for the customer), oldest first, with how long since they were filed;
- *new*: filed in the period; *closed*: closed or declined in the period; *withdrawn*: withdrawn
  by the customer in the period (an outcome of its own, not counted as closed);
- *first answer*: working time from filing to the first answer, for the cases first answered in
  the period, per category: median (the middle value, or the mean of the two middle ones) and
  90th percentile (nearest rank: the ⌈0.9·n⌉-th smallest), against the category's target in
  working hours (its working days at the organisation's day length);
- *resolved within target*: cases resolved in the period, and how many of them by their due time;
- *average rating*: of the ratings given in the period;
- *root causes*: of the review items answered in the period, most frequent first, with the
  answers to "what should we have done differently?"; a cause given for REPEAT_CASES or more
  cases in the REPEAT_WINDOW up to the period's end is flagged as a repeat.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from statistics import fmean

from flows.business_time import add_business_time, business_time_between
from flows.card import clip
from flows.config import OrgConfig
from flows.durations import WorkingDuration
from flows.lifecycle import (
    FINAL_STATES,
    TRANSITIONS,
    CaseEvent,
    CaseState,
    IllegalTransition,
    is_open,
    next_state,
)
from flows.messages import ChartDay
from flows.model import Case, CaseLogEntry, Review
from flows.records import BROKEN, RATING, Records

LOW_RATING = 2
REPEAT_CASES = 3
REPEAT_WINDOW = timedelta(days=30)
CHART_DAYS = 14
QUOTE = 160  # characters of an answer or a comment quoted in the digest
# Lifecycle events that end a case (the customer withdrawing it apart: an outcome of its own),
# and those that bring an ended or resolved one back.
ENDING = frozenset(event for (_, event), state in TRANSITIONS.items() if state in FINAL_STATES)
WITHDRAWING = frozenset(
    event for (_, event), state in TRANSITIONS.items() if state is CaseState.WITHDRAWN
)
CLOSING = ENDING - WITHDRAWING
REOPENING = frozenset(
    event for (_, event), state in TRANSITIONS.items() if state is CaseState.REOPENED
)
# Open, but the customer is not the one waiting: resolved (they confirm), or asked a question.
_NOT_WAITING = frozenset({CaseState.RESOLVED, CaseState.WAITING_FOR_CUSTOMER})
_EVENTS = frozenset(event.value for event in CaseEvent)
_ONLY_TARGET = {
    event: targets.pop()
    for event in CaseEvent
    if len(targets := {state for (_, e), state in TRANSITIONS.items() if e is event}) == 1
}


@dataclass(frozen=True)
class Waiting:
    """A case whose customer waits for us, and since when."""

    number: str
    category: str
    waited: timedelta


@dataclass(frozen=True)
class Unacknowledged:
    """An escalation nobody acknowledged: whom it waits for, since when."""

    number: str
    manager: str
    waited: timedelta


@dataclass(frozen=True)
class LowRating:
    """A rating of 1–2, with the customer's comment if they left one."""

    number: str
    stars: int
    comment: str


@dataclass(frozen=True)
class FirstAnswers:
    """How fast one category's customers got their first answer, against its target."""

    category: str
    count: int
    median: timedelta
    p90: timedelta
    target: WorkingDuration
    in_time: int


@dataclass(frozen=True)
class Cause:
    """A root cause named in review items, how many cases, and what the managers wrote."""

    cause: str
    count: int
    quotes: tuple[tuple[str, str], ...] = ()  # (case number, answer)


@dataclass(frozen=True)
class Report:
    """Everything the digest says about a period, for some categories."""

    since: datetime
    until: datetime
    categories: tuple[str, ...]
    first_late: tuple[str, ...]
    broken: tuple[str, ...]
    resolve_late: tuple[str, ...]
    unacknowledged: tuple[Unacknowledged, ...]
    reopened: tuple[str, ...]
    low_ratings: tuple[LowRating, ...]
    appealed: tuple[str, ...]
    waiting: tuple[Waiting, ...]
    open_reviews: int
    opened: int
    closed: int
    withdrawn: int
    first_answers: tuple[FirstAnswers, ...]
    resolved: int
    resolved_in_time: int
    ratings: int
    average_rating: float | None
    causes: tuple[Cause, ...]
    repeats: tuple[Cause, ...]

    @property
    def bad_news(self) -> bool:
        """Whether anything went wrong or is still waiting."""
        return any(
            (
                self.first_late,
                self.broken,
                self.resolve_late,
                self.unacknowledged,
                self.reopened,
                self.low_ratings,
                self.appealed,
                self.waiting,
                self.open_reviews,
                self.repeats,
            )
        )

    @property
    def empty(self) -> bool:
        """Nothing happened and nothing is waiting: one line says so."""
        return not (
            self.bad_news
            or self.opened
            or self.closed
            or self.withdrawn
            or self.resolved
            or self.ratings
        )


# -- small pure helpers ------------------------------------------------------------------------


def median(values: list[timedelta]) -> timedelta:
    """The middle value, or the mean of the two middle ones."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values: list[timedelta], share: float) -> timedelta:
    """The nearest-rank percentile: the ⌈share·n⌉-th smallest value."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def state_at(history: Iterable[CaseLogEntry], moment: datetime) -> CaseState | None:
    """The case's state at `moment`, replayed from its lifecycle entries (None: not filed yet)."""
    state: CaseState | None = None
    for entry in history:
        if entry.at > moment:
            break
        if entry.kind not in _EVENTS:
            continue
        event = CaseEvent(entry.kind)
        try:
            state = next_state(state, event)
        except IllegalTransition:
            # A history the table does not explain (written by another version of the bot):
            # the event still says where the case went, when it can only lead to one state.
            state = _ONLY_TARGET.get(event, state)
    return state


def _within(moment: datetime | None, since: datetime, until: datetime) -> bool:
    # (since, until]: a period ends at "now", and the next one starts where it ended.
    return moment is not None and since < moment <= until


def _events(history: Iterable[CaseLogEntry], kinds: Collection[CaseEvent]) -> list[CaseLogEntry]:
    names = {kind.value for kind in kinds}
    return [entry for entry in history if entry.kind in names]


def stars(entry: CaseLogEntry) -> int | None:
    """The stars of a rating entry."""
    given = entry.data.get("stars")
    if isinstance(given, int) and not isinstance(given, bool):
        return given
    return int(entry.text) if entry.text.isdigit() else None


def _quote(text: str) -> str:
    return clip(" ".join(text.split()), QUOTE)


def first_late(case: Case, history: list[CaseLogEntry], since: datetime, until: datetime) -> bool:
    """The first-response target passed in the period while the case was open and unanswered."""
    due = case.first_response_due
    if not _within(due, since, until):
        return False
    state = state_at(history, due)
    answered = case.first_response_at is not None and case.first_response_at <= due
    return state is not None and is_open(state) and not answered


def _missed_due(entry: CaseLogEntry) -> datetime | None:
    raw = entry.data.get("due")
    try:
        return datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


def promise_broken(
    case: Case, history: list[CaseLogEntry], since: datetime, until: datetime
) -> bool:
    """A promise other than the first-answer target was broken in the period."""
    return any(
        _within(entry.at, since, until) and _missed_due(entry) != case.first_response_due
        for entry in history
        if entry.kind == BROKEN
    )


def resolve_late(case: Case, history: list[CaseLogEntry], since: datetime, until: datetime) -> bool:
    """The resolution target passed in the period while the case was open and unresolved."""
    due = case.resolve_due
    if not _within(due, since, until):
        return False
    state = state_at(history, due)
    return state is not None and is_open(state) and state not in _NOT_WAITING


def first_answer_time(config: OrgConfig, case: Case) -> timedelta | None:
    """Working time from filing to the first answer, if there was one."""
    if case.first_response_at is None:
        return None
    return business_time_between(config.organisation, case.created_at, case.first_response_at)


def in_days(config: OrgConfig, working: timedelta | WorkingDuration) -> timedelta:
    """Working time written the way durations are configured: whole working days as days
    (11h of a 9-hour working day reads "1d 2h", and so does a target of "11h")."""
    day = config.organisation.business_hours.day_length
    hours = working.working_hours(day) if isinstance(working, WorkingDuration) else working
    days, rest = divmod(hours, day)
    return timedelta(days=days) + rest


# -- the report --------------------------------------------------------------------------------


def build(
    records: Records,
    config: OrgConfig,
    categories: Collection[str],
    since: datetime,
    until: datetime,
    managers: Collection[str] = (),
) -> Report:
    """The report of (since, until] for `categories` (open review items: those of `managers`)."""
    scoped = records.of(categories)
    cases = [c for c in scoped.cases if c.created_at <= until]
    first, broken, resolve, reopened, appealed, waiting = [], [], [], [], [], []
    closed = withdrawn = resolved = resolved_in_time = 0
    for case in cases:
        history = scoped.history(case.number)
        if first_late(case, history, since, until):
            first.append(case.number)
        if promise_broken(case, history, since, until):
            broken.append(case.number)
        if resolve_late(case, history, since, until):
            resolve.append(case.number)
        if any(_within(e.at, since, until) for e in _events(history, REOPENING)):
            reopened.append(case.number)
        if any(_within(e.at, since, until) for e in _events(history, [CaseEvent.APPEAL])):
            appealed.append(case.number)
        if any(_within(e.at, since, until) for e in _events(history, CLOSING)):
            closed += 1
        if any(_within(e.at, since, until) for e in _events(history, WITHDRAWING)):
            withdrawn += 1
        resolves = [
            e.at for e in _events(history, [CaseEvent.RESOLVE]) if _within(e.at, since, until)
        ]
        if resolves:
            resolved += 1
            resolved_in_time += resolves[0] <= case.resolve_due
        state = state_at(history, until)
        if state is not None and is_open(state) and state not in _NOT_WAITING:
            waiting.append(Waiting(case.number, case.category, until - case.created_at))
    by_number = {c.number: c for c in cases}
    ratings = [
        (e, given)
        for e in scoped.entries
        if e.kind == RATING and _within(e.at, since, until) and (given := stars(e)) is not None
    ]
    low = tuple(
        LowRating(e.case_number, given, _quote(by_number[e.case_number].rating_comment or ""))
        for e, given in ratings
        if given <= LOW_RATING and e.case_number in by_number
    )
    return Report(
        since=since,
        until=until,
        categories=tuple(c.key for c in config.categories if c.key in categories),
        first_late=tuple(first),
        broken=tuple(broken),
        resolve_late=tuple(resolve),
        unacknowledged=_unacknowledged(scoped, config, until),
        reopened=tuple(reopened),
        low_ratings=low,
        appealed=tuple(appealed),
        waiting=tuple(sorted(waiting, key=lambda w: -w.waited)),
        open_reviews=sum(1 for r in records.open_reviews if r.manager in managers),
        opened=sum(1 for c in cases if _within(c.created_at, since, until)),
        closed=closed,
        withdrawn=withdrawn,
        first_answers=_first_answers(cases, config, since, until),
        resolved=resolved,
        resolved_in_time=resolved_in_time,
        ratings=len(ratings),
        average_rating=round(fmean(s for _, s in ratings), 2) if ratings else None,
        causes=causes(scoped.reviews, since, until),
        repeats=tuple(
            c
            for c in causes(scoped.reviews, until - REPEAT_WINDOW, until)
            if c.count >= REPEAT_CASES
        ),
    )


def _unacknowledged(
    records: Records, config: OrgConfig, until: datetime
) -> tuple[Unacknowledged, ...]:
    """Escalations whose manager let the time to acknowledge pass, on cases still open."""
    found = []
    for escalation in records.escalations:
        if escalation.created_at > until:
            continue
        if escalation.acked_at is not None and escalation.acked_at <= until:
            continue
        paged = next((m for m in config.managers if m.key == escalation.manager), None)
        if paged is not None:
            deadline = add_business_time(config.organisation, escalation.paged_at, paged.ack_within)
            if deadline > until:
                continue  # still within the time the manager has to acknowledge
        state = state_at(records.history(escalation.case_number), until)
        if state is None or not is_open(state):
            continue
        name = paged.name if paged is not None else escalation.manager
        found.append(Unacknowledged(escalation.case_number, name, until - escalation.created_at))
    return tuple(sorted(found, key=lambda u: -u.waited))


def _first_answers(
    cases: list[Case], config: OrgConfig, since: datetime, until: datetime
) -> tuple[FirstAnswers, ...]:
    out = []
    for category in config.categories:
        times = [
            spent
            for c in cases
            if c.category == category.key
            and _within(c.first_response_at, since, until)
            and (spent := first_answer_time(config, c)) is not None
        ]
        if times:
            goal = category.first_response
            within = goal.working_hours(config.organisation.business_hours.day_length)
            out.append(
                FirstAnswers(
                    category.key,
                    len(times),
                    median(times),
                    percentile(times, 0.9),
                    goal,
                    sum(1 for t in times if t <= within),
                )
            )
    return tuple(out)


def causes(reviews: Iterable[Review], since: datetime, until: datetime) -> tuple[Cause, ...]:
    """Root causes of the review items answered in (since, until], most cases first."""
    cases: dict[str, set[str]] = {}
    quotes: dict[str, list[tuple[str, str]]] = {}
    for review in reviews:
        if review.root_cause is None or not _within(review.closed_at, since, until):
            continue
        cases.setdefault(review.root_cause, set()).add(review.case_number)
        if review.answer and review.answer.strip():
            quotes.setdefault(review.root_cause, []).append(
                (review.case_number, _quote(review.answer))
            )
    ranked = sorted(cases, key=lambda cause: (-len(cases[cause]), cause))
    return tuple(Cause(c, len(cases[c]), tuple(quotes.get(c, []))) for c in ranked)


# -- the chart's days --------------------------------------------------------------------------


def local_day_start(config: OrgConfig, day: date) -> datetime:
    """Midnight of `day` in the organisation's time zone, as a UTC moment."""
    return datetime.combine(day, time(), tzinfo=config.organisation.tz).astimezone(UTC)


def chart_days(
    records: Records,
    config: OrgConfig,
    categories: Collection[str],
    until: datetime,
    days: int = CHART_DAYS,
) -> tuple[ChartDay, ...]:
    """The `days` whole local days before the day of `until`: opened, closed, missed targets
    and broken promises, and the average rating of each."""
    today = until.astimezone(config.organisation.tz).date()
    out = []
    for back in range(days, 0, -1):
        day = today - timedelta(days=back)
        start, end = local_day_start(config, day), local_day_start(config, day + timedelta(days=1))
        one = build(records, config, categories, start, end)
        out.append(
            ChartDay(
                day.isoformat(),
                one.opened,
                one.closed,
                len(one.first_late) + len(one.broken) + len(one.resolve_late),
                one.average_rating,
            )
        )
    return tuple(out)
