"""No client secret or access token is written anywhere a user or a support ticket could see.

Each test runs the real program in a child process whose home, settings, log, data and cache
folders lie inside a temporary folder. It then searches every file there (inside XLSX archives
too), stdout and stderr for the secret, the Basic credentials built from it and every access
token the sandbox issued.
"""

from __future__ import annotations

import base64
import subprocess
import sys
import zipfile
from collections.abc import Iterator
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


def run_program(arguments: list[str], root: Path, secret: str | None) -> Run:
    home = root / "home"
    (root / "out").mkdir(parents=True, exist_ok=True)
    home.mkdir(parents=True, exist_ok=True)
    env = private_environment(home)
    if secret is not None:
        env["GENESYS_CLIENT_SECRET"] = secret
    result = subprocess.run(
        [sys.executable, "-m", "wrapup_desktop", *arguments],
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


@pytest.fixture
def canary_sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[CanarySandbox]:
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


def test_export_writes_no_secret(canary_sandbox: CanarySandbox, tmp_path: Path) -> None:
    first, last = recent_days()
    arguments = ["export", "--region", canary_sandbox.origin, "--client-id", CANARY_CLIENT_ID]
    arguments += ["--from", first, "--to", last, "--tz", "UTC", "--include-notes", "--explain"]
    arguments += ["--csv", "out/report.csv", "--xlsx", "out/report.xlsx"]
    arguments += ["--jsonl", "out/report.jsonl", "--summary", "out/summary.csv"]
    run = run_program(arguments, tmp_path, CANARY_SECRET)

    assert run.returncode == 0, run.stderr
    assert len(canary_sandbox.tokens) >= 2, "the run should have signed in twice"
    assert (tmp_path / "out" / "report.xlsx").stat().st_size > 0
    assert files_under(tmp_path / "home", "*.log"), "the run wrote no log file to search"
    needles = {
        "client secret": CANARY_SECRET,
        "Basic credentials": basic_credentials(CANARY_CLIENT_ID, CANARY_SECRET),
    }
    needles |= {f"access token {n}": token for n, token in enumerate(canary_sandbox.tokens, 1)}
    assert find_leaks(run, needles) == []


def test_rejected_secret_not_echoed(canary_sandbox: CanarySandbox, tmp_path: Path) -> None:
    wrong_secret = "wrong-" + CANARY_SECRET
    first, last = recent_days()
    arguments = ["export", "--region", canary_sandbox.origin, "--client-id", CANARY_CLIENT_ID]
    arguments += ["--from", first, "--to", last, "--tz", "UTC", "--csv", "out/report.csv"]
    run = run_program(arguments, tmp_path, wrong_secret)

    assert run.returncode == 4, run.stderr
    assert "error:" in run.stderr
    assert canary_sandbox.tokens == []
    needles = {
        "rejected secret": wrong_secret,
        "Basic credentials": basic_credentials(CANARY_CLIENT_ID, wrong_secret),
    }
    assert find_leaks(run, needles) == []


@pytest.mark.slow
def test_window_writes_no_secret(tmp_path: Path) -> None:
    first, last = recent_days()
    arguments = ["--demo", "--from", first, "--to", last, "--tz", "UTC", "--log-level", "DEBUG"]
    arguments += ["--screenshot", "out/window.png"]
    run = run_program(arguments, tmp_path, CANARY_SECRET)

    assert run.returncode == 0, run.stderr
    assert (tmp_path / "out" / "window.png").stat().st_size > 0
    assert files_under(tmp_path / "home", "*.log"), "the window wrote no log file to search"
    demo_id = sandbox_auth.DEMO_CLIENT_ID
    demo_secret = sandbox_auth.DEMO_CLIENT_SECRET
    needles = {
        "environment secret": CANARY_SECRET,
        "demo client secret": demo_secret,
        "demo Basic credentials": basic_credentials(demo_id, demo_secret),
    }
    assert find_leaks(run, needles) == []


def test_leak_search_reads_inside_xlsx(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "report.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", f"<t>{CANARY_SECRET}</t>")
    run = Run(0, "", f"token {CANARY_SECRET}", tmp_path)

    leaks = find_leaks(run, {"client secret": CANARY_SECRET})

    assert leaks == [
        "client secret in stderr",
        "client secret in report.xlsx!xl/sharedStrings.xml",
    ]
