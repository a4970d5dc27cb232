"""The "/" command menus Telegram shows, in the languages the organisation speaks.

Telegram picks a chat's menu by scope (the chat itself, then all private chats) and, within a
scope, by the user's language: the list set for that `language_code`, else the one set without
a language. So customers get a list per spoken language plus one in the organisation's default
language for everyone else; staff groups one list in the default language (what staff read);
managers' private chats their own commands and the customer ones, per language too.
Descriptions come from the Fluent files (`menu-*`), never from code.
"""

from __future__ import annotations

from bot.i18n import Renderer
from bot.transport import Json
from flows.config import LANGUAGES, OrgConfig

# (command, Fluent key of its description), in the order the menu lists them.
CUSTOMER_COMMANDS = (
    ("new", "menu-new"),
    ("status", "menu-status"),
    ("manager", "menu-manager"),
    ("withdraw", "menu-withdraw"),
    ("mydata", "menu-mydata"),
    ("forget", "menu-forget"),
    ("help", "menu-help"),
    ("cancel", "menu-cancel"),
)
MANAGER_COMMANDS = (
    ("report", "menu-report"),
    ("reviews", "menu-reviews"),
    ("done", "menu-done"),
    *CUSTOMER_COMMANDS,
)
STAFF_COMMANDS = (
    ("queue", "menu-queue"),
    ("mine", "menu-mine"),
    ("case", "menu-case"),
    ("find", "menu-find"),
    ("r", "menu-r"),
    ("note", "menu-note"),
    ("help", "menu-staff-help"),
)
PRIVATE_CHATS: Json = {"type": "all_private_chats"}


def command_menus(org: OrgConfig, renderer: Renderer) -> list[Json]:
    """The setMyCommands calls that set every menu, managers' last.

    Within a scope the list without a language comes after the per-language ones, so once it
    is there the whole scope is.
    """
    spoken = (*org.organisation.languages, "")
    calls = _scope(org, renderer, PRIVATE_CHATS, CUSTOMER_COMMANDS, spoken)
    for chat_id in sorted(org.staff_chat_ids):
        scope = {"type": "chat", "chat_id": chat_id}
        calls += _scope(org, renderer, scope, STAFF_COMMANDS, ("",))
    for manager in org.managers:
        scope = {"type": "chat", "chat_id": manager.telegram_id}
        calls += _scope(org, renderer, scope, MANAGER_COMMANDS, spoken)
    return calls


def unspoken_menus(org: OrgConfig) -> list[Json]:
    """The deleteMyCommands calls that drop menus of languages the organisation no longer speaks.

    Without them a customer whose language was dropped would keep reading the old list, while
    the bot answers in the default language.
    """
    dropped = [code for code in LANGUAGES if code not in org.organisation.languages]
    scopes = [PRIVATE_CHATS, *({"type": "chat", "chat_id": m.telegram_id} for m in org.managers)]
    return [{"scope": scope, "language_code": code} for scope in scopes for code in dropped]


def _scope(
    org: OrgConfig,
    renderer: Renderer,
    scope: Json,
    commands: tuple[tuple[str, str], ...],
    languages: tuple[str, ...],
) -> list[Json]:
    calls = []
    for code in languages:
        language = code or org.organisation.default_language
        menu = [
            {"command": name, "description": renderer.text(language, key)} for name, key in commands
        ]
        call: Json = {"commands": menu, "scope": scope}
        if code:
            call["language_code"] = code
        calls.append(call)
    return calls
