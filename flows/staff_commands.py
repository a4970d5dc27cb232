"""Staff commands in a team group: /queue, /mine, /case and /find."""

from __future__ import annotations

import re
from typing import Any

from flows import casework, load
from flows.access import Viewer, may_see
from flows.card import card_params, topic_link
from flows.case_number import parse_case_number
from flows.env import Env
from flows.incoming import GroupUpdate
from flows.messages import Say
from flows.model import Case
from flows.ports import CaseSearch, UnitOfWork
from flows.staff import Actor, reply

QUEUE_LINES = 20
FIND_LINES = 10
FIND_WORDS = 5
_PHONE = re.compile(r"^\+?[\d\s()-]{6,}$")


def _waited(env: Env, case: Case) -> dict[str, Any]:
    minutes = max(0, int((env.now - case.created_at).total_seconds() // 60))
    return {"hours": minutes // 60, "minutes": minutes % 60}


def _line(env: Env, case: Case, language: str) -> tuple[str, dict[str, Any]]:
    category = env.config.category(case.category)
    return (
        "staff-case-line",
        {
            "number": case.number,
            "category": category.title_in(language) if category else case.category,
            "state": case.state.value,
            "owner": case.owner_name or "",
            "link": topic_link(case.topic_chat_id, case.topic_id),
            **_waited(env, case),
        },
    )


async def queue(uow: UnitOfWork, env: Env, update: GroupUpdate, actor: Actor) -> Say:
    """Untaken cases of the team, oldest first, with how long each customer has waited; then
    each person's load."""
    waiting = [c for c in await uow.cases.open_for_team(actor.team.key) if c.owner_id is None]
    language = casework.staff_language(env)
    lines = tuple(_line(env, c, language) for c in waiting[:QUEUE_LINES])
    lines += tuple(await load.team_lines(uow, env, actor.team.key))
    return reply(
        env,
        update,
        "staff-queue",
        params={"team": actor.team.title, "count": len(waiting)},
        lines=lines,
    )


async def mine(uow: UnitOfWork, env: Env, update: GroupUpdate, actor: Actor) -> Say:
    """The open cases this staff member owns."""
    mine = await uow.cases.open_for_owner(actor.telegram_id)
    language = casework.staff_language(env)
    lines = tuple(_line(env, c, language) for c in mine[:QUEUE_LINES])
    return reply(
        env,
        update,
        "staff-mine",
        params={"name": actor.first_name, "count": len(mine)},
        lines=lines,
    )


async def case_summary(
    uow: UnitOfWork, env: Env, update: GroupUpdate, actor: Actor, args: str
) -> Say:
    """One case the staff member may see, as its card shows it, with the link to its topic."""
    number = parse_case_number(args)
    case = None if number is None else await uow.cases.get(number)
    if case is None:
        return reply(env, update, "staff-case-not-found", params={"query": args.strip()[:40]})
    if not await may_see(uow, env, Viewer.of(env, actor), case):
        return reply(env, update, "staff-case-not-yours", params={"number": case.number})
    if case.erased_at is not None:
        line = _line(env, case, casework.staff_language(env))[1]
        return reply(env, update, "staff-case-erased", params={**line, "at": case.erased_at})
    customer = await casework.customer_of(uow, case)
    files = await uow.attachments.for_case(case.number)
    params = card_params(case, customer, files, env.config, casework.staff_language(env))
    params["link"] = topic_link(case.topic_chat_id, case.topic_id)
    return reply(env, update, "staff-case", params=params)


def search_of(query: str) -> CaseSearch | None:
    """What /find looks for: a case number, a phone number, or words (None: nothing usable)."""
    number = parse_case_number(query)
    if number is not None:
        return CaseSearch(number=number)
    if _PHONE.match(query):
        digits = "".join(ch for ch in query if ch.isdigit())
        if len(digits) >= 6:
            return CaseSearch(phone=digits)
    words = tuple(w for w in query.split() if len(w) >= 2)[:FIND_WORDS]
    return CaseSearch(words=words) if words else None


async def find(uow: UnitOfWork, env: Env, update: GroupUpdate, actor: Actor, args: str) -> Say:
    """The team's own cases matching a case number, a phone number, a name or words from the
    conversation, newest first, as links to their topics."""
    query = args.strip()
    search = search_of(query)
    if search is None:
        return reply(env, update, "staff-find-how")
    found, total = await uow.cases.find(actor.team.key, search, FIND_LINES)
    language = casework.staff_language(env)
    lines = []
    for case in found:
        customer = None if case.customer_id is None else await uow.customers.by_id(case.customer_id)
        category = env.config.category(case.category)
        lines.append(
            (
                "staff-find-line",
                {
                    "number": case.number,
                    "category": category.title_in(language) if category else case.category,
                    "state": case.state.value,
                    "customer": customer.first_name if customer else "",
                    "opened": case.created_at,
                    "link": topic_link(case.topic_chat_id, case.topic_id),
                },
            )
        )
    return reply(
        env,
        update,
        "staff-find",
        params={
            "query": query[:60],
            "team": actor.team.title,
            "count": total,
            "shown": len(found),
            "more": total - len(found),
        },
        lines=tuple(lines),
    )
