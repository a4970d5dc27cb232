"""The sandbox's web server: the page, its static files, a small JSON API and live events.

The API acts as the people of the sandbox (a customer writes, a staff member presses a
button) through the emulator's driver, so the bot sees exactly what Telegram would send it.
Changes reach the page as server-sent events: the chats that changed since the page last
heard, redrawn there from text and entities, never from HTML.
"""

from __future__ import annotations

import asyncio
import json
import mimetypes
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from aiohttp import web

from sandbox.demo.jump import JumpInProgress
from sandbox.demo.view import chat_json, clock_json, people_json
from sandbox.emulator import Message

if TYPE_CHECKING:
    from sandbox.demo.sandbox import Sandbox

SANDBOX: web.AppKey[Sandbox] = web.AppKey("sandbox")
STATIC = Path(__file__).parent / "static"
MAX_UPLOAD = 10 * 1024 * 1024  # Telegram's limit for a photo
MAX_TEXT = 4096
MAX_CAPTION = 1024
KEEPALIVE = 15.0  # seconds between comments that keep an idle event stream open
COALESCE = 0.05  # seconds to let a burst of changes settle before sending them
PRESS_TIMEOUT = 10.0  # how long a pressed button waits for the bot's answer
MAX_JUMP = timedelta(days=31)
SPEEDS = (1.0, 60.0, 3600.0)
CSP = (
    "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


class BadInput(ValueError):
    """A request the page should not have sent; the message is shown to the person."""


def build_web(sandbox: Sandbox) -> web.Application:
    """The aiohttp application of the sandbox page."""
    app = web.Application(client_max_size=MAX_UPLOAD + 64 * 1024, middlewares=[guard])
    app[SANDBOX] = sandbox
    app.router.add_get("/", index)
    app.router.add_static("/static", STATIC)
    app.router.add_get("/api/events", events)
    app.router.add_get("/api/state", state)
    app.router.add_get("/api/files/{file_id}", download)
    app.router.add_post("/api/chats/{chat_id}/messages", send_text)
    app.router.add_post("/api/chats/{chat_id}/files", send_file)
    app.router.add_post("/api/chats/{chat_id}/contact", send_contact)
    app.router.add_post("/api/press", press)
    app.router.add_post("/api/customers", add_customer)
    app.router.add_post("/api/users/{user_id}/language", set_language)
    app.router.add_post("/api/clock", set_clock)
    app.on_response_prepare.append(_headers)
    return app


async def _headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.setdefault("Cache-Control", "no-cache")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"


@web.middleware
async def guard(request: web.Request, handler: Any) -> web.StreamResponse:
    """Refuse other sites' requests and clear errors for bad input."""
    sandbox = request.app[SANDBOX]
    if sandbox.loopback and request.url.host not in ("127.0.0.1", "localhost", "::1"):
        # A page elsewhere that resolves its own name to 127.0.0.1 must not drive the sandbox.
        return web.json_response({"error": "Unknown host."}, status=403)
    if request.method != "GET":
        origin = request.headers.get("Origin")
        site = request.headers.get("Sec-Fetch-Site", "same-origin")
        if (origin is not None and origin != f"{request.scheme}://{request.host}") or site not in (
            "same-origin",
            "none",
        ):
            return web.json_response(
                {"error": "Requests from other sites are refused."}, status=403
            )
    if request.path.startswith("/api/") and not sandbox.ready:
        return web.json_response({"error": "The sandbox is starting; try again."}, status=503)
    try:
        response: web.StreamResponse = await handler(request)
        return response
    except (BadInput, ValueError, LookupError) as error:
        return web.json_response({"error": str(error)}, status=400)


async def index(request: web.Request) -> web.StreamResponse:
    """The page."""
    response = web.FileResponse(STATIC / "index.html")
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Frame-Options"] = "DENY"
    return response


# -- live state ------------------------------------------------------------------------------


class Feed:
    """What one page has been told, so that it is sent only what changed."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.chats: dict[int, str] = {}
        self.people = ""
        self.clock_version = -1

    def changes(self) -> str | None:
        """A JSON object with the parts that changed, or None."""
        s = self.sandbox
        parts = [] if self.people else ['"full":true']
        people = json.dumps(people_json(s.emu, s.world, s.org), ensure_ascii=False)
        if people != self.people:
            parts.append(f'"people":{people}')
            self.people = people
        if s.clock_version != self.clock_version:
            parts.append(f'"clock":{json.dumps(clock_of(s))}')
            self.clock_version = s.clock_version
        changed = []
        for chat in s.emu.state.chats.values():
            text = json.dumps(chat_json(s.emu, chat), ensure_ascii=False)
            if self.chats.get(chat.id) != text:
                changed.append(text)
                self.chats[chat.id] = text
        if changed:
            parts.append(f'"chats":[{",".join(changed)}]')
        gone = [chat_id for chat_id in self.chats if chat_id not in s.emu.state.chats]
        for chat_id in gone:
            del self.chats[chat_id]
        if gone:
            parts.append(f'"gone":{json.dumps(gone)}')
        return "{" + ",".join(parts) + "}" if parts else None


async def events(request: web.Request) -> web.StreamResponse:
    """Server-sent events: everything at first, then what changed, as it changes."""
    sandbox = request.app[SANDBOX]
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "X-Accel-Buffering": "no"}
    )
    await response.prepare(request)
    feed = Feed(sandbox)
    try:
        while not sandbox.closing:
            version = sandbox.emu.version
            payload = feed.changes()
            if payload is not None:
                await response.write(f"data: {payload}\n\n".encode())
            changed = await sandbox.emu.wait_until(sandbox.changed_since(version), KEEPALIVE)
            if not changed:
                await response.write(b": still here\n\n")
            else:
                await asyncio.sleep(COALESCE)
    except ConnectionResetError:
        pass  # the page was closed
    return response


async def state(request: web.Request) -> web.Response:
    """Everything the page would be sent on connecting, as one JSON document."""
    payload = Feed(request.app[SANDBOX]).changes()
    return web.Response(text=payload or "{}", content_type="application/json")


# -- files -----------------------------------------------------------------------------------


def image_type(data: bytes) -> str | None:
    """The MIME type of a PNG, JPEG, GIF or WebP picture, else None."""
    for magic, mime in _IMAGES:
        if data.startswith(magic):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


async def download(request: web.Request) -> web.StreamResponse:
    """A file's bytes: pictures inline, anything else as a download."""
    stored = request.app[SANDBOX].emu.state.files.get(request.match_info["file_id"])
    if stored is None or stored.data is None:
        raise web.HTTPNotFound(text="This file has no content in the sandbox.")
    mime = image_type(stored.data)
    if mime is not None:
        return web.Response(body=stored.data, content_type=mime)
    name = str(stored.value.get("file_name", "file")) if isinstance(stored.value, dict) else "file"
    return web.Response(
        body=stored.data,
        content_type="application/octet-stream",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )


# -- people act ------------------------------------------------------------------------------


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise BadInput("The request is not JSON.") from None
    if not isinstance(body, dict):
        raise BadInput("The request is not a JSON object.")
    return body


def _int(value: Any, what: str, required: bool = True) -> int | None:
    if value in (None, "") and not required:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise BadInput(f"{what} must be a number.") from None


def _person(request: web.Request, value: Any) -> int:
    user_id = _int(value, "user_id")
    assert user_id is not None
    if request.app[SANDBOX].world.person(user_id) is None:
        raise BadInput(f"There is nobody with the id {user_id} in the sandbox.")
    return user_id


def _chat_id(request: web.Request) -> int:
    chat_id = _int(request.match_info["chat_id"], "chat_id")
    assert chat_id is not None
    return chat_id


def _sent(message: Message) -> web.Response:
    return web.json_response({"message_id": message.message_id})


async def send_text(request: web.Request) -> web.Response:
    """A person writes: {user_id, text, thread_id?, reply_to?}."""
    body = await _body(request)
    text = str(body.get("text") or "")
    if not text.strip():
        raise BadInput("There is nothing to send.")
    if len(text) > MAX_TEXT:
        raise BadInput(f"A message can have at most {MAX_TEXT} characters.")
    message = await request.app[SANDBOX].emu.send_text(
        _person(request, body.get("user_id")),
        text,
        chat_id=_chat_id(request),
        thread_id=_int(body.get("thread_id"), "thread_id", required=False),
        reply_to=_int(body.get("reply_to"), "reply_to", required=False),
    )
    return _sent(message)


async def send_file(request: web.Request) -> web.Response:
    """A person sends a file from disk (multipart): pictures become photos, others documents."""
    form = await request.post()
    upload = form.get("file")
    if not isinstance(upload, web.FileField):
        raise BadInput("Choose a file to send.")
    data = upload.file.read()
    if not data:
        raise BadInput("The file is empty.")
    emu = request.app[SANDBOX].emu
    user_id = _person(request, form.get("user_id"))
    caption = str(form.get("caption") or "").strip() or None
    if caption is not None and len(caption) > MAX_CAPTION:
        raise BadInput(f"A caption can have at most {MAX_CAPTION} characters.")
    where: dict[str, Any] = {
        "chat_id": _chat_id(request),
        "thread_id": _int(form.get("thread_id"), "thread_id", required=False),
        "reply_to": _int(form.get("reply_to"), "reply_to", required=False),
    }
    if image_type(data) is not None:
        width = _int(form.get("width"), "width", required=False) or 1280
        height = _int(form.get("height"), "height", required=False) or 960
        message = await emu.send_photo(
            user_id, caption, width=width, height=height, data=data, **where
        )
    else:
        name = upload.filename or "file"
        mime = upload.content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        message = await emu.send_document(user_id, name, mime, caption, data, **where)
    return _sent(message)


async def send_contact(request: web.Request) -> web.Response:
    """A person shares their own phone number: {user_id, thread_id?}."""
    body = await _body(request)
    sandbox = request.app[SANDBOX]
    user_id = _person(request, body.get("user_id"))
    person = sandbox.world.person(user_id)
    if person is None or person.phone is None:
        raise BadInput("This person has no phone number in the sandbox.")
    message = await sandbox.emu.send_contact(
        user_id,
        person.phone,
        chat_id=_chat_id(request),
        thread_id=_int(body.get("thread_id"), "thread_id", required=False),
    )
    return _sent(message)


async def press(request: web.Request) -> web.Response:
    """A person presses an inline button: {user_id, chat_id, message_id, data}.

    Answers with the bot's callback answer ({answered, text, alert}) once it has come, the way
    a Telegram app shows a toast or an alert to the person who pressed.
    """
    body = await _body(request)
    emu = request.app[SANDBOX].emu
    chat_id = _int(body.get("chat_id"), "chat_id")
    message_id = _int(body.get("message_id"), "message_id")
    assert chat_id is not None and message_id is not None
    query = await emu.press_button(
        _person(request, body.get("user_id")), chat_id, message_id, str(body.get("data") or "")
    )
    answered = await emu.wait_until(lambda: query in emu.callback_answers, PRESS_TIMEOUT)
    text, alert = emu.callback_answers.get(query, (None, False))
    return web.json_response({"answered": bool(answered), "text": text, "alert": alert})


async def add_customer(request: web.Request) -> web.Response:
    """Another customer: {first_name, last_name?, language}."""
    body = await _body(request)
    sandbox = request.app[SANDBOX]
    person = sandbox.world.add_customer(
        sandbox.emu,
        str(body.get("first_name") or ""),
        str(body.get("last_name") or "") or None,
        str(body.get("language") or sandbox.org.organisation.default_language),
    )
    return web.json_response({"id": person.id, "name": person.name})


async def set_language(request: web.Request) -> web.Response:
    """A person switches Telegram's language: {language}."""
    body = await _body(request)
    sandbox = request.app[SANDBOX]
    user_id = _person(request, request.match_info["user_id"])
    sandbox.world.set_language(sandbox.emu, user_id, str(body.get("language") or ""))
    return web.json_response({"language": body["language"]})


def clock_of(sandbox: Sandbox) -> dict[str, Any]:
    """The sandbox's clock as the page is told it."""
    return clock_json(sandbox.clock, sandbox.clock_version, sandbox.jumping_to)


async def set_clock(request: web.Request) -> web.Response:
    """Change the simulated clock: {speed} (one of SPEEDS) or {jump} (seconds ahead).

    A jump goes on after the answer (the page follows it in the event stream); a second one
    while it runs is refused with 409.
    """
    body = await _body(request)
    sandbox = request.app[SANDBOX]
    if "speed" in body:
        try:
            speed = float(body["speed"])
        except (TypeError, ValueError):
            raise BadInput("speed must be a number.") from None
        if speed not in SPEEDS:
            raise BadInput(f"The clock runs at ×1, ×60 or ×3600, not ×{body['speed']}.")
        sandbox.set_speed(speed)
    if "jump" in body:
        seconds = _int(body["jump"], "jump")
        assert seconds is not None
        if not 60 <= seconds <= MAX_JUMP.total_seconds():
            raise BadInput("The clock jumps ahead by a minute up to 31 days.")
        try:
            sandbox.start_jump(timedelta(seconds=seconds))
        except JumpInProgress as busy:
            return web.json_response({"error": str(busy)}, status=409)
    return web.json_response(clock_of(sandbox))
