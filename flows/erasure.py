"""Erasing personal data: a customer's /forget, an operator's `hearback forget`, and the end of
an ended case's retention period (flows/retention.py), all the same way.

A case keeps only anonymous figures afterwards: its number, category, team, manager, times,
outcome, transfers, reopenings and rating. Gone are the link to its customer (and with the last
case, the customer: name, username, language), the phone shared for it, every text (the
description, messages, edits, captions, replies, notes, the rating's comment, review answers),
the Telegram file ids, the relays and every message queued or kept about it. In Telegram, the
bot deletes what it put in the staff groups about the case and then the case's topics, replaces
the escalation cards and decline proposals in managers' chats by a line saying the data was
erased, and unpins the customer's receipt.
"""

from __future__ import annotations

from dataclasses import dataclass

from flows import case_timers, casework, intake, marks
from flows.env import Env
from flows.lifecycle import CaseEvent, is_open
from flows.messages import Delete, DeleteTopic, Edit, Outgoing, Param, Say, Unpin
from flows.model import AuditEntry, Case
from flows.ports import UnitOfWork

AUDIT_ERASURE = "erasure"
BY_REQUEST = "request"  # the customer asked (in the bot, or through an operator)
BY_RETENTION = "retention"  # the case ended longer ago than [retention] keeps it
MAX_DELETE = 100  # message ids per deleteMessages call, Telegram's limit
TOPIC_ERASED = "topic-erased"  # in the topic, before it goes
GROUP_NOTICE = "staff-case-erased-notice"  # in the staff group's General chat
MANAGER_ERASED = "manager-case-erased"  # in place of a card in a manager's chat
# What erasing a case says in Telegram: these, unlike everything else about it, must stay.
KEYS = frozenset({TOPIC_ERASED, GROUP_NOTICE, MANAGER_ERASED})
# What a case's history keeps besides its events' kinds, times and actors: the figures that
# reports and digests count (promised times, why it escalated, stars), never a message id,
# a forwarded sender's name or anything the customer wrote.
FIGURES = frozenset({"due", "why", "stars", "silent", "kind", "intake", "to", "name", "by"})


@dataclass(frozen=True)
class Forgotten:
    """What an erasure at a person's request did, in figures."""

    cases: int
    withdrawn: int


async def forget(uow: UnitOfWork, env: Env, telegram_id: int, actor: str) -> Forgotten:
    """Erase everything kept about the person with this Telegram id, at their request.

    Their open cases are withdrawn first, through the lifecycle like any withdrawal (timers
    cancelled, the staff told), then every case is erased; `actor` is who the audit log names.
    """
    customer = await uow.customers.by_telegram_id(telegram_id)
    cases: list[Case] = []
    if customer is not None and customer.id is not None:
        cases = await uow.cases.for_customer(customer.id)
    receipts = [mark for case in cases for mark in await uow.marks.find(marks.RECEIPT, case.number)]
    withdrawn = 0
    for case in cases:
        if is_open(case.state):
            moved = await casework.move(uow, env, case, CaseEvent.WITHDRAW, "customer")
            await casework.save(uow, env, moved)
            withdrawn += 1
    messages: list[Outgoing] = []
    for case in cases:
        messages += await erase_case(uow, env, case.number, BY_REQUEST)
    await uow.privacy.erase_person(telegram_id)
    for kind in (intake.TIMER_DRAFT_REMIND, intake.TIMER_DRAFT_DROP):
        await uow.timers.cancel(kind, str(telegram_id))
    if customer is not None and customer.id is not None:
        await uow.privacy.delete_customer(customer.id)
    # Queued only now: what was queued for their chat before is gone with the rest.
    messages += [Unpin(mark.chat_id, mark.message_id) for mark in receipts]
    await casework.send(uow, env, *messages)
    await uow.audit.record(
        AuditEntry(env.now, actor, AUDIT_ERASURE, {"cases": len(cases), "withdrawn": withdrawn})
    )
    return Forgotten(len(cases), withdrawn)


def done(telegram_id: int, language: str, forgotten: Forgotten) -> Say:
    """The customer's final confirmation that their data is erased."""
    return Say(telegram_id, "forget-done", language, params={"cases": forgotten.cases})


async def forget_for_operator(
    uow: UnitOfWork, env: Env, telegram_id: int, actor: str
) -> Forgotten | None:
    """`hearback forget`: as /forget, for a request that came another way; None if unknown.

    A known customer gets the same final confirmation in their chat.
    """
    customer = await uow.customers.by_telegram_id(telegram_id)
    forgotten = await forget(uow, env, telegram_id, actor)
    if customer is None:
        return None
    await casework.send(uow, env, done(telegram_id, customer.language, forgotten))
    return forgotten


async def erase_case(uow: UnitOfWork, env: Env, number: str, why: str) -> list[Outgoing]:
    """Erase the personal data of one case; return what must then be done in Telegram."""
    case = await uow.cases.get(number)
    if case is None or case.erased_at is not None:
        return []
    # First: the case is changed (and held) before what the bot sent about it is looked up.
    sent = await uow.privacy.erase_case(number, env.now, FIGURES)
    topics = {(mark.chat_id, mark.message_id) for mark in await uow.marks.find(marks.TOPIC, number)}
    if case.topic_chat_id is not None and case.topic_id:
        topics.add((case.topic_chat_id, case.topic_id))
    if case.topic_chat_id is not None and case.card_message_id is not None:
        sent.setdefault(case.topic_chat_id, []).append(case.card_message_id)
    messages = _staff_groups(env, case, topics, sent, why)
    messages += await _managers(uow, env, case, why)
    messages += [
        Unpin(m.chat_id, m.message_id) for m in await uow.marks.find(marks.RECEIPT, number)
    ]
    for kind in (marks.RECEIPT, marks.TOPIC, marks.DECLINE_PROPOSAL):
        await uow.marks.forget(kind, number)
    for kind in case_timers.CASE_KINDS:
        await uow.timers.cancel(kind, number)
    return messages


def _staff_groups(
    env: Env, case: Case, topics: set[tuple[int, int]], sent: dict[int, list[int]], why: str
) -> list[Outgoing]:
    """Delete the bot's messages about the case in the staff groups, then its topics.

    Deleting the messages first empties a topic even in a group where the bot may not delete
    topics; at a customer's request the topic says why first, and the group's General chat
    says what happened to the case, so nobody wonders where it went.
    """
    language = casework.staff_language(env)
    params: dict[str, Param] = {"number": case.number}
    messages: list[Outgoing] = []
    if why == BY_REQUEST:
        messages += [
            Say(chat, TOPIC_ERASED, language, params=params, thread_id=thread)
            for chat, thread in sorted(topics)
        ]
    for chat, ids in sorted(sent.items()):
        unique = sorted(set(ids))
        messages += [
            Delete(chat, tuple(unique[i : i + MAX_DELETE]))
            for i in range(0, len(unique), MAX_DELETE)
        ]
    messages += [DeleteTopic(chat, thread, case.number) for chat, thread in sorted(topics)]
    if why == BY_REQUEST:
        category = env.config.category(case.category)
        title = category.title_in(language) if category else case.category
        messages += [
            Say(chat, GROUP_NOTICE, language, params={**params, "category": title})
            for chat in sorted({chat for chat, _ in topics} | set(sent))
        ]
    return messages


async def _managers(uow: UnitOfWork, env: Env, case: Case, why: str) -> list[Outgoing]:
    """Escalation cards and decline proposals keep a line saying the data was erased."""
    language = casework.staff_language(env)
    params: dict[str, Param] = {"number": case.number, "why": why}
    found = [mark for mark in await uow.marks.find(marks.DECLINE_PROPOSAL, case.number)]
    for escalation in await uow.escalations.for_case(case.number):
        ref = str(escalation.id)
        await uow.timers.cancel(case_timers.PAGE, ref)
        found += await uow.marks.find(marks.ESCALATION_CARD, ref)
        await uow.marks.forget(marks.ESCALATION_CARD, ref)
    return [
        Edit(mark.chat_id, MANAGER_ERASED, language, mark.message_id, params=params)
        for mark in found
    ]
