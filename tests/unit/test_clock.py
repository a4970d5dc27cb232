"""The sandbox's simulated clock, driven by a fake monotonic source (no sleeping)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import SimulatedClock
from tests.fakes import FakeMonotonic

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def real() -> FakeMonotonic:
    return FakeMonotonic()


def test_runs_at_real_speed_by_default(real: FakeMonotonic) -> None:
    clock = SimulatedClock(START, monotonic=real)
    assert clock.now() == START
    real.sleep(90)
    assert clock.now() == START + timedelta(seconds=90)
    assert clock.speed == 1


def test_speed_multiplies_the_real_seconds(real: FakeMonotonic) -> None:
    clock = SimulatedClock(START, speed=60, monotonic=real)
    real.sleep(2)
    assert clock.now() == START + timedelta(minutes=2)


def test_changing_speed_keeps_the_time_already_passed(real: FakeMonotonic) -> None:
    clock = SimulatedClock(START, monotonic=real)
    real.sleep(10)
    clock.set_speed(3600)
    assert clock.now() == START + timedelta(seconds=10)
    real.sleep(1)
    assert clock.now() == START + timedelta(seconds=10, hours=1)
    clock.set_speed(1)
    real.sleep(5)
    assert clock.now() == START + timedelta(seconds=15, hours=1)


def test_jump_moves_ahead_at_once_and_keeps_running(real: FakeMonotonic) -> None:
    clock = SimulatedClock(START, speed=60, monotonic=real)
    real.sleep(1)
    clock.jump(timedelta(hours=2))
    assert clock.now() == START + timedelta(hours=2, minutes=1)
    real.sleep(1)
    assert clock.now() == START + timedelta(hours=2, minutes=2)


def test_timestamp_is_the_simulated_unix_time(real: FakeMonotonic) -> None:
    clock = SimulatedClock(START, monotonic=real)
    clock.jump(timedelta(days=1))
    assert clock.timestamp() == (START + timedelta(days=1)).timestamp()


@pytest.mark.parametrize("speed", [0, -60, float("inf"), float("nan")])
def test_refuses_a_speed_that_is_not_a_positive_number(real: FakeMonotonic, speed: float) -> None:
    clock = SimulatedClock(START, monotonic=real)
    with pytest.raises(ValueError, match="positive"):
        clock.set_speed(speed)
    assert clock.speed == 1


def test_never_goes_backwards(real: FakeMonotonic) -> None:
    clock = SimulatedClock(START, monotonic=real)
    with pytest.raises(ValueError, match="forward"):
        clock.jump(timedelta(minutes=-5))
    assert clock.now() == START


def test_needs_an_aware_start(real: FakeMonotonic) -> None:
    with pytest.raises(ValueError, match="time zone"):
        SimulatedClock(datetime(2026, 11, 23, 9, 0), monotonic=real)


def test_held_it_stands_still_and_moves_only_when_set(real: FakeMonotonic) -> None:
    clock = SimulatedClock(START, speed=60, monotonic=real)
    real.sleep(1)
    clock.hold()
    assert clock.held
    real.sleep(100)
    assert clock.now() == START + timedelta(minutes=1)
    clock.set(START + timedelta(hours=2))
    real.sleep(100)
    assert clock.now() == START + timedelta(hours=2)
    with pytest.raises(ValueError, match="forward"):
        clock.set(START + timedelta(hours=1))
    assert clock.now() == START + timedelta(hours=2)


def test_resumed_it_runs_on_from_where_it_stood_at_its_speed(real: FakeMonotonic) -> None:
    clock = SimulatedClock(START, speed=60, monotonic=real)
    clock.hold()
    clock.set(START + timedelta(days=1))
    clock.set_speed(3600)  # chosen during a jump: it applies once the clock runs again
    real.sleep(5)
    assert clock.now() == START + timedelta(days=1) and clock.speed == 3600
    clock.resume()
    assert not clock.held
    real.sleep(2)
    assert clock.now() == START + timedelta(days=1, hours=2)


def test_pacing_seconds_see_a_jumped_day_go_by(real: FakeMonotonic) -> None:
    """Telegram's per-minute windows must not hold a day's messages back after a jump."""
    clock = SimulatedClock(START, monotonic=real)
    before = clock.pacing_seconds()
    clock.jump(timedelta(days=1))
    leapt = clock.pacing_seconds() - before
    assert 86_400 <= leapt < 86_400 + 60  # the day, and the real moment the test took


def test_pacing_seconds_run_in_real_time_while_the_simulated_clock_stands(
    real: FakeMonotonic,
) -> None:
    clock = SimulatedClock(START, monotonic=real)
    first = clock.pacing_seconds()
    deadline = time.monotonic() + 5
    while clock.pacing_seconds() == first and time.monotonic() < deadline:
        pass
    assert clock.pacing_seconds() > first
    assert clock.now() == START
