"""The headless command line: the same engine, domain and exports as the window, without Qt."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from wrapup_desktop.cli import commands
from wrapup_desktop.cli.parser import EXIT_BAD_INPUT, build_parser
from wrapup_desktop.errors import WrapUpError

logger = logging.getLogger(__name__)


def run_cli(argv: Sequence[str]) -> int:
    """Parse the arguments, run one subcommand and return its exit status."""
    parser = build_parser()
    args = parser.parse_args(list(argv))
    _configure_logging()
    try:
        return _dispatch(args)
    except WrapUpError as exc:
        # The details repeat the message in technical words; they go to the log only.
        print(f"error: {exc.message}", file=sys.stderr)
        logger.error("%s failed: %s (%s)", args.command, exc.message, exc.details or "no details")
        return exc.exit_status
    except KeyboardInterrupt:
        print("\nInterrupted: nothing was written.", file=sys.stderr)
        return 130


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "export":
        return asyncio.run(commands.run_export(args))
    if args.command == "classify":
        return commands.run_classify(args)
    if args.command == "lint-query":
        return commands.run_lint(args)
    if args.command == "sandbox":
        return commands.run_sandbox(args)
    if args.command == "forget-credentials":
        return commands.run_forget(args)
    print(f"error: unknown command {args.command!r}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _configure_logging() -> Path | None:
    from wrapup_desktop.logsetup import configure_logging

    try:
        return configure_logging(logging.INFO)
    except OSError as exc:
        print(f"warning: logging to a file is off: {exc}", file=sys.stderr)
        return None
