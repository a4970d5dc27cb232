"""Bot API methods about the bot, chats, members, pins, forum topics, commands and webhooks."""

from __future__ import annotations

import json
import re
from typing import Any

from sandbox.emulator.methods import Handler
from sandbox.emulator.params import Params
from sandbox.emulator.state import (
    TOPIC_COLORS,
    Chat,
    JsonDict,
    Message,
    State,
    Topic,
    User,
    bad_request,
)

_ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_send_welcome_messages",
    "can_pin_messages",
)
_NO_RIGHTS = "not enough rights to manage topics"
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram accepts as a webhook secret
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")  # Telegram: 1-32 lowercase letters, digits, underscores
_LANGUAGE_CODE = re.compile(r"[a-z]{2}")  # a two-letter ISO 639-1 code, or none


def member_json(chat: Chat, user: User, status: str) -> JsonDict:
    """The Bot API ChatMember object for user in chat."""
    out: JsonDict = {"status": status, "user": user.to_api()}
    if status == "creator":
        out["is_anonymous"] = False
    elif status == "administrator":
        topics = chat.bot_can_manage_topics if user.is_bot else chat.is_forum
        out.update({"can_be_edited": False, "is_anonymous": False})
        out.update(dict.fromkeys(_ADMIN_RIGHTS, True))
        out["can_manage_topics"] = topics
        if user.is_bot:
            out["can_delete_messages"] = chat.bot_can_delete_messages
    elif status == "kicked":
        out["until_date"] = 0
    return out


class ChatMethods:
    """Everything that is not a message: identity, members, pins, topics, settings."""

    def __init__(self, state: State, privacy_mode: bool = True):
        self.state = state
        self.privacy_mode = privacy_mode

    def handlers(self) -> dict[str, Handler]:
        """Method name -> handler."""
        return {
            "getMe": self.get_me,
            "logOut": self.ok,
            "close": self.ok,
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.get_webhook_info,
            "getChat": self.get_chat,
            "getChatMember": self.get_chat_member,
            "getChatAdministrators": self.get_chat_administrators,
            "getChatMemberCount": self.get_chat_member_count,
            "pinChatMessage": self.pin_chat_message,
            "unpinChatMessage": self.unpin_chat_message,
            "unpinAllChatMessages": self.unpin_all_chat_messages,
            "createForumTopic": self.create_forum_topic,
            "editForumTopic": self.edit_forum_topic,
            "closeForumTopic": self.close_forum_topic,
            "reopenForumTopic": self.reopen_forum_topic,
            "deleteForumTopic": self.delete_forum_topic,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "setChatMenuButton": self.set_chat_menu_button,
            "getChatMenuButton": self.get_chat_menu_button,
            "getFile": self.get_file,
        }

    def ok(self, p: Params) -> bool:
        """Methods that only say yes."""
        return True

    def get_me(self, p: Params) -> JsonDict:
        """getMe."""
        return {
            **self.state.bot.to_api(),
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def set_webhook(self, p: Params) -> bool:
        """setWebhook: updates are POSTed to the url from now on (sandbox.emulator.webhook);
        getUpdates answers 409 like Telegram's."""
        url = p.text("url") or ""
        secret = p.text("secret_token") or ""
        if secret and not _SECRET.fullmatch(secret):
            raise bad_request("secret token contains unallowed characters")
        if url and not url.startswith(("https://", "http://")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self.state.webhook_url = url
        self.state.webhook_secret = secret
        self.state.webhook_max_connections = max(1, min(100, p.integer("max_connections") or 40))
        allowed = p.json("allowed_updates")
        if isinstance(allowed, list):
            self.state.allowed_updates = frozenset(map(str, allowed)) if allowed else None
        if p.flag("drop_pending_updates"):
            self.state.updates.clear()
        return True

    def delete_webhook(self, p: Params) -> bool:
        """deleteWebhook, optionally dropping pending updates."""
        self.state.webhook_url = ""
        self.state.webhook_secret = ""
        if p.flag("drop_pending_updates"):
            self.state.updates.clear()
        return True

    def get_webhook_info(self, p: Params) -> JsonDict:
        """getWebhookInfo."""
        return {
            "url": self.state.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.state.updates),
        }

    def get_chat(self, p: Params) -> JsonDict:
        """getChat (ChatFullInfo)."""
        chat = self.state.chat(p.chat_id())
        gifts = ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription")
        return {
            **chat.to_api(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {**dict.fromkeys(gifts, False), "gifts_from_channels": False},
        }

    def _status(self, chat: Chat, user_id: int) -> str:
        if user_id == self.state.bot.id:
            return "administrator" if chat.bot_admin else "member"
        if chat.private:
            return "member" if user_id == chat.id else "left"
        return chat.members.get(user_id, "left")

    def get_chat_member(self, p: Params) -> JsonDict:
        """getChatMember: creator, administrator, member, left or kicked."""
        chat = self.state.chat(p.chat_id())
        user_id = p.integer("user_id", required=True)
        assert user_id is not None
        user = self.state.users.get(user_id)
        if user is None:
            raise bad_request("user not found")
        return member_json(chat, user, self._status(chat, user_id))

    def get_chat_administrators(self, p: Params) -> list[JsonDict]:
        """getChatAdministrators (the bot included when it is one)."""
        chat = self.state.chat(p.chat_id())
        out = []
        for user_id in [*chat.members, self.state.bot.id]:
            status = self._status(chat, user_id)
            if status in ("creator", "administrator"):
                out.append(member_json(chat, self.state.users[user_id], status))
        return out

    def get_chat_member_count(self, p: Params) -> int:
        """getChatMemberCount."""
        chat = self.state.chat(p.chat_id())
        if chat.private:
            return 2
        return 1 + sum(s in ("creator", "administrator", "member") for s in chat.members.values())

    # -- pins -------------------------------------------------------------------------------

    def _pin_rights(self, chat: Chat) -> None:
        if not chat.private and not chat.bot_admin:
            raise bad_request("not enough rights to manage pinned messages in the chat")

    def pin_chat_message(self, p: Params) -> bool:
        """pinChatMessage; posts the pinned_message service message like Telegram."""
        chat = self.state.chat(p.chat_id())
        msg = self.state.message(chat.id, p.integer("message_id", required=True))
        if msg is None:
            raise bad_request("message to pin not found")
        self._pin_rights(chat)
        if not msg.pinned:
            msg.pinned = True
            self._service(chat, msg.thread_id, "pinned_message", self.state.message_json(msg, True))
        return True

    def unpin_chat_message(self, p: Params) -> bool:
        """unpinChatMessage (the most recent pin when message_id is absent)."""
        chat = self.state.chat(p.chat_id())
        self._pin_rights(chat)
        pinned = [m for m in self.state.messages.get(chat.id, {}).values() if m.pinned]
        message_id = p.integer("message_id")
        for msg in pinned if message_id is not None else pinned[-1:]:
            if message_id in (None, msg.message_id):
                msg.pinned = False
        return True

    def unpin_all_chat_messages(self, p: Params) -> bool:
        """unpinAllChatMessages."""
        chat = self.state.chat(p.chat_id())
        self._pin_rights(chat)
        for msg in self.state.messages.get(chat.id, {}).values():
            msg.pinned = False
        return True

    def _service(self, chat: Chat, thread: int | None, name: str, value: JsonDict) -> Message:
        return self.state.add_message(
            chat, self.state.bot, kind=name, thread_id=thread, service={name: value}
        )

    # -- forum topics ------------------------------------------------------------------------

    def _forum(self, p: Params) -> Chat:
        chat = self.state.chat(p.chat_id())
        if not chat.is_forum:
            raise bad_request("the chat is not a forum")
        if not (chat.bot_admin and chat.bot_can_manage_topics):
            raise bad_request(_NO_RIGHTS)
        return chat

    def _topic(self, chat: Chat, p: Params) -> Topic:
        thread = p.integer("message_thread_id", required=True)
        topic = self.state.topics.get(chat.id, {}).get(thread or 0)
        if topic is None or topic.deleted:
            raise bad_request("message thread not found")
        return topic

    def create_forum_topic(self, p: Params) -> JsonDict:
        """createForumTopic: needs a forum where the bot is an admin allowed to manage topics."""
        chat = self._forum(p)
        name = p.text("name") or ""
        if not name.strip():
            raise bad_request("TOPIC_TITLE_EMPTY")
        if len(name) > 128:
            raise bad_request("TOPIC_TITLE_TOO_LONG")
        color = p.integer("icon_color") or TOPIC_COLORS[0]
        if color not in TOPIC_COLORS:
            raise bad_request("TOPIC_ICON_COLOR_INVALID")
        return self.open_topic(chat, self.state.bot, name, color, p.text("icon_custom_emoji_id"))

    def open_topic(
        self, chat: Chat, creator: User, name: str, color: int, emoji_id: str | None
    ) -> JsonDict:
        """Create a topic and its forum_topic_created service message (thread id = its id)."""
        created: JsonDict = {"name": name, "icon_color": color}
        if emoji_id:
            created["icon_custom_emoji_id"] = emoji_id
        msg = self.state.add_message(
            chat, creator, kind="forum_topic_created", service={"forum_topic_created": created}
        )
        msg.thread_id = msg.message_id
        topic = Topic(msg.message_id, name, color, emoji_id or None)
        self.state.topics.setdefault(chat.id, {})[topic.thread_id] = topic
        return topic.to_api()

    def edit_forum_topic(self, p: Params) -> bool:
        """editForumTopic."""
        chat = self._forum(p)
        topic = self._topic(chat, p)
        edited: JsonDict = {}
        if p.has("name") and p.text("name") != topic.name:
            topic.name = edited["name"] = p.text("name") or topic.name
        if "icon_custom_emoji_id" in p.values:
            topic.icon_custom_emoji_id = edited["icon_custom_emoji_id"] = (
                p.text("icon_custom_emoji_id") or None
            )
        if not edited:
            raise bad_request("TOPIC_NOT_MODIFIED")
        self._service(chat, topic.thread_id, "forum_topic_edited", edited)
        return True

    def _set_closed(self, p: Params, closed: bool) -> bool:
        chat = self._forum(p)
        topic = self._topic(chat, p)
        if topic.closed == closed:
            raise bad_request("TOPIC_NOT_MODIFIED")
        topic.closed = closed
        name = "forum_topic_closed" if closed else "forum_topic_reopened"
        self._service(chat, topic.thread_id, name, {})
        return True

    def close_forum_topic(self, p: Params) -> bool:
        """closeForumTopic."""
        return self._set_closed(p, True)

    def reopen_forum_topic(self, p: Params) -> bool:
        """reopenForumTopic."""
        return self._set_closed(p, False)

    def delete_forum_topic(self, p: Params) -> bool:
        """deleteForumTopic: the topic and all its messages disappear; as in Telegram, the bot
        needs the right to delete messages (managing topics is not enough)."""
        chat = self.state.chat(p.chat_id())
        if not chat.is_forum:
            raise bad_request("the chat is not a forum")
        if not (chat.bot_admin and chat.bot_can_delete_messages):
            raise bad_request("not enough rights to delete the topic")
        delete_topic(self.state, chat.id, self._topic(chat, p).thread_id)
        return True

    # -- commands, menu button, files --------------------------------------------------------

    @staticmethod
    def _commands_key(p: Params) -> str:
        language = p.text("language_code") or ""
        if language and not _LANGUAGE_CODE.fullmatch(language):
            raise bad_request("invalid language code specified")
        return commands_key(p.json("scope") or {"type": "default"}, language)

    def set_my_commands(self, p: Params) -> bool:
        """setMyCommands, per scope and language like Telegram, which checks every command."""
        commands = p.json("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("commands must be a list of at most 100 BotCommand objects")
        for c in commands:
            name = str(c.get("command", "")) if isinstance(c, dict) else ""
            description = str(c.get("description", "")).strip() if isinstance(c, dict) else ""
            if not description:
                raise bad_request("command description must be non-empty")
            if not _COMMAND.fullmatch(name.removeprefix("/")) or len(description) > 256:
                raise bad_request("BOT_COMMAND_INVALID")
        self.state.commands[self._commands_key(p)] = commands
        return True

    def get_my_commands(self, p: Params) -> list[Any]:
        """getMyCommands."""
        return self.state.commands.get(self._commands_key(p), [])

    def delete_my_commands(self, p: Params) -> bool:
        """deleteMyCommands."""
        self.state.commands.pop(self._commands_key(p), None)
        return True

    def set_chat_menu_button(self, p: Params) -> bool:
        """setChatMenuButton (chat_id absent = the default button)."""
        button = p.json("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or "type" not in button:
            raise bad_request("MenuButton must be an Object")
        self.state.menu_buttons[p.integer("chat_id")] = button
        return True

    def get_chat_menu_button(self, p: Params) -> JsonDict:
        """getChatMenuButton."""
        buttons = self.state.menu_buttons
        return buttons.get(p.integer("chat_id"), buttons.get(None, {"type": "default"}))

    def get_file(self, p: Params) -> JsonDict:
        """getFile: the path under /file/bot<token>/ where the emulator serves the bytes."""
        file_id = p.text("file_id") or ""
        stored = self.state.files.get(file_id)
        if stored is None:
            raise bad_request("wrong file_id or the file is temporarily unavailable")
        out: JsonDict = {
            "file_id": file_id,
            "file_unique_id": stored.file_unique_id,
            "file_path": stored.file_path,
        }
        if stored.data is not None:
            out["file_size"] = len(stored.data)
        return out


def commands_key(scope: JsonDict, language_code: str) -> str:
    """Where setMyCommands keeps a list: per scope and language, like Telegram."""
    return json.dumps([scope, language_code], sort_keys=True)


def delete_topic(state: State, chat_id: int, thread_id: int) -> None:
    """Mark a topic and every message in it deleted (by the bot or by a human)."""
    topic = state.topics.get(chat_id, {}).get(thread_id)
    if topic is None:
        raise LookupError(f"no topic {thread_id} in chat {chat_id}")
    topic.deleted = True
    for msg in state.messages.get(chat_id, {}).values():
        if msg.thread_id == thread_id:
            msg.deleted = True
            msg.pinned = False
