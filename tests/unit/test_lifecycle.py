"""The lifecycle table: every allowed transition works, every other one is refused."""

from __future__ import annotations

import itertools

import pytest

from flows.lifecycle import (
    TRANSITIONS,
    CaseEvent,
    CaseState,
    IllegalTransition,
    allowed_events,
    is_open,
    next_state,
)

ALL_PAIRS = list(itertools.product([None, *CaseState], CaseEvent))
FORBIDDEN = [pair for pair in ALL_PAIRS if pair not in TRANSITIONS]


@pytest.mark.parametrize(("state", "event"), list(TRANSITIONS))
def test_every_allowed_transition_reaches_its_state(
    state: CaseState | None, event: CaseEvent
) -> None:
    assert next_state(state, event) is TRANSITIONS[(state, event)]


@pytest.mark.parametrize(("state", "event"), FORBIDDEN)
def test_every_other_transition_is_refused_with_a_readable_reason(
    state: CaseState | None, event: CaseEvent
) -> None:
    with pytest.raises(IllegalTransition) as caught:
        next_state(state, event)
    assert event.value in str(caught.value)


def test_a_case_is_born_waiting_for_an_agent() -> None:
    assert next_state(None, CaseEvent.REGISTER) is CaseState.WAITING_FOR_AGENT


@pytest.mark.parametrize(
    ("state", "event"),
    [
        (CaseState.CLOSED, CaseEvent.RESOLVE),
        (CaseState.DECLINED, CaseEvent.TAKE),
        (CaseState.CLOSED, CaseEvent.DECLINE),
    ],
)
def test_final_states_cannot_be_worked_on(state: CaseState, event: CaseEvent) -> None:
    with pytest.raises(IllegalTransition):
        next_state(state, event)


def test_only_closed_declined_and_withdrawn_are_final() -> None:
    final = {CaseState.CLOSED, CaseState.DECLINED, CaseState.WITHDRAWN}
    assert {s for s in CaseState if not is_open(s)} == final


def test_every_state_is_reachable_and_every_open_state_has_a_way_out() -> None:
    reached = set(TRANSITIONS.values())
    assert reached == set(CaseState)
    for state in CaseState:
        if is_open(state):
            assert allowed_events(state), f"{state} is a dead end"


def test_readme_diagram_matches_the_table() -> None:
    from pathlib import Path

    import flows.lifecycle as module

    doc = module.__doc__ or ""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for (state, event), target in TRANSITIONS.items():
        line = f"{state.value if state else '[*]'} --> {target.value}: {event.value}"
        assert line in doc, f"diagram in flows/lifecycle.py lacks: {line}"
        assert line in readme, f"diagram in README.md lacks: {line}"
