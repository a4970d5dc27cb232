"""The `hearback` command: run, demo, migrate, check-config, export, report, forget,
export-customer, dead, retry."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import importlib.util
import logging
import os
import secrets
import signal
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bot import logs, memory
from bot.runtime import RUNTIMES
from bot.settings import ConfigError, Settings, address, load_org, problems, webhook_problem

_json_logs = False


def _logging(token: str = "") -> None:
    logs.setup(token, json=_json_logs)


def _settings() -> Settings:
    """The environment, and container secrets: files named bot_token, webhook_secret and
    database_url in HEARBACK_SECRETS_DIR (default /run/secrets, where compose mounts them)."""
    folder = Path(os.environ.get("HEARBACK_SECRETS_DIR", "/run/secrets"))
    if folder.is_dir():
        return Settings(_secrets_dir=folder)
    return Settings()


def health(settings: Settings) -> int:
    """Exit 0 if this container's hearback answers /healthz (the image's HEALTHCHECK)."""
    import urllib.request

    where = settings.webhook_listen if settings.webhook_url else settings.hearback_http
    if not where:
        print(
            "hearback health: nothing listens (set WEBHOOK_URL or HEARBACK_HTTP)", file=sys.stderr
        )
        return 1
    host, port = address(where)
    host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://[{host}]:{port}/healthz" if ":" in host else f"http://{host}:{port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=3) as answer:
            return 0 if answer.status == 200 else 1
    except OSError as error:
        print(f"hearback health: {url} does not answer ({error})", file=sys.stderr)
        return 1


def check_config(settings: Settings) -> int:
    """Print every problem with the configuration; exit code 1 if there is any."""
    found = problems(settings)
    if not found:
        org = load_org(settings.hearback_config)
        print(
            f"{settings.hearback_config} is fine: {len(org.categories)} categories, "
            f"{len(org.teams)} teams, {len(org.managers)} managers. BOT_TOKEN and DATABASE_URL are set."
        )
        kept = org.retention
        print(
            f"Personal data of an ended case is kept {kept.closed_cases.days} days, its files "
            f"{kept.attachments.days} days (calendar days, counted from the case's last change)."
        )
        return 0
    print(f"The configuration has {len(found)} problem(s):", file=sys.stderr)
    for problem in found:
        print(f"\n* {problem}", file=sys.stderr)
    return 1


async def _run(settings: Settings) -> int:
    from bot.app import App
    from storage.single import AlreadyRunning

    if problem := webhook_problem(settings):
        raise ConfigError(problem)
    app = App(settings=settings, org=load_org(settings.hearback_config))
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, app.stop.set)
    settle = asyncio.create_task(memory.settle(app.running), name="settle memory")
    try:
        await app.run()
    except AlreadyRunning as error:
        print(f"hearback cannot start: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        if app.listener is None or app.running.is_set():
            raise
        where = settings.webhook_listen if settings.webhook_url else settings.hearback_http
        print(
            f"hearback cannot listen on {where} ({error.strerror or error}): is something else "
            "using that port? Choose another with WEBHOOK_LISTEN or HEARBACK_HTTP.",
            file=sys.stderr,
        )
        return 2
    finally:
        settle.cancel()
    if app.supervisor.fatal is not None:
        print(f"hearback stopped: {app.supervisor.fatal}", file=sys.stderr)
    return app.exit_code


SANDBOX_MISSING = (
    "hearback demo needs the sandbox (the Telegram emulator and the browser demo), which a "
    "production install leaves out. Install it with:\n"
    '    pip install "hearback[demo]"\n'
    "or, from a checkout of hearback, run `make demo`."
)


async def _demo(database: Path, host: str, port: int, reset: bool) -> int:
    from sandbox.demo.sandbox import Sandbox

    sandbox = Sandbox(database, host=host, port=port, reset=reset)
    try:
        url = await sandbox.start()
    except OSError as error:
        print(
            f"hearback demo cannot listen on {host}:{port} ({error.strerror or error}). Is "
            "another demo running? Stop it, or choose another port with --port "
            "(make demo DEMO_PORT=8081).",
            file=sys.stderr,
        )
        return 2
    for note in sandbox.notes:
        print(note)
    print(f"hearback sandbox: open {url} in your browser.")
    print(
        "The real bot runs against a built-in Telegram emulator; no Telegram account or "
        "network is used."
    )
    print(
        f"Stop with Ctrl+C; the next start resumes from {database} (--reset starts clean).",
        flush=True,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await sandbox.stop()
    return 0


async def _migrate(settings: Settings) -> int:
    from storage.database import Database

    db = Database(settings.database_url)
    try:
        await db.migrate()
    finally:
        await db.dispose()
    print("The database schema is up to date.")
    return 0


async def _dead_letters(settings: Settings, args: argparse.Namespace) -> int:
    from bot import dead_letters

    if args.command == "dead":
        print(dead_letters.table(await dead_letters.dead_letters(settings.database_url)))
        return 0
    try:
        kind, number = dead_letters.letter_id(args.id)
    except argparse.ArgumentTypeError as error:
        print(f"hearback retry: {error}", file=sys.stderr)
        return 2
    if not await dead_letters.retry(settings.database_url, kind, number, datetime.now(UTC)):
        print(
            f"There is no dead {kind} {number}: `hearback dead` lists the dead letters.",
            file=sys.stderr,
        )
        return 1
    print(
        f"{kind.capitalize()} {number} is back in line: the running bot handles it within "
        "seconds (or at its next start). If it fails again, it is set aside again."
    )
    return 0


def _operator() -> str:
    """Who the audit log names for a command run from the shell: the operator's OS user."""
    try:
        return f"operator:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name for this uid (a bare container)
        return "operator:unknown"


async def _as_operator(settings: Settings, act: Any) -> Any:
    """Run `act(uow, env, actor)` in one transaction on the configured database, and commit."""
    from bot.clock import SystemClock
    from flows.env import Env
    from storage.database import Database

    org = load_org(settings.hearback_config)
    db = Database(settings.database_url)
    try:
        await db.migrate()
        async with db.uow() as uow:
            env = Env(config=org, now=SystemClock().now(), random_bytes=secrets.token_bytes)
            result = await act(uow, env, _operator())
            await uow.commit()
    finally:
        await db.dispose()
    return result


async def _forget(settings: Settings, telegram_id: int) -> int:
    from flows import erasure

    async def act(uow: Any, env: Any, actor: str) -> erasure.Forgotten | None:
        return await erasure.forget_for_operator(uow, env, telegram_id, actor)

    forgotten = await _as_operator(settings, act)
    if forgotten is None:
        print(
            f"hearback keeps no customer with Telegram id {telegram_id}; whatever else it held "
            "of them (messages queued for them, raw updates) is erased. Logged in the audit log."
        )
        return 0
    print(
        f"Erased what hearback kept about Telegram id {telegram_id}: {forgotten.cases} case(s) "
        f"stay as anonymous figures only, {forgotten.withdrawn} open one(s) withdrawn. The "
        "customer is told, and the cases' topics deleted, by the running bot (or at its next "
        "start). Logged in the audit log."
    )
    return 0


async def _customer_data(settings: Settings, telegram_id: int) -> dict[str, Any] | None:
    from flows import data_export

    async def act(uow: Any, env: Any, actor: str) -> dict[str, Any] | None:
        return await data_export.for_operator(uow, env, telegram_id, actor)

    doc: dict[str, Any] | None = await _as_operator(settings, act)
    return doc


def _export(settings: Settings, telegram_id: int, output: Path | None) -> int:
    from flows import data_export

    doc = asyncio.run(_customer_data(settings, telegram_id))
    if doc is None:
        print(
            f"hearback keeps no customer with Telegram id {telegram_id}: there is nothing to "
            "export. (The request is logged in the audit log.)",
            file=sys.stderr,
        )
        return 1
    data = data_export.as_bytes(doc)
    if output is None:
        sys.stdout.buffer.write(data + b"\n")
        sys.stdout.flush()
    else:
        output.write_bytes(data)
    where = "standard output" if output is None else str(output)
    print(
        f"Wrote {len(doc['cases'])} case(s) of Telegram id {telegram_id} to {where}. "
        "Logged in the audit log.",
        file=sys.stderr,
    )
    return 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'"{text}" is not a date; write it as YYYY-MM-DD, e.g. 2026-11-01'
        ) from None


def _period_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--since", type=_day, required=True, help="first local day, YYYY-MM-DD (from 00:00)"
    )
    parser.add_argument(
        "--until", type=_day, help="last local day, YYYY-MM-DD, included (default: up to now)"
    )


def offline(args: argparse.Namespace, settings: Settings) -> int:
    """`hearback export` and `hearback report`: read the database, write files, print."""
    from bot import offline

    org = load_org(settings.hearback_config)
    now = datetime.now(UTC)
    try:
        period = offline.Period.of(org, args.since, args.until, now)
        if args.command == "export":
            rows = asyncio.run(
                offline.export_rows(
                    settings.database_url, org, period, args.events, now, _operator()
                )
            )
            offline.save_csv(rows, args.events, args.out)
            kind = "audit log entries" if args.events else "cases"
            print(f"Wrote {len(rows)} {kind} to {args.out}.")
            return 0
        printed = asyncio.run(
            offline.build_report(
                settings.database_url, org, period, args.manager, legend=args.png is not None
            )
        )
    except offline.BadPeriod as error:
        print(f"hearback {args.command}: {error}", file=sys.stderr)
        return 2
    print(printed.text)
    if args.png is not None:
        args.png.write_bytes(printed.chart(org))
        print(f"The chart is in {args.png}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `hearback` console script."""
    parser = argparse.ArgumentParser(prog="hearback", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "run", help="run the bot against Telegram: long polling, or a webhook with WEBHOOK_URL"
    )
    run.add_argument(
        "--runtime",
        choices=RUNTIMES,
        help="aiogram or ptb (python-telegram-bot); default: HEARBACK_RUNTIME, else aiogram",
    )
    run.add_argument(
        "--log-format",
        choices=("text", "json"),
        help="text, or one JSON object a line; default: HEARBACK_LOG_FORMAT, else text",
    )
    commands.add_parser("migrate", help="bring the database schema up to date")
    commands.add_parser("dead", help="list the updates and timers set aside after failing")
    retry = commands.add_parser("retry", help="replay one dead letter, after fixing its cause")
    retry.add_argument("id", help="as `hearback dead` lists it: update:17 (or 17), timer:5")
    commands.add_parser(
        "health", help="exit 0 if the running bot answers /healthz (a container's health check)"
    )
    commands.add_parser("check-config", help="explain every problem with the configuration")
    forget = commands.add_parser(
        "forget", help="erase a customer's personal data, as their /forget does (audited)"
    )
    forget.add_argument("--telegram-id", type=int, required=True, help="the customer's user id")
    customer = commands.add_parser(
        "export-customer", help="everything kept about a customer, as JSON, as /mydata (audited)"
    )
    customer.add_argument("--telegram-id", type=int, required=True, help="the customer's user id")
    customer.add_argument(
        "--output", type=Path, help="file to write the JSON to (default: standard output)"
    )
    demo = commands.add_parser(
        "demo", help="try hearback in a browser: the real bot against a built-in Telegram, offline"
    )
    demo.add_argument("--reset", action="store_true", help="start clean instead of resuming")
    demo.add_argument("--host", default="127.0.0.1", help="address of the page (127.0.0.1)")
    demo.add_argument("--port", type=int, default=8080, help="port of the page (8080)")
    demo.add_argument(
        "--database",
        type=Path,
        default=Path("hearback-demo.db"),
        help="SQLite file of the sandbox (hearback-demo.db; its world is kept beside it)",
    )
    demo.add_argument(
        "--script",
        action="store_true",
        help="print a scripted customer's conversation instead of serving the page",
    )
    export = commands.add_parser(
        "export", help="write the cases of a period (or their audit log) to a CSV file"
    )
    _period_options(export)
    export.add_argument("--out", type=Path, required=True, help="the CSV file to write")
    export.add_argument(
        "--events", action="store_true", help="one row per audit log entry instead of per case"
    )
    report = commands.add_parser(
        "report", help="print the digest of a period, bad news first; its chart with --png"
    )
    _period_options(report)
    report.add_argument("--png", type=Path, help="write the chart to this PNG file")
    report.add_argument(
        "--manager", help="only what this manager sees (their key); default: every category"
    )
    args = parser.parse_args(argv)
    settings = _settings()
    if getattr(args, "runtime", None):
        settings = settings.model_copy(update={"hearback_runtime": args.runtime})
    if getattr(args, "log_format", None):
        settings = settings.model_copy(update={"hearback_log_format": args.log_format})
    global _json_logs
    _json_logs = settings.hearback_log_format == "json"
    try:
        if args.command == "health":
            return health(settings)
        if args.command == "check-config":
            return check_config(settings)
        if args.command == "migrate":
            _logging()
            return asyncio.run(_migrate(settings))
        if args.command in ("dead", "retry"):
            _logging()
            return asyncio.run(_dead_letters(settings, args))
        if args.command == "forget":
            _logging()
            return asyncio.run(_forget(settings, args.telegram_id))
        if args.command == "export-customer":
            _logging()
            return _export(settings, args.telegram_id, args.output)
        if args.command in ("export", "report"):
            return offline(args, settings)
        if args.command == "demo":
            if importlib.util.find_spec("sandbox") is None:
                print(SANDBOX_MISSING, file=sys.stderr)
                return 2
            _logging()
            # --script: the conversation is the output; the log only says what went wrong.
            logging.getLogger().setLevel(logging.ERROR if args.script else logging.WARNING)
            if args.script:
                from sandbox.demo.script import run_script

                return asyncio.run(run_script())
            return asyncio.run(_demo(args.database, args.host, args.port, args.reset))
        _logging(settings.token())
        memory.pause_collector()
        return asyncio.run(_run(settings))
    except ConfigError as error:
        print(
            f"hearback cannot start: {error}\nRun `hearback check-config` for the full list.",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
