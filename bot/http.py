"""hearback's own HTTP listener: Telegram's webhook POSTs, /healthz, /readyz and /metrics.

A webhook POST is answered 200 only once its update is committed to the inbox; anything else
(the database away, say) gets a 5xx and Telegram sends the update again. A POST without the
secret header gets 401, with a wrong one 403, and nothing is stored.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

from bot.metrics import CONTENT_TYPE, Metrics
from bot.transport import Json
from storage import json_codec

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE = 1024 * 1024  # an update is JSON about a message, never the file itself


@dataclass(frozen=True)
class Webhook:
    """Where Telegram's POSTs arrive, the secret they must carry, and what stores an update."""

    path: str
    secret: str
    store: Callable[[Json], Awaitable[None]]


@dataclass(frozen=True)
class Probes:
    """What the listener asks the running bot."""

    problems: Callable[[], Awaitable[list[str]]]  # why it is not ready; empty when it is
    scrape: Callable[[], Awaitable[None]]  # refresh the metrics read from the database
    metrics: Metrics


def _answer(status: int, text: str) -> web.Response:
    return web.Response(status=status, text=text + "\n")


def build(probes: Probes, webhook: Webhook | None = None) -> web.Application:
    """The aiohttp application: the probes, and the webhook if there is one."""
    app = web.Application(client_max_size=MAX_UPDATE)

    async def healthz(request: web.Request) -> web.Response:
        return _answer(200, "alive")

    async def readyz(request: web.Request) -> web.Response:
        problems = await probes.problems()
        if problems:
            return _answer(503, "not ready: " + "; ".join(problems))
        return _answer(200, "ready")

    async def metrics(request: web.Request) -> web.Response:
        try:
            await probes.scrape()
        except Exception as error:  # still show what this instance counted itself
            log.warning("metrics could not read the database: %s", type(error).__name__)
        return web.Response(body=probes.metrics.text(), headers={"Content-Type": CONTENT_TYPE})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
    if webhook is not None:
        app.router.add_post(webhook.path, _receiver(webhook, probes.metrics))
    return app


def _receiver(
    webhook: Webhook, metrics: Metrics
) -> Callable[[web.Request], Awaitable[web.Response]]:
    expected = webhook.secret.encode()

    def answered(status: int, text: str) -> web.Response:
        metrics.webhook_requests.labels(str(status)).inc()
        return _answer(status, text)

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER)
        if given is None:
            return answered(401, "the secret token header is missing")
        if not hmac.compare_digest(given.encode(), expected):
            log.warning("a webhook POST with a wrong secret token was refused")
            return answered(403, "wrong secret token")
        try:
            update = json_codec.loads(await request.read())
        except ValueError:
            return answered(400, "not JSON")
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            return answered(400, "not a Telegram update")
        try:
            await webhook.store(update)
        except Exception as error:  # not stored: Telegram must send it again
            log.warning(
                "update %s could not be stored (%s); Telegram will send it again",
                update["update_id"],
                type(error).__name__,
            )
            return answered(503, "not stored; send it again")
        return answered(200, "ok")

    return receive


class Listener:
    """Serves an application on host:port until closed."""

    def __init__(self, app: web.Application, host: str, port: int) -> None:
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        self._host = host
        self._port = port
        self._started = False
        self.port = port

    async def start(self) -> None:
        """Listen (port 0: any free port, then in `port`)."""
        await self._runner.setup()
        self._started = True
        site = web.TCPSite(self._runner, self._host, self._port, reuse_address=True)
        await site.start()
        addresses = self._runner.addresses
        if addresses:
            self.port = int(addresses[0][1])
        log.info("listening on %s:%s", self._host, self.port)

    async def close(self) -> None:
        """Stop listening; requests under way finish first."""
        if self._started:
            self._started = False
            await self._runner.cleanup()
