"""Services for customers in a private chat: intake, registering cases, status, adding to a case.

Each function runs inside a unit of work opened by the caller (one per Telegram update, so the
update is marked handled in the same transaction) and writes state and outgoing messages there;
nothing is sent unless the transaction commits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, TypeGuard

from flows import (
    assignment,
    case_timers,
    casework,
    data_export,
    erasure,
    feedback,
    intake,
    marks,
    promise,
)
from flows.actions import (
    Action,
    Appeal,
    BadPayload,
    CheckIn,
    Forget,
    Menu,
    Rate,
    Reopen,
    Resolution,
    RouteTo,
    ShowCase,
    SkipComment,
    SummaryChoice,
    Withdraw,
    unpack,
)
from flows.business_time import add_business_time, is_business_time, next_opening
from flows.case_number import case_number_from, parse_case_number
from flows.conversation import Conversation, Held
from flows.env import Env
from flows.incoming import (
    Command,
    ContactShared,
    Edited,
    Media,
    Pressed,
    Text,
    Unsupported,
    Update,
)
from flows.lifecycle import CaseEvent, CaseState, allowed_events, is_open, next_state
from flows.messages import (
    PRIORITY_NOTICE,
    TRACK_TO_TOPIC,
    AnswerButton,
    Button,
    Copy,
    Edit,
    Outgoing,
    Param,
    Say,
    Track,
    marked,
)
from flows.model import Attachment, Case, CaseLogEntry, Customer, Profile, Timer
from flows.ports import UnitOfWork
from flows.promise import Owes

TIMER_DRAFT_REMIND = intake.TIMER_DRAFT_REMIND
TIMER_DRAFT_DROP = intake.TIMER_DRAFT_DROP
HISTORY_LINES = 12
HISTORY_TEXT = 160


async def _send(uow: UnitOfWork, env: Env, messages: list[Outgoing]) -> None:
    await uow.outbox.add_all(messages, env.now)


async def _customer(uow: UnitOfWork, env: Env, profile: Profile) -> Customer:
    customer = await uow.customers.by_telegram_id(profile.telegram_id)
    if customer is None:
        return await uow.customers.add(
            Customer(
                telegram_id=profile.telegram_id,
                first_name=profile.first_name,
                last_name=profile.last_name,
                username=profile.username,
                language=env.language_for(profile.language_code),
                created_at=env.now,
            )
        )
    language = env.language_for(profile.language_code)
    fresh = replace(
        customer,
        first_name=profile.first_name,
        last_name=profile.last_name,
        username=profile.username,
        language=language,
        unreachable=False,  # they just wrote to us, so they have not blocked the bot
    )
    if fresh != customer:
        await uow.customers.save(fresh)
    return fresh


def _say(customer: Customer, key: str, **kwargs: Any) -> Say:
    return Say(chat_id=customer.telegram_id, key=key, language=customer.language, **kwargs)


def _ctx(env: Env, customer: Customer) -> intake.IntakeContext:
    return intake.IntakeContext(
        chat_id=customer.telegram_id, language=customer.language, config=env.config, now=env.now
    )


def _menu(customer: Customer, key: str, **params: Param) -> Say:
    return _say(
        customer,
        key,
        params=params,
        buttons=(
            (
                Button(key="btn-file-complaint", data=Menu("file").pack()),
                Button(key="btn-my-cases", data=Menu("cases").pack()),
            ),
        ),
    )


async def handle_private(uow: UnitOfWork, env: Env, update: Update) -> None:
    """Handle one thing a customer did in their private chat with the bot."""
    customer = await _customer(uow, env, update.profile)
    conversation = await uow.conversations.get(customer.telegram_id) or Conversation(
        customer.telegram_id
    )
    event = update.event
    if isinstance(event, Command) and event.name in ("status", "cases"):
        await _send(uow, env, await _status(uow, env, customer, event.args))
        return
    # Their rights over their data come first, whatever else they are in the middle of.
    if isinstance(event, Command) and event.name == "mydata":
        await data_export.send_copy(uow, env, customer)
        return
    if isinstance(event, Command) and event.name == "forget":
        await _send(uow, env, [await _forget_question(uow, customer)])
        return
    choice = _forget_choice(event)
    if choice is not None:
        assert isinstance(event, Pressed)
        await _forget_answered(uow, env, customer, event, choice)
        return
    if conversation.comment_for is not None and isinstance(event, Text):
        conversation = await feedback.comment(uow, env, customer, conversation, event.text)
        await _save_draft(uow, env, conversation)
        return
    if conversation.comment_for is not None and isinstance(event, Command):
        conversation = replace(conversation, comment_for=None)  # a command moves on: no comment
        await _save_draft(uow, env, conversation)
    registered = _registered_by(conversation, event)
    if registered is not None:
        assert isinstance(event, Pressed)
        await _send(uow, env, [_already_registered(customer, event, registered)])
        return
    if conversation.draft is not None and _about_a_case(event):
        # A case's own button (Yes, it's solved; a rating; Reopen) works while a complaint is
        # being filed: the draft waits.
        await _pressed(uow, env, customer, conversation, event)
        return
    if conversation.draft is not None and await _answers_a_case(uow, env, customer, event):
        return
    if conversation.draft is not None:
        result = intake.step(conversation.draft, event, _ctx(env, customer))
        await _send(uow, env, result.say)
        if result.submit and result.draft is not None:
            case = await _register(uow, env, customer, result.draft)
            kept = conversation.with_registered(result.draft.id, case.number)
            await _save_draft(uow, env, replace(kept, draft=None))
        else:
            await _save_draft(uow, env, replace(conversation, draft=result.draft))
        return
    await _outside_intake(uow, env, customer, conversation, update)


async def _answers_a_case(uow: UnitOfWork, env: Env, customer: Customer, event: object) -> bool:
    """A message sent with Reply on an open case's message while a complaint is being filed
    goes to that case (an answer to the agent's question), not into the new description."""
    if not isinstance(event, Text | Media) or event.reply_to is None:
        return False
    case = await _replied_to(uow, customer, await _open_cases(uow, customer), event.reply_to)
    if case is None:
        return False
    case = await _add_to_case(uow, env, customer, case, event)
    await _send(uow, env, [await _added_ack(uow, env, case)])
    return True


# The buttons of a case's messages, as opposed to those of the complaint being filed.
_CASE_ACTIONS = (
    ShowCase,
    Withdraw,
    CheckIn,
    Reopen,
    Resolution,
    Rate,
    SkipComment,
    Appeal,
    RouteTo,
)


def _about_a_case(event: object) -> TypeGuard[Pressed]:
    """Whether this is a press of a button of one of the customer's cases."""
    if not isinstance(event, Pressed):
        return False
    try:
        return isinstance(unpack(event.data), _CASE_ACTIONS)
    except BadPayload:
        return False


async def _forget_question(uow: UnitOfWork, customer: Customer) -> Say:
    """Ask, saying plainly what it means, whether to erase everything kept about them."""
    assert customer.id is not None
    cases = await uow.cases.for_customer(customer.id)
    return _say(
        customer,
        "forget-confirm",
        params={"cases": len(cases), "open": sum(1 for c in cases if is_open(c.state))},
        buttons=(
            (Button(key="btn-forget-yes", data=Forget("yes").pack()),),
            (Button(key="btn-forget-no", data=Forget("no").pack()),),
        ),
    )


def _forget_choice(event: object) -> str | None:
    """The answer a pressed button gives to the erasure question, if it is one."""
    if not isinstance(event, Pressed):
        return None
    try:
        action = unpack(event.data)
    except BadPayload:
        return None
    return action.choice if isinstance(action, Forget) else None


async def _forget_answered(
    uow: UnitOfWork, env: Env, customer: Customer, event: Pressed, choice: str
) -> None:
    """Erase everything kept about the customer, or nothing, as they chose."""
    answer = AnswerButton(event.callback_id, customer.language, chat_id=customer.telegram_id)
    if choice not in ("yes", "no"):
        await _send(uow, env, [replace(answer, key="button-stale", alert=True)])
        return
    messages: list[Outgoing] = []
    if choice == "yes":
        # First, so that this answer and the last word are not erased with the rest.
        forgotten = await erasure.forget(uow, env, customer.telegram_id, "customer")
        done = erasure.done(customer.telegram_id, customer.language, forgotten)
    else:
        done = _say(customer, "forget-kept")
    messages.append(answer)
    if event.message_id is not None:
        question = Edit(customer.telegram_id, "forget-confirm", customer.language, event.message_id)
        messages.append(replace(question, buttons_only=True))
    await _send(uow, env, [*messages, done])


def _registered_by(conversation: Conversation, event: object) -> str | None:
    """The case a pressed summary button already registered, if it did."""
    if not isinstance(event, Pressed):
        return None
    try:
        action = unpack(event.data)
    except BadPayload:
        return None
    if not isinstance(action, SummaryChoice):
        return None
    if conversation.draft is not None and conversation.draft.id == action.draft:
        return None
    return conversation.registered_as(action.draft)


def _already_registered(customer: Customer, event: Pressed, number: str) -> AnswerButton:
    return AnswerButton(
        event.callback_id,
        customer.language,
        "intake-already-registered",
        params={"number": number},
        alert=True,
        chat_id=customer.telegram_id,
    )


async def busy_as_customer(uow: UnitOfWork, telegram_id: int) -> bool:
    """Whether the person is filing a complaint, or has one open, as a customer."""
    conversation = await uow.conversations.get(telegram_id)
    if conversation is not None and not conversation.empty:
        return True
    customer = await uow.customers.by_telegram_id(telegram_id)
    return customer is not None and bool(await _open_cases(uow, customer))


async def take_draft(uow: UnitOfWork, env: Env, telegram_id: int) -> intake.Draft | None:
    """Take away a person's unfinished complaint, with its reminders; return it."""
    conversation = await uow.conversations.get(telegram_id)
    if conversation is None or conversation.draft is None:
        return None
    await _save_draft(uow, env, replace(conversation, draft=None))
    return conversation.draft


async def _save_draft(uow: UnitOfWork, env: Env, conversation: Conversation) -> None:
    """Store the conversation; arm the reminder and expiry of a new draft, end a finished one's.

    A draft's timers are set once, when it starts, not at each of the customer's messages (a
    statement per update): one that comes due while the draft has changed since moves itself
    to the draft's last change plus its delay (`fire_draft_timer`).
    """
    key = str(conversation.telegram_id)
    if conversation.empty:
        await uow.conversations.delete(conversation.telegram_id)
    else:
        await uow.conversations.save(conversation, env.now)
    draft = conversation.draft
    if draft is None:
        await uow.timers.cancel(TIMER_DRAFT_REMIND, key)
        await uow.timers.cancel(TIMER_DRAFT_DROP, key)
    elif draft.updated_at == draft.started_at:
        await uow.timers.set_all(_draft_timers(key, draft, (TIMER_DRAFT_REMIND, TIMER_DRAFT_DROP)))


def _draft_timers(key: str, draft: intake.Draft, kinds: tuple[str, ...]) -> list[Timer]:
    """The draft's timers of these kinds, due its delay after the draft's last change."""
    due = {TIMER_DRAFT_REMIND: intake.REMIND_AFTER, TIMER_DRAFT_DROP: intake.DROP_AFTER}
    return [
        Timer(kind=kind, key=key, due_at=draft.updated_at + due[kind])
        for kind in kinds
        if not (kind == TIMER_DRAFT_REMIND and draft.reminded)
    ]


async def _start_intake(
    uow: UnitOfWork,
    env: Env,
    customer: Customer,
    conversation: Conversation,
    written: Sequence[Held] = (),
) -> None:
    draft = intake.new_draft(env.random_bytes(4).hex(), env.now)
    ctx = _ctx(env, customer)
    say: list[Outgoing] = []
    kept = [item for item in written if isinstance(item, Text | Media)]
    for item in kept:
        draft = intake.step(draft, item, ctx).draft or draft
    if kept:
        say.append(_say(customer, "intake-started-from-message"))
    say.extend(intake.prompt(draft, ctx))
    await _send(uow, env, say)
    await _save_draft(uow, env, replace(conversation, draft=draft))


async def _outside_intake(
    uow: UnitOfWork, env: Env, customer: Customer, conversation: Conversation, update: Update
) -> None:
    event = update.event
    if isinstance(event, Command):
        await _command(uow, env, customer, conversation, event)
    elif isinstance(event, Pressed):
        await _pressed(uow, env, customer, conversation, event)
    elif isinstance(event, Text | Media):
        await _message(uow, env, customer, conversation, event)
    elif isinstance(event, Edited):
        if not await _edited_held(uow, env, conversation, event):
            await _edited(uow, env, customer, event)
    elif isinstance(event, ContactShared):
        await _contact(uow, env, customer, conversation, event)
    elif isinstance(event, Unsupported):
        await _send(uow, env, [_say(customer, "unsupported-kind", params={"kind": event.kind})])


async def _command(
    uow: UnitOfWork, env: Env, customer: Customer, conversation: Conversation, event: Command
) -> None:
    if event.name == "start":
        org = env.config.organisation.name
        await _send(
            uow, env, [_menu(customer, "start-greeting", name=customer.first_name, org=org)]
        )
    elif event.name == "new":
        await _start_intake(uow, env, customer, conversation)
    elif event.name == "cancel":
        if conversation.held:
            await _save_draft(uow, env, replace(conversation, held=()))
        await _send(uow, env, [_say(customer, "nothing-to-cancel", remove_keyboard=True)])
    elif event.name == "help":
        await _send(uow, env, [_say(customer, "help")])
    elif event.name == "manager":
        await _manager(uow, env, customer, event.args)
    elif event.name == "withdraw":
        await _withdraw(uow, env, customer, event.args)
    else:
        await _send(uow, env, [_say(customer, "unknown-command", params={"command": event.name})])


async def _manager(uow: UnitOfWork, env: Env, customer: Customer, args: str) -> None:
    """/manager [HB-…]: put a case before its manager; with several open, ask which."""
    number = parse_case_number(args) if args.strip() else None
    open_cases = await _open_cases(uow, customer)
    chosen = [c for c in open_cases if number is None or c.number == number]
    if len(chosen) == 1:
        await feedback.ask_for_manager(uow, env, customer, chosen[0])
        return
    if not chosen:
        await _send(uow, env, [_say(customer, "manager-no-open-case")])
        return
    await _send(
        uow,
        env,
        [
            _which_case(
                env,
                customer,
                chosen,
                "manager-which-case",
                lambda number: CheckIn(number, "manager"),
            )
        ],
    )


async def _withdraw(uow: UnitOfWork, env: Env, customer: Customer, args: str) -> None:
    """/withdraw [HB-…]: ask to confirm withdrawing a case; with several open, ask which."""
    number = parse_case_number(args) if args.strip() else None
    chosen = [c for c in await _open_cases(uow, customer) if number is None or c.number == number]
    if not chosen:
        await _send(uow, env, [_say(customer, "withdraw-none")])
        return
    if len(chosen) == 1:
        await _send(uow, env, [feedback.withdraw_question(customer, chosen[0])])
        return
    await _send(
        uow,
        env,
        [
            _which_case(
                env, customer, chosen, "withdraw-which", lambda number: Withdraw(number, "ask")
            )
        ],
    )


async def _pressed(
    uow: UnitOfWork, env: Env, customer: Customer, conversation: Conversation, event: Pressed
) -> None:
    def answer(key: str | None = None, alert: bool = False, **params: Param) -> AnswerButton:
        return AnswerButton(
            event.callback_id,
            customer.language,
            key,
            params=params,
            alert=alert,
            chat_id=customer.telegram_id,
        )

    try:
        action = unpack(event.data)
    except BadPayload:
        await _send(uow, env, [answer("button-unknown", alert=True)])
        return
    if isinstance(action, Menu) and action.item == "file":
        await _send(uow, env, [answer()])
        # What they wrote while asked where it belongs starts the complaint.
        held, conversation = conversation.held, replace(conversation, held=())
        await _start_intake(uow, env, customer, conversation, held)
    elif isinstance(action, Menu) and action.item == "cases":
        await _send(uow, env, [answer(), *await _status(uow, env, customer, "")])
    elif isinstance(action, ShowCase):
        await _send(uow, env, [answer(), *await _status(uow, env, customer, action.case)])
    elif isinstance(action, Withdraw):
        case = await _own_case(uow, customer, action.case)
        if case is None or action.choice not in ("ask", "yes", "no"):
            await _send(uow, env, [answer("button-stale", alert=True)])
            return
        await _send(uow, env, [answer()])
        await feedback.on_withdraw(uow, env, customer, case, action.choice, event.message_id)
    elif isinstance(action, CheckIn | Reopen):
        case = await _own_case(uow, customer, action.case)
        usable = case is not None and (
            CaseEvent.REOPEN in allowed_events(case.state)
            if isinstance(action, Reopen)
            else is_open(case.state)
        )
        if case is None or not usable:
            await _send(uow, env, [answer("button-stale", alert=True)])
            return
        await _send(uow, env, [answer()])
        if isinstance(action, Reopen):
            await feedback.reopen(uow, env, customer, case)
            await _add_held(uow, env, customer, conversation, case.number)
        else:
            await feedback.on_check_in(uow, env, customer, case, action.answer)
    elif isinstance(action, Resolution | Rate | SkipComment | Appeal):
        case = await _own_case(uow, customer, action.case)
        if case is None:
            await _send(uow, env, [answer("button-stale", alert=True)])
            return
        kept = await feedback.on_action(uow, env, customer, conversation, case, action, answer())
        if kept != conversation:
            await _save_draft(uow, env, kept)
    elif isinstance(action, RouteTo):
        case = await _own_case(uow, customer, action.case)
        if case is None or not is_open(case.state) or not conversation.held:
            await _send(uow, env, [answer("button-stale", alert=True)])
            return
        for item in conversation.held:
            case = await _add_to_case(uow, env, customer, case, item)
        await _save_draft(uow, env, replace(conversation, held=()))
        await _send(uow, env, [answer(), await _added_ack(uow, env, case)])
    else:
        # A draft button with no draft in progress: the complaint was filed or cancelled.
        await _send(uow, env, [answer("button-stale", alert=True)])


async def _add_held(
    uow: UnitOfWork, env: Env, customer: Customer, conversation: Conversation, number: str
) -> None:
    """What they wrote about a case they just reopened goes to it (held for "which case?"
    among other open cases, it stays for that question)."""
    if not conversation.held or len(await _open_cases(uow, customer)) != 1:
        return
    case = await uow.cases.get(number)
    if case is None:
        return
    for item in conversation.held:
        case = await _add_to_case(uow, env, customer, case, item)
    await _save_draft(uow, env, replace(conversation, held=()))


async def _own_case(uow: UnitOfWork, customer: Customer, number: str) -> Case | None:
    """The case if it exists and belongs to this customer; the same None otherwise."""
    case = await uow.cases.get(number)
    if case is None or case.customer_id != customer.id:
        return None
    return case


async def _open_cases(uow: UnitOfWork, customer: Customer) -> list[Case]:
    assert customer.id is not None
    return [c for c in await uow.cases.for_customer(customer.id) if is_open(c.state)]


async def _added_ack(uow: UnitOfWork, env: Env, case: Case) -> Say:
    return await casework.tell(uow, env, case, "case-message-added")


async def _message(
    uow: UnitOfWork, env: Env, customer: Customer, conversation: Conversation, event: Text | Media
) -> None:
    if isinstance(event, Text) and not event.text.strip():
        await _send(uow, env, [_say(customer, "intake-empty-description")])
        return
    assert customer.id is not None
    cases = await uow.cases.for_customer(customer.id)  # read once: open and ended alike
    open_cases = [c for c in cases if is_open(c.state)]
    if not open_cases:
        ended = await _replied_to(uow, customer, cases, event.reply_to)
        if ended is None or CaseEvent.REOPEN not in allowed_events(ended.state):
            await _start_intake(uow, env, customer, conversation, (event,))
            return
        # Written about an ended case: kept until they say whether it reopens it.
        await _save_draft(uow, env, replace(conversation, held=(*conversation.held, event)))
        if not conversation.held:
            await _send(uow, env, [_reopen_or_new(customer, ended)])
        return
    case = await _meant(uow, customer, open_cases, event.reply_to)
    if case is None:
        await _hold(uow, env, customer, conversation, open_cases, event)
        return
    first_of_album = not await _seen_album(uow, case, event)
    case = await _add_to_case(uow, env, customer, case, event)
    if first_of_album:
        await _send(uow, env, [await _added_ack(uow, env, case)])


async def _meant(
    uow: UnitOfWork, customer: Customer, open_cases: list[Case], reply_to: int | None
) -> Case | None:
    """The open case a message is for: the only one, or, with several, the one whose message
    the customer answered with Telegram's Reply."""
    if len(open_cases) == 1:
        return open_cases[0]
    return await _replied_to(uow, customer, open_cases, reply_to)


def _reopen_or_new(customer: Customer, case: Case) -> Say:
    """Ask whether what they wrote about an ended case reopens it or starts a new complaint."""
    return _say(
        customer,
        "reopen-or-new",
        params={"number": case.number},
        buttons=(
            (
                Button(
                    key="btn-reopen-case",
                    data=Reopen(case.number).pack(),
                    params={"number": case.number},
                ),
            ),
            (Button(key="btn-file-complaint", data=Menu("file").pack()),),
        ),
    )


async def _replied_to(
    uow: UnitOfWork, customer: Customer, cases: list[Case], reply_to: int | None
) -> Case | None:
    """The case among `cases` whose message the customer answered with Telegram's Reply: a
    staff answer, one of the bot's messages about the case, or their own earlier words."""
    if reply_to is None:
        return None
    chat = customer.telegram_id
    copy = await uow.relays.by_target(chat, reply_to)
    number = copy.case_number if copy else await uow.outbox.case_of_sent(chat, reply_to)
    if number is None:
        number = await uow.log.case_of_message([c.number for c in cases], reply_to)
    return next((c for c in cases if c.number == number), None)


async def _hold(
    uow: UnitOfWork,
    env: Env,
    customer: Customer,
    conversation: Conversation,
    open_cases: list[Case],
    item: Held,
) -> None:
    """Keep what the customer sent until they say which of their open cases it is for."""
    already_asking = bool(conversation.held)
    await _save_draft(uow, env, replace(conversation, held=(*conversation.held, item)))
    if already_asking:
        return  # the rest of an album, or more text while we wait: one question is enough
    await _send(uow, env, [_which_case(env, customer, open_cases, "which-case", RouteTo)])


def _which_case(
    env: Env, customer: Customer, cases: list[Case], key: str, action: Callable[[str], Action]
) -> Say:
    """Ask which of the customer's cases they mean: a button per case, the newest eight."""
    buttons = tuple(
        (
            Button(
                key="btn-case",
                data=action(case.number).pack(),
                params={"number": case.number, "category": _category_title(env, case, customer)},
            ),
        )
        for case in cases[:8]
    )
    return _say(customer, key, buttons=buttons)


def _category_title(env: Env, case: Case, customer: Customer) -> str:
    category = env.config.category(case.category)
    return category.title_in(customer.language) if category else case.category


def _attachment(case: Case, item: Media | intake.DraftAttachment, env: Env) -> Attachment:
    """A file the customer sent, as the case keeps it (Telegram's file id, never the bytes)."""
    return Attachment(
        case_number=case.number,
        kind=item.kind,
        file_id=item.file_id,
        file_unique_id=item.file_unique_id,
        created_at=env.now,
        caption=item.caption,
        message_id=item.message_id,
        media_group_id=item.media_group_id,
    )


async def _seen_album(uow: UnitOfWork, case: Case, item: Held) -> bool:
    """Whether `item` belongs to an album the case already has a file of."""
    return (
        isinstance(item, Media)
        and item.media_group_id is not None
        and await uow.attachments.has_media_group(case.number, item.media_group_id)
    )


async def _add_to_case(
    uow: UnitOfWork, env: Env, customer: Customer, case: Case, item: Held
) -> Case:
    """Add a message, file or phone number to the case; staff see it in the case's topic."""
    message_id = item.message_id
    if isinstance(item, ContactShared):
        # The number belongs to this case only: its card shows it, no other case's does.
        await casework.log(uow, env, case, "phone_shared", "customer", message_id=message_id)
        return await casework.save(uow, env, replace(case, contact="phone", phone=item.phone))
    if isinstance(item, Text):
        await uow.log.append(
            CaseLogEntry(
                case_number=case.number,
                at=env.now,
                kind="message",
                actor="customer",
                text=item.text,
                data={"message_id": message_id, "forwarded_from": item.forwarded_from},
            )
        )
    else:
        await uow.attachments.add(_attachment(case, item, env))
        await uow.log.append(
            CaseLogEntry(
                case_number=case.number,
                at=env.now,
                kind="attachment",
                actor="customer",
                text=item.caption or "",
                data={"message_id": message_id, "kind": item.kind},
            )
        )
    return await _relay_to_topic(uow, env, customer, case, item)


async def _relay_to_topic(
    uow: UnitOfWork, env: Env, customer: Customer, case: Case, item: Text | Media
) -> Case:
    """Copy the customer's message into the topic (introduced once); an answer reassigns."""
    messages: list[Outgoing] = []
    changed = case
    if not case.customer_header:
        messages.append(
            casework.to_topic(
                env,
                case,
                "topic-customer-header",
                params={"number": case.number, "customer": customer.first_name},
            )
        )
        changed = replace(changed, customer_header=True)
    reply_to = None
    if item.reply_to is not None:
        source = await uow.relays.by_target(customer.telegram_id, item.reply_to)
        reply_to = source.from_message if source is not None else None
    messages.append(
        Copy(
            chat_id=case.topic_chat_id or env.config.team(case.team).group_for(case.number),
            from_chat_id=customer.telegram_id,
            message_id=item.message_id,
            language=casework.staff_language(env),
            reply_to=reply_to,
            priority=PRIORITY_NOTICE,
            topic_of=case.number,
            track=Track(TRACK_TO_TOPIC, case.number, customer.telegram_id, item.message_id),
        )
    )
    if case.state is CaseState.WAITING_FOR_CUSTOMER:
        changed = await casework.move(uow, env, changed, CaseEvent.CUSTOMER_ANSWERED, "customer")
        due = casework.fresh_due(env, changed, Owes.UPDATE)
        answer = await casework.owner_promise(
            uow, env, changed, Owes.UPDATE, due, promise.CUSTOMER_WROTE
        )
        changed = replace(changed, promise=answer)
        messages.append(
            casework.to_topic(
                env,
                case,
                "topic-customer-answered",
                params={"number": case.number, "owner": case.owner_name or ""},
            )
        )
    if changed != case:
        changed = await casework.save(uow, env, changed)
    await _send(uow, env, messages)
    return changed


async def _edited_held(
    uow: UnitOfWork, env: Env, conversation: Conversation, event: Edited
) -> bool:
    """A message kept until the customer says which case it is for, corrected meanwhile: the
    correction is what goes to the case (the question is still on screen: nothing to say)."""
    held = conversation.held
    index = next((i for i, item in enumerate(held) if item.message_id == event.message_id), None)
    if index is None:
        return False
    item = held[index]
    if isinstance(item, Text):
        item = replace(item, text=event.text, html=event.html)
    elif isinstance(item, Media):
        item = replace(item, caption=event.text or None, caption_html=event.html)
    else:
        return True  # a shared contact cannot be edited
    corrected = (*held[:index], item, *held[index + 1 :])
    await _save_draft(uow, env, replace(conversation, held=corrected))
    return True


async def _edited(uow: UnitOfWork, env: Env, customer: Customer, event: Edited) -> None:
    open_cases = await _open_cases(uow, customer)
    number = await uow.log.case_of_message([c.number for c in open_cases], event.message_id)
    if number is None:
        await _send(uow, env, [_say(customer, "edit-not-found")])
        return
    await uow.log.append(
        CaseLogEntry(
            case_number=number,
            at=env.now,
            kind="edit",
            actor="customer",
            text=event.text,
            data={"message_id": event.message_id},
        )
    )
    case = await uow.cases.get(number)
    copy = await uow.relays.by_source(customer.telegram_id, event.message_id)
    messages: list[Outgoing] = [_say(customer, "case-edit-added", params={"number": number})]
    if case is not None:
        messages.append(
            casework.to_topic(
                env,
                case,
                "topic-customer-edited",
                params={"number": number, "customer": customer.first_name, "text": event.text},
                reply_to=copy.to_message if copy is not None else None,
            )
        )
    await _send(uow, env, messages)


async def _contact(
    uow: UnitOfWork,
    env: Env,
    customer: Customer,
    conversation: Conversation,
    event: ContactShared,
) -> None:
    """A phone number shared outside a complaint's filing is kept with one case, or not at all."""
    if not event.own:
        await _send(uow, env, [_say(customer, "intake-contact-not-own")])
        return
    open_cases = await _open_cases(uow, customer)
    if not open_cases:
        await _send(uow, env, [_say(customer, "contact-no-case", remove_keyboard=True)])
    elif len(open_cases) == 1:
        case = await _add_to_case(uow, env, customer, open_cases[0], event)
        noted = _say(
            customer, "contact-noted-case", params={"number": case.number}, remove_keyboard=True
        )
        await _send(uow, env, [noted])
    else:
        await _hold(uow, env, customer, conversation, open_cases, event)


async def _new_number(uow: UnitOfWork, env: Env) -> str:
    while True:
        number = case_number_from(env.random_bytes(5))
        if not await uow.cases.exists(number):
            return number


async def _register(uow: UnitOfWork, env: Env, customer: Customer, draft: intake.Draft) -> Case:
    """Store the complaint, its history and files, and queue the receipt, in one transaction."""
    assert customer.id is not None and draft.category is not None
    category = env.config.category(draft.category)
    assert category is not None, "intake only accepts configured categories"
    org = env.config.organisation
    first_response_due = add_business_time(org, env.now, category.first_response)
    case = await uow.cases.add(
        Case(
            number=await _new_number(uow, env),
            customer_id=customer.id,
            category=category.key,
            team=category.team,
            manager=category.manager,
            description=draft.description,
            contact=draft.contact or "telegram",
            phone=draft.phone,
            state=next_state(None, CaseEvent.REGISTER),
            created_at=env.now,
            updated_at=env.now,
            first_response_due=first_response_due,
            resolve_due=add_business_time(org, env.now, category.resolve_within),
            promise=promise.for_team(
                category.team, Owes.ANSWER, first_response_due, promise.REGISTERED, env.now
            ),
        )
    )
    await uow.log.append(
        CaseLogEntry(
            case_number=case.number,
            at=env.now,
            kind=CaseEvent.REGISTER.value,
            actor="customer",
            text=draft.description,
            data={"message_ids": [p.message_id for p in draft.parts]},
        )
    )
    for part in draft.parts:
        await uow.log.append(
            CaseLogEntry(
                case_number=case.number,
                at=env.now,
                kind="message",
                actor="customer",
                text=part.text,
                data={"message_id": part.message_id, "intake": True},
            )
        )
    for attached in draft.attachments:
        await uow.attachments.add(_attachment(case, attached, env))
    case = await uow.cases.save(await casework.open_topic(uow, env, case))
    case = await assignment.assign(uow, env, case)
    receipt = await casework.tell(
        uow,
        env,
        case,
        "case-registered",
        params={
            "category": category.title_in(customer.language),
            "attachments": len(draft.attachments),
            "opens": None if is_business_time(org, env.now) else next_opening(org, env.now),
        },
        pin=True,
        remove_keyboard=True,
        track=marked(marks.RECEIPT, case.number),
    )
    await _send(uow, env, [receipt])
    await case_timers.arm_resolution(uow, env, case, case.resolve_due)
    await case_timers.arm(uow, env, case)
    return case


async def _status(uow: UnitOfWork, env: Env, customer: Customer, args: str) -> list[Outgoing]:
    """The customer's cases, or one of them with its history; never anybody else's."""
    if args.strip():
        number = parse_case_number(args)
        case = None if number is None else await _own_case(uow, customer, number)
        if case is None:
            return [_say(customer, "status-not-found", params={"query": args.strip()[:40]})]
        return [await _case_detail(uow, env, customer, case)]
    assert customer.id is not None
    cases = await uow.cases.for_customer(customer.id)
    if not cases:
        return [_menu(customer, "status-none")]
    cases = sorted(cases, key=lambda c: (not is_open(c.state), c.created_at), reverse=False)[:10]
    lines = tuple([("status-line", await _case_params(uow, env, customer, case)) for case in cases])
    buttons = tuple(
        (
            Button(
                key="btn-case-details", data=ShowCase(c.number).pack(), params={"number": c.number}
            ),
        )
        for c in cases[:5]
    )
    return [
        _say(customer, "status-header", params={"count": len(cases)}, lines=lines, buttons=buttons)
    ]


async def _case_params(
    uow: UnitOfWork, env: Env, customer: Customer, case: Case
) -> dict[str, Param]:
    """A case as its customer reads it in /status: what it is, and its live promise."""
    return {
        "number": case.number,
        "category": _category_title(env, case, customer),
        "state": case.state.value,
        **casework.promise_text(env, case, customer, await casework.queue_place(uow, env, case)),
    }


# What a customer may see of their case's history, and whether its text is for their eyes:
# staff notes, transfer reasons and delivery bookkeeping stay internal.
CUSTOMER_HISTORY = {
    "register": True,
    "message": True,
    "attachment": True,
    "edit": True,
    "reply": True,
    "take": False,
    "transfer_to_person": False,
    "transfer_to_team": False,
    "ask_customer": True,
    "customer_answered": False,
    "escalate": False,
    "appeal": False,
    "resolve": False,
    "confirm": False,
    "reject_resolution": False,
    "decline": True,
    "reopen": False,
    "rating": True,
}


async def _case_detail(uow: UnitOfWork, env: Env, customer: Customer, case: Case) -> Say:
    visible = [e for e in await uow.log.for_case(case.number) if e.kind in CUSTOMER_HISTORY]
    lines = tuple(
        (
            "history-line",
            {
                "at": entry.at,
                "kind": entry.kind,
                "text": ""
                if not CUSTOMER_HISTORY[entry.kind]
                else entry.text[:HISTORY_TEXT] + ("…" if len(entry.text) > HISTORY_TEXT else ""),
            },
        )
        for entry in visible[-HISTORY_LINES:]
    )
    params = await _case_params(uow, env, customer, case)
    buttons: tuple[tuple[Button, ...], ...] = ()
    if CaseEvent.WITHDRAW in allowed_events(case.state):
        buttons = ((Button(key="btn-withdraw", data=Withdraw(case.number, "ask").pack()),),)
    return _say(customer, "status-case", params=params, lines=lines, buttons=buttons)


async def fire_draft_timer(uow: UnitOfWork, env: Env, timer: Timer) -> None:
    """Remind once about an abandoned draft, or drop it after a day."""
    telegram_id = int(timer.key)
    conversation = await uow.conversations.get(telegram_id)
    customer = await uow.customers.by_telegram_id(telegram_id)
    if conversation is None or conversation.draft is None or customer is None:
        return
    ctx = _ctx(env, customer)
    if timer.kind == TIMER_DRAFT_REMIND:
        result = intake.reminder(conversation.draft, ctx)
    else:
        result = intake.expiry(conversation.draft, ctx)
    await _send(uow, env, result.say)
    if result.draft is not conversation.draft:
        await _save_draft(uow, env, replace(conversation, draft=result.draft))
    elif not result.say:  # the customer went on since the timer was set: it moves
        await uow.timers.set_all(_draft_timers(timer.key, conversation.draft, (timer.kind,)))


async def apologise(uow: UnitOfWork, env: Env, update: Update) -> None:
    """Tell a customer that their message could not be handled, instead of leaving them in silence."""
    language = env.language_for(update.profile.language_code)
    say = Say(chat_id=update.chat_id, key="update-failed", language=language)
    await uow.outbox.add(say, env.now)
    if isinstance(update.event, Pressed):
        await uow.outbox.add(
            AnswerButton(update.event.callback_id, language, chat_id=update.chat_id), env.now
        )
