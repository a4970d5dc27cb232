"""A customer's copy of everything hearback keeps about them: /mydata, `hearback export-customer`.

The copy is a JSON document (machine-readable, as the right to data portability asks) with a
short summary in the customer's language beside it in the chat. It holds their profile, every
case with its whole history (internal notes included: they are data about the customer too),
their files (kind and caption; the files themselves stay with Telegram) and their ratings and
comments, and the complaint they are filing now, if any. A customer gets it once a day.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from typing import Any

from flows import casework
from flows.conversation import Conversation
from flows.env import Env
from flows.messages import Document, Param, Say
from flows.model import AuditEntry, Case, Customer
from flows.ports import UnitOfWork

AUDIT_EXPORT = "export"
EXPORT_EVERY = timedelta(days=1)  # calendar time: a copy a day is plenty, and cheap to serve
SUMMARY_CASES = 20
YOUR_WORDS = ("message", "edit")  # history entries that are something the customer wrote


async def document(uow: UnitOfWork, env: Env, customer: Customer) -> dict[str, Any]:
    """Everything kept about `customer`, as a JSON-ready document."""
    assert customer.id is not None
    cases = await uow.cases.for_customer(customer.id)
    return {
        "exported_at": env.now.isoformat(),
        "organisation": env.config.organisation.name,
        "profile": {
            "telegram_id": customer.telegram_id,
            "first_name": customer.first_name,
            "last_name": customer.last_name,
            "username": customer.username,
            "language": customer.language,
            "first_contact": customer.created_at.isoformat(),
            "reachable": not customer.unreachable,
        },
        "cases": [await _case(uow, env, customer, case) for case in cases],
        "complaint_being_filed": _draft(await uow.conversations.get(customer.telegram_id)),
    }


async def _case(uow: UnitOfWork, env: Env, customer: Customer, case: Case) -> dict[str, Any]:
    category = env.config.category(case.category)
    history = await uow.log.for_case(case.number)
    return {
        "number": case.number,
        "category": category.title_in(customer.language) if category else case.category,
        "team": env.config.team(case.team).title_in(customer.language),
        "state": case.state.value,
        "filed_at": case.created_at.isoformat(),
        "last_change": case.updated_at.isoformat(),
        "contact": case.contact,
        "phone": case.phone,
        "description": case.description,
        "rating": case.rating,
        "rating_comment": case.rating_comment,
        "files": [
            {"kind": f.kind, "caption": f.caption, "received_at": f.created_at.isoformat()}
            for f in await uow.attachments.for_case(case.number)
        ],
        "history": [
            {
                "at": entry.at.isoformat(),
                "event": entry.kind,
                "by": entry.actor.split(":", 1)[0],
                **({"text": entry.text} if entry.text else {}),
            }
            for entry in history
        ],
    }


def _draft(conversation: Conversation | None) -> dict[str, Any] | None:
    draft = conversation.draft if conversation is not None else None
    if draft is None:
        return None
    return {
        "started_at": draft.started_at.isoformat(),
        "category": draft.category,
        "description": draft.description,
        "files": [{"kind": a.kind, "caption": a.caption} for a in draft.attachments],
        "phone": draft.phone,
    }


def as_bytes(doc: dict[str, Any]) -> bytes:
    """The document as the file the customer receives: UTF-8 JSON, indented to be readable."""
    return json.dumps(doc, ensure_ascii=False, indent=2).encode()


async def send_copy(uow: UnitOfWork, env: Env, customer: Customer) -> None:
    """/mydata: the document and its summary, unless the customer had one within a day."""
    last = customer.exported_at
    if last is not None and env.now - last < EXPORT_EVERY:
        params: dict[str, Param] = {"sent": last, "again": last + EXPORT_EVERY}
        await casework.send(
            uow, env, casework.to_customer(customer, "mydata-once-a-day", params=params)
        )
        return
    doc = await document(uow, env, customer)
    file = Document(
        chat_id=customer.telegram_id,
        language=customer.language,
        filename=f"my-data-{env.now.date().isoformat()}.json",
        data=as_bytes(doc),
        mime_type="application/json",
        caption_key="mydata-caption",
        params={"at": env.now},
    )
    await casework.send(uow, env, file, _summary(customer, doc))
    await uow.customers.save(replace(customer, exported_at=env.now))
    await uow.audit.record(
        AuditEntry(env.now, "customer", AUDIT_EXPORT, {"cases": len(doc["cases"])})
    )


async def for_operator(
    uow: UnitOfWork, env: Env, telegram_id: int, actor: str
) -> dict[str, Any] | None:
    """The document for an operator answering a request that came another way (None: unknown)."""
    customer = await uow.customers.by_telegram_id(telegram_id)
    doc = None if customer is None else await document(uow, env, customer)
    cases = 0 if doc is None else len(doc["cases"])
    await uow.audit.record(AuditEntry(env.now, actor, AUDIT_EXPORT, {"cases": cases}))
    return doc


def _summary(customer: Customer, doc: dict[str, Any]) -> Say:
    """What the document holds, in a few lines of the customer's language."""
    cases: list[dict[str, Any]] = doc["cases"]
    words = sum(
        1 for c in cases for e in c["history"] if e["by"] == "customer" and e["event"] in YOUR_WORDS
    )
    lines = tuple(
        (
            "mydata-case-line",
            {
                "number": c["number"],
                "category": c["category"],
                "state": c["state"],
                "files": len(c["files"]),
                "phone": c["phone"] or "",
                "rating": c["rating"] or 0,
            },
        )
        for c in cases[:SUMMARY_CASES]
    )
    params: dict[str, Param] = {
        "name": " ".join(p for p in (customer.first_name, customer.last_name) if p),
        "username": customer.username or "",
        "cases": len(cases),
        "messages": words,
        "files": sum(len(c["files"]) for c in cases),
        "more": max(0, len(cases) - SUMMARY_CASES),
    }
    return casework.to_customer(customer, "mydata-summary", params=params, lines=lines)
