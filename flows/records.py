"""What reports are computed from: the cases of a stretch of time with their history, fetched
through the repository ports in one go, so the computing itself stays pure (flows/report.py,
flows/load.py, flows/export.py)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from flows.lifecycle import CaseEvent
from flows.model import Case, CaseLogEntry, Escalation, Review
from flows.ports import UnitOfWork

RATING = "rating"  # the log entry of a customer's rating
REPLY = "reply"  # a person writing to the customer
BROKEN = "promise_broken"  # a promise's time passed unkept; its actor is who owed it
# What reports read of a case's history: its moves through the lifecycle, ratings, replies and
# broken promises.
KINDS = frozenset({*(event.value for event in CaseEvent), RATING, REPLY, BROKEN})


@dataclass(frozen=True)
class Records:
    """Cases open now or touched since a moment, with their history, escalations and reviews."""

    cases: tuple[Case, ...]
    entries: tuple[CaseLogEntry, ...] = ()
    escalations: tuple[Escalation, ...] = ()
    reviews: tuple[Review, ...] = ()
    open_reviews: tuple[Review, ...] = ()  # every unanswered review item, however old its case
    _by_case: dict[str, list[CaseLogEntry]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _by_actor: dict[str, list[CaseLogEntry]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        for entry in self.entries:
            self._by_case.setdefault(entry.case_number, []).append(entry)
            self._by_actor.setdefault(entry.actor, []).append(entry)

    def history(self, number: str) -> list[CaseLogEntry]:
        """The case's fetched entries, in the order written."""
        return self._by_case.get(number, [])

    def by(self, actor: str) -> list[CaseLogEntry]:
        """The fetched entries written by `actor` ("staff:7001"), in the order written."""
        return self._by_actor.get(actor, [])

    def of(self, categories: Collection[str]) -> Records:
        """Only the cases of these categories (and what belongs to them)."""
        cases = tuple(c for c in self.cases if c.category in categories)
        numbers = {c.number for c in cases}
        return Records(
            cases,
            tuple(e for e in self.entries if e.case_number in numbers),
            tuple(e for e in self.escalations if e.case_number in numbers),
            tuple(r for r in self.reviews if r.case_number in numbers),
            self.open_reviews,
        )


async def fetch(uow: UnitOfWork, since: datetime, managers: Collection[str] = ()) -> Records:
    """Everything about the cases open now or touched at or after `since`; with the
    unanswered review items of `managers`."""
    cases = await uow.cases.active_since(since)
    numbers = [c.number for c in cases]
    open_reviews = [r for key in managers for r in await uow.reviews.open_for_manager(key)]
    return Records(
        tuple(cases),
        tuple(await uow.log.of_cases(numbers, KINDS)),
        tuple(await uow.escalations.for_cases(numbers)),
        tuple(await uow.reviews.for_cases(numbers)),
        tuple(open_reviews),
    )
