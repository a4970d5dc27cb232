"""Prometheus metrics (names start with hearback_): what the database holds, read at each scrape,
and what this instance did, counted as it happens."""

from __future__ import annotations

from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest

from bot.transport import Blocked, Delivered, Json, Outcome, Rejected, Transport
from storage.gauges import Gauges

# As bot.app names them to its supervisor.
WORKERS = ("poller", "inbox processor", "sender", "scheduler", "housekeeper", "staff group watch")
OUTCOMES = ("ok", "429", "5xx", "403", "400", "network")
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def outcome_label(outcome: Outcome) -> str:
    """How a Bot API call went, as a metric label."""
    if isinstance(outcome, Delivered):
        return "ok"
    if isinstance(outcome, Blocked):
        return "403"
    if isinstance(outcome, Rejected):
        return "400"
    if outcome.rate_limited:
        return "429"
    return "5xx" if outcome.reason.startswith("HTTP 5") else "network"


class Metrics:
    """One registry per process (several hearbacks in one test process stay apart)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.inbox_backlog = Gauge(
            "hearback_inbox_backlog", "Updates stored and not handled yet", registry=r
        )
        self.inbox_oldest = Gauge(
            "hearback_inbox_oldest_pending_seconds",
            "Age of the oldest update not handled yet (0 when none waits)",
            registry=r,
        )
        self.outbox_backlog = Gauge(
            "hearback_outbox_backlog", "Messages queued and not delivered yet", registry=r
        )
        self.timers_due = Gauge("hearback_timers_due", "Timers due and not fired yet", registry=r)
        self.open_cases = Gauge("hearback_open_cases", "Open cases by state", ["state"], registry=r)
        self.sla_breaches = Gauge(
            "hearback_sla_breaches",
            "Escalations for a missed target or promise, by kind (as recorded)",
            ["kind"],
            registry=r,
        )
        self.dead_letters = Gauge(
            "hearback_dead_letters",
            "Updates set aside after failing again and again, and messages given up",
            ["kind"],
            registry=r,
        )
        self.sends = Counter(
            "hearback_sends", "Bot API calls of the sender by outcome", ["outcome"], registry=r
        )
        self.worker_restarts = Counter(
            "hearback_worker_restarts",
            "Times a worker was restarted after it failed",
            ["worker"],
            registry=r,
        )
        self.webhook_requests = Counter(
            "hearback_webhook_requests",
            "Webhook POSTs by the status they were answered with",
            ["status"],
            registry=r,
        )
        self.sender_active = Gauge(
            "hearback_sender_active", "1 while this instance holds the sending role", registry=r
        )
        self.instance = Gauge(
            "hearback_instance",
            "This instance, by the name its inbox claims carry",
            ["name"],
            registry=r,
        )
        for outcome in OUTCOMES:
            self.sends.labels(outcome)
        for worker in WORKERS:
            self.worker_restarts.labels(worker)

    def worker_restarted(self, worker: str) -> None:
        """Count a restart of `worker` (as the supervisor names it)."""
        self.worker_restarts.labels(worker).inc()

    def show(self, gauges: Gauges, now: datetime) -> None:
        """Set the database's figures."""
        self.inbox_backlog.set(gauges.inbox_pending)
        oldest = gauges.oldest_pending
        self.inbox_oldest.set(max(0.0, (now - oldest).total_seconds()) if oldest else 0.0)
        self.outbox_backlog.set(gauges.outbox_pending)
        self.timers_due.set(gauges.timers_due)
        for state, count in gauges.open_cases.items():
            self.open_cases.labels(state).set(count)
        for kind, count in gauges.breaches.items():
            self.sla_breaches.labels(kind).set(count)
        self.dead_letters.labels("update").set(gauges.dead_updates)
        self.dead_letters.labels("timer").set(gauges.dead_timers)
        self.dead_letters.labels("message").set(gauges.failed_messages)

    def text(self) -> bytes:
        """The exposition in Prometheus' text format."""
        return bytes(generate_latest(self.registry))


class CountingTransport:
    """A Transport that counts its calls' outcomes in `hearback_sends_total`."""

    def __init__(self, inner: Transport, metrics: Metrics) -> None:
        self._inner = inner
        self._metrics = metrics

    async def call(self, method: str, params: Json) -> Outcome:
        """Call through, and count how it went."""
        outcome = await self._inner.call(method, params)
        self._metrics.sends.labels(outcome_label(outcome)).inc()
        return outcome
