"""`hearback export`: the cases filed in a period as rows (one per case), or their audit log
(one row per entry), for a spreadsheet or another tool. Times are local ISO 8601 times of the
organisation's zone; durations are working minutes."""

from __future__ import annotations

import json
from datetime import datetime

from flows import records, report
from flows.config import OrgConfig
from flows.lifecycle import CaseEvent, is_open
from flows.model import AuditEntry, Case, CaseLogEntry
from flows.ports import UnitOfWork
from flows.records import BROKEN, Records

CASE_COLUMNS = (
    "number",
    "category",
    "team",
    "manager",
    "state",
    "outcome",
    "created_at",
    "first_response_due",
    "first_response_at",
    "first_answer_minutes",
    "first_answer_late",
    "resolve_due",
    "resolved_at",
    "resolution_late",
    "ended_at",
    "owner_id",
    "owner_name",
    "transfers",
    "reopened",
    "escalations",
    "promises_broken",
    "rating",
)
EVENT_COLUMNS = ("case_number", "at", "kind", "actor", "text", "data")
AUDIT_EVENTS = "export-events"  # an operator exported cases' histories, customers' words included
Row = dict[str, str]


def _when(config: OrgConfig, moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(config.organisation.tz).isoformat(timespec="seconds")


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def case_row(found: Records, config: OrgConfig, case: Case, now: datetime) -> Row:
    """One case as a row of CASE_COLUMNS."""
    history = found.history(case.number)
    resolves = [e.at for e in history if e.kind == CaseEvent.RESOLVE.value]
    endings = [e.at for e in history if e.kind in {event.value for event in report.ENDING}]
    spent = report.first_answer_time(config, case)
    values: dict[str, object] = {
        "number": case.number,
        "category": case.category,
        "team": case.team,
        "manager": case.manager,
        "state": case.state.value,
        "outcome": "open" if is_open(case.state) else case.state.value,
        "created_at": _when(config, case.created_at),
        "first_response_due": _when(config, case.first_response_due),
        "first_response_at": _when(config, case.first_response_at),
        "first_answer_minutes": "" if spent is None else round(spent.total_seconds() / 60),
        "first_answer_late": _yes(report.first_late(case, history, case.created_at, now)),
        "resolve_due": _when(config, case.resolve_due),
        "resolved_at": _when(config, resolves[0] if resolves else None),
        "resolution_late": _yes(report.resolve_late(case, history, case.created_at, now)),
        "ended_at": _when(config, endings[-1] if endings and not is_open(case.state) else None),
        "owner_id": case.owner_id if case.owner_id is not None else "",
        "owner_name": case.owner_name or "",
        "transfers": case.transfers,
        "reopened": case.reopened,
        "escalations": sum(1 for e in found.escalations if e.case_number == case.number),
        "promises_broken": sum(1 for e in history if e.kind == BROKEN),
        "rating": case.rating if case.rating is not None else "",
    }
    return {column: str(values[column]) for column in CASE_COLUMNS}


def event_row(config: OrgConfig, entry: CaseLogEntry) -> Row:
    """One audit log entry as a row of EVENT_COLUMNS."""
    return {
        "case_number": entry.case_number,
        "at": _when(config, entry.at),
        "kind": entry.kind,
        "actor": entry.actor,
        "text": entry.text,
        "data": json.dumps(entry.data, ensure_ascii=False, sort_keys=True) if entry.data else "",
    }


async def export(
    uow: UnitOfWork,
    config: OrgConfig,
    since: datetime,
    until: datetime,
    now: datetime,
    events: bool = False,
    actor: str | None = None,
) -> list[Row]:
    """The cases filed in [since, until), oldest first; with `events`, their audit log.

    The audit log holds what customers wrote: an operator (`actor`) reading it is recorded in
    the audit log of personal data (flows/erasure.py).
    """
    found = await records.fetch(uow, since)
    cases = [c for c in found.cases if since <= c.created_at < until]
    if events:
        entries = await uow.log.of_cases([c.number for c in cases])
        order = {c.number: i for i, c in enumerate(cases)}
        ordered = sorted(entries, key=lambda e: (order[e.case_number], e.id or 0))
        if actor is not None:
            detail = {"cases": len(cases), "entries": len(ordered)}
            await uow.audit.record(AuditEntry(now, actor, AUDIT_EVENTS, detail))
        return [event_row(config, entry) for entry in ordered]
    return [case_row(found, config, case, now) for case in cases]
