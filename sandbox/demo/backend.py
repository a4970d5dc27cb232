"""The real bot and the emulated Telegram it talks to, wired as `hearback run` wires it."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from bot.app import App
from bot.clock import Clock, SystemClock
from bot.limits import SendLimits
from bot.settings import Settings
from flows.business_time import is_business_time, next_opening
from flows.config import OrgConfig
from sandbox.demo import DEMO_CONFIG, DEMO_TOKEN
from sandbox.emulator import BotApiEmulator, RateLimits


def emulator(
    wall_clock: Callable[[], float] = time.time, pacing: Callable[[], float] = time.monotonic
) -> BotApiEmulator:
    """The Bot API emulator with Telegram's own limits counted in `pacing` seconds, dating
    messages by `wall_clock`."""
    return BotApiEmulator(
        token=DEMO_TOKEN,
        bot_username="hearback_demo_bot",
        bot_name="Hearback",
        limits=RateLimits.telegram(),
        clock=pacing,
        wall_clock=wall_clock,
    )


def bot_app(
    emu: BotApiEmulator,
    database_url: str,
    org: OrgConfig,
    clock: Clock | None = None,
    tick_interval: float = 1.0,
    poll_timeout: int = 25,
    pacing: Callable[[], float] = time.monotonic,
) -> App:
    """hearback itself, long-polling the (started) emulator and pacing as for Telegram."""
    settings = Settings(
        bot_token=DEMO_TOKEN,
        database_url=database_url,
        telegram_api_base=emu.base_url,
        hearback_config=DEMO_CONFIG,
    )
    return App(
        settings=settings,
        org=org,
        clock=clock or SystemClock(),
        limits=SendLimits(),
        poll_timeout=poll_timeout,
        tick_interval=tick_interval,
        pacing=pacing,
    )


def first_moment(org: OrgConfig, now: datetime) -> datetime:
    """Where a fresh sandbox's clock starts: `now` in business hours, else the next opening.

    Inside business hours promises and escalations are minutes or hours away, not days.
    """
    organisation = org.organisation
    return now if is_business_time(organisation, now) else next_opening(organisation, now)
