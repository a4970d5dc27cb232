"""What the customer says about the outcome: solved or not, a rating 1–5, a comment, an appeal."""

from __future__ import annotations

from dataclasses import replace

from flows import casework, escalation
from flows.actions import Appeal, Rate, Resolution, SkipComment
from flows.conversation import Conversation
from flows.env import Env
from flows.lifecycle import CaseEvent, CaseState
from flows.messages import PRIORITY_REPLY, AnswerButton, Button, Outgoing
from flows.model import Case, Customer
from flows.ports import UnitOfWork

FeedbackAction = Resolution | Rate | SkipComment | Appeal
COMMENT_LIMIT = 2000


async def on_action(
    uow: UnitOfWork,
    env: Env,
    customer: Customer,
    conversation: Conversation,
    case: Case,
    action: FeedbackAction,
    answer: AnswerButton,
) -> Conversation:
    """Handle a feedback button of the customer's own case; returns the conversation to keep."""
    stale = replace(answer, key="button-stale", alert=True)
    if isinstance(action, Resolution):
        if case.state is not CaseState.RESOLVED or action.answer not in ("yes", "no"):
            await casework.send(uow, env, stale)
            return conversation
        await casework.send(uow, env, answer)
        if action.answer == "yes":
            await _confirmed(uow, env, customer, case)
        else:
            await _not_solved(uow, env, customer, case)
        return conversation
    if isinstance(action, Rate):
        if (
            case.state is not CaseState.CLOSED
            or case.rating is not None
            or action.stars not in "12345"
        ):
            await casework.send(uow, env, stale)
            return conversation
        await casework.send(uow, env, answer)
        await _rated(uow, env, customer, case, int(action.stars))
        return replace(conversation, comment_for=case.number)
    if isinstance(action, SkipComment):
        await casework.send(uow, env, answer)
        if conversation.comment_for == case.number:
            await casework.send(uow, env, casework.to_customer(customer, "rating-thanks"))
            return replace(conversation, comment_for=None)
        return conversation
    if case.state is not CaseState.DECLINED:
        await casework.send(uow, env, stale)
        return conversation
    await casework.send(uow, env, answer)
    await escalation.escalate(uow, env, case, escalation.TRIGGER_APPEAL, "customer")
    return conversation


async def _confirmed(
    uow: UnitOfWork,
    env: Env,
    customer: Customer,
    case: Case,
    event: CaseEvent = CaseEvent.CONFIRM,
) -> None:
    case = await casework.move(uow, env, case, event, "customer")
    case = await casework.save(uow, env, replace(case, next_update_due=None))
    stars = tuple(
        Button(key="btn-stars", data=Rate(case.number, str(n)).pack(), params={"stars": n})
        for n in range(1, 6)
    )
    await casework.send(
        uow,
        env,
        casework.to_customer(
            customer, "case-closed-rate", params={"number": case.number}, buttons=(stars,)
        ),
        casework.to_topic(env, case, "topic-confirmed", params={"number": case.number}),
    )


async def _not_solved(uow: UnitOfWork, env: Env, customer: Customer, case: Case) -> None:
    case = await casework.move(uow, env, case, CaseEvent.REJECT_RESOLUTION, "customer")
    # The owner keeps the case: the customer must not start again with a stranger.
    case = replace(
        case, reopened=case.reopened + 1, next_update_due=casework.next_update(env, case)
    )
    case = await casework.save(uow, env, case)
    await casework.send(
        uow,
        env,
        casework.to_customer(
            customer,
            "case-reopened",
            params={
                "number": case.number,
                "owner": case.owner_name or "",
                "due": case.next_update_due,
            },
        ),
        casework.to_topic(
            env,
            case,
            "topic-not-solved",
            params={"number": case.number, "owner": case.owner_name or ""},
        ),
    )
    await escalation.escalate(uow, env, case, escalation.TRIGGER_REOPENED, "customer")


async def _rated(uow: UnitOfWork, env: Env, customer: Customer, case: Case, stars: int) -> None:
    case = await casework.save(uow, env, replace(case, rating=stars))
    await casework.log(uow, env, case, "rating", "customer", str(stars), stars=stars)
    await casework.send(
        uow,
        env,
        casework.to_customer(
            customer,
            "rating-comment-ask",
            params={"stars": stars},
            buttons=((Button(key="btn-skip-comment", data=SkipComment(case.number).pack()),),),
        ),
        casework.to_topic(env, case, "topic-rated", params={"number": case.number, "stars": stars}),
    )
    if stars <= escalation.LOW_RATING:
        await escalation.escalate(uow, env, case, escalation.TRIGGER_LOW_RATING, "customer")


async def comment(
    uow: UnitOfWork, env: Env, customer: Customer, conversation: Conversation, text: str
) -> Conversation:
    """The customer's comment on their rating; nothing of it is lost, however long."""
    number = conversation.comment_for
    case = None if number is None else await uow.cases.get(number)
    if case is None or case.customer_id != customer.id:
        return replace(conversation, comment_for=None)
    body = text.strip()[:COMMENT_LIMIT]
    case = await casework.save(uow, env, replace(case, rating_comment=body))
    await casework.log(uow, env, case, "rating_comment", "customer", text.strip())
    messages: list[Outgoing] = [
        casework.to_customer(customer, "rating-thanks"),
        casework.to_topic(
            env, case, "topic-rating-comment", params={"number": case.number, "comment": body}
        ),
    ]
    await casework.send(uow, env, *messages)
    return replace(conversation, comment_for=None)


async def ask_for_manager(uow: UnitOfWork, env: Env, customer: Customer, case: Case) -> None:
    """The customer asks for a manager: once per configured period, so it means something."""
    period = env.config.organisation.manager_request_every
    asked = case.manager_requested_at
    if asked is not None and env.now - asked < period:
        manager = env.config.manager(case.manager)
        await casework.send(
            uow,
            env,
            casework.to_customer(
                customer,
                "manager-already-asked",
                params={
                    "number": case.number,
                    "manager": manager.name,
                    "asked": asked,
                    "again": asked + period,
                    "due": case.next_update_due,
                },
                priority=PRIORITY_REPLY,
            ),
        )
        return
    case = await casework.save(uow, env, replace(case, manager_requested_at=env.now))
    await escalation.escalate(uow, env, case, escalation.TRIGGER_CUSTOMER, "customer")


async def on_check_in(
    uow: UnitOfWork, env: Env, customer: Customer, case: Case, answer: str
) -> None:
    """The customer's answer to a check-in."""
    if answer == "manager":
        await ask_for_manager(uow, env, customer, case)
    elif answer == "solved":
        event = CaseEvent.CONFIRM if case.state is CaseState.RESOLVED else CaseEvent.WITHDRAW
        await _confirmed(uow, env, customer, case, event)
    else:
        await casework.log(uow, env, case, "still_needs_help", "customer")
        await casework.send(
            uow,
            env,
            casework.to_customer(
                customer,
                "check-in-noted",
                params={"number": case.number, "due": case.next_update_due},
                priority=PRIORITY_REPLY,
            ),
            casework.to_topic(
                env,
                case,
                "topic-still-needs-help",
                params={"number": case.number, "owner": case.owner_name or ""},
            ),
        )


async def reopen(uow: UnitOfWork, env: Env, customer: Customer, case: Case) -> None:
    """The customer reopens a closed case; after a confirmed solution that is bad news."""
    history = await uow.log.for_case(case.number)
    endings = [e.kind for e in history if e.kind in ("confirm", "expire", "withdraw")]
    case = await casework.move(uow, env, case, CaseEvent.REOPEN, "customer")
    case = replace(case, next_update_due=casework.next_update(env, case))
    case = await casework.save(uow, env, case)
    await casework.send(
        uow,
        env,
        casework.to_customer(
            customer,
            "case-reopened-by-you",
            params={
                "number": case.number,
                "owner": case.owner_name or "",
                "due": case.next_update_due,
            },
            priority=PRIORITY_REPLY,
        ),
        casework.to_topic(
            env,
            case,
            "topic-reopened",
            params={"number": case.number, "owner": case.owner_name or ""},
        ),
    )
    if endings and endings[-1] == "confirm":
        await escalation.escalate(uow, env, case, escalation.TRIGGER_REOPENED, "customer")
