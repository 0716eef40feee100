"""The subcommands of the headless command line."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import json
import logging
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from wrapup_desktop.cli.parser import EXIT_BAD_INPUT, EXIT_INCOMPLETE, EXIT_OK
from wrapup_desktop.cli.reports import ReportOutputs, counted, write_reports
from wrapup_desktop.domain.classify import classify_all
from wrapup_desktop.domain.diagnosis import RunInfo
from wrapup_desktop.errors import InputError, SignInError

if TYPE_CHECKING:
    from wrapup_desktop.genesys import RetryPolicy

logger = logging.getLogger(__name__)

WAIT_LINE_INTERVAL_S = 2.0
"""Shortest time between two printed wait lines."""
SECRET_ENV_VAR = "GENESYS_CLIENT_SECRET"  # noqa: S105 - the variable's name, not a secret


async def run_export(args: argparse.Namespace) -> int:
    """Fetch the range, classify it, write the reports; exit 3 when the data is incomplete."""
    from wrapup_desktop.genesys import (
        ClientCredentials,
        ClientCredentialsAuth,
        GenesysSession,
        ReportRange,
        demo_session,
        fetch_range,
        load_directory,
        plan_intervals,
        resolve_endpoints,
    )

    tz = resolve_zone(args.tz)
    today = datetime.now(tz).date()
    report = ReportRange(
        start_date=parse_day(args.date_from, "--from", today=today),
        end_date=parse_day(args.date_to, "--to", today=today),
        tz=tz,
        queue_ids=tuple(args.queue_ids),
        media_types=tuple(args.media_types),
        user_ids=tuple(args.user_ids),
    )
    now = datetime.now(UTC)
    if args.dry_run:
        for interval in plan_intervals(report, now=now):
            print(interval.to_api())
        return EXIT_OK
    outputs = ReportOutputs.from_args(args)

    if args.demo:
        session = demo_session(policy=retry_policy())
    else:
        if not args.client_id:
            raise InputError(
                "--client-id is missing. Give the OAuth client id with --region, or use --demo."
            )
        endpoints = resolve_endpoints(args.region)
        secret = read_client_secret(endpoints.login_base, args.client_id)
        credentials = ClientCredentials(client_id=args.client_id, client_secret=secret)
        session = GenesysSession(
            endpoints, ClientCredentialsAuth(endpoints, credentials), policy=retry_policy()
        )

    if report.end_date > today:
        print(
            f"Note: the range ends after today ({today}); it is cut at the present, since "
            "later days hold no conversations yet.",
            file=sys.stderr,
        )

    started = time.monotonic()
    cancel = asyncio.Event()
    async with session, _cancel_on_interrupt(cancel):
        result = await fetch_range(
            session,
            report,
            now=now,
            on_progress=_progress_printer(),
            cancel=cancel,
            use_jobs=args.use_jobs,
        )
        from wrapup_desktop.export.code_names import (
            load_remembered_code_names,
            remember_code_names,
        )

        directory = await load_directory(
            session,
            result.conversations,
            remembered_code_names=load_remembered_code_names(),
            cancel=cancel,
        )
        remember_code_names(directory.wrapup_codes)

    rows = classify_all(result.conversations, directory, result.malformed)
    missing_text = "" if result.complete else result.describe_missing(tz)
    run = RunInfo(
        range_text=f"{report.start_date} to {report.end_date}",
        tz_name=str(tz),
        missing_text=missing_text,
        still_changing=result.still_changing,
        # "jobs+query" counts as jobs: the jobs' data lag is the likelier cause of a gap.
        source="jobs" if "jobs" in result.source else "query",
    )
    write_reports(rows, directory, run, outputs, tz)
    elapsed = time.monotonic() - started
    print(
        f"{counted(len(result.conversations), 'conversation')}, "
        f"{counted(len(rows), 'row')} classified in {elapsed:.1f} s.",
        file=sys.stderr,
    )
    if result.still_changing:
        print(
            "The range reaches the present: conversations may still change. "
            "Export again later for final figures.",
            file=sys.stderr,
        )
    if not result.complete:
        if result.cancelled:
            print("Interrupted: the files hold what was fetched before Ctrl+C.", file=sys.stderr)
        print(f"error: the export is incomplete. {missing_text}", file=sys.stderr)
        print(
            "The files hold everything fetched so far. Run the same command again to "
            "fetch the whole range.",
            file=sys.stderr,
        )
        return EXIT_INCOMPLETE
    return EXIT_OK


def run_classify(args: argparse.Namespace) -> int:
    """Classify saved API responses with saved listings, and write the reports."""
    from wrapup_desktop.export.readers import read_directory_files, read_saved_responses

    tz = resolve_zone(args.tz)
    outputs = ReportOutputs.from_args(args)
    conversations, malformed = read_saved_responses([Path(path) for path in args.responses])
    directory = read_directory_files(
        _optional_path(args.wrapup_codes), _optional_path(args.queues), _optional_path(args.users)
    )
    rows = classify_all(conversations, directory, malformed)
    run = RunInfo(
        range_text=", ".join(Path(path).name for path in args.responses),
        tz_name=str(tz),
        source="file",
    )
    write_reports(rows, directory, run, outputs, tz)
    print(
        f"{counted(len(conversations) + len(malformed), 'conversation')}, "
        f"{counted(len(rows), 'row')} classified.",
        file=sys.stderr,
    )
    return EXIT_OK


def run_lint(args: argparse.Namespace) -> int:
    """Print what is wrong with a details-query body and a corrected body."""
    from wrapup_desktop.domain.querylint import lint_query

    expected = "Expected the JSON body of POST /api/v2/analytics/conversations/details/query."
    name = "standard input" if args.body == "-" else args.body
    if args.body == "-":
        try:
            body = json.loads(sys.stdin.read())
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{name} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}. "
                f"{expected}"
            ) from exc
    else:
        from wrapup_desktop.export.readers import load_json_file

        body = load_json_file(Path(args.body), expected)
    result = lint_query(body)
    if result.valid:
        print(f"{name}: a valid details-query body.")
        return EXIT_OK
    for issue in result.issues:
        print(f"{name}: {issue.path}: {_lint_sentence(issue.message, issue.replacement)}")
    print("\nCorrected body:")
    print(json.dumps(result.corrected, indent=2))
    return EXIT_BAD_INPUT


def _lint_sentence(message: str, replacement: str) -> str:
    """Join a lint message and its replacement into whole sentences."""
    text = message.strip()
    if text and text[-1] not in ".!?":
        text += "."
    if not replacement:
        return text
    if replacement.lower().startswith("remove"):
        return f"{text} {replacement[0].upper()}{replacement[1:]}."
    return f"{text} Use {replacement} instead."


def run_sandbox(args: argparse.Namespace) -> int:
    """Serve the sandbox org until interrupted."""
    from wrapup_desktop.sandbox import (
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        fault_plan_from_args,
        org_from_args,
        serve,
    )

    _check_port_free(args.host, args.port)
    print(
        f"Sandbox org on http://{args.host}:{args.port}\n"
        f"  client id: {DEMO_CLIENT_ID}\n  client secret: {DEMO_CLIENT_SECRET}\n"
        "Stop with Ctrl+C.",
        file=sys.stderr,
    )
    serve(args.host, args.port, org_from_args(args), fault_plan_from_args(args))
    return EXIT_OK


def _check_port_free(host: str, port: int) -> None:
    """Raise InputError when the sandbox could not listen on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As uvicorn does, so a port left in TIME_WAIT by an earlier run counts as free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise InputError(
                f"Cannot listen on {host}:{port}: {exc.strerror or exc}. Another program (or "
                "another sandbox) may use that port; choose a free one with --port."
            ) from exc


def run_forget(args: argparse.Namespace) -> int:
    """Delete stored client secrets from the keychain."""
    from wrapup_desktop.genesys import resolve_endpoints
    from wrapup_desktop.keychain import KeychainUnavailableError, forget_all, forget_secret

    try:
        if args.all:
            count = forget_all()
            print(f"Deleted {count} stored client secret(s).")
            return EXIT_OK
        if not args.client_id:
            raise InputError("--client-id is missing: give the client id with --region.")
        endpoints = resolve_endpoints(args.region)
        if forget_secret(endpoints.login_base, args.client_id):
            print(f"Deleted the stored secret of client {args.client_id}.")
        else:
            print(f"No secret was stored for client {args.client_id}.")
    except KeychainUnavailableError as exc:
        raise InputError(str(exc)) from exc
    return EXIT_OK


@contextlib.asynccontextmanager
async def _cancel_on_interrupt(cancel: asyncio.Event) -> AsyncIterator[None]:
    """Turn the first Ctrl+C into a cancel that keeps what was fetched; a second one aborts."""
    loop = asyncio.get_running_loop()

    def interrupt() -> None:
        print(
            "\nStopping: writing what was fetched so far (press Ctrl+C again to abort)...",
            file=sys.stderr,
        )
        cancel.set()
        loop.remove_signal_handler(signal.SIGINT)

    try:
        loop.add_signal_handler(signal.SIGINT, interrupt)
    except (NotImplementedError, RuntimeError, ValueError):
        # Windows event loops, and threads other than the main one, take no signal handlers;
        # Ctrl+C then aborts the run as before.
        yield
        return
    try:
        yield
    finally:
        loop.remove_signal_handler(signal.SIGINT)


def retry_policy() -> RetryPolicy:
    """Return the retry and rate-limit policy of command-line exports."""
    from wrapup_desktop.genesys import RetryPolicy

    return RetryPolicy()


def read_client_secret(origin: str, client_id: str) -> str:
    """Return the secret from the environment, the keychain or a prompt, in that order."""
    from wrapup_desktop.keychain import KeychainUnavailableError, load_secret
    from wrapup_desktop.logsetup import register_secret

    # Surrounding whitespace is a paste accident: Genesys secrets contain none.
    secret = os.environ.get(SECRET_ENV_VAR, "").strip()
    if not secret:
        try:
            secret = load_secret(origin, client_id) or ""
        except KeychainUnavailableError as exc:
            logger.info("No keychain: %s", exc)
    if not secret and sys.stdin is not None and sys.stdin.isatty():
        secret = getpass.getpass(f"Client secret for {client_id}: ").strip()
    if not secret:
        raise SignInError(
            f"No client secret for client {client_id}. Set {SECRET_ENV_VAR}, or save the "
            'secret with "Remember on this computer" in the WrapUp Desktop window.'
        )
    register_secret(secret)
    return secret


def resolve_zone(name: str | None) -> ZoneInfo:
    """Return the named IANA zone, or this computer's zone when no name is given."""
    if not name:
        import tzlocal

        name = tzlocal.get_localzone_name() or "UTC"
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise InputError(_bad_zone_message(name)) from exc


def parse_day(text: str, option: str, *, today: date) -> date:
    """Parse a YYYY-MM-DD day, or `today` or `yesterday` in the report zone.

    The words let a scheduled report name its day without date arithmetic in the shell.
    """
    word = text.strip().lower()
    if word == "today":
        return today
    if word == "yesterday":
        return today - timedelta(days=1)
    try:
        return date.fromisoformat(word)
    except ValueError as exc:
        raise InputError(
            f"{option} {text!r} is not a valid day. Write it as YYYY-MM-DD, for example "
            "2026-11-02, or as today or yesterday."
        ) from exc


def _bad_zone_message(name: str) -> str:
    return (
        f"--tz {name!r} is not a known time zone. Use an IANA name such as Europe/Berlin, "
        "America/New_York or UTC."
    )


def _optional_path(value: str | None) -> Path | None:
    return Path(value) if value else None


def _progress_printer() -> Callable[[object], None]:
    """Print waits and retries to stderr, and slice and job steps too in a terminal.

    A scheduled job's mail then holds only what needs attention. Waits are printed at most
    once every `WAIT_LINE_INTERVAL_S`, with a count of those left out, because parallel
    requests to a server that is down each retry at the same time.
    """
    interactive = sys.stderr.isatty()
    last_wait_line = -WAIT_LINE_INTERVAL_S
    left_out = 0

    def report(event: object) -> None:
        nonlocal last_wait_line, left_out
        kind = getattr(event, "kind", "")
        message = getattr(event, "message", "")
        if kind == "wait":
            now = time.monotonic()
            if now - last_wait_line < WAIT_LINE_INTERVAL_S:
                left_out += 1
                return
            if left_out:
                message += f" ({left_out} more waits since the last line)"
            print(message, file=sys.stderr)
            last_wait_line = now
            left_out = 0
        elif kind in {"slice", "job"} and interactive:
            print(message, file=sys.stderr)

    return report
