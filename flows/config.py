"""The organisation's configuration (teams, managers, categories, hours), checked in plain words."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Annotated, Literal, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from flows.durations import WorkingDuration, parse_duration

LANGUAGES = ("en", "ru", "pl", "ta")
DEFAULT_ROOT_CAUSES = (
    "Slow response",
    "Unclear communication",
    "Wrong information given",
    "Product defect",
    "Courier or partner",
    "Policy",
    "Staffing",
    "Other",
)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,23}$")
_CALENDAR = re.compile(r"^(\d+)\s*([dw])$")
LONGEST_RETENTION = timedelta(days=36500)


def _duration(value: object) -> WorkingDuration:
    if isinstance(value, WorkingDuration):
        return value
    if not isinstance(value, str):
        raise ValueError('a duration is text like "90s", "15m", "2h", "3d" or "1w"')
    return parse_duration(value)


Duration = Annotated[WorkingDuration, BeforeValidator(_duration)]
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


def _time_of_day(value: object) -> object:
    if isinstance(value, time) or value == "off":
        return value
    found = _CLOCK.match(value.strip()) if isinstance(value, str) else None
    if found and int(found[1]) < 24 and int(found[2]) < 60:
        return time(int(found[1]), int(found[2]))
    raise ValueError(f'"{value}" is not a time of day; write it like "08:30", or "off" for none')


TimeOfDay = Annotated[time | Literal["off"], BeforeValidator(_time_of_day)]


def _calendar_days(value: object) -> timedelta:
    """A retention period: whole calendar days ("365d") or weeks ("52w"), never working time."""
    if isinstance(value, timedelta):
        return value
    match = _CALENDAR.match(value.strip().lower()) if isinstance(value, str) else None
    if match is None:
        raise ValueError(
            f'"{value}" is not a retention period: write whole calendar days or weeks, like '
            '"365d" or "13w" (retention is legal time, so hours and working days do not apply)'
        )
    days = int(match[1]) * (7 if match[2] == "w" else 1)
    if days < 1:
        raise ValueError(f'"{value}" would erase data at once: keep it at least "1d"')
    period = timedelta(days=days)
    if period > LONGEST_RETENTION:
        raise ValueError(f'"{value}" is more than a hundred years: that is keeping it for ever')
    return period


CalendarDays = Annotated[timedelta, BeforeValidator(_calendar_days)]


def _translations(value: object) -> object:
    """A plain string stands for the same text in every language."""
    return {"en": value} if isinstance(value, str) else value


# A text the organisation may translate: "Support", or { en = "Support", ru = "Поддержка" }.
Translatable = Annotated[dict[str, str], BeforeValidator(_translations)]


def _in_language(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_key(value: str) -> str:
    if not _KEY.match(value):
        raise ValueError(
            f'"{value}" is not a usable key: use 1-24 lowercase letters, digits, "-" or "_"'
        )
    return value


def _parse_days(spec: str) -> frozenset[int]:
    days: set[int] = set()
    for chunk in spec.lower().replace(" ", "").split(","):
        first, _, last = chunk.partition("-")
        if first not in WEEKDAYS or (last and last not in WEEKDAYS):
            raise ValueError(
                f'"{spec}" is not a list of days; write e.g. "mon-fri" or "mon,wed,sat"'
            )
        start = WEEKDAYS.index(first)
        end = WEEKDAYS.index(last) if last else start
        span = (end - start) % 7
        days.update((start + offset) % 7 for offset in range(span + 1))
    return frozenset(days)


class BusinessHours(_Strict):
    """When the team works: weekdays and a daily window in the organisation's time zone."""

    days: str = "mon-fri"
    start: time = time(9, 0)
    end: time = time(18, 0)

    @field_validator("days")
    @classmethod
    def _days_valid(cls, value: str) -> str:
        _parse_days(value)
        return value

    @model_validator(mode="after")
    def _window_valid(self) -> Self:
        if self.end <= self.start:
            raise ValueError(f"business hours end ({self.end}) must be after start ({self.start})")
        return self

    @property
    def day_length(self) -> timedelta:
        """The working hours of one working day."""
        today = date(2000, 1, 3)
        return datetime.combine(today, self.end) - datetime.combine(today, self.start)

    @property
    def weekdays(self) -> frozenset[int]:
        """Working weekdays, Monday = 0."""
        return _parse_days(self.days)


class Organisation(_Strict):
    """Who we are and when we work."""

    name: str = Field(min_length=1)
    timezone: str = "UTC"
    business_hours: BusinessHours = BusinessHours()
    holidays: tuple[date, ...] = ()
    languages: tuple[str, ...] = LANGUAGES
    default_language: str = "en"
    # How often a customer may ask for a manager again about the same case.
    manager_request_every: Duration = WorkingDuration(days=1)
    # What a manager can name as the root cause when answering a review item.
    root_causes: tuple[str, ...] = DEFAULT_ROOT_CAUSES
    # Managers' daily digest, each working day at this local time ("off": none), unless the
    # manager sets their own.
    digest_at: TimeOfDay = time(8, 30)
    # Burnout watch: a manager hears once when a person passes either threshold.
    max_open_per_agent: int = Field(default=15, ge=1)
    after_hours_share: float = Field(default=0.3, gt=0, le=1)

    @field_validator("timezone")
    @classmethod
    def _tz_valid(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f'"{value}" is not a known time zone; use an IANA name like "Europe/Warsaw"'
            ) from None
        return value

    @field_validator("languages")
    @classmethod
    def _languages_known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [lang for lang in value if lang not in LANGUAGES]
        if unknown:
            raise ValueError(f"unsupported languages {unknown}; hearback speaks {list(LANGUAGES)}")
        return value

    @property
    def tz(self) -> ZoneInfo:
        """The organisation's time zone."""
        return ZoneInfo(self.timezone)


class Team(_Strict):
    """A staff team working from one or more forum supergroups."""

    key: Annotated[str, BeforeValidator(_check_key)]
    name: Translatable = Field(default_factory=dict)
    chat_id: int
    extra_chat_ids: tuple[int, ...] = ()
    anonymous: bool = False
    # "round-robin": a new case goes at once to the next person of the team active in the last
    # hour who has fewer than max_open_per_agent open cases; "none": staff take cases.
    assign: Literal["none", "round-robin"] = "none"

    @property
    def title(self) -> str:
        """The team's display name in English (or its only name)."""
        return self.title_in("en")

    def title_in(self, language: str) -> str:
        """The team's display name in `language`, falling back to English, then to its key."""
        return _in_language(self.name, language) or self.key.capitalize()

    @property
    def chat_ids(self) -> tuple[int, ...]:
        """The team's staff groups; a busy team spreads cases over several (20 messages/min each)."""
        return (self.chat_id, *self.extra_chat_ids)

    def group_for(self, case_number: str) -> int:
        """The staff group a case lives in: spread evenly, always the same for one case."""
        groups = self.chat_ids
        return groups[sum(case_number.encode()) % len(groups)]


class Manager(_Strict):
    """A named person who receives escalations."""

    key: Annotated[str, BeforeValidator(_check_key)]
    name: str = Field(min_length=1)
    title: Translatable = Field(default_factory=dict)
    telegram_id: int
    escalates_to: str | None = None
    ack_within: Duration = WorkingDuration.of_hours(0.5)
    # When the customer hears from the manager after an acknowledgement, unless they choose.
    reply_within: Duration = WorkingDuration.of_hours(4)
    # Their daily digest's local time ("off": none); unset, the organisation's digest_at.
    digest_at: TimeOfDay | None = None

    def digest_time(self, organisation: Organisation) -> time | None:
        """When this manager's daily digest goes out, local time; None if they get none."""
        chosen = self.digest_at if self.digest_at is not None else organisation.digest_at
        return None if chosen == "off" else chosen

    def title_in(self, language: str) -> str:
        """The manager's job title in `language` ("" if none is configured)."""
        return _in_language(self.title, language)


class Category(_Strict):
    """A kind of complaint, with its team, its manager and its promises."""

    key: Annotated[str, BeforeValidator(_check_key)]
    title: dict[str, str]
    team: str
    manager: str
    first_response: Duration = WorkingDuration.of_hours(2)
    resolve_within: Duration = WorkingDuration(days=2)
    check_in_every: Duration = WorkingDuration.of_hours(4)
    # A case waiting for the customer's answer: remind them once, then close it politely.
    remind_customer_after: Duration = WorkingDuration(days=1)
    close_unanswered_after: Duration = WorkingDuration(days=3)

    @field_validator("title")
    @classmethod
    def _title_has_english(cls, value: dict[str, str]) -> dict[str, str]:
        if not value.get("en", "").strip():
            raise ValueError('needs at least an English title: title = { en = "..." }')
        return value

    def title_in(self, language: str) -> str:
        """The title in `language`, falling back to English."""
        return self.title.get(language) or self.title["en"]


def _patterns(value: object) -> object:
    if isinstance(value, str):
        value = (value,)
    if isinstance(value, list | tuple):
        for pattern in value:
            try:
                re.compile(str(pattern))
            except re.error as error:
                raise ValueError(f'"{pattern}" is not a regular expression: {error}') from None
        return tuple(value)
    return value


Patterns = Annotated[tuple[str, ...], BeforeValidator(_patterns)]


class ToneRules(_Strict):
    """One language's tone rules: regular expressions, matched case-insensitively."""

    deflect: Patterns = ()  # passing the customer on, or blaming
    vague: Patterns = ()  # promising without a time
    owning: Patterns = ()  # taking it on oneself: clears `deflect`
    concrete: Patterns = ()  # a concrete time: clears `vague`

    def plus(self, more: ToneRules) -> ToneRules:
        """These rules and `more` together."""
        return ToneRules(
            deflect=self.deflect + more.deflect,
            vague=self.vague + more.vague,
            owning=self.owning + more.owning,
            concrete=self.concrete + more.concrete,
        )


class Tone(_Strict):
    """The tone guard: staff replies that pass the customer on or promise vaguely are held."""

    hold: bool = True
    rules: dict[str, ToneRules] = Field(default_factory=dict)  # per language, added to built-ins

    @field_validator("rules")
    @classmethod
    def _languages_known(cls, value: dict[str, ToneRules]) -> dict[str, ToneRules]:
        unknown = sorted(set(value) - set(LANGUAGES))
        if unknown:
            raise ValueError(f"rules for unsupported languages {unknown}; use {list(LANGUAGES)}")
        return value

    def with_builtin(self, builtin: dict[str, ToneRules]) -> Tone:
        """The built-in rules of every language with the organisation's own added."""
        merged = dict(builtin)
        for language, extra in self.rules.items():
            merged[language] = merged.get(language, ToneRules()).plus(extra)
        return Tone(hold=self.hold, rules=merged)


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
PLACEHOLDERS = ("name", "case", "owner", "due")


class SavedReply(_Strict):
    """A reply staff send with `/r key`, in the customer's language."""

    key: Annotated[str, BeforeValidator(_check_key)]
    title: Translatable
    text: Translatable

    @field_validator("text")
    @classmethod
    def _placeholders_known(cls, value: dict[str, str]) -> dict[str, str]:
        for language, text in value.items():
            unknown = sorted(set(_PLACEHOLDER.findall(text)) - set(PLACEHOLDERS))
            if unknown:
                raise ValueError(
                    f"the {language} text uses {', '.join('{' + u + '}' for u in unknown)}; "
                    f"the placeholders are {', '.join('{' + p + '}' for p in PLACEHOLDERS)}"
                )
        return value

    def title_in(self, language: str, default: str) -> str:
        """The title in `language`, else in the organisation's `default` language."""
        return self.title.get(language) or _in_language(self.title, default)

    def text_in(self, language: str, default: str) -> str:
        """The text in `language`, else in the organisation's `default` language."""
        return self.text.get(language) or _in_language(self.text, default)


class Retention(_Strict):
    """How long personal data is kept once a case has ended, in calendar days."""

    closed_cases: CalendarDays = timedelta(days=365)
    attachments: CalendarDays = timedelta(days=90)

    @model_validator(mode="after")
    def _files_go_first(self) -> Self:
        if self.attachments > self.closed_cases:
            raise ValueError(
                f"attachments ({self.attachments.days}d) would outlive closed_cases "
                f"({self.closed_cases.days}d), but a case's files go with its other data: "
                "make attachments at most as long as closed_cases"
            )
        return self


class OrgConfig(_Strict):
    """Everything the organisation configures in its TOML file."""

    organisation: Organisation
    teams: tuple[Team, ...] = Field(min_length=1)
    managers: tuple[Manager, ...] = Field(min_length=1)
    categories: tuple[Category, ...] = Field(min_length=1)
    retention: Retention = Retention()
    tone: Tone = Tone()
    replies: tuple[SavedReply, ...] = ()

    @model_validator(mode="after")
    def _references_valid(self) -> Self:
        problems: list[str] = []
        for kind, keys in (
            ("team", [t.key for t in self.teams]),
            ("manager", [m.key for m in self.managers]),
            ("category", [c.key for c in self.categories]),
            ("saved reply", [r.key for r in self.replies]),
        ):
            dupes = sorted({k for k in keys if keys.count(k) > 1})
            if dupes:
                problems.append(f"{kind} keys must be unique, repeated: {', '.join(dupes)}")
        team_keys = {t.key for t in self.teams}
        manager_keys = {m.key for m in self.managers}
        for category in self.categories:
            if category.team not in team_keys:
                problems.append(
                    f'category "{category.key}" names team "{category.team}", '
                    f"which is not among [[teams]] ({', '.join(sorted(team_keys))})"
                )
            if category.manager not in manager_keys:
                problems.append(
                    f'category "{category.key}" names manager "{category.manager}", '
                    f"which is not among [[managers]] ({', '.join(sorted(manager_keys))})"
                )
        for manager in self.managers:
            if manager.escalates_to is not None and manager.escalates_to not in manager_keys:
                problems.append(
                    f'manager "{manager.key}" escalates to "{manager.escalates_to}", '
                    "who is not among [[managers]]"
                )
        problems.extend(self._group_problems())
        for category in self.categories:
            day = self.organisation.business_hours.day_length
            close, remind = category.close_unanswered_after, category.remind_customer_after
            if close.working_hours(day) <= remind.working_hours(day):
                problems.append(
                    f'category "{category.key}": close_unanswered_after must be longer than '
                    "remind_customer_after, so the customer is reminded before the case closes"
                )
        problems.extend(self._chain_loops())
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _group_problems(self) -> list[str]:
        problems = []
        owner: dict[int, str] = {}
        for team in self.teams:
            for chat_id in team.chat_ids:
                if chat_id >= 0:
                    problems.append(
                        f'team "{team.key}": {chat_id} is not a group id; staff supergroups '
                        "have negative ids like -1001234567890"
                    )
                if chat_id in owner:
                    problems.append(
                        f'teams "{owner[chat_id]}" and "{team.key}" share the group {chat_id}; '
                        "give each team its own staff group"
                    )
                owner.setdefault(chat_id, team.key)
        return problems

    def _chain_loops(self) -> list[str]:
        by_key = {m.key: m for m in self.managers}
        loops = []
        for manager in self.managers:
            seen = {manager.key}
            nxt = manager.escalates_to
            while nxt is not None and nxt in by_key:
                if nxt in seen:
                    loops.append(f'the escalation chain from "{manager.key}" loops back to "{nxt}"')
                    break
                seen.add(nxt)
                nxt = by_key[nxt].escalates_to
        return loops

    def saved_reply(self, key: str) -> SavedReply | None:
        """The saved reply with `key`, if configured."""
        return next((r for r in self.replies if r.key == key.lower()), None)

    def category(self, key: str) -> Category | None:
        """The category with `key`, if configured."""
        return next((c for c in self.categories if c.key == key), None)

    def team(self, key: str) -> Team:
        """The team with `key` (references are validated on load)."""
        return next(t for t in self.teams if t.key == key)

    def manager(self, key: str) -> Manager:
        """The manager with `key` (references are validated on load)."""
        return next(m for m in self.managers if m.key == key)

    def team_of_chat(self, chat_id: int) -> Team | None:
        """The team working in staff group `chat_id`, if it is one."""
        return next((t for t in self.teams if chat_id in t.chat_ids), None)

    def manager_by_telegram_id(self, telegram_id: int) -> Manager | None:
        """The manager with this Telegram account, if any."""
        return next((m for m in self.managers if m.telegram_id == telegram_id), None)

    @property
    def staff_chat_ids(self) -> frozenset[int]:
        """Every staff group of every team."""
        return frozenset(chat for team in self.teams for chat in team.chat_ids)
