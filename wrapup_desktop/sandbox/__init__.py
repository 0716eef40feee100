"""The sandbox org: a local emulator of the Genesys Cloud API subset WrapUp Desktop uses.

It generates a realistic org from a seed (agents, queues with different after-call-work
prompts, wrap-up codes, about 1,500 conversations per UTC day) and serves it with OAuth, the
conversation-details query and jobs, directory lookups, rate limits and injected faults.
It imports nothing from the other WrapUp Desktop packages.

In-process: `httpx.AsyncClient(transport=httpx.ASGITransport(create_app(org)))`.
On loopback: `with running_sandbox(org) as origin: ...` or `serve(port=8765)`.
"""

from __future__ import annotations

from wrapup_desktop.sandbox.app import create_app
from wrapup_desktop.sandbox.auth import (
    CLIENTS,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    NO_ANALYTICS_CLIENT_ID,
    NO_ANALYTICS_CLIENT_SECRET,
    NO_CODES_CLIENT_ID,
    NO_CODES_CLIENT_SECRET,
    NO_QUEUES_CLIENT_ID,
    NO_QUEUES_CLIENT_SECRET,
    ClientProfile,
)
from wrapup_desktop.sandbox.cli import add_sandbox_arguments, fault_plan_from_args, org_from_args
from wrapup_desktop.sandbox.directory import ORG_NAME, Queue, User, WrapupCode
from wrapup_desktop.sandbox.faults import FaultPlan, FaultRecord, ScriptedFault
from wrapup_desktop.sandbox.gate import SimulatedConnectionReset
from wrapup_desktop.sandbox.org import SandboxOrg
from wrapup_desktop.sandbox.scenarios import Scenario
from wrapup_desktop.sandbox.server import running_sandbox, serve
from wrapup_desktop.sandbox.state import SandboxState

__all__ = [
    "CLIENTS",
    "DEMO_CLIENT_ID",
    "DEMO_CLIENT_SECRET",
    "NO_ANALYTICS_CLIENT_ID",
    "NO_ANALYTICS_CLIENT_SECRET",
    "NO_CODES_CLIENT_ID",
    "NO_CODES_CLIENT_SECRET",
    "NO_QUEUES_CLIENT_ID",
    "NO_QUEUES_CLIENT_SECRET",
    "ORG_NAME",
    "ClientProfile",
    "FaultPlan",
    "FaultRecord",
    "Queue",
    "SandboxOrg",
    "SandboxState",
    "Scenario",
    "ScriptedFault",
    "SimulatedConnectionReset",
    "User",
    "WrapupCode",
    "add_sandbox_arguments",
    "create_app",
    "fault_plan_from_args",
    "org_from_args",
    "running_sandbox",
    "serve",
]
