"""Who may see a case: the one rule behind every way staff and managers look cases up.

A staff member sees the cases of their own team (the team whose group they act in). A manager
sees, besides, the cases of the categories they manage and the cases escalated to them. Nobody
else sees a case through a command, whatever its number.
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.env import Env
from flows.model import Case
from flows.ports import UnitOfWork
from flows.staff import Actor


@dataclass(frozen=True)
class Viewer:
    """Someone asking to see cases: a member of a team, a manager, or both."""

    team: str | None = None
    manager: str | None = None

    @classmethod
    def of(cls, env: Env, actor: Actor) -> Viewer:
        """The viewer acting in a staff group."""
        manager = env.config.manager_by_telegram_id(actor.telegram_id)
        return cls(
            team=actor.team.key if actor.is_staff else None,
            manager=manager.key if manager is not None else None,
        )


async def may_see(uow: UnitOfWork, env: Env, viewer: Viewer, case: Case) -> bool:
    """Whether `viewer` may see `case` (its card, its customer, its history)."""
    if viewer.team is not None and viewer.team == case.team:
        return True
    if viewer.manager is None:
        return False
    category = env.config.category(case.category)
    if viewer.manager == case.manager or (category and category.manager == viewer.manager):
        return True
    escalations = await uow.escalations.for_case(case.number)
    return any(viewer.manager in (e.manager, e.acked_by) for e in escalations)
