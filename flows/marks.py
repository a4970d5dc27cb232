"""Messages the bot finds again to keep them true: escalation cards stop offering Acknowledge
once someone answered for the escalation, and a case's pinned receipt is unpinned when it ends."""

from __future__ import annotations

from flows.env import Env
from flows.messages import Button, Edit, Outgoing, Unpin
from flows.ports import UnitOfWork

ESCALATION_CARD = "escalation-card"  # keyed by escalation id, one per manager paged
RECEIPT = "receipt"  # keyed by case number: the pinned "your complaint is registered"
DECLINE_PROPOSAL = "decline-proposal"  # keyed by case number: the manager's decision buttons


async def set_buttons(
    uow: UnitOfWork,
    env: Env,
    kind: str,
    key: str,
    buttons: tuple[tuple[Button, ...], ...] = (),
) -> None:
    """Give every message remembered as (kind, key) these buttons (none: take them away)."""
    language = env.config.organisation.default_language
    edits: list[Outgoing] = [
        Edit(mark.chat_id, "card", language, mark.message_id, buttons=buttons, buttons_only=True)
        for mark in await uow.marks.find(kind, key)
    ]
    await uow.outbox.add_all(edits, env.now)


async def unpin_receipt(uow: UnitOfWork, env: Env, number: str) -> None:
    """The case has ended: its receipt no longer belongs at the top of the customer's chat."""
    unpins: list[Outgoing] = [
        Unpin(mark.chat_id, mark.message_id) for mark in await uow.marks.find(RECEIPT, number)
    ]
    await uow.outbox.add_all(unpins, env.now)
    await uow.marks.forget(RECEIPT, number)
