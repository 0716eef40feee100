"""Command-line options of `wrapup-desktop sandbox`, turned into a `SandboxOrg` and `FaultPlan`.

The caller owns the parser: `add_sandbox_arguments(parser)`, then
`serve(ns.host, ns.port, org_from_args(ns), fault_plan_from_args(ns))`.
"""

from __future__ import annotations

import argparse
from datetime import datetime

from wrapup_desktop.sandbox.faults import FaultPlan
from wrapup_desktop.sandbox.formats import parse_instant
from wrapup_desktop.sandbox.org import DEFAULT_SEED, SandboxOrg
from wrapup_desktop.sandbox.scenarios import DEFAULT_WEEKDAY_VOLUME
from wrapup_desktop.sandbox.server import DEFAULT_HOST, DEFAULT_PORT


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a fraction from 0 to 1, got {text!r}"
        ) from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a fraction from 0 to 1, got {text!r}")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return value


def _rate_limit(text: str) -> tuple[int, float]:
    count, _, seconds = text.partition("/")
    try:
        parsed = int(count), float(seconds or "60")
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected REQUESTS/SECONDS such as 300/60, got {text!r}"
        ) from None
    if parsed[0] < 1 or parsed[1] <= 0:
        raise argparse.ArgumentTypeError(f"expected positive numbers such as 300/60, got {text!r}")
    return parsed


def _slow_tail(text: str) -> tuple[float, float]:
    fraction, _, millis = text.partition(":")
    try:
        parsed = _fraction(fraction), float(millis)
    except (ValueError, argparse.ArgumentTypeError):
        raise argparse.ArgumentTypeError(
            f"expected FRACTION:MILLISECONDS such as 0.05:2000, got {text!r}"
        ) from None
    return parsed


def _statuses(text: str) -> tuple[int, ...]:
    try:
        statuses = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected HTTP statuses such as 500,503, got {text!r}"
        ) from None
    if not statuses or any(not 400 <= status <= 599 for status in statuses):
        raise argparse.ArgumentTypeError(f"expected HTTP statuses from 400 to 599, got {text!r}")
    return statuses


def _instant(text: str) -> datetime:
    try:
        return parse_instant(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an ISO-8601 time such as 2026-12-01T14:00:00Z, got {text!r}"
        ) from None


def add_sandbox_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the sandbox options (address, data, latency, faults and limits) to `parser`."""
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}, loopback only)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"TCP port to listen on (default {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help=f"seed of the generated org (default {DEFAULT_SEED})",
    )
    parser.add_argument(
        "--per-day",
        type=_positive_int,
        default=DEFAULT_WEEKDAY_VOLUME,
        help=f"conversations per weekday, weekends get 40 %% (default {DEFAULT_WEEKDAY_VOLUME})",
    )
    parser.add_argument(
        "--now",
        type=_instant,
        default=None,
        help="fixed 'now' of the org as ISO-8601 UTC (default: the real time)",
    )
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=0.0,
        help="delay added to every response, in milliseconds",
    )
    parser.add_argument(
        "--slow-tail",
        type=_slow_tail,
        default=(0.0, 0.0),
        metavar="FRACTION:MS",
        help="a fraction of responses gets this many extra milliseconds",
    )
    parser.add_argument(
        "--rate-limit",
        type=_rate_limit,
        default=None,
        metavar="N/S",
        help="allow N API requests per S seconds per token, e.g. 300/60",
    )
    parser.add_argument(
        "--fail-rate",
        type=_fraction,
        default=0.0,
        help="fraction of API requests that get an error status in response",
    )
    parser.add_argument(
        "--fail-statuses",
        type=_statuses,
        default=(500, 502, 503, 504),
        help="comma-separated statuses for --fail-rate (default 500,502,503,504)",
    )
    parser.add_argument(
        "--reset-rate",
        type=_fraction,
        default=0.0,
        help="fraction of API requests whose connection is dropped",
    )
    parser.add_argument(
        "--truncate-rate",
        type=_fraction,
        default=0.0,
        help="fraction of API responses whose JSON body is cut in half",
    )
    parser.add_argument(
        "--token-lifetime-s",
        type=float,
        default=86_400.0,
        help="access token lifetime in seconds (default 86400)",
    )
    parser.add_argument(
        "--jobs-lag-hours",
        type=float,
        default=24.0,
        help="hours the jobs data-availability date lags now (default 24)",
    )


def fault_plan_from_args(ns: argparse.Namespace) -> FaultPlan:
    """Build the fault plan that the parsed options describe."""
    tail_fraction, tail_ms = ns.slow_tail
    plan = FaultPlan(
        latency_s=ns.latency_ms / 1000,
        slow_tail_fraction=tail_fraction,
        slow_tail_s=tail_ms / 1000,
        fail_rate=ns.fail_rate,
        fail_statuses=tuple(ns.fail_statuses),
        reset_rate=ns.reset_rate,
        truncate_rate=ns.truncate_rate,
        token_lifetime_s=ns.token_lifetime_s,
        jobs_lag_s=ns.jobs_lag_hours * 3600,
    )
    if ns.rate_limit is not None:
        plan.rate_limit_requests, plan.rate_limit_window_s = ns.rate_limit
    return plan


def org_from_args(ns: argparse.Namespace) -> SandboxOrg:
    """Build the org that the parsed options describe (seed and optional fixed 'now')."""
    return SandboxOrg(seed=ns.seed, now=ns.now, weekday_volume=ns.per_day)
