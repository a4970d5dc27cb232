"""The case card staff see at the top of a case's topic, and the topic's title (pure)."""

from __future__ import annotations

from flows import promise
from flows.actions import CardAction
from flows.config import OrgConfig
from flows.lifecycle import CaseEvent, CaseState, allowed_events
from flows.messages import Button, Param
from flows.model import Attachment, Case, Customer

DESCRIPTION_ON_CARD = 1500  # characters; the card must stay within one Telegram message
DESCRIPTION_PART = 3500  # characters of a longer description per message below the card
TOPIC_TITLE_LIMIT = 128

# Each card button and the lifecycle events that make it possible; a button shows only when
# the case's state allows one of them, so the card never offers what the table refuses.
CARD_ACTIONS: tuple[tuple[str, tuple[CaseEvent, ...]], ...] = (
    ("take", (CaseEvent.TAKE,)),
    ("transfer", (CaseEvent.TRANSFER_TO_TEAM, CaseEvent.TRANSFER_TO_PERSON)),
    ("ask", (CaseEvent.ASK_CUSTOMER,)),
    ("resolve", (CaseEvent.RESOLVE,)),
    ("decline", (CaseEvent.DECLINE,)),
    ("escalate", (CaseEvent.ESCALATE,)),
)


def available_actions(state: CaseState) -> list[str]:
    """The card actions the lifecycle allows in `state`, in card order."""
    allowed = allowed_events(state)
    return [name for name, events in CARD_ACTIONS if allowed.intersection(events)]


def can_renegotiate(case: Case) -> bool:
    """Whether the case's owner may ask the customer for more time: they owe the live promise."""
    live = case.promise
    return live is not None and live.by is promise.By.STAFF and live.owes is not promise.Owes.WHO


def card_buttons(case: Case) -> tuple[tuple[Button, ...], ...]:
    """The card's buttons, two to a row."""
    names = available_actions(case.state) + (["later"] if can_renegotiate(case) else [])
    buttons = [
        Button(key=f"btn-card-{name}", data=CardAction(case.number, name).pack()) for name in names
    ]
    return tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))


def description_parts(description: str) -> list[str]:
    """A description too long for the card, whole, in messages to post below it (else none)."""
    if len(description) <= DESCRIPTION_ON_CARD:
        return []
    parts = []
    text = description
    while len(text) > DESCRIPTION_PART:
        # At a line break, else a space, in the second half of the part; else where it must.
        cut = text.rfind("\n", 0, DESCRIPTION_PART)
        if cut < DESCRIPTION_PART // 2:
            cut = text.rfind(" ", 0, DESCRIPTION_PART)
        if cut < DESCRIPTION_PART // 2:
            cut = DESCRIPTION_PART
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [part for part in (*parts, text) if part]


def clip(text: str, limit: int) -> str:
    """`text`, or its start with "…" if it is longer than `limit` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def card_params(
    case: Case, customer: Customer, attachments: list[Attachment], config: OrgConfig, language: str
) -> dict[str, Param]:
    """Everything the card shows; customer text is escaped by the renderer."""
    kinds = sorted({a.kind for a in attachments})
    return {
        **_of_case(case, config, language),
        "customer": " ".join(p for p in (customer.first_name, customer.last_name) if p),
        "username": customer.username or "",
        "language": customer.language,
        "files": len(attachments),
        "kinds": ", ".join(kinds),
        "unreachable": "yes" if customer.unreachable else "",
    }


def shows_the_same(before: Case, after: Case, config: OrgConfig, language: str) -> bool:
    """Whether the case's card, where it is, reads and offers the same for both versions."""
    return (
        (before.topic_chat_id, before.topic_id) == (after.topic_chat_id, after.topic_id)
        and _of_case(before, config, language) == _of_case(after, config, language)
        and card_buttons(before) == card_buttons(after)
    )


def _of_case(case: Case, config: OrgConfig, language: str) -> dict[str, Param]:
    """What the card shows of the case itself."""
    category = config.category(case.category)
    return {
        "number": case.number,
        "category": category.title_in(language) if category else case.category,
        "team": config.team(case.team).title,
        # Only the number the customer shared for this case: never one from another case.
        "phone": case.phone or "",
        "description": clip(case.description, DESCRIPTION_ON_CARD),
        "state": case.state.value,
        "owner": case.owner_name or "",
        "first_due": case.first_response_due,
        "resolve_due": case.resolve_due,
        "transfers": case.transfers,
        "reopened": case.reopened,
        "rating": case.rating or 0,
        **_promised(case, config, language),
    }


def _promised(case: Case, config: OrgConfig, language: str) -> dict[str, Param]:
    """What the customer was promised, as staff read it on the card."""
    live = case.promise
    if live is None:
        return {"promise_who": None, "promise_owes": None, "promise_due": None}
    return {
        "promise_who": promise.label(live, config, language),
        "promise_owes": live.owes.value,
        "promise_due": live.due,
    }


def topic_title(case: Case, customer: Customer, config: OrgConfig) -> str:
    """`HB-7K3Q9M · Delivery · Anna K.`, within Telegram's 128 characters, on one line."""
    category = config.category(case.category)
    title = category.title_in(config.organisation.default_language) if category else case.category
    name = customer.first_name + (f" {customer.last_name[:1]}." if customer.last_name else "")
    text = f"{case.number} · {title} · {name}"
    return clip(" ".join(text.split()), TOPIC_TITLE_LIMIT)


def topic_link(chat_id: int | None, thread_id: int | None) -> str:
    """A t.me link that opens the topic for members of the staff supergroup ("" if none)."""
    if chat_id is None or thread_id is None:
        return ""
    internal = str(chat_id).removeprefix("-100")
    return f"https://t.me/c/{internal}/{thread_id}"
