"""Who acts in a staff group, and how the bot answers them there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flows import casework
from flows.config import Team
from flows.env import Env
from flows.incoming import GroupUpdate
from flows.messages import Param, Say
from flows.model import Case


@dataclass(frozen=True)
class Actor:
    """The person acting in a staff group, as the flows see them."""

    telegram_id: int
    first_name: str
    team: Team
    is_staff: bool
    is_manager: bool

    @property
    def tag(self) -> str:
        """How the case log names them."""
        return f"staff:{self.telegram_id}"

    @property
    def label(self) -> str:
        """How the customer hears their name."""
        return casework.owner_label(self.first_name, self.team)


def reply(env: Env, update: GroupUpdate, key: str, **kwargs: Any) -> Say:
    """A message in the chat and thread the staff member wrote in."""
    return Say(
        chat_id=update.chat_id,
        key=key,
        language=casework.staff_language(env),
        thread_id=update.thread_id,
        **kwargs,
    )


def not_now(env: Env, update: GroupUpdate, case: Case) -> Say:
    """The case's state does not allow what the staff member asked for."""
    params: dict[str, Param] = {"number": case.number, "state": case.state.value}
    return reply(env, update, "staff-not-now", params=params)
