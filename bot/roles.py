"""Who hearback serves where, for every runtime: the chats of each role, and what hearback takes
when it shares a bot with the host's own handlers (embedded) instead of owning it (standalone).

The runtimes' routers and handlers express these as their own filters; the decisions are here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.staff_directory import StaffDirectory
from bot.translate import command_name
from flows.actions import BadPayload, Menu, unpack
from flows.config import OrgConfig

Json = dict[str, Any]
# Customer commands typed in a group that is not a staff group: pointed to the private chat.
GROUP_COMMAND = re.compile(r"^/(start|new|status|cases|help|mydata|forget)(@\w+)?(\s|$)")


def is_ours(data: str | None) -> bool:
    """Whether callback data is a button hearback made (current or stale)."""
    try:
        unpack(data or "")
    except BadPayload:
        return False
    return True


@dataclass(frozen=True)
class Entry:
    """What hearback takes in private chats, and how a complaint starts there.

    Standalone (the default), hearback owns the bot and takes everything. Embedded in a host's
    bot, the host keeps `host_commands` and every button hearback did not make, and a complaint
    starts with the host's own `command` (instead of /new) or button (`button` callback data).
    """

    command: str | None = None
    button: str | None = None
    host_commands: frozenset[str] = frozenset()
    host_buttons: bool = False

    @classmethod
    def embedded(
        cls,
        command: str | None = "complaint",
        button: str | None = None,
        host_commands: tuple[str, ...] = ("start", "help"),
    ) -> Entry:
        """hearback inside a host bot that keeps `host_commands` and its own buttons."""
        return cls(command, button, frozenset(host_commands), host_buttons=True)

    def takes_text(self, text: str | None) -> bool:
        """A message is hearback's unless it is one of the host's commands."""
        name = command_name(text or "")
        return name is None or name not in self.host_commands or name == self.command

    def takes_command(self, text: str | None) -> bool:
        """A customer command in a group is hearback's unless the host keeps it."""
        name = command_name(text or "")
        return name is not None and name not in self.host_commands

    def takes_button(self, data: str | None) -> bool:
        """A button press is hearback's if hearback made the button or it is the entry button."""
        if not self.host_buttons:
            return True
        return (self.button is not None and data == self.button) or is_ours(data)

    def rewritten(self, raw: Json) -> Json:
        """The update in hearback's own words: the host's entry command or button becomes /new."""
        message = raw.get("message")
        if self.command and message and command_name(message.get("text") or "") == self.command:
            _, space, args = str(message["text"]).partition(" ")
            text = "/new" + space + args
            entities = [
                {**e, "length": 4} if e.get("type") == "bot_command" and e.get("offset") == 0 else e
                for e in message.get("entities") or []
            ]
            return {**raw, "message": {**message, "text": text, "entities": entities}}
        query = raw.get("callback_query")
        if self.button and query and query.get("data") == self.button:
            return {**raw, "callback_query": {**query, "data": Menu("file").pack()}}
        return raw


@dataclass
class Roles:
    """The chats and people of each role, and what the role handlers need besides the update."""

    staff_chats: frozenset[int]
    manager_ids: frozenset[int]
    directory: StaffDirectory
    entry: Entry = field(default_factory=Entry)
    bot_username: str = "hearback_bot"

    @classmethod
    def of(cls, org: OrgConfig, directory: StaffDirectory, entry: Entry | None = None) -> Roles:
        """The roles of an organisation."""
        managers = frozenset(m.telegram_id for m in org.managers)
        return cls(org.staff_chat_ids, managers, directory, entry or Entry())
