"""No client secret or access token is written anywhere a user or a support ticket could see.

Each test runs the real program in a child process whose home, settings, log, data and cache
folders lie inside a temporary folder. It then searches every file there (inside XLSX archives
too), stdout and stderr for the secret, the Basic credentials built from it and every access
token the sandbox issued.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.packaging.leak_search import (
    CANARY_CLIENT_ID,
    CANARY_SECRET,
    CanarySandbox,
    Run,
    basic_credentials,
    files_under,
    find_leaks,
    recent_days,
    run_program,
)
from wrapup_desktop.sandbox import auth as sandbox_auth


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
