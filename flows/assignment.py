"""Round-robin assignment: a team with `assign = "round-robin"` gives each new case at once to
the next of its people.

Only people active in the team's group in the last ACTIVE_WITHIN are in the round (nobody is
given a case while away), and nobody with `max_open_per_agent` open cases or more. Among the
rest the case goes to whoever has waited longest since their last one. With nobody in the
round, the case waits for the team as before, until somebody is in the round again: whenever a
person of the team does something in its group (back from a break, or a case of theirs ended),
the waiting cases are handed out, oldest first (`catch_up`). The person is named to the
customer only now that they were assigned it (flows/promise.py): the promise is theirs, by the
time already promised.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from flows import casework, promise
from flows.config import Team
from flows.env import Env
from flows.lifecycle import CaseEvent, allowed_events
from flows.model import Case, StaffMember
from flows.ports import UnitOfWork

ACTIVE_WITHIN = timedelta(hours=1)
# Waiting cases handed out after one staff action at most: a long queue drains over several.
CATCH_UP = 10
ROUND_ROBIN = "round-robin"
_NEVER = datetime.min.replace(tzinfo=UTC)


async def next_in_turn(uow: UnitOfWork, env: Env, team: Team) -> StaffMember | None:
    """Who of `team` gets the next case, if anybody is active and below the open-case limit."""
    since = env.now - ACTIVE_WITHIN
    limit = env.config.organisation.max_open_per_agent
    candidates = []
    for member in await uow.staff.in_team(team.key):
        if member.last_seen < since or env.config.manager_by_telegram_id(member.telegram_id):
            continue
        if len(await uow.cases.open_for_owner(member.telegram_id)) >= limit:
            continue
        candidates.append(member)
    if not candidates:
        return None
    return min(candidates, key=lambda m: (m.last_assigned or _NEVER, m.last_seen, m.telegram_id))


async def assign(uow: UnitOfWork, env: Env, case: Case) -> Case:
    """Give an untaken case of a round-robin team to the next person in turn (saved, and the
    topic told); the case as it was if the team takes cases itself or nobody is in the round."""
    team = env.config.team(case.team)
    if team.assign != ROUND_ROBIN or case.owner_id is not None:
        return case
    if CaseEvent.TAKE not in allowed_events(case.state):
        return case
    member = await next_in_turn(uow, env, team)
    if member is None:
        return case
    label = casework.owner_label(member.first_name, team)
    moved = await casework.move(
        uow, env, case, CaseEvent.TAKE, "system", name=label, assigned=member.telegram_id
    )
    owes = casework.owes_now(moved)
    due = casework.kept_due(env, moved, owes)
    owned = promise.for_staff(
        member.telegram_id, member.first_name, team.key, owes, due, promise.ASSIGNED, env.now
    )
    case = replace(moved, owner_id=member.telegram_id, owner_name=label, promise=owned)
    case = await casework.save(uow, env, case)
    await uow.staff.assigned(member.telegram_id, env.now)
    await casework.send(
        uow,
        env,
        casework.to_topic(
            env, case, "topic-assigned", params={"number": case.number, "owner": label}
        ),
    )
    return case


async def catch_up(uow: UnitOfWork, env: Env, team: Team) -> None:
    """Hand a round-robin team's waiting cases, oldest first, to whoever is in the round now;
    each customer hears who handles their case, and by when."""
    if team.assign != ROUND_ROBIN:
        return
    for case in await uow.cases.waiting_for_agent(team.key, CATCH_UP):
        assigned = await assign(uow, env, case)
        if assigned.owner_id is None:
            return  # nobody (more) in the round
        await casework.send(uow, env, await casework.tell(uow, env, assigned, "case-taken"))
