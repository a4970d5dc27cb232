"""Operations on a case shared by the staff, manager, customer and delivery services.

Every state change goes through the lifecycle table (`move`), is written to the case log, and
refreshes the card in the staff topic; messages are queued in the outbox of the same unit of work.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from flows import case_timers, marks, promise
from flows.business_time import add_business_time, add_working_hours, business_time_between
from flows.card import (
    card_buttons,
    card_params,
    description_parts,
    shows_the_same,
    topic_title,
)
from flows.config import Category, Manager, Team
from flows.durations import WorkingDuration
from flows.env import Env
from flows.lifecycle import CaseEvent, CaseState, is_open, next_state
from flows.messages import (
    PRIORITY_NOTICE,
    TRACK_CARD,
    Copy,
    CreateTopic,
    Edit,
    Outgoing,
    Param,
    Say,
    Track,
)
from flows.model import Case, CaseLogEntry, Customer
from flows.ports import UnitOfWork
from flows.promise import By, Owes, Promise

QUEUE_LIMIT = 50  # "more than 50 ahead" is as useful to a customer as the exact count
TYPICAL_OVER = timedelta(days=7)  # first answers measured for "typically answered within"
TYPICAL_SAMPLE = 5  # fewer answers than this make no typical time: the promise is said alone
SUMMARY_LINES = 15
SUMMARY_TEXT = 200


# While a case waits for the customer (an answer, or their confirmation) we owe them nothing.
NO_PROMISE = frozenset({CaseState.WAITING_FOR_CUSTOMER, CaseState.RESOLVED})


def staff_language(env: Env) -> str:
    """Staff groups and managers read the organisation's default language."""
    return env.config.organisation.default_language


def owner_label(first_name: str, team: Team) -> str:
    """How an owner is named to the customer: "Anna (Support)", or the team when anonymous."""
    if team.anonymous:
        return team.title
    return f"{first_name} ({team.title})"


async def send(uow: UnitOfWork, env: Env, *messages: Outgoing) -> None:
    """Queue messages in this unit of work's outbox."""
    await uow.outbox.add_all(messages, env.now)


async def customer_of(uow: UnitOfWork, case: Case) -> Customer:
    """The customer who filed the case (LookupError once the case's data is erased)."""
    if case.customer_id is None:
        raise LookupError(f"case {case.number} was erased: it has no customer any more")
    customer = await uow.customers.by_id(case.customer_id)
    if customer is None:
        raise LookupError(f"case {case.number} has no customer {case.customer_id}")
    return customer


def to_customer(customer: Customer, key: str, **kwargs: Any) -> Say:
    """A notice to the customer in their language."""
    kwargs.setdefault("priority", PRIORITY_NOTICE)
    return Say(chat_id=customer.telegram_id, key=key, language=customer.language, **kwargs)


def to_topic(env: Env, case: Case, key: str, **kwargs: Any) -> Say:
    """A message into the case's topic (its General chat while the case has none)."""
    chat_id = case.topic_chat_id or env.config.team(case.team).group_for(case.number)
    kwargs.setdefault("priority", PRIORITY_NOTICE)
    return Say(
        chat_id=chat_id, key=key, language=staff_language(env), topic_of=case.number, **kwargs
    )


def _category(env: Env, case: Case) -> Category:
    return env.config.category(case.category) or env.config.categories[0]


def check_in_every(env: Env, case: Case) -> WorkingDuration:
    """How long the customer may go without hearing from us about this case."""
    return _category(env, case).check_in_every


def after(env: Env, duration: WorkingDuration, start: datetime | None = None) -> datetime:
    """The moment `duration` of working time after `start` (default: now)."""
    return add_business_time(env.config.organisation, start or env.now, duration)


def owes_now(case: Case) -> Owes:
    """What the customer is owed next: a first answer until someone answered, then updates."""
    return Owes.ANSWER if case.first_response_at is None else Owes.UPDATE


def fresh_due(env: Env, case: Case, owes: Owes) -> datetime:
    """A new promise's time: the category's first-answer time for an answer, else a check-in."""
    category = _category(env, case)
    return after(env, category.first_response if owes is Owes.ANSWER else category.check_in_every)


def kept_due(env: Env, case: Case, owes: Owes) -> datetime:
    """The live promise's time if it is still ahead (a hand-over never moves it later), else fresh."""
    current = case.promise
    if current is not None and current.owes is not Owes.WHO and current.due > env.now:
        return current.due
    return fresh_due(env, case, owes)


async def owner_promise(
    uow: UnitOfWork, env: Env, case: Case, owes: Owes, due: datetime, reason: str
) -> Promise:
    """A promise owed by the case's owner (a staff member or a manager), or by its team."""
    if case.owner_id is None:
        return promise.for_team(case.team, owes, due, reason, env.now)
    manager = env.config.manager_by_telegram_id(case.owner_id)
    if manager is not None:
        return promise.for_manager(manager.key, owes, due, reason, env.now)
    member = await uow.staff.get(case.owner_id)
    name = member.first_name if member else (case.owner_name or "").split(" (")[0]
    team = case.team if member is None or member.team not in team_keys(env) else member.team
    return promise.for_staff(case.owner_id, name, team, owes, due, reason, env.now)


def team_keys(env: Env) -> set[str]:
    """The keys of the configured teams."""
    return {team.key for team in env.config.teams}


def debtor_label(env: Env, live: Promise) -> str:
    """The promise's debtor as staff and managers read it."""
    return promise.label(live, env.config, staff_language(env))


def to_manager(env: Env, manager: Manager, key: str, **kwargs: Any) -> Say:
    """A message to a manager's private chat, in the staff language."""
    kwargs.setdefault("priority", PRIORITY_NOTICE)
    return Say(chat_id=manager.telegram_id, key=key, language=staff_language(env), **kwargs)


def held_by_manager(case: Case) -> str | None:
    """The key of the manager personally answering for the case (acknowledged or taken over)."""
    current = case.promise
    if current is not None and current.by is By.MANAGER and current.owes is not Owes.WHO:
        return current.ref
    return None


QueuePlace = tuple[int | None, timedelta | None]  # (cases ahead, typical first answer)


def promise_text(
    env: Env, case: Case, customer: Customer, place: QueuePlace | None = None
) -> dict[str, Param]:
    """The parameters of the live promise's sentence, in the customer's language."""
    ahead, typical = place or (None, None)
    return promise.params(case.promise, env.config, customer.language, ahead, typical)


async def queue_place(uow: UnitOfWork, env: Env, case: Case) -> QueuePlace:
    """While nobody has the case: how many untaken cases of the team are ahead of it, and the
    typical first answer in its category over the last week (None with too little data)."""
    if case.promise is None or case.promise.by is not By.TEAM:
        return None, None
    ahead = await uow.cases.waiting_ahead(case.team, case.created_at, QUEUE_LIMIT + 1)
    if case.promise.owes is not Owes.ANSWER:
        return ahead, None
    return ahead, await typical_first_answer(uow, env, case.category)


async def typical_first_answer(uow: UnitOfWork, env: Env, category: str) -> timedelta | None:
    """The median working time to a first answer in `category`, over answers of the last
    TYPICAL_OVER; None below TYPICAL_SAMPLE answers, when a "typical" time would be a guess."""
    answered = await uow.cases.first_answers(category, env.now - TYPICAL_OVER)
    if len(answered) < TYPICAL_SAMPLE:
        return None
    org = env.config.organisation
    waits = sorted(business_time_between(org, opened, first) for opened, first in answered)
    middle = len(waits) // 2
    typical = waits[middle] if len(waits) % 2 else (waits[middle - 1] + waits[middle]) / 2
    return timedelta(minutes=max(1, round(typical.total_seconds() / 60)))


async def tell(uow: UnitOfWork, env: Env, case: Case, key: str, **kwargs: Any) -> Say:
    """A message to the case's customer that states the live promise (and their queue place)."""
    customer = await customer_of(uow, case)
    params: dict[str, Param] = {"number": case.number, **kwargs.pop("params", {})}
    params.update(promise_text(env, case, customer, await queue_place(uow, env, case)))
    return to_customer(customer, key, params=params, **kwargs)


async def log(
    uow: UnitOfWork, env: Env, case: Case, kind: str, actor: str, text: str = "", **data: Any
) -> None:
    """Append to the case's history."""
    entry = CaseLogEntry(case.number, env.now, kind, actor, text, dict(data))
    await uow.log.append(entry)


async def move(
    uow: UnitOfWork,
    env: Env,
    case: Case,
    event: CaseEvent,
    actor: str,
    text: str = "",
    **data: Any,
) -> Case:
    """The case after `event` (IllegalTransition if the table refuses), logged; not yet saved."""
    moved = replace(case, state=next_state(case.state, event), updated_at=env.now)
    await log(uow, env, moved, event.value, actor, text, **data)
    if is_open(case.state) and not is_open(moved.state):
        await marks.unpin_receipt(uow, env, case.number)
    if event is CaseEvent.ASK_CUSTOMER:
        await case_timers.wait_for_customer(uow, env, moved)
    elif case.state is CaseState.WAITING_FOR_CUSTOMER:
        await case_timers.answered(uow, moved)
        moved = await _resume_resolution_clock(uow, env, moved)
    return moved


async def _resume_resolution_clock(uow: UnitOfWork, env: Env, case: Case) -> Case:
    """The time spent waiting for the customer does not count against the resolution target."""
    asked = [e.at for e in await uow.log.for_case(case.number) if e.kind == "ask_customer"]
    if not asked:
        return case
    org = env.config.organisation
    paused = business_time_between(org, asked[-1], env.now)
    due = add_working_hours(org, case.resolve_due, paused)
    await case_timers.arm_resolution(uow, env, case, due)
    return replace(case, resolve_due=due)


async def replied(uow: UnitOfWork, env: Env, case: Case, writer: str) -> Case:
    """Someone of ours wrote to the customer (`writer` as the log names them): the promise is
    kept and the next update is owed, unless a manager's own answer is still owed."""
    changed = responded(case, env)
    live = case.promise
    manager_owes = live is not None and live.by is By.MANAGER and live.owes is not Owes.WHO
    if live is None or (manager_owes and live.owes is not Owes.UPDATE and writer != live.debtor):
        return await save(uow, env, changed) if changed != case else case
    due = after(env, check_in_every(env, changed))
    kind, _, ref = writer.partition(":")
    if kind == By.MANAGER.value:
        kept = promise.for_manager(ref, Owes.UPDATE, due, promise.REPLIED, env.now)
    elif manager_owes:
        assert live is not None
        kept = promise.for_manager(live.ref, Owes.UPDATE, due, promise.REPLIED, env.now)
    else:
        kept = await owner_promise(uow, env, changed, Owes.UPDATE, due, promise.REPLIED)
    await log(uow, env, changed, "promise_kept", writer, due=live.due.isoformat())
    return await save(uow, env, replace(changed, promise=kept))


def responded(case: Case, env: Env) -> Case:
    """A person has written to the customer: the first response, if it is the first."""
    if case.first_response_at is not None:
        return case
    return replace(case, first_response_at=env.now)


async def _card(uow: UnitOfWork, env: Env, case: Case) -> tuple[dict[str, Param], Customer]:
    customer = await customer_of(uow, case)
    files = await uow.attachments.for_case(case.number)
    return card_params(case, customer, files, env.config, staff_language(env)), customer


async def save(uow: UnitOfWork, env: Env, case: Case, was: Case | None = None) -> Case:
    """The one way a changed case is stored: its card is edited to match and its timers re-armed.

    A case that waits on us keeps a live promise; one that waits on the customer, or has
    ended, keeps none. Given the case as it `was`, the card is left alone if it would read the
    same: an edit that changes nothing still spends one of the staff group's 20 calls a minute.
    """
    if not is_open(case.state) or case.state in NO_PROMISE:
        case = replace(case, promise=None)
    saved = await uow.cases.save(case)
    if was is None or not shows_the_same(was, saved, env.config, staff_language(env)):
        await refresh_card(uow, env, saved)
    await case_timers.arm(uow, env, saved)
    return saved


async def refresh_card(uow: UnitOfWork, env: Env, case: Case) -> None:
    """Edit the case's card in place to show the case (and its customer) as they are now."""
    if case.topic_chat_id is None:
        return  # no topic yet: the card is drawn when it is opened
    params, _ = await _card(uow, env, case)
    await send(
        uow,
        env,
        Edit(
            chat_id=case.topic_chat_id,
            key="card",
            language=staff_language(env),
            params=params,
            buttons=card_buttons(case),
            card_of=case.number,
        ),
    )


async def open_topic(uow: UnitOfWork, env: Env, case: Case, summary: bool = False) -> Case:
    """Queue a new topic for the case with its pinned card and files (and a history summary).

    Returns the case pointing at the topic's group; the topic id arrives when Telegram made it.
    """
    group = env.config.team(case.team).group_for(case.number)
    case = replace(
        case, topic_chat_id=group, topic_id=None, card_message_id=None, customer_header=False
    )
    params, customer = await _card(uow, env, case)
    language = staff_language(env)
    messages: list[Outgoing] = [
        CreateTopic(chat_id=group, name=topic_title(case, customer, env.config), case=case.number),
        Say(
            chat_id=group,
            key="card",
            language=language,
            params=params,
            buttons=card_buttons(case),
            pin=True,
            topic_of=case.number,
            track=Track(TRACK_CARD, case.number),
        ),
    ]
    # The card shows the description's start: a longer one follows it whole.
    parts = description_parts(case.description)
    for index, part in enumerate(parts, start=1):
        messages.append(
            to_topic(
                env,
                case,
                "topic-description",
                params={"number": case.number, "part": index, "parts": len(parts), "text": part},
            )
        )
    for attachment in await uow.attachments.for_case(case.number):
        if attachment.message_id is not None:
            messages.append(
                Copy(
                    chat_id=group,
                    from_chat_id=customer.telegram_id,
                    message_id=attachment.message_id,
                    language=language,
                    topic_of=case.number,
                    priority=PRIORITY_NOTICE,
                )
            )
    if summary:
        messages.append(await history_summary(uow, env, case))
    await send(uow, env, *messages)
    return case


async def history_summary(uow: UnitOfWork, env: Env, case: Case) -> Say:
    """The case's latest history, for a topic that had to be opened again."""
    entries = (await uow.log.for_case(case.number))[-SUMMARY_LINES:]
    lines = tuple(
        (
            "topic-history-line",
            {
                "at": entry.at,
                "kind": entry.kind,
                "actor": entry.actor.split(":", 1)[0],
                "text": entry.text[:SUMMARY_TEXT] + ("…" if len(entry.text) > SUMMARY_TEXT else ""),
            },
        )
        for entry in entries
    )
    return to_topic(env, case, "topic-history", params={"number": case.number}, lines=lines)
