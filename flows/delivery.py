"""What delivery needs from the domain: where a topic message goes now, and what a result means.

The sender calls these inside the transaction that records the delivery, so a topic id, a card
id or a relay is stored exactly when the message it belongs to is marked sent.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flows import casework, erasure, escalation, marks
from flows.card import card_buttons, card_params
from flows.env import Env
from flows.lifecycle import is_open
from flows.messages import (
    TRACK_CARD,
    TRACK_MARK,
    TRACK_TO_CUSTOMER,
    TRACK_TO_TOPIC,
    AnswerButton,
    Copy,
    CreateTopic,
    Delete,
    DeleteTopic,
    Edit,
    Outgoing,
    Param,
    React,
    Say,
    Track,
    Unpin,
    about_case,
)
from flows.model import Case, Mark, Relay
from flows.ports import CaseChanged, UnitOfWork

DELIVERED = "👌"
NO_TOPIC = 0  # topic_id of a case whose topic could not be opened: its messages go to General
MAX_WAITS = 20
# What Telegram answers when a topic was deleted or closed under us.
TOPIC_GONE = ("message thread not found", "topic_deleted", "topic_closed", "topic_id_invalid")
CARD_GONE = ("message to edit not found",)
# What Telegram answers when the customer deleted a message before it was copied to the topic.
COPY_GONE = ("message to copy not found",)
NOT_MODIFIED = "message is not modified"


def topic_of(message: Outgoing) -> str | None:
    """The case whose topic the message is addressed to, if any."""
    if isinstance(message, Say | Copy):
        return message.topic_of
    if isinstance(message, Edit):
        return message.card_of
    return None


@dataclass(frozen=True)
class Later:
    """The case's topic is being opened: queue the message again, behind the opening."""


def needs_address(message: Outgoing) -> bool:
    """Whether `address` must fill in where the message goes before it can be sent."""
    return topic_of(message) is not None or (
        isinstance(message, Edit) and message.message_id is None and message.of_message is not None
    )


async def address(uow: UnitOfWork, message: Outgoing, waits: int = 0) -> Outgoing | Later | None:
    """The message with its case topic (or card) filled in; None if it has nowhere to go."""
    if isinstance(message, Edit) and message.message_id is None and message.of_chat is not None:
        assert message.of_message is not None
        copy = await uow.relays.by_source(message.of_chat, message.of_message)
        if copy is None:
            return Later() if waits < MAX_WAITS else None
        return replace(message, message_id=copy.to_message)
    number = topic_of(message)
    if number is None:
        return message
    case = await uow.cases.get(number)
    if isinstance(message, Edit):
        if case is None or case.card_message_id is None or case.topic_chat_id is None:
            return None  # the card was never drawn: its drawing will show the current state
        return replace(message, chat_id=case.topic_chat_id, message_id=case.card_message_id)
    assert isinstance(message, Say | Copy)
    if case is None or case.topic_chat_id is None:
        return message
    if message.track is not None and message.track.kind == TRACK_CARD and case.card_message_id:
        return None  # a card was drawn meanwhile (a topic opened again): one card per topic
    if case.topic_id is None and waits < MAX_WAITS:
        return Later()
    if not case.topic_id:
        # The topic could not be opened: the team's General chat gets it, not silence.
        return replace(message, chat_id=case.topic_chat_id, thread_id=None)
    return replace(message, chat_id=case.topic_chat_id, thread_id=case.topic_id)


async def _update_case(
    uow: UnitOfWork, number: str, read: Case | None = None, **changes: object
) -> Case | None:
    """Apply a delivery result to the freshest case (`read` just now, if it was), retrying if
    a command saved it meanwhile."""
    case = read
    for _ in range(5):
        if case is None:
            case = await uow.cases.get(number)
            if case is None:
                return None
        try:
            return await uow.cases.save(replace(case, **changes))  # type: ignore[arg-type]
        except CaseChanged:
            case = None
    raise CaseChanged(number)


async def delivered(
    uow: UnitOfWork, env: Env, message: Outgoing, message_id: int | None, thread_id: int | None
) -> None:
    """Record what a delivered message became."""
    if await _after_erasure(uow, env, message, message_id, thread_id):
        return
    if isinstance(message, CreateTopic):
        case = await uow.cases.get(message.case)
        if case is not None and case.topic_chat_id == message.chat_id and thread_id is not None:
            await _update_case(uow, message.case, case, topic_id=thread_id)
            # Every topic a case ever had, so that erasing the case can delete them all.
            topic = Mark(marks.TOPIC, message.case, message.chat_id, thread_id, env.now)
            await uow.marks.add(topic)
        return
    track = getattr(message, "track", None)
    if track is None or message_id is None:
        return
    if track.kind == TRACK_MARK:
        await uow.marks.add(Mark(track.mark, track.case, message.chat_id, message_id, env.now))
        return
    if track.kind == TRACK_CARD:
        case = await uow.cases.get(track.case)
        thread = getattr(message, "thread_id", None)
        # A card that reached a topic the case has since left is not the case's card.
        if case is not None and (case.topic_id or None) == thread:
            await _update_case(uow, track.case, case, card_message_id=message_id)
        return
    if track.kind in (TRACK_TO_TOPIC, TRACK_TO_CUSTOMER):
        await uow.relays.add(
            Relay(
                track.case,
                track.source_chat,
                track.source_message,
                message.chat_id,
                message_id,
                env.now,
            )
        )
    if track.kind == TRACK_TO_CUSTOMER:
        await casework.send(uow, env, React(track.source_chat, track.source_message, DELIVERED))


async def _after_erasure(
    uow: UnitOfWork, env: Env, message: Outgoing, message_id: int | None, thread_id: int | None
) -> bool:
    """A message about a case whose data was erased while it was on its way: undo it.

    The erasure deleted what the bot had put in the staff groups, but not what was being sent
    at that moment; that goes now (a topic, a message), and a manager's copy says it is erased.
    """
    if isinstance(message, Delete | DeleteTopic | Unpin | React | AnswerButton):
        return False
    number = about_case(message)
    if number is None or getattr(message, "key", None) in erasure.KEYS:
        return False
    # Held: an erasure of the case under way finishes first, and this delivery sees it.
    if not await uow.cases.erased(number):
        return False
    undo: list[Outgoing] = []
    if isinstance(message, CreateTopic) and thread_id is not None:
        undo.append(DeleteTopic(message.chat_id, thread_id, number))
    elif message_id is not None and message.chat_id < 0:
        undo.append(Delete(message.chat_id, (message_id,)))
    elif message_id is not None and env.config.manager_by_telegram_id(message.chat_id):
        language = casework.staff_language(env)
        params: dict[str, Param] = {"number": number, "why": ""}
        undo.append(
            Edit(message.chat_id, erasure.MANAGER_ERASED, language, message_id, params=params)
        )
    await casework.send(uow, env, *undo)
    return True


def is_not_modified(reason: str) -> bool:
    """An edit that changed nothing: as good as delivered."""
    return NOT_MODIFIED in reason.lower()


async def refused(uow: UnitOfWork, env: Env, message: Outgoing, reason: str) -> str | None:
    """Repair what a refusal (400) means for a case; return a problem for the operator, if any."""
    if isinstance(message, DeleteTopic) and any(m in reason.lower() for m in TOPIC_GONE):
        return None  # someone deleted it already
    if isinstance(message, DeleteTopic | Delete):
        return (
            f"the bot could not delete erased messages in staff group {message.chat_id}: "
            f"{reason}. Give the bot the admin right to delete messages, then delete the "
            "erased case's messages (or its topic) by hand."
        )
    lowered = reason.lower()
    number = topic_of(message) or (message.case if isinstance(message, CreateTopic) else None)
    case = None if number is None else await uow.cases.get(number)
    if case is None or case.erased_at is not None:
        return None  # an erased case needs no topic, and its lost messages are well lost
    if isinstance(message, CreateTopic):
        await casework.log(uow, env, case, "topic_refused", "system", reason)
        await _update_case(uow, case.number, case, topic_id=NO_TOPIC)
        return (
            f"cannot open a topic for {case.number} in staff group {message.chat_id}: {reason}. "
            "Make the group a forum and the bot an admin allowed to manage topics; until then "
            "its messages go to the group's General chat."
        )
    if isinstance(message, Edit) and any(mark in lowered for mark in CARD_GONE):
        # Only the card this edit was for: a topic being opened again brings a card of its own.
        if case.topic_id and case.card_message_id == message.message_id:
            await _redraw_card(uow, env, case)
        return None
    if isinstance(message, Say | Copy) and any(mark in lowered for mark in TOPIC_GONE):
        await _reopen_topic(uow, env, case, message)
    elif isinstance(message, Copy) and any(mark in lowered for mark in COPY_GONE):
        # Staff would otherwise never learn that the customer wrote something here.
        await casework.send(uow, env, casework.to_topic(env, case, "topic-copy-lost"))
    return None


async def _reopen_topic(uow: UnitOfWork, env: Env, case: Case, lost: Say | Copy) -> None:
    """A deleted or closed topic: open a new one with the card and history, then resend."""
    if case.topic_id and is_open(case.state):
        await casework.log(uow, env, case, "topic_lost", "system")
        case = await casework.open_topic(uow, env, case, summary=True)
        await uow.cases.save(case)
    elif case.topic_id:
        return  # an ended case needs no new topic: the message is dropped with the old one
    if lost.track is not None and lost.track.kind == TRACK_CARD:
        return  # the new topic has a card of its own
    # The lost message goes again, after the new topic's card and history.
    await casework.send(uow, env, replace(lost, thread_id=None))


async def _redraw_card(uow: UnitOfWork, env: Env, case: Case) -> None:
    """The pinned card was deleted: draw and pin it again in the topic."""
    customer = await casework.customer_of(uow, case)
    files = await uow.attachments.for_case(case.number)
    params = card_params(case, customer, files, env.config, casework.staff_language(env))
    card = casework.to_topic(
        env,
        case,
        "card",
        params=params,
        buttons=card_buttons(case),
        pin=True,
        track=Track(TRACK_CARD, case.number),
    )
    await _update_case(uow, case.number, case, card_message_id=None)
    await casework.send(uow, env, card)


async def blocked(uow: UnitOfWork, env: Env, message: Outgoing) -> str | None:
    """403: a customer blocked the bot (tell the topics), or a staff group shut the bot out."""
    if message.chat_id < 0:
        if isinstance(message, CreateTopic):
            await _update_case(uow, message.case, topic_id=NO_TOPIC)
        return (
            f"the bot may not write in staff group {message.chat_id}: add it back to the group "
            "as an admin allowed to manage topics."
        )
    customer = await uow.customers.by_telegram_id(message.chat_id)
    if customer is None or customer.id is None:
        return None
    track = getattr(message, "track", None)
    notices: list[Outgoing] = []
    if not customer.unreachable:
        await uow.customers.save(replace(customer, unreachable=True))
        for case in await uow.cases.for_customer(customer.id):
            if is_open(case.state):
                await casework.log(uow, env, case, "unreachable", "system")
                await casework.refresh_card(uow, env, case)
                notices.append(
                    casework.to_topic(
                        env, case, "topic-customer-blocked", params={"number": case.number}
                    )
                )
                await escalation.escalate(uow, env, case, escalation.TRIGGER_UNREACHABLE, "system")
    if track is not None and track.kind == TRACK_TO_CUSTOMER:
        relayed = await uow.cases.get(track.case)
        if relayed is not None:
            notices.append(
                casework.to_topic(
                    env,
                    relayed,
                    "topic-not-delivered",
                    params={"number": case.number},
                    reply_to=track.source_message,
                )
            )
    await casework.send(uow, env, *notices)
    return None
