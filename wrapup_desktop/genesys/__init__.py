"""The engine: sign in to Genesys Cloud, fetch conversation details, and look up names.

No Qt here. The CLI and the UI use the names re-exported below; `demo_session` connects to the
sandbox org in-process instead of a real org.
"""

from __future__ import annotations

from wrapup_desktop.genesys.auth import (
    ClientCredentials,
    ClientCredentialsAuth,
    StaticTokenAuth,
    TokenProvider,
)
from wrapup_desktop.genesys.demo import demo_session
from wrapup_desktop.genesys.fetch import FetchResult, fetch_range
from wrapup_desktop.genesys.jobs import JobError, JobPolicy
from wrapup_desktop.genesys.lookups import load_directory
from wrapup_desktop.genesys.missing import MissingPart
from wrapup_desktop.genesys.pkce import sign_in_with_browser
from wrapup_desktop.genesys.planning import (
    Interval,
    ReportRange,
    parse_interval_text,
    plan_intervals,
)
from wrapup_desktop.genesys.progress import ProgressEvent
from wrapup_desktop.genesys.regions import REGIONS, Endpoints, Region, resolve_endpoints
from wrapup_desktop.genesys.session import GenesysSession, RetryPolicy

__all__ = [
    "REGIONS",
    "ClientCredentials",
    "ClientCredentialsAuth",
    "Endpoints",
    "FetchResult",
    "GenesysSession",
    "Interval",
    "JobError",
    "JobPolicy",
    "MissingPart",
    "ProgressEvent",
    "Region",
    "ReportRange",
    "RetryPolicy",
    "StaticTokenAuth",
    "TokenProvider",
    "demo_session",
    "fetch_range",
    "load_directory",
    "parse_interval_text",
    "plan_intervals",
    "resolve_endpoints",
    "sign_in_with_browser",
]
