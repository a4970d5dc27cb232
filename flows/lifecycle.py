"""The case lifecycle: every state a case can be in and every event that moves it, as one table.

```mermaid
stateDiagram-v2
    [*] --> waiting_for_agent: register
    waiting_for_agent --> assigned: take
    reopened --> assigned: take
    escalated --> assigned: take
    waiting_for_agent --> assigned: transfer_to_person
    assigned --> assigned: transfer_to_person
    reopened --> assigned: transfer_to_person
    escalated --> assigned: transfer_to_person
    waiting_for_agent --> waiting_for_agent: transfer_to_team
    assigned --> waiting_for_agent: transfer_to_team
    reopened --> waiting_for_agent: transfer_to_team
    escalated --> waiting_for_agent: transfer_to_team
    assigned --> waiting_for_customer: ask_customer
    waiting_for_customer --> assigned: customer_answered
    waiting_for_agent --> escalated: escalate
    assigned --> escalated: escalate
    waiting_for_customer --> escalated: escalate
    reopened --> escalated: escalate
    assigned --> resolved: resolve
    escalated --> resolved: resolve
    resolved --> closed: confirm
    waiting_for_agent --> closed: confirm
    assigned --> closed: confirm
    waiting_for_customer --> closed: confirm
    escalated --> closed: confirm
    reopened --> closed: confirm
    resolved --> reopened: reject_resolution
    waiting_for_customer --> closed: expire
    waiting_for_agent --> withdrawn: withdraw
    assigned --> withdrawn: withdraw
    waiting_for_customer --> withdrawn: withdraw
    escalated --> withdrawn: withdraw
    reopened --> withdrawn: withdraw
    resolved --> withdrawn: withdraw
    waiting_for_agent --> declined: decline
    assigned --> declined: decline
    escalated --> declined: decline
    reopened --> declined: decline
    closed --> reopened: reopen
    withdrawn --> reopened: reopen
    declined --> escalated: appeal
    closed --> [*]
    declined --> [*]
    withdrawn --> [*]
```

A case is *open* in every state but `closed`, `declined` and `withdrawn`; `resolved` is open
too, because the customer has not yet confirmed that the problem is gone. `confirm` from a
state other than `resolved` is the customer saying the problem went away by itself; `withdraw`
is the customer no longer wanting us to pursue it, an outcome of its own.
"""

from __future__ import annotations

from enum import StrEnum


class CaseState(StrEnum):
    """Where a case stands."""

    WAITING_FOR_AGENT = "waiting_for_agent"
    ASSIGNED = "assigned"
    WAITING_FOR_CUSTOMER = "waiting_for_customer"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    CLOSED = "closed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    REOPENED = "reopened"


class CaseEvent(StrEnum):
    """What can happen to a case."""

    REGISTER = "register"
    TAKE = "take"
    TRANSFER_TO_PERSON = "transfer_to_person"
    TRANSFER_TO_TEAM = "transfer_to_team"
    ASK_CUSTOMER = "ask_customer"
    CUSTOMER_ANSWERED = "customer_answered"
    ESCALATE = "escalate"
    RESOLVE = "resolve"
    CONFIRM = "confirm"
    REJECT_RESOLUTION = "reject_resolution"
    EXPIRE = "expire"
    WITHDRAW = "withdraw"
    DECLINE = "decline"
    REOPEN = "reopen"
    APPEAL = "appeal"


S = CaseState
E = CaseEvent

# The one table: (state, event) -> next state. `None` stands for "no case yet".
TRANSITIONS: dict[tuple[CaseState | None, CaseEvent], CaseState] = {
    (None, E.REGISTER): S.WAITING_FOR_AGENT,
    (S.WAITING_FOR_AGENT, E.TAKE): S.ASSIGNED,
    (S.REOPENED, E.TAKE): S.ASSIGNED,
    (S.ESCALATED, E.TAKE): S.ASSIGNED,
    (S.WAITING_FOR_AGENT, E.TRANSFER_TO_PERSON): S.ASSIGNED,
    (S.ASSIGNED, E.TRANSFER_TO_PERSON): S.ASSIGNED,
    (S.REOPENED, E.TRANSFER_TO_PERSON): S.ASSIGNED,
    (S.ESCALATED, E.TRANSFER_TO_PERSON): S.ASSIGNED,
    (S.WAITING_FOR_AGENT, E.TRANSFER_TO_TEAM): S.WAITING_FOR_AGENT,
    (S.ASSIGNED, E.TRANSFER_TO_TEAM): S.WAITING_FOR_AGENT,
    (S.REOPENED, E.TRANSFER_TO_TEAM): S.WAITING_FOR_AGENT,
    (S.ESCALATED, E.TRANSFER_TO_TEAM): S.WAITING_FOR_AGENT,
    (S.ASSIGNED, E.ASK_CUSTOMER): S.WAITING_FOR_CUSTOMER,
    (S.WAITING_FOR_CUSTOMER, E.CUSTOMER_ANSWERED): S.ASSIGNED,
    (S.WAITING_FOR_AGENT, E.ESCALATE): S.ESCALATED,
    (S.ASSIGNED, E.ESCALATE): S.ESCALATED,
    (S.WAITING_FOR_CUSTOMER, E.ESCALATE): S.ESCALATED,
    (S.REOPENED, E.ESCALATE): S.ESCALATED,
    (S.ASSIGNED, E.RESOLVE): S.RESOLVED,
    (S.ESCALATED, E.RESOLVE): S.RESOLVED,
    (S.RESOLVED, E.CONFIRM): S.CLOSED,
    (S.WAITING_FOR_AGENT, E.CONFIRM): S.CLOSED,
    (S.ASSIGNED, E.CONFIRM): S.CLOSED,
    (S.WAITING_FOR_CUSTOMER, E.CONFIRM): S.CLOSED,
    (S.ESCALATED, E.CONFIRM): S.CLOSED,
    (S.REOPENED, E.CONFIRM): S.CLOSED,
    (S.RESOLVED, E.REJECT_RESOLUTION): S.REOPENED,
    (S.WAITING_FOR_CUSTOMER, E.EXPIRE): S.CLOSED,
    (S.WAITING_FOR_AGENT, E.WITHDRAW): S.WITHDRAWN,
    (S.ASSIGNED, E.WITHDRAW): S.WITHDRAWN,
    (S.WAITING_FOR_CUSTOMER, E.WITHDRAW): S.WITHDRAWN,
    (S.ESCALATED, E.WITHDRAW): S.WITHDRAWN,
    (S.REOPENED, E.WITHDRAW): S.WITHDRAWN,
    (S.RESOLVED, E.WITHDRAW): S.WITHDRAWN,
    (S.WAITING_FOR_AGENT, E.DECLINE): S.DECLINED,
    (S.ASSIGNED, E.DECLINE): S.DECLINED,
    (S.ESCALATED, E.DECLINE): S.DECLINED,
    (S.REOPENED, E.DECLINE): S.DECLINED,
    (S.CLOSED, E.REOPEN): S.REOPENED,
    (S.WITHDRAWN, E.REOPEN): S.REOPENED,
    (S.DECLINED, E.APPEAL): S.ESCALATED,
}

FINAL_STATES = frozenset({S.CLOSED, S.DECLINED, S.WITHDRAWN})


class IllegalTransition(Exception):
    """An event that the lifecycle table does not allow in the case's current state."""

    def __init__(self, state: CaseState | None, event: CaseEvent) -> None:
        super().__init__(
            f"{event.value} is not allowed when a case is {state or 'not yet created'}"
        )
        self.state = state
        self.event = event


def next_state(state: CaseState | None, event: CaseEvent) -> CaseState:
    """Return the state after `event`, or raise IllegalTransition."""
    try:
        return TRANSITIONS[(state, event)]
    except KeyError:
        raise IllegalTransition(state, event) from None


def is_open(state: CaseState) -> bool:
    """Whether the case still needs someone (everything but the final states)."""
    return state not in FINAL_STATES


def allowed_events(state: CaseState | None) -> frozenset[CaseEvent]:
    """Every event the table allows in `state`."""
    return frozenset(event for (source, event) in TRANSITIONS if source == state)
