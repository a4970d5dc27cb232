"""A seeded fortnight of the demo organisation, written straight through the storage ports, for
the digest, report, load and export tests; every number they expect is worked out by hand in
the comments below.

Times are UTC; Warsaw is UTC+1 in November, business hours 09:00–18:00 local (08:00–17:00
UTC), Monday to Friday. Monday 23 November 2026 is the day the digests look back on; Maria's
digest of Tuesday 24 November 08:30 local (07:30 UTC) covers Monday 07:30 to Tuesday 07:30 UTC.
Maria manages delivery and quality; Jan manages billing and is at the top of Maria's chain.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flows.lifecycle import CaseState
from flows.model import Case, CaseLogEntry, Customer, Escalation, Review, StaffMember

Store = Callable[[], Any]
PIOTR, OLA = 7001, 7002
SUPPORT = "support"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026, UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


DIGEST_SINCE = at(23, 7, 30)  # Monday 08:30 Warsaw
DIGEST_UNTIL = at(24, 7, 30)  # Tuesday 08:30 Warsaw


@dataclass
class Seed:
    """One case as the seed writes it: its record and its history."""

    number: str
    category: str
    created: datetime
    state: CaseState
    first_due: datetime
    resolve_due: datetime
    first_at: datetime | None = None
    owner: int | None = None
    rating: int | None = None
    comment: str | None = None
    reopened: int = 0
    events: list[tuple[str, datetime, str]] = field(default_factory=list)


NAMES = {PIOTR: "Piotr (Support)", OLA: "Ola (Support)"}
S = CaseState
CASES = [
    # A: answered in 30 working minutes, resolved, confirmed and rated 5 on Monday.
    Seed(
        "HB-AAAAAA", "delivery", at(23, 9), S.CLOSED, at(23, 11), at(25, 9), at(23, 9, 30),
        PIOTR, rating=5,
        events=[
            ("take", at(23, 9, 20), "staff:7001"),
            ("reply", at(23, 9, 30), "staff:7001"),
            ("resolve", at(23, 14), "staff:7001"),
            ("confirm", at(23, 15), "customer"),
            ("rating", at(23, 15, 5), "customer"),
        ],
    ),
    # B: first answer due 12:00, given at 13:00 (3 working hours): late. Still in progress.
    Seed(
        "HB-BBBBBB", "delivery", at(23, 10), S.ASSIGNED, at(23, 12), at(25, 10), at(23, 13),
        OLA,
        events=[("take", at(23, 12, 50), "staff:7002"), ("reply", at(23, 13), "staff:7002")],
    ),
    # C: nobody answered by 14:00, the promised first answer: that broken promise is the first
    # answer late, not another one. Escalated, the page moved on to Jan, nobody acknowledged.
    Seed(
        "HB-CCCCCC", "delivery", at(23, 12), S.ESCALATED, at(23, 14), at(25, 12),
        events=[
            ("promise_broken", at(23, 14), "team:support"),
            ("escalate", at(23, 14), "system"),
        ],
    ),
    # D: filed last Wednesday, resolution due Monday 08:30, resolved only at 15:00, and the
    # customer said it was not solved at 16:00.
    Seed(
        "HB-DDDDDD", "quality", at(18, 8, 30), S.REOPENED, at(18, 12, 30), at(23, 8, 30),
        at(18, 9), PIOTR, reopened=1,
        events=[
            ("take", at(18, 8, 50), "staff:7001"),
            ("reply", at(18, 9), "staff:7001"),
            ("resolve", at(23, 15), "staff:7001"),
            ("reject_resolution", at(23, 16), "customer"),
        ],
    ),
    # E: declined on Friday, appealed on Monday 11:00; Maria acknowledged at 11:30.
    Seed(
        "HB-EEEEEE", "quality", at(19, 9), S.ESCALATED, at(19, 13), at(24, 9), at(19, 10), OLA,
        events=[
            ("take", at(19, 9, 50), "staff:7002"),
            ("reply", at(19, 10), "staff:7002"),
            ("decline", at(20, 10), "staff:7002"),
            ("appeal", at(23, 11), "customer"),
        ],
    ),
    # F: answered in 15 minutes, resolved, confirmed, then rated 1 with a comment.
    Seed(
        "HB-FFFFFF", "delivery", at(23, 8), S.CLOSED, at(23, 10), at(25, 8), at(23, 8, 15),
        PIOTR, rating=1, comment="Nobody called me back",
        events=[
            ("take", at(23, 8, 10), "staff:7001"),
            ("reply", at(23, 8, 15), "staff:7001"),
            ("resolve", at(23, 10), "staff:7001"),
            ("confirm", at(23, 10, 30), "customer"),
            ("rating", at(23, 10, 35), "customer"),
        ],
    ),
    # G: billing (Jan's): nobody answered by 10:00.
    Seed("HB-GGGGGG", "billing", at(23, 9), S.WAITING_FOR_AGENT, at(23, 10), at(24, 9)),
    # H: answered with a question after 30 minutes; now the customer owes us an answer.
    Seed(
        "HB-HHHHHH", "delivery", at(23, 15), S.WAITING_FOR_CUSTOMER, at(23, 17), at(25, 15),
        at(23, 15, 30), OLA,
        events=[
            ("take", at(23, 15, 20), "staff:7002"),
            ("ask_customer", at(23, 15, 30), "staff:7002"),
        ],
    ),
    # I: in progress since last Wednesday; its resolution was due Monday 09:00, and Piotr let
    # the update he owed the customer by Monday 13:00 pass: another promise broken.
    Seed(
        "HB-IIIIII", "quality", at(18, 9), S.ASSIGNED, at(18, 13), at(23, 9), at(18, 10), PIOTR,
        events=[
            ("take", at(18, 9, 30), "staff:7001"),
            ("reply", at(18, 10), "staff:7001"),
            ("promise_broken", at(23, 13), "staff:7001"),
        ],
    ),
    # J: filed on Friday evening; the customer withdrew it on Monday 08:30, before its first
    # answer was due: withdrawn, neither closed nor late.
    Seed(
        "HB-JJJJJJ", "delivery", at(20, 16), S.WITHDRAWN, at(23, 9), at(24, 16),
        events=[("withdraw", at(23, 8, 30), "customer")],
    ),
    # Earlier this month: two closed cases whose reviews also named the courier.
    Seed(
        "HB-XXXXX1", "delivery", at(5, 9), S.CLOSED, at(5, 11), at(9, 9), at(5, 9, 30), PIOTR,
        events=[
            ("take", at(5, 9, 20), "staff:7001"),
            ("reply", at(5, 9, 30), "staff:7001"),
            ("resolve", at(6, 10), "staff:7001"),
            ("confirm", at(10, 10), "customer"),
        ],
    ),
    Seed(
        "HB-XXXXX2", "delivery", at(5, 10), S.CLOSED, at(5, 12), at(9, 10), at(5, 10, 30), PIOTR,
        events=[
            ("take", at(5, 10, 20), "staff:7001"),
            ("reply", at(5, 10, 30), "staff:7001"),
            ("resolve", at(6, 11), "staff:7001"),
            ("confirm", at(16, 10), "customer"),
        ],
    ),
]  # fmt: skip

COURIER, SLOW = "Courier or partner", "Slow response"
ESCALATIONS = [
    Escalation("HB-CCCCCC", "first-response-breach", "jan", 1, at(23, 14), at(23, 14, 30)),
    Escalation("HB-EEEEEE", "appeal", "maria", 0, at(23, 11), at(23, 11), at(23, 11, 30), "maria"),
]
REVIEWS = [
    Review("HB-CCCCCC", "maria", "first-response-breach", at(23, 14)),
    Review("HB-EEEEEE", "maria", "appeal", at(23, 11)),
    Review("HB-GGGGGG", "jan", "staff", at(23, 9, 30)),
    Review(
        "HB-FFFFFF", "maria", "low-rating", at(23, 10, 35),
        "Courier never called the customer", COURIER, at(23, 12),
    ),
    Review(
        "HB-BBBBBB", "maria", "staff", at(23, 12, 30),
        "We had two people off sick.", SLOW, at(23, 13),
    ),
    Review(
        "HB-XXXXX1", "maria", "reopened", at(6, 12),
        "Parcel left at the wrong door", COURIER, at(10, 12),
    ),
    Review(
        "HB-XXXXX2", "maria", "low-rating", at(6, 13), "Courier lost the parcel", COURIER,
        at(16, 12),
    ),
]  # fmt: skip


def team_of(category: str) -> str:
    """The demo config's team of a category."""
    return "billing" if category == "billing" else SUPPORT


def manager_of(category: str) -> str:
    """The demo config's manager of a category."""
    return "jan" if category == "billing" else "maria"


async def seed(store: Store) -> None:
    """Write the fortnight into an empty store, in one transaction."""
    async with store() as tx:
        anna = await tx.customers.add(Customer(5001, "Anna", "en", at(1, 9)))
        for s in CASES:
            await tx.cases.add(
                Case(
                    number=s.number,
                    customer_id=anna.id,
                    category=s.category,
                    team=team_of(s.category),
                    manager=manager_of(s.category),
                    description="seeded",
                    contact="telegram",
                    state=s.state,
                    created_at=s.created,
                    updated_at=max([s.created, *(when for _, when, _ in s.events)]),
                    first_response_due=s.first_due,
                    resolve_due=s.resolve_due,
                    owner_id=s.owner,
                    owner_name=NAMES.get(s.owner or 0),
                    rating=s.rating,
                    rating_comment=s.comment,
                    reopened=s.reopened,
                    first_response_at=s.first_at,
                )
            )
            await tx.log.append(CaseLogEntry(s.number, s.created, "register", "customer"))
            for kind, when, actor in s.events:
                data: dict[str, Any] = {"stars": s.rating} if kind == "rating" else {}
                if kind == "promise_broken":  # written by the promise's timer, at its time
                    data = {"due": when.isoformat()}
                text = str(s.rating) if kind == "rating" else ""
                await tx.log.append(CaseLogEntry(s.number, when, kind, actor, text, data))
        for escalation in ESCALATIONS:
            await tx.escalations.add(escalation)
        for review in REVIEWS:
            await tx.reviews.add(review)
        for person, name in ((PIOTR, "Piotr"), (OLA, "Ola")):
            await tx.staff.seen(StaffMember(person, name, SUPPORT, at(23, 9)))
        await tx.commit()
