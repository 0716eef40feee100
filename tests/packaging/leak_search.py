"""Search a program run's output and files for secrets, against a sandbox with a canary client.

The canary client exists only in the sandbox served here. No other code contains its secret, so
finding the secret anywhere means the program wrote it.
"""

from __future__ import annotations

import base64
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.packaging.conftest import private_environment
from wrapup_desktop.sandbox import FaultPlan, ScriptedFault, running_sandbox
from wrapup_desktop.sandbox import auth as sandbox_auth

CANARY_CLIENT_ID = "1eaf7e57-0000-4000-8000-00000000c0de"
CANARY_SECRET = "canary-Zq8vN3xK7pW2-secret"
RUN_TIMEOUT_S = 240


@dataclass
class CanarySandbox:
    """A sandbox org on 127.0.0.1 that accepts the canary client and records issued tokens."""

    origin: str
    tokens: list[str] = field(default_factory=list)


@dataclass
class Run:
    """One finished child process and the folder it wrote into."""

    returncode: int
    stdout: str
    stderr: str
    root: Path


def basic_credentials(client_id: str, secret: str) -> str:
    return base64.b64encode(f"{client_id}:{secret}".encode()).decode("ascii")


def recent_days() -> tuple[str, str]:
    """Two whole UTC days that ended before today, so the sandbox has finished conversations."""
    today = datetime.now(UTC).date()
    return (today - timedelta(days=3)).isoformat(), (today - timedelta(days=2)).isoformat()


def run_program(
    arguments: list[str], root: Path, secret: str | None, program: list[str] | None = None
) -> Run:
    """Run the program (by default this Python's `-m wrapup_desktop`) with a private home."""
    home = root / "home"
    (root / "out").mkdir(parents=True, exist_ok=True)
    home.mkdir(parents=True, exist_ok=True)
    env = private_environment(home)
    if secret is not None:
        env["GENESYS_CLIENT_SECRET"] = secret
    result = subprocess.run(
        [*(program or [sys.executable, "-m", "wrapup_desktop"]), *arguments],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    return Run(result.returncode, result.stdout, result.stderr, root)


def readable_texts(root: Path) -> Iterator[tuple[str, bytes]]:
    """Yield (name, bytes) of every file under `root`, and of every member of a ZIP file."""
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        yield str(path.relative_to(root)), data
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    yield f"{path.relative_to(root)}!{member}", archive.read(member)


def find_leaks(run: Run, needles: dict[str, str]) -> list[str]:
    """Return '<label> in <where>' for each needle found in the outputs or files of `run`."""
    leaks = []
    streams = {"stdout": run.stdout.encode(), "stderr": run.stderr.encode()}
    for where, data in [*streams.items(), *readable_texts(run.root)]:
        for label, needle in needles.items():
            if needle.encode() in data:
                leaks.append(f"{label} in {where}")
    return leaks


def files_under(root: Path, pattern: str) -> list[Path]:
    return sorted(path for path in root.rglob(pattern) if path.is_file())


@contextmanager
def serve_canary_sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[CanarySandbox]:
    """Serve the sandbox org with the canary client; expire tokens and throttle once mid-run."""
    profile = sandbox_auth.ClientProfile(
        CANARY_CLIENT_ID, CANARY_SECRET, sandbox_auth.ALL_PERMISSIONS, "secret-leak canary"
    )
    monkeypatch.setitem(sandbox_auth.CLIENTS, CANARY_CLIENT_ID, profile)
    issued: list[str] = []
    original_issue = sandbox_auth.TokenStore.issue

    def recording_issue(
        self: sandbox_auth.TokenStore, client: sandbox_auth.ClientProfile, lifetime_s: float
    ) -> str:
        token = original_issue(self, client, lifetime_s)
        issued.append(token)
        return token

    monkeypatch.setattr(sandbox_auth.TokenStore, "issue", recording_issue)
    faults = FaultPlan(
        # Every token expires mid-run, so the program signs in a second time. One 429 with a
        # short wait makes it write its retry and wait messages too.
        expire_tokens_after=6,
        scripted=[
            ScriptedFault(endpoint="details_query", on_request=2, status=429, retry_after_s=1)
        ],
    )
    with running_sandbox(faults=faults) as origin:
        yield CanarySandbox(origin, issued)
