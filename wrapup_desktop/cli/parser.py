"""Options of the headless command line. They are a contract with scheduled reports: keep them."""

from __future__ import annotations

import argparse

from wrapup_desktop.domain.rows import WrapupStatus

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_INCOMPLETE = 3
EXIT_SIGN_IN = 4

_EXIT_EPILOG = (
    "Exit status: 0 complete, 2 bad arguments or input, 3 export incomplete (the files hold "
    "what was fetched and the message says what is missing), 4 sign-in or permission failure."
)


def build_parser() -> argparse.ArgumentParser:
    """Build the parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="wrapup-desktop",
        description="Classify and explain Genesys Cloud wrap-up codes.",
        epilog=_EXIT_EPILOG,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_export(commands)
    _add_classify(commands)
    _add_lint(commands)
    _add_sandbox(commands)
    _add_forget(commands)
    return parser


def _add_export(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = commands.add_parser(
        "export",
        help="fetch a date range from Genesys Cloud and write the classified legs",
        description=(
            "Fetch every conversation that started in a range of whole days and write one row "
            "per agent leg with its wrap-up status. The client secret comes from "
            "GENESYS_CLIENT_SECRET, else the OS keychain, else a prompt; never an argument."
        ),
        epilog=_EXIT_EPILOG,
    )
    org = export.add_mutually_exclusive_group(required=True)
    org.add_argument(
        "--demo", action="store_true", help="use the built-in sandbox org; no account needed"
    )
    org.add_argument(
        "--region",
        metavar="REGION",
        help=(
            "the org's region domain such as mypurecloud.ie or usw2.pure.cloud, a pasted "
            "Genesys Cloud URL, or a full origin such as http://127.0.0.1:8765 that serves "
            "both login and API"
        ),
    )
    export.add_argument("--client-id", metavar="ID", help="OAuth client id (client credentials)")
    export.add_argument(
        "--from",
        dest="date_from",
        required=True,
        metavar="YYYY-MM-DD",
        help="first day of the range, inclusive, in --tz; also today or yesterday",
    )
    export.add_argument(
        "--to",
        dest="date_to",
        required=True,
        metavar="YYYY-MM-DD",
        help="last day of the range, inclusive, in --tz; also today or yesterday",
    )
    _add_tz(export)
    export.add_argument(
        "--queue",
        dest="queue_ids",
        action="append",
        default=[],
        metavar="QUEUE_ID",
        help="keep only conversations offered to this queue id (repeatable)",
    )
    export.add_argument(
        "--media-type",
        dest="media_types",
        action="append",
        default=[],
        metavar="TYPE",
        help="keep only this media type, such as voice, chat, email (repeatable)",
    )
    export.add_argument(
        "--user",
        dest="user_ids",
        action="append",
        default=[],
        metavar="USER_ID",
        help="keep only conversations this agent handled (repeatable)",
    )
    export.add_argument(
        "--use-jobs",
        choices=("auto", "never", "always"),
        default="auto",
        help="use the async jobs API for older days: auto decides by size (default: auto)",
    )
    export.add_argument(
        "--dry-run",
        action="store_true",
        help="print the UTC intervals that would be queried, one START/END per line, and "
        "send nothing",
    )
    _add_outputs(export, required=False)


def _add_classify(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    classify = commands.add_parser(
        "classify",
        help="classify saved API responses offline",
        description=(
            "Classify saved responses: a details-query response, a jobs results page, a single "
            "conversation, or a JSON list of any of these. Saved listings of wrap-up codes, "
            "queues and users supply the names and the queues' wrap-up prompts."
        ),
        epilog=_EXIT_EPILOG,
    )
    classify.add_argument("responses", nargs="+", metavar="RESPONSE.json")
    classify.add_argument(
        "--wrapup-codes", metavar="FILE", help="saved GET /api/v2/routing/wrapupcodes response"
    )
    classify.add_argument(
        "--queues", metavar="FILE", help="saved GET /api/v2/routing/queues response"
    )
    classify.add_argument("--users", metavar="FILE", help="saved GET /api/v2/users response")
    _add_tz(classify)
    _add_outputs(classify, required=True)


def _add_lint(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lint = commands.add_parser(
        "lint-query",
        help="check a details-query body copied from a script or tutorial",
        description=(
            "Name every field the details query does not have, with the real equivalent, check "
            "the documented limits, and print a corrected body. Exit 0 when valid, 2 otherwise."
        ),
    )
    lint.add_argument("body", metavar="BODY.json", help="the request body, or - for stdin")


def _add_sandbox(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sandbox = commands.add_parser(
        "sandbox",
        help="serve the sandbox org on 127.0.0.1",
        description=(
            "Serve the sandbox org, a local emulator of the Genesys Cloud API subset that "
            "WrapUp Desktop uses, with realistic data and optional faults."
        ),
    )
    from wrapup_desktop.sandbox.cli import add_sandbox_arguments

    add_sandbox_arguments(sandbox)


def _add_forget(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    forget = commands.add_parser(
        "forget-credentials",
        help="delete client secrets stored in the OS keychain",
    )
    target = forget.add_mutually_exclusive_group(required=True)
    target.add_argument("--all", action="store_true", help="every secret WrapUp Desktop stored")
    target.add_argument("--region", metavar="REGION", help="the region of one client")
    forget.add_argument("--client-id", metavar="ID", help="the client id, with --region")


def _add_tz(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tz",
        metavar="Area/City",
        help="report time zone for the range and the times in the files, such as "
        "Europe/Berlin (default: this computer's zone)",
    )


def _add_outputs(parser: argparse.ArgumentParser, *, required: bool) -> None:
    outputs = parser.add_argument_group("output files (at least one)")
    outputs.add_argument("--csv", metavar="FILE", help="write the rows as CSV for Excel")
    outputs.add_argument(
        "--xlsx", metavar="FILE", help="write an Excel workbook: rows, summaries and run details"
    )
    outputs.add_argument("--jsonl", metavar="FILE", help="write the rows as JSON Lines")
    outputs.add_argument(
        "--summary",
        metavar="FILE.csv",
        help="write a summary per queue, agent, code and day with compliance rates",
    )
    parser.add_argument(
        "--include-notes",
        action="store_true",
        help="add the wrapup_note column; notes can hold customer data",
    )
    parser.add_argument(
        "--utc-columns",
        action="store_true",
        help="add conversation_start_utc and conversation_end_utc columns",
    )
    parser.add_argument(
        "--status",
        metavar="S1,S2",
        help="keep only these statuses, comma-separated: "
        + ", ".join(status.value for status in WrapupStatus),
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print the run diagnosis: findings with evidence and the action to take",
    )
    parser.set_defaults(outputs_required=required)
