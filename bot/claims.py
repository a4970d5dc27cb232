"""This instance's claims on inbox rows: taken for a lease, renewed while it works, given back
when it stops (see storage.claims for how the rows are chosen)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import socket
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime, timedelta

from bot.tasks import cancel_and_wait
from storage.claims import ClaimLost
from storage.inbox import InboxRow
from storage.unit_of_work import SqlUnitOfWork

log = logging.getLogger(__name__)
# A killed instance's updates wait this long for another to take them; a live one renews its
# claims three times as often, so that a slow batch is never taken from under it.
LEASE = 5.0

__all__ = ["LEASE", "ClaimLost", "InboxClaims", "instance_name"]


def instance_name() -> str:
    """A name unique to this process: the host, and a random part a restart changes."""
    return f"{socket.gethostname()[:40]}-{secrets.token_hex(4)}"


def _wall() -> datetime:
    # Leases are compared across instances: wall time, never a simulated business clock.
    return datetime.now(UTC)


class InboxClaims:
    """Claims inbox rows for this instance; `finish` inside the handling unit of work."""

    def __init__(
        self,
        uow_factory: Callable[[], SqlUnitOfWork],
        name: str | None = None,
        lease: float = LEASE,
        wall: Callable[[], datetime] = _wall,
    ) -> None:
        self._uow = uow_factory
        self.name = name or instance_name()
        self._lease = timedelta(seconds=lease)
        self._wall = wall
        # Whether the last claim, taking fewer rows than asked for, left pending rows behind.
        self.others_waiting = True

    async def claim(self, limit: int, due: datetime | None = None) -> list[InboxRow]:
        """Claim up to `limit` pending updates free to take and due at `due` (a failed one waits
        for its next attempt; all without it), oldest first."""
        now = self._wall()
        async with self._uow() as uow:
            rows = await uow.claims.claim(self.name, now, now + self._lease, limit, due)
            self.others_waiting = len(rows) == limit or await uow.claims.others_pending(
                [row.update_id for row in rows]
            )
            await uow.commit()
        return rows

    async def finish(self, uow: SqlUnitOfWork, update_ids: Sequence[int], now: datetime) -> None:
        """Mark the updates handled in `uow`; ClaimLost (roll back) if one is not ours any more."""
        await uow.claims.finish(update_ids, self.name, now)

    async def renew(self) -> None:
        """Extend this instance's claims by a lease."""
        async with self._uow() as uow:
            await uow.claims.renew(self.name, self._wall() + self._lease)
            await uow.commit()

    @contextlib.asynccontextmanager
    async def renewing(self) -> AsyncIterator[None]:
        """Keep this instance's claims alive while the body works on them."""

        async def renew_forever() -> None:
            while True:
                await asyncio.sleep(self._lease.total_seconds() / 3)
                try:
                    await self.renew()
                except Exception as error:  # the database is away: the lease may lapse
                    log.warning("could not renew the inbox claims: %s", type(error).__name__)

        task = asyncio.create_task(renew_forever(), name="InboxClaims.renew")
        try:
            yield
        finally:
            await cancel_and_wait(task)

    async def release(self) -> None:
        """Give back what this instance claimed but did not finish (on a clean stop)."""
        try:
            async with self._uow() as uow:
                given = await uow.claims.release(self.name)
                await uow.commit()
        except Exception as error:  # their leases end on their own
            log.warning("could not give back the inbox claims: %s", type(error).__name__)
            return
        if given:
            log.info("gave back %s claimed updates for other instances", given)
