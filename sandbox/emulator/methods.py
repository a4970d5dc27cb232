"""Bot API methods that send, copy, edit and delete messages, and answer callback queries."""

from __future__ import annotations

import copy
from collections.abc import Callable
from html import escape
from typing import Any

from sandbox.emulator.images import image_size, photo_problem
from sandbox.emulator.limits import (
    EntityParseError,
    RateLimiter,
    RateLimits,
    parse_html,
    strip_text,
    with_urls,
)
from sandbox.emulator.params import Params
from sandbox.emulator.state import (
    ApiError,
    Chat,
    JsonDict,
    Message,
    State,
    Stats,
    Upload,
    bad_request,
    too_many_requests,
)

Handler = Callable[[Params], Any]
DELETE_WITHIN = 48 * 3600  # seconds after which only an admin allowed to delete may delete

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
# Media kinds that a bot can send with send<Kind>, and the kinds a file_id of each may be.
MEDIA_KINDS = ("photo", "document", "voice", "video", "animation", "audio", "video_note", "sticker")
_COMPATIBLE = {"document": {"document", "animation"}, "animation": {"animation", "document"}}
_BUTTON_ACTIONS = (
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


# The emoji Telegram accepts as reactions (a bot without Premium may set one of these).
REACTION_EMOJI = frozenset(
    [
        "👍",
        "👎",
        "❤",
        "🔥",
        "🥰",
        "👏",
        "😁",
        "🤔",
        "🤯",
        "😱",
        "🤬",
        "😢",
        "🎉",
        "🤩",
        "🤮",
        "💩",
        "🙏",
        "👌",
        "🕊",
        "🤡",
        "🥱",
        "🥴",
        "😍",
        "🐳",
        "❤\u200d🔥",
        "🌚",
        "🌭",
        "💯",
        "🤣",
        "⚡",
        "🍌",
        "🏆",
        "💔",
        "🤨",
        "😐",
        "🍓",
        "🍾",
        "💋",
        "🖕",
        "😈",
        "😴",
        "😭",
        "🤓",
        "👻",
        "👨\u200d💻",
        "👀",
        "🎃",
        "🙈",
        "😇",
        "😨",
        "🤝",
        "✍",
        "🤗",
        "🫡",
        "🎅",
        "🎄",
        "☃",
        "💅",
        "🤪",
        "🗿",
        "🆒",
        "💘",
        "🙉",
        "🦄",
        "😘",
        "💊",
        "🙊",
        "😎",
        "👾",
        "🤷\u200d♂",
        "🤷",
        "🤷\u200d♀",
        "😡",
    ]
)


class MessageMethods:
    """sendMessage & co.; validation first, then flood control, then the change itself."""

    def __init__(self, state: State, limiter: RateLimiter, limits: RateLimits, stats: Stats):
        self.state = state
        self.limiter = limiter
        self.limits = limits
        self.stats = stats

    def handlers(self) -> dict[str, Handler]:
        """Method name -> handler."""
        out: dict[str, Handler] = {
            "sendMessage": self.send_message,
            "sendMediaGroup": self.send_media_group,
            "sendLocation": self.send_location,
            "sendContact": self.send_contact,
            "copyMessage": self.copy_message,
            "forwardMessage": self.forward_message,
            "editMessageText": self.edit_message_text,
            "editMessageCaption": self.edit_message_caption,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "deleteMessage": self.delete_message,
            "deleteMessages": self.delete_messages,
            "answerCallbackQuery": self.answer_callback_query,
            "setMessageReaction": self.set_message_reaction,
            "sendChatAction": self.send_chat_action,
        }
        for kind in MEDIA_KINDS:
            name = "send" + "".join(part.title() for part in kind.split("_"))
            out[name] = self._media_sender(kind)
        return out

    # -- shared steps ---------------------------------------------------------------------

    def target(self, p: Params) -> tuple[Chat, int | None]:
        """The destination chat and topic, refusing what Telegram refuses before sending."""
        chat = self.state.chat(p.chat_id())
        if chat.private and chat.bot_blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat.private and not chat.started:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        thread = p.integer("message_thread_id")
        if thread is not None:
            self.check_thread(chat, thread)
        return chat, thread

    def check_thread(self, chat: Chat, thread: int) -> None:
        """Refuse a message_thread_id that does not name a live topic (or thread) of chat."""
        if chat.is_forum:
            topic = self.state.topics.get(chat.id, {}).get(thread)
            if topic is None or topic.deleted:
                raise bad_request("message thread not found")
            if topic.closed and not chat.bot_can_manage_topics:
                raise bad_request("TOPIC_CLOSED")
        elif chat.type != "supergroup" or self.state.message(chat.id, thread) is None:
            raise bad_request("message thread not found")

    def reply_target(
        self, p: Params, chat: Chat, thread: int | None
    ) -> tuple[int | None, int | None]:
        """(reply_to_message_id, thread) from reply_parameters or legacy reply_to_message_id."""
        params = p.json("reply_parameters")
        allow_missing = p.flag("allow_sending_without_reply")
        if isinstance(params, dict):
            reply_id = params.get("message_id")
            allow_missing = bool(params.get("allow_sending_without_reply", allow_missing))
            other_chat = params.get("chat_id")
            if other_chat not in (None, chat.id, str(chat.id)):
                raise bad_request("replies to other chats are not supported by the emulator")
        else:
            reply_id = p.integer("reply_to_message_id")
        if reply_id is None:
            return None, thread
        target = self.state.message(chat.id, int(reply_id))
        if target is None:
            if allow_missing:
                return None, thread
            raise bad_request("message to be replied not found")
        return target.message_id, thread if thread is not None else target.thread_id

    def formatted(
        self, p: Params, field: str, mode_field: str, entities_field: str, limit: int
    ) -> tuple[str, str, list[JsonDict]]:
        """(visible text, source, entities) of a text or caption parameter."""
        source = p.text(field) or ""
        mode = (p.text(mode_field) or "").strip().lower()
        if mode == "html":
            try:
                parsed = parse_html(source)
            except EntityParseError as exc:
                raise bad_request(f"can't parse entities: {exc}") from None
            plain, entities = parsed.text, parsed.entities
        elif mode in ("", "none"):
            plain = source
            source = escape(plain, quote=False)  # .html is always an HTML rendering
            raw = p.json(entities_field)
            entities = [e for e in raw if isinstance(e, dict)] if isinstance(raw, list) else []
        elif mode in ("markdown", "markdownv2"):
            raise bad_request("the emulator implements only parse_mode HTML")
        else:
            raise bad_request("unsupported parse_mode")
        plain, entities = strip_text(plain, entities)
        entities = with_urls(plain, entities)
        if field == "text":
            if not plain:
                raise bad_request("message text is empty")
            if len(plain) > limit:
                raise bad_request("message is too long")
        elif len(plain) > limit:
            raise bad_request("message caption is too long")
        return plain, source, entities

    def caption(self, p: Params) -> tuple[str | None, str | None, list[JsonDict]]:
        """The optional caption of a media message."""
        if not p.has("caption"):
            return None, None, []
        plain, source, entities = self.formatted(
            p, "caption", "parse_mode", "caption_entities", self.limits.max_caption
        )
        if not plain:  # a blank caption is no caption
            return None, None, []
        return plain, source, entities

    def markup(self, p: Params) -> JsonDict | None:
        """The validated reply_markup."""
        markup = p.json("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad_request("object expected as reply markup")
        rows = markup.get("inline_keyboard")
        if rows is None:
            if not any(k in markup for k in ("keyboard", "remove_keyboard", "force_reply")):
                raise bad_request("can't parse reply keyboard markup JSON object")
            return markup
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array'
            )
        for button in (b for row in rows for b in row):
            self.check_button(button)
        return markup

    def check_button(self, button: Any) -> None:
        """Telegram's checks on one inline keyboard button."""
        if not isinstance(button, dict):
            raise bad_request("InlineKeyboardButton must be an Object")
        text = button.get("text")
        if not isinstance(text, str) or not text.strip():
            raise bad_request("can't parse inline keyboard button: Text must be non-empty")
        data = button.get("callback_data")
        if data is None or data == "":
            # Telegram treats an empty callback_data as absent, leaving a button without action.
            if not any(button.get(k) is not None for k in _BUTTON_ACTIONS):
                raise bad_request("text buttons are unallowed in the inline keyboard")
            return
        if len(str(data).encode("utf-8")) > self.limits.max_callback_data:
            raise bad_request("BUTTON_DATA_INVALID")

    def charge(self, chat: Chat) -> None:
        """Flood control; on refusal nothing has changed yet."""
        retry_after = self.limiter.acquire(chat.id, chat.private)
        if retry_after is not None:
            self.stats.rate_limited_by_chat[chat.id] += 1
            raise too_many_requests(retry_after)

    def post(self, chat: Chat, **fields: Any) -> Message:
        """Store a message from the bot."""
        self.stats.sent[chat.id] += 1
        return self.state.add_message(chat, self.state.bot, **fields)

    def editable(self, p: Params) -> Message:
        """The bot's own message named by chat_id/message_id, for edit* methods."""
        if p.has("inline_message_id"):
            raise bad_request("inline messages are not emulated")
        chat = self.state.chat(p.chat_id())
        msg = self.state.message(chat.id, p.integer("message_id", required=True))
        if msg is None:
            raise bad_request("message to edit not found")
        if not msg.from_bot or msg.is_service:
            raise bad_request("message can't be edited")
        return msg

    def media_value(self, kind: str, file: Upload | str | None, p: Params) -> Any:
        """The message field for a file sent by upload, URL or file_id."""
        if file is None:
            raise bad_request(f"there is no {kind} in the request")
        meta: dict[str, Any] = {k: p.integer(k) for k in ("width", "height", "duration")}
        if isinstance(file, Upload) and kind == "photo":
            # Telegram decodes an uploaded photo: not a picture, or absurd sides, is refused.
            size = image_size(file.data)
            problem = photo_problem(size)
            if problem is not None:
                raise bad_request(problem)
            assert size is not None
            meta["width"], meta["height"] = size
        if isinstance(file, Upload):
            return self.state.new_file(
                kind, file.data, file.filename, self.upload_mime(kind, file), **meta
            )
        if file.startswith(("http://", "https://")):
            return self.state.new_file(kind, None, file.rsplit("/", 1)[-1] or None, **meta)
        stored = self.state.files.get(file)
        if stored is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if stored.kind != kind and stored.kind not in _COMPATIBLE.get(kind, set()):
            raise bad_request(f"can't use file of type {stored.kind.title()} as {kind.title()}")
        return copy.deepcopy(stored.value)

    @staticmethod
    def upload_mime(kind: str, upload: Upload) -> str | None:
        """A multipart part's content type, unless it is the meaningless default."""
        ctype = upload.content_type
        if kind == "photo" or ctype in (None, "application/octet-stream"):
            return None
        return ctype

    @staticmethod
    def content(kind: str, value: Any) -> JsonDict:
        """Message fields for a media value (animations also carry a document, as in Telegram)."""
        out: JsonDict = {kind: value}
        if kind == "animation":
            out["document"] = {k: v for k, v in value.items() if k not in ("width", "height")}
        return out

    # -- sending --------------------------------------------------------------------------

    def send_message(self, p: Params) -> JsonDict:
        """sendMessage."""
        chat, thread = self.target(p)
        plain, source, entities = self.formatted(
            p, "text", "parse_mode", "entities", self.limits.max_text
        )
        markup = self.markup(p)
        reply, thread = self.reply_target(p, chat, thread)
        self.charge(chat)
        msg = self.post(
            chat,
            body=plain,
            html=source,
            entities=entities,
            reply_markup=markup,
            thread_id=thread,
            reply_to_message_id=reply,
        )
        return self.state.message_json(msg)

    def _media_sender(self, kind: str) -> Handler:
        def send(p: Params) -> JsonDict:
            chat, thread = self.target(p)
            caption, source, entities = self.caption(p) if kind != "sticker" else (None, None, [])
            markup = self.markup(p)
            reply, thread = self.reply_target(p, chat, thread)
            value = self.media_value(kind, p.file(kind), p)
            self.charge(chat)
            msg = self.post(
                chat,
                kind=kind,
                content=self.content(kind, value),
                caption=caption,
                html=source,
                entities=entities,
                reply_markup=markup,
                thread_id=thread,
                reply_to_message_id=reply,
            )
            return self.state.message_json(msg)

        return send

    def send_media_group(self, p: Params) -> list[JsonDict]:
        """sendMediaGroup: 2-10 photos/videos/documents/audios sharing one media_group_id."""
        chat, thread = self.target(p)
        items = p.json("media")
        if not isinstance(items, list) or not 2 <= len(items) <= 10:
            raise bad_request("media must include 2-10 items")
        prepared = []
        for item in items:
            if not isinstance(item, dict) or item.get("type") not in (
                "photo",
                "video",
                "document",
                "audio",
            ):
                raise bad_request("can't parse InputMedia JSON object")
            kind = str(item["type"])
            item_params = Params({k: v for k, v in item.items() if k != "media"}, p.uploads)
            value = self.media_value(kind, p.resolve_file(item.get("media")), item_params)
            prepared.append((kind, value, self.caption(item_params)))
        reply, thread = self.reply_target(p, chat, thread)
        self.charge(chat)
        group_id = str(10_000_000_000 + self.state.new_id())
        out = []
        for kind, value, (caption, source, entities) in prepared:
            msg = self.post(
                chat,
                kind=kind,
                content=self.content(kind, value),
                caption=caption,
                html=source,
                entities=entities,
                thread_id=thread,
                reply_to_message_id=reply,
                media_group_id=group_id,
            )
            out.append(self.state.message_json(msg))
        return out

    def send_location(self, p: Params) -> JsonDict:
        """sendLocation."""
        chat, thread = self.target(p)
        try:
            lat, lon = float(p.text("latitude") or ""), float(p.text("longitude") or "")
        except ValueError:
            raise bad_request("wrong latitude or longitude specified") from None
        return self._send_simple(
            p, chat, thread, "location", {"location": {"latitude": lat, "longitude": lon}}
        )

    def send_contact(self, p: Params) -> JsonDict:
        """sendContact."""
        chat, thread = self.target(p)
        contact: JsonDict = {
            "phone_number": p.text("phone_number") or "",
            "first_name": p.text("first_name") or "",
        }
        if not contact["phone_number"] or not contact["first_name"]:
            raise bad_request("phone number and first name must be non-empty")
        if p.has("last_name"):
            contact["last_name"] = p.text("last_name")
        return self._send_simple(p, chat, thread, "contact", {"contact": contact})

    def _send_simple(
        self, p: Params, chat: Chat, thread: int | None, kind: str, content: JsonDict
    ) -> JsonDict:
        markup = self.markup(p)
        reply, thread = self.reply_target(p, chat, thread)
        self.charge(chat)
        msg = self.post(
            chat,
            kind=kind,
            content=content,
            reply_markup=markup,
            thread_id=thread,
            reply_to_message_id=reply,
        )
        return self.state.message_json(msg)

    def _source(self, p: Params, missing: str) -> Message:
        chat = self.state.chat(p.chat_id("from_chat_id"))
        msg = self.state.message(chat.id, p.integer("message_id", required=True))
        if msg is None:
            raise bad_request(missing)
        if msg.is_service:
            raise bad_request("message can't be copied" if "copy" in missing else missing)
        return msg

    def copy_message(self, p: Params) -> JsonDict:
        """copyMessage: the content without a link to the original; returns {message_id}."""
        chat, thread = self.target(p)
        source = self._source(p, "message to copy not found")
        caption, html, entities = source.caption, source.html, source.entities
        if source.body is None and p.has("caption"):
            caption, html, entities = self.caption(p)
        elif source.body is None and "caption" in p.values:
            caption, html, entities = None, None, []  # an empty caption removes it
        markup = self.markup(p)
        reply, thread = self.reply_target(p, chat, thread)
        self.charge(chat)
        msg = self.post(
            chat,
            kind=source.kind,
            body=source.body,
            caption=caption,
            html=html,
            entities=copy.deepcopy(entities),
            content=copy.deepcopy(source.content),
            reply_markup=markup,
            thread_id=thread,
            reply_to_message_id=reply,
        )
        return {"message_id": msg.message_id}

    def forward_message(self, p: Params) -> JsonDict:
        """forwardMessage: the content plus forward_origin naming the original sender."""
        chat, thread = self.target(p)
        source = self._source(p, "message to forward not found")
        origin = source.forward_origin or {
            "type": "user",
            "sender_user": source.sender.to_api(),
            "date": source.date,
        }
        self.charge(chat)
        msg = self.post(
            chat,
            kind=source.kind,
            body=source.body,
            caption=source.caption,
            html=source.html,
            entities=copy.deepcopy(source.entities),
            content=copy.deepcopy(source.content),
            thread_id=thread,
            forward_origin=copy.deepcopy(origin),
        )
        return self.state.message_json(msg)

    # -- editing and deleting ---------------------------------------------------------------

    def edit_message_text(self, p: Params) -> JsonDict:
        """editMessageText; leaving out reply_markup removes the inline keyboard, as in Telegram."""
        msg = self.editable(p)
        if msg.body is None:
            raise bad_request("there is no text in the message to edit")
        plain, source, entities = self.formatted(
            p, "text", "parse_mode", "entities", self.limits.max_text
        )
        markup = self.markup(p)
        if (plain, entities, markup) == (msg.body, msg.entities, msg.reply_markup):
            raise bad_request(NOT_MODIFIED)
        msg.body, msg.html, msg.entities, msg.reply_markup = plain, source, entities, markup
        msg.edit_date = self.state.now()
        return self.state.message_json(msg)

    def edit_message_caption(self, p: Params) -> JsonDict:
        """editMessageCaption."""
        msg = self.editable(p)
        if msg.body is not None:
            raise bad_request("there is no caption in the message to edit")
        caption, source, entities = self.caption(p)
        markup = self.markup(p)
        if (caption, entities, markup) == (msg.caption, msg.entities, msg.reply_markup):
            raise bad_request(NOT_MODIFIED)
        msg.caption, msg.html, msg.entities, msg.reply_markup = caption, source, entities, markup
        msg.edit_date = self.state.now()
        return self.state.message_json(msg)

    def edit_message_reply_markup(self, p: Params) -> JsonDict:
        """editMessageReplyMarkup; no reply_markup removes the keyboard."""
        msg = self.editable(p)
        markup = self.markup(p)
        if markup == msg.reply_markup:
            raise bad_request(NOT_MODIFIED)
        msg.reply_markup = markup
        msg.edit_date = self.state.now()
        return self.state.message_json(msg)

    def _delete(self, chat: Chat, message_id: int | None) -> None:
        msg = self.state.message(chat.id, message_id)
        if msg is None or msg.deleted:
            raise bad_request("message to delete not found")
        if msg.is_service and msg.kind == "forum_topic_created":
            raise bad_request("message can't be deleted")
        # Telegram: a message may be deleted within 48 hours, the bot's own and (in a private
        # chat) the person's; an admin of a group, or of a supergroup with can_delete_messages,
        # may delete any, any time.
        any_message = chat.bot_admin and (chat.type == "group" or chat.bot_can_delete_messages)
        entitled = chat.private or msg.from_bot
        if not any_message and (not entitled or self.state.now() - msg.date > DELETE_WITHIN):
            raise bad_request("message can't be deleted")
        msg.deleted = True
        msg.pinned = False

    def delete_message(self, p: Params) -> bool:
        """deleteMessage."""
        self._delete(self.state.chat(p.chat_id()), p.integer("message_id", required=True))
        return True

    def delete_messages(self, p: Params) -> bool:
        """deleteMessages: missing messages are skipped, as in Telegram."""
        chat = self.state.chat(p.chat_id())
        ids = p.json("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise bad_request("message_ids must be a list of 1-100 identifiers")
        for message_id in ids:
            try:
                self._delete(chat, int(message_id))
            except ApiError:
                continue
        return True

    def set_message_reaction(self, p: Params) -> bool:
        """setMessageReaction: the bot's emoji reactions on a message (an empty list clears)."""
        chat = self.state.chat(p.chat_id())
        msg = self.state.message(chat.id, p.integer("message_id", required=True))
        if msg is None or msg.is_service:
            raise bad_request("message to react not found")
        reaction = p.json("reaction") or []
        if not isinstance(reaction, list):
            raise bad_request("can't parse reaction JSON object")
        emoji = []
        for item in reaction:
            if not isinstance(item, dict) or item.get("type") != "emoji":
                raise bad_request("REACTION_INVALID")
            if item.get("emoji") not in REACTION_EMOJI:
                raise bad_request("REACTION_INVALID")
            emoji.append(str(item["emoji"]))
        if len(emoji) > 1:
            raise bad_request("REACTIONS_TOO_MANY")
        msg.reactions = emoji
        return True

    def answer_callback_query(self, p: Params) -> bool:
        """answerCallbackQuery: recorded once per query id."""
        query_id = p.text("callback_query_id") or ""
        if query_id not in self.state.callbacks or query_id in self.state.callback_answers:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = p.text("text")
        if text is not None and len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        self.state.callback_answers[query_id] = (text, p.flag("show_alert"))
        return True

    def send_chat_action(self, p: Params) -> bool:
        """sendChatAction: checked like a send, but not counted by flood control."""
        self.target(p)
        if not p.has("action"):
            raise bad_request("action is empty")
        return True
