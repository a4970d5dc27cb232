"""What people do in the emulated Telegram: write, send media, edit, press buttons."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape
from typing import Any

from sandbox.emulator.limits import utf16_len, with_urls
from sandbox.emulator.methods import MessageMethods
from sandbox.emulator.state import Chat, JsonDict, Message, State, User

_COMMAND = re.compile(r"^/[A-Za-z0-9_]{1,64}(@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_])")


def _commands(text: str) -> list[JsonDict]:
    """The bot_command entity Telegram adds to a text starting with /command."""
    command = _COMMAND.match(text)
    if command is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(command[0])}]


class UserActions:
    """User-side driver calls, mixed into BotApiEmulator; each one enqueues its update."""

    state: State
    bot_user: User
    privacy_mode: bool

    def notify(self) -> None:
        """Wake everything waiting for a state change (BotApiEmulator implements it)."""
        raise NotImplementedError

    def user(self, user_id: int) -> User:
        """A known user."""
        user = self.state.users.get(user_id)
        if user is None:
            raise LookupError(f"unknown user {user_id}; add_user() first")
        return user

    def chat(self, chat_id: int) -> Chat:
        """A known chat."""
        chat = self.state.chats.get(chat_id)
        if chat is None:
            raise LookupError(f"unknown chat {chat_id}")
        return chat

    # -- user actions ------------------------------------------------------------------------

    def _user_message(
        self,
        user_id: int,
        chat_id: int | None,
        thread_id: int | None,
        reply_to: int | None,
        **fields: Any,
    ) -> Message:
        user = self.user(user_id)
        chat = self.chat(user_id if chat_id is None else chat_id)
        if chat.private:
            if chat.id != user_id:
                raise ValueError(f"user {user_id} cannot write in {chat.id}'s private chat")
            # Writing to the bot means the user has opened and unblocked the chat.
            chat.started, chat.bot_blocked = True, False
        elif chat.members.get(user_id) not in ("creator", "administrator", "member"):
            raise ValueError(f"user {user_id} is not a member of chat {chat.id}")
        if thread_id is not None:
            topic = self.state.topics.get(chat.id, {}).get(thread_id)
            if topic is None or topic.deleted:
                raise ValueError(f"no live topic {thread_id} in chat {chat.id}")
        if reply_to is not None:
            target = self.state.message(chat.id, reply_to)
            if target is None:
                raise ValueError(f"no message {reply_to} in chat {chat.id} to reply to")
            thread_id = thread_id if thread_id is not None else target.thread_id
        msg = self.state.add_message(
            chat, user, thread_id=thread_id, reply_to_message_id=reply_to, **fields
        )
        self._deliver("message", msg)
        return msg

    def _deliver(self, kind: str, msg: Message) -> None:
        chat = self.state.chats[msg.chat_id]
        if chat.private or not self.privacy_mode or chat.bot_admin or self._addressed(msg):
            self.state.enqueue(kind, self.state.message_json(msg))
        self.notify()

    def _addressed(self, msg: Message) -> bool:
        """Privacy mode: what a non-admin bot sees in a group."""
        if msg.is_service or msg.text.startswith("/"):
            return True
        target = self.state.message(msg.chat_id, msg.reply_to_message_id)
        return (target is not None and target.from_bot) or (
            f"@{self.bot_user.username}" in msg.text
        )

    async def send_text(
        self,
        user_id: int,
        text: str,
        chat_id: int | None = None,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> Message:
        """The user writes text (a leading /command gets its bot_command entity)."""
        return self._user_message(
            user_id,
            chat_id,
            thread_id,
            reply_to,
            body=text,
            html=escape(text, quote=False),
            entities=with_urls(text, _commands(text)),
        )

    async def send_command(
        self,
        user_id: int,
        command: str,
        chat_id: int | None = None,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> Message:
        """send_text of "/command args" ("start" and "/start" both work)."""
        text = command if command.startswith("/") else f"/{command}"
        return await self.send_text(user_id, text, chat_id, thread_id, reply_to)

    def _media(
        self,
        user_id: int,
        kind: str,
        caption: str | None,
        where: tuple[int | None, int | None, int | None],
        media_group_id: str | None = None,
        **meta: Any,
    ) -> Message:
        value = self.state.new_file(kind, **meta)
        return self._user_message(
            user_id,
            *where,
            kind=kind,
            content=MessageMethods.content(kind, value),
            caption=caption,
            html=None if caption is None else escape(caption, quote=False),
            media_group_id=media_group_id,
        )

    async def send_photo(
        self,
        user_id: int,
        caption: str | None = None,
        media_group_id: str | None = None,
        chat_id: int | None = None,
        thread_id: int | None = None,
        reply_to: int | None = None,
        width: int = 1280,
        height: int = 960,
        data: bytes | None = None,
    ) -> Message:
        """The user sends a photo (three sizes, like Telegram; `data` = the picture's bytes)."""
        where = (chat_id, thread_id, reply_to)
        return self._media(
            user_id, "photo", caption, where, media_group_id, width=width, height=height, data=data
        )

    async def send_document(
        self,
        user_id: int,
        file_name: str = "document.pdf",
        mime_type: str = "application/pdf",
        caption: str | None = None,
        data: bytes | None = None,
        chat_id: int | None = None,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> Message:
        """The user sends a file."""
        where = (chat_id, thread_id, reply_to)
        return self._media(
            user_id, "document", caption, where, data=data, file_name=file_name, mime_type=mime_type
        )

    async def send_voice(
        self,
        user_id: int,
        duration: int = 3,
        caption: str | None = None,
        chat_id: int | None = None,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> Message:
        """The user sends a voice note."""
        where = (chat_id, thread_id, reply_to)
        return self._media(user_id, "voice", caption, where, duration=duration)

    async def send_video(
        self,
        user_id: int,
        duration: int = 5,
        caption: str | None = None,
        chat_id: int | None = None,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> Message:
        """The user sends a video."""
        where = (chat_id, thread_id, reply_to)
        return self._media(user_id, "video", caption, where, duration=duration)

    async def send_sticker(
        self,
        user_id: int,
        emoji: str = "🙂",
        chat_id: int | None = None,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> Message:
        """The user sends a sticker."""
        return self._media(user_id, "sticker", None, (chat_id, thread_id, reply_to), emoji=emoji)

    async def send_animation(
        self,
        user_id: int,
        caption: str | None = None,
        chat_id: int | None = None,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> Message:
        """The user sends a GIF (an animation that also carries a document)."""
        return self._media(user_id, "animation", caption, (chat_id, thread_id, reply_to))

    async def send_location(
        self,
        user_id: int,
        latitude: float = 52.2297,
        longitude: float = 21.0122,
        chat_id: int | None = None,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> Message:
        """The user shares a location."""
        location = {"latitude": latitude, "longitude": longitude}
        return self._user_message(
            user_id, chat_id, thread_id, reply_to, kind="location", content={"location": location}
        )

    async def send_poll(
        self,
        user_id: int,
        question: str = "Which one?",
        options: Iterable[str] = ("Yes", "No"),
        chat_id: int | None = None,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> Message:
        """The user sends a poll."""
        poll_id = str(5_000_000_000_000_000_000 + self.state.new_id())
        poll: JsonDict = {
            "id": poll_id,
            "question": question,
            "options": [
                {"persistent_id": f"{poll_id}-{i}", "text": text, "voter_count": 0}
                for i, text in enumerate(options)
            ],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": True,
            "type": "regular",
            "allows_multiple_answers": False,
            "allows_revoting": True,
            "members_only": False,
        }
        return self._user_message(
            user_id, chat_id, thread_id, reply_to, kind="poll", content={"poll": poll}
        )

    async def send_contact(
        self,
        user_id: int,
        phone_number: str,
        first_name: str | None = None,
        last_name: str | None = None,
        own: bool = True,
        chat_id: int | None = None,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> Message:
        """The user shares a contact; own=True shares their own (user_id set, as Telegram does)."""
        user = self.user(user_id)
        contact: JsonDict = {
            "phone_number": phone_number,
            "first_name": first_name or (user.first_name if own else "Contact"),
        }
        last = last_name if last_name is not None else (user.last_name if own else None)
        if last:
            contact["last_name"] = last
        if own:
            contact["user_id"] = user_id
        return self._user_message(
            user_id, chat_id, thread_id, reply_to, kind="contact", content={"contact": contact}
        )

    async def send_album(
        self,
        user_id: int,
        count: int = 10,
        caption: str | None = None,
        chat_id: int | None = None,
        thread_id: int | None = None,
    ) -> list[Message]:
        """The user sends an album: `count` photos, one update each, one media_group_id."""
        if not 2 <= count <= 10:
            raise ValueError("an album has 2 to 10 items")
        group = str(10_000_000_000 + self.state.new_id())
        where = (chat_id, thread_id, None)
        return [
            self._media(user_id, "photo", caption if i == 0 else None, where, group)
            for i in range(count)
        ]

    async def forward_text(
        self,
        user_id: int,
        text: str,
        from_user_id: int,
        chat_id: int | None = None,
        thread_id: int | None = None,
    ) -> Message:
        """The user forwards a text message originally written by from_user_id."""
        origin = {
            "type": "user",
            "sender_user": self.user(from_user_id).to_api(),
            "date": self.state.now() - 60,
        }
        return self._user_message(
            user_id,
            chat_id,
            thread_id,
            None,
            body=text,
            html=escape(text, quote=False),
            forward_origin=origin,
        )

    def delete_by_user(self, user_id: int, chat_id: int, message_id: int) -> None:
        """The user deletes their own message (Telegram tells the bot nothing of it)."""
        msg = self.state.message(chat_id, message_id)
        if msg is None or msg.sender.id != user_id:
            raise LookupError(f"user {user_id} has no message {message_id} in chat {chat_id}")
        msg.deleted = True
        self.notify()

    async def edit_text(
        self, user_id: int, chat_id: int, message_id: int, new_text: str
    ) -> Message:
        """The user edits their text message; the bot gets an edited_message update."""
        msg = self.state.message(chat_id, message_id)
        if msg is None or msg.sender.id != user_id:
            raise ValueError(f"user {user_id} has no message {message_id} in chat {chat_id}")
        if msg.body is not None:
            msg.body, msg.entities = new_text, _commands(new_text)
        else:
            msg.caption = new_text
        msg.html = escape(new_text, quote=False)
        msg.edit_date = self.state.now()
        self._deliver("edited_message", msg)
        return msg

    async def press_button(
        self, user_id: int, chat_id: int, message_id: int, callback_data: str
    ) -> str:
        """The user presses an inline button (any data, so forged payloads can be tested)."""
        user = self.user(user_id)
        msg = self.state.message(chat_id, message_id)
        if msg is None:
            raise ValueError(f"no message {message_id} in chat {chat_id}")
        query_id = str(4_000_000_000_000_000_000 + self.state.new_id())
        self.state.callbacks[query_id] = (user_id, chat_id, message_id)
        self.state.enqueue(
            "callback_query",
            {
                "id": query_id,
                "from": user.to_api(),
                "message": self.state.message_json(msg),
                "chat_instance": str(-abs(chat_id) * 7919 % 10**18),
                "data": callback_data,
            },
        )
        self.notify()
        return query_id

    async def press(self, user_id: int, message: Message, text: str) -> str:
        """Press the button labelled `text` (substring match) on message."""
        for label, data in message.buttons():
            if text in label and data is not None:
                return await self.press_button(user_id, message.chat_id, message.message_id, data)
        raise ValueError(f"no callback button {text!r} on message {message.message_id}")
