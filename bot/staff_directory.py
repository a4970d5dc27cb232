"""Who is staff: members of a team's group (asked of Telegram, remembered briefly), and managers.

Telegram is asked before an update's transaction opens (`look_up`); inside it the answer is
read from memory (`known`), so no network call ever waits while a transaction holds the database.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.retry import Unavailable
from bot.transport import Delivered, RetryLater, Transport
from flows.config import OrgConfig

MEMBER_STATUSES = frozenset({"creator", "administrator", "member", "restricted"})
CACHE_SECONDS = 60.0


class StaffDirectory:
    """Answers "may this person act in this staff group?" with getChatMember, cached briefly."""

    def __init__(
        self,
        transport: Transport,
        config: OrgConfig,
        monotonic: Callable[[], float] = time.monotonic,
        ttl: float = CACHE_SECONDS,
    ) -> None:
        self._transport = transport
        self._config = config
        self._monotonic = monotonic
        self._ttl = ttl
        self._known: dict[tuple[int, int], tuple[bool, float]] = {}

    async def is_staff(self, chat_id: int, user_id: int) -> bool:
        """Whether `user_id` belongs to the staff group `chat_id` (or is a manager)."""
        await self.look_up(chat_id, user_id)
        return self.known(chat_id, user_id)

    def known(self, chat_id: int, user_id: int) -> bool:
        """The answer `look_up` found, from memory only (refused if there is none)."""
        if self._config.manager_by_telegram_id(user_id) is not None:
            return True
        if self._config.team_of_chat(chat_id) is None:
            return False
        known = self._known.get((chat_id, user_id))
        # Even just expired: it was looked up for this very update, moments ago.
        return known is not None and known[0]

    async def look_up(self, chat_id: int, user_id: int) -> None:
        """Ask Telegram, unless the answer is known and fresh; raises Unavailable while Telegram
        cannot answer (the update waits, rather than refusing a member)."""
        if self._config.manager_by_telegram_id(user_id) is not None:
            return
        if self._config.team_of_chat(chat_id) is None:
            return
        now = self._monotonic()
        known = self._known.get((chat_id, user_id))
        if known is not None and known[1] > now:
            return
        outcome = await self._transport.call(
            "getChatMember", {"chat_id": chat_id, "user_id": user_id}
        )
        if isinstance(outcome, RetryLater):
            raise Unavailable(f"Telegram cannot be reached (getChatMember: {outcome.reason})")
        # A refused check refuses, and is not remembered: the next press asks again.
        if not isinstance(outcome, Delivered) or not isinstance(outcome.result, dict):
            self._known.pop((chat_id, user_id), None)
            return
        member = outcome.result.get("status") in MEMBER_STATUSES
        if outcome.result.get("status") == "restricted":
            member = bool(outcome.result.get("is_member"))
        self._known[(chat_id, user_id)] = (member, now + self._ttl)


async def staff_group_problems(transport: Transport, chat_id: int, bot_id: int) -> list[str] | None:
    """What keeps a staff group from holding case topics, in words the operator can act on;
    None when Telegram did not answer (a timeout, a 5xx): nothing is known then."""
    chat = await transport.call("getChat", {"chat_id": chat_id})
    if isinstance(chat, RetryLater):
        return None
    if not isinstance(chat, Delivered) or not isinstance(chat.result, dict):
        return [
            "the bot cannot see this group: add the bot to it (or fix chat_id in the config); "
            "until then its cases' messages cannot reach staff"
        ]
    problems = []
    if not chat.result.get("is_forum"):
        problems.append("the group has no topics: turn on Topics in the group's settings")
    member = await transport.call("getChatMember", {"chat_id": chat_id, "user_id": bot_id})
    if isinstance(member, RetryLater):
        return None
    rights = member.result if isinstance(member, Delivered) else None
    if not isinstance(rights, dict) or rights.get("status") != "administrator":
        problems.append("the bot is not an admin: make it one, with the right to manage topics")
    else:
        if not rights.get("can_manage_topics"):
            problems.append("the bot may not manage topics: give it that admin right")
        if not rights.get("can_delete_messages"):
            problems.append(
                "the bot may not delete messages: give it that admin right, so that a case "
                "whose data is erased (at the customer's request, or after its retention "
                "period) leaves no topic behind"
            )
    return problems
