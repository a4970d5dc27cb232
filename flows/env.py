"""What every service call gets besides its unit of work: config, time and randomness."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flows.config import OrgConfig


@dataclass(frozen=True)
class Env:
    """The service environment; `now` is read once per update by the caller, never inside flows."""

    config: OrgConfig
    now: datetime
    random_bytes: Callable[[int], bytes]

    def language_for(self, language_code: str | None) -> str:
        """The customer's language if we speak it, else the organisation's default."""
        code = (language_code or "").split("-")[0].lower()
        languages = self.config.organisation.languages
        return code if code in languages else self.config.organisation.default_language
