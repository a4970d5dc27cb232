"""Bot API request parameters with Telegram's coercions for JSON, urlencoded and multipart."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sandbox.emulator.state import Upload, bad_request


class Params:
    """Typed access to a request's parameters, whichever encoding the client used."""

    def __init__(self, values: Mapping[str, Any], uploads: Mapping[str, Upload] | None = None):
        self.values = dict(values)
        self.uploads = dict(uploads or {})

    def has(self, name: str) -> bool:
        """True when the parameter is present and not empty."""
        return self.values.get(name) not in (None, "")

    def text(self, name: str) -> str | None:
        """A string parameter (numbers sent as JSON become their decimal text)."""
        value = self.values.get(name)
        if value is None:
            return None
        return value if isinstance(value, str) else json.dumps(value)

    def integer(self, name: str, required: bool = False) -> int | None:
        """An integer parameter; form bodies carry it as text."""
        value = self.values.get(name)
        if value in (None, ""):
            if required:
                raise bad_request(f"{name} is empty")
            return None
        if isinstance(value, bool):
            raise bad_request(f"invalid {name} specified")
        if isinstance(value, int):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            raise bad_request(f"invalid {name} specified") from None

    def chat_id(self, name: str = "chat_id") -> int:
        """The chat id; "@username" chats are not emulated, so they are never found."""
        value = self.values.get(name)
        if value in (None, ""):
            raise bad_request(f"{name} is empty")
        try:
            return int(str(value).strip())
        except ValueError:
            raise bad_request("chat not found") from None

    def flag(self, name: str) -> bool:
        """A boolean parameter ("true"/"1" in form bodies)."""
        value = self.values.get(name)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1")
        return bool(value)

    def json(self, name: str) -> Any:
        """A complex parameter; form bodies carry it as a JSON string."""
        value = self.values.get(name)
        if isinstance(value, str):
            if not value:
                return None
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {name} JSON object") from None
        return value

    def file(self, name: str) -> Upload | str | None:
        """A file parameter: an upload (directly or via attach://) or a file_id/URL string."""
        return self.resolve_file(self.values.get(name), name)

    def resolve_file(self, value: Any, name: str = "") -> Upload | str | None:
        """Resolve attach://name references (as used in sendMediaGroup) to uploads."""
        if isinstance(value, str) and value.startswith("attach://"):
            upload = self.uploads.get(value.removeprefix("attach://"))
            if upload is None:
                raise bad_request(f"file {value} not found in the request")
            return upload
        if value in (None, "") and name in self.uploads:
            return self.uploads[name]
        if value in (None, ""):
            return None
        return str(value)
