"""A round-robin load balancer in front of several hearback instances, as a reverse proxy in
production: an upstream that does not answer is skipped for the next one; when none answers,
502 (and Telegram retries)."""

from __future__ import annotations

import itertools

import aiohttp
from aiohttp import web


class Balancer:
    """POSTs to http://127.0.0.1:<port>/<path> go to the upstreams in turn."""

    def __init__(self, upstreams: list[int]) -> None:
        self.upstreams = upstreams
        self._turn = itertools.count()
        self._session: aiohttp.ClientSession | None = None
        app = web.Application()
        app.router.add_post("/{path:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        self.port = 0
        self.forwarded: dict[int, int] = {}  # answered POSTs by upstream port

    async def start(self) -> str:
        """Listen on a free port; return the base URL."""
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return f"http://127.0.0.1:{self.port}"

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._session is not None
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() != "host"}
        first = next(self._turn)
        for offset in range(len(self.upstreams)):
            port = self.upstreams[(first + offset) % len(self.upstreams)]
            try:
                async with self._session.post(
                    f"http://127.0.0.1:{port}{request.path}", data=body, headers=headers
                ) as answer:
                    text = await answer.read()
                    self.forwarded[port] = self.forwarded.get(port, 0) + 1
                    return web.Response(status=answer.status, body=text)
            except (aiohttp.ClientError, OSError):
                continue
        return web.Response(status=502, text="no upstream answered")

    async def close(self) -> None:
        """Stop."""
        await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()
