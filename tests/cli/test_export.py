"""`wrapup-desktop export` end to end against the sandbox org."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from tests.cli.helpers import expected_rows, read_csv, sandbox_conversations
from wrapup_desktop.cli import commands
from wrapup_desktop.cli.main import run_cli
from wrapup_desktop.export.columns import CSV_COLUMNS
from wrapup_desktop.genesys import RetryPolicy
from wrapup_desktop.sandbox import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    FaultPlan,
    SandboxOrg,
    ScriptedFault,
    running_sandbox,
)

WEEK = ("2026-11-02", "2026-11-08")


@pytest.fixture(scope="module")
def demo_week_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Export one week of the demo org once; several tests read the file."""
    path = tmp_path_factory.mktemp("export") / "week.csv"
    status = run_cli(
        [
            "export",
            "--demo",
            "--from",
            WEEK[0],
            "--to",
            WEEK[1],
            "--tz",
            "Europe/Berlin",
            "--csv",
            str(path),
        ]
    )
    assert status == 0
    return path


def test_demo_week_has_contract_columns(demo_week_csv: Path) -> None:
    header, _ = read_csv(demo_week_csv)
    assert header == list(CSV_COLUMNS)
    assert header[:16] == [
        "conversation_id",
        "conversation_start",
        "conversation_end",
        "media_type",
        "direction",
        "queue_id",
        "queue_name",
        "agent_id",
        "agent_name",
        "participant_id",
        "wrapup_status",
        "wrapup_code_id",
        "wrapup_code_name",
        "wrapup_count",
        "acw_seconds",
        "wrapup_reason",
    ]


def test_demo_week_rows_match_generator(demo_week_csv: Path) -> None:
    _, rows = read_csv(demo_week_csv)
    conversations = sandbox_conversations(date(2026, 11, 2), date(2026, 11, 8), "Europe/Berlin")
    assert len(rows) == sum(expected_rows(conversation) for conversation in conversations)
    assert {row["conversation_id"] for row in rows} == {
        conversation["conversationId"] for conversation in conversations
    }


def test_demo_week_shows_every_status(demo_week_csv: Path) -> None:
    _, rows = read_csv(demo_week_csv)
    statuses = Counter(row["wrapup_status"] for row in rows)
    for status in (
        "ASSIGNED",
        "TIMEOUT",
        "SKIPPED",
        "SYSTEM",
        "MISSING",
        "NOT_REQUIRED",
        "NOT_CONNECTED",
        "NO_AGENT",
    ):
        assert statuses[status] > 0, f"no {status} row in {dict(statuses)}"
    assert all(row["wrapup_reason"] for row in rows)


def test_demo_week_times_have_berlin_offset(demo_week_csv: Path) -> None:
    _, rows = read_csv(demo_week_csv)
    assert all(row["conversation_start"].endswith("+01:00") for row in rows)
    assert all(row["conversation_start"] >= "2026-11-02T00:00:00+01:00" for row in rows)
    assert all(row["conversation_start"] < "2026-11-09T00:00:00+01:00" for row in rows)


def test_dry_run_prints_intervals(capsys: pytest.CaptureFixture[str]) -> None:
    status = run_cli(
        [
            "export",
            "--demo",
            "--from",
            "2026-11-02",
            "--to",
            "2026-11-03",
            "--tz",
            "Europe/Berlin",
            "--dry-run",
        ]
    )
    assert status == 0
    lines = capsys.readouterr().out.split()
    assert lines
    assert all("/" in line and line.endswith("Z") for line in lines)
    assert lines[0].startswith("2026-11-01T")


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        pytest.param(["--from", "2026-13-01", "--to", "2026-11-02"], "YYYY-MM-DD", id="bad-date"),
        pytest.param(["--from", "2026-11-03", "--to", "2026-11-02"], "2026-11-02", id="reversed"),
        pytest.param(
            ["--from", "2026-11-02", "--to", "2026-11-02", "--tz", "Mars/Olympus"],
            "time zone",
            id="bad-zone",
        ),
        pytest.param(
            ["--from", "2026-11-02", "--to", "2026-11-02", "--status", "LOST"],
            "LOST",
            id="bad-status",
        ),
    ],
)
def test_bad_arguments_exit_2(
    arguments: list[str], expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run_cli(["export", "--demo", *arguments, "--csv", str(tmp_path / "out.csv")])
    assert status == 2
    assert expected in capsys.readouterr().err
    assert not (tmp_path / "out.csv").exists()


def test_missing_output_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    status = run_cli(["export", "--demo", "--from", "2026-11-02", "--to", "2026-11-02"])
    assert status == 2
    assert "--csv FILE" in capsys.readouterr().err


def test_wrong_secret_exit_4(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GENESYS_CLIENT_SECRET", "not-the-secret")
    with running_sandbox(SandboxOrg()) as origin:
        status = run_cli(
            [
                "export",
                "--region",
                origin,
                "--client-id",
                DEMO_CLIENT_ID,
                "--from",
                "2026-11-02",
                "--to",
                "2026-11-02",
                "--csv",
                str(tmp_path / "out.csv"),
            ]
        )
    assert status == 4
    error = capsys.readouterr().err
    assert "client" in error.lower()
    assert "not-the-secret" not in error


def test_loopback_export_matches_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENESYS_CLIENT_SECRET", DEMO_CLIENT_SECRET)
    served = tmp_path / "served.csv"
    demo = tmp_path / "demo.csv"
    with running_sandbox(SandboxOrg()) as origin:
        assert (
            run_cli(
                [
                    "export",
                    "--region",
                    origin,
                    "--client-id",
                    DEMO_CLIENT_ID,
                    "--from",
                    "2026-11-04",
                    "--to",
                    "2026-11-04",
                    "--tz",
                    "UTC",
                    "--csv",
                    str(served),
                ]
            )
            == 0
        )
    assert (
        run_cli(
            [
                "export",
                "--demo",
                "--from",
                "2026-11-04",
                "--to",
                "2026-11-04",
                "--tz",
                "UTC",
                "--csv",
                str(demo),
            ]
        )
        == 0
    )
    assert served.read_bytes() == demo.read_bytes()


def test_permanent_outage_exit_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GENESYS_CLIENT_SECRET", DEMO_CLIENT_SECRET)
    monkeypatch.setattr(
        commands,
        "retry_policy",
        lambda: RetryPolicy(max_attempts=2, base_backoff_s=0.001, max_backoff_s=0.001),
    )
    outage = ScriptedFault(status=503, endpoint="details_query", times=1_000)
    path = tmp_path / "partial.csv"
    with running_sandbox(SandboxOrg(), FaultPlan(scripted=[outage])) as origin:
        status = run_cli(
            [
                "export",
                "--region",
                origin,
                "--client-id",
                DEMO_CLIENT_ID,
                "--from",
                "2026-11-04",
                "--to",
                "2026-11-05",
                "--tz",
                "UTC",
                "--csv",
                str(path),
            ]
        )
    assert status == 3
    error = capsys.readouterr().err
    assert "incomplete" in error
    assert "2026-11-04" in error
    assert "2026-11-05" in error
    header, rows = read_csv(path)
    assert header == list(CSV_COLUMNS)
    assert rows == []


def test_outputs_and_explain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = run_cli(
        [
            "export",
            "--demo",
            "--from",
            "2026-11-04",
            "--to",
            "2026-11-04",
            "--tz",
            "UTC",
            "--csv",
            str(tmp_path / "missing.csv"),
            "--status",
            "MISSING,TIMEOUT",
            "--include-notes",
            "--xlsx",
            str(tmp_path / "all.xlsx"),
            "--jsonl",
            str(tmp_path / "all.jsonl"),
            "--summary",
            str(tmp_path / "summary.csv"),
            "--explain",
        ]
    )
    assert status == 0
    header, rows = read_csv(tmp_path / "missing.csv")
    assert header[-1] == "wrapup_note"
    assert rows
    assert {row["wrapup_status"] for row in rows} == {"MISSING", "TIMEOUT"}
    lines = (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(rows)
    assert json.loads(lines[0])["wrapup_status"] in {"MISSING", "TIMEOUT"}
    assert (tmp_path / "all.xlsx").stat().st_size > 0
    summary_header, summary_rows = read_csv(tmp_path / "summary.csv")
    assert "compliance_percent" in summary_header
    assert {row["dimension"] for row in summary_rows} >= {"queue", "agent", "code", "day"}
    assert "Diagnosis" in capsys.readouterr().out


def test_yesterday_and_today_accepted(capsys: pytest.CaptureFixture[str]) -> None:
    status = run_cli(
        ["export", "--demo", "--from", "yesterday", "--to", "today", "--tz", "UTC", "--dry-run"]
    )
    assert status == 0
    lines = capsys.readouterr().out.split()
    assert len(lines) >= 1
    assert all(line.endswith("Z") for line in lines)


def test_missing_output_folder_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "no-such-folder" / "out.csv"
    status = run_cli(
        ["export", "--demo", "--from", "2026-11-04", "--to", "2026-11-04", "--csv", str(target)]
    )
    assert status == 2
    error = capsys.readouterr().err
    assert "no-such-folder" in error
    assert "does not exist" in error


def test_same_file_twice_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    same = str(tmp_path / "same.out")
    status = run_cli(
        [
            "export",
            "--demo",
            "--from",
            "2026-11-04",
            "--to",
            "2026-11-04",
            "--csv",
            same,
            "--jsonl",
            same,
        ]
    )
    assert status == 2
    assert "same file" in capsys.readouterr().err


def test_empty_status_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = run_cli(
        [
            "export",
            "--demo",
            "--from",
            "2026-11-04",
            "--to",
            "2026-11-04",
            "--status",
            "",
            "--csv",
            str(tmp_path / "out.csv"),
        ]
    )
    assert status == 2
    assert "--status is empty" in capsys.readouterr().err


def test_unwritable_file_fails_before_fetch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "locked.csv"
    target.write_text("old report", encoding="utf-8")
    real_open = Path.open

    def locked_open(self: Path, *args: object, **kwargs: object) -> object:
        if self == target:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    def no_fetch(*args: object, **kwargs: object) -> None:
        raise AssertionError("the export fetched before checking its output file")

    monkeypatch.setattr(Path, "open", locked_open)
    monkeypatch.setattr("wrapup_desktop.genesys.fetch_range", no_fetch)
    status = run_cli(
        ["export", "--demo", "--from", "2026-11-04", "--to", "2026-11-04", "--csv", str(target)]
    )
    assert status == 2
    error = capsys.readouterr().err
    assert "Cannot write" in error
    assert "Excel" in error
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "old report"


def test_use_jobs_option_reaches_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import wrapup_desktop.genesys as genesys

    seen: list[object] = []
    real_fetch = genesys.fetch_range

    async def recording_fetch(*args: object, **kwargs: object) -> object:
        seen.append(kwargs.get("use_jobs"))
        return await real_fetch(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(genesys, "fetch_range", recording_fetch)
    status = run_cli(
        [
            "export",
            "--demo",
            "--from",
            "2026-11-04",
            "--to",
            "2026-11-04",
            "--use-jobs",
            "never",
            "--csv",
            str(tmp_path / "out.csv"),
        ]
    )
    assert status == 0
    assert seen == ["never"]


def test_interrupt_keeps_fetched_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import signal

    def interrupt_after_first_page() -> object:
        interrupted: list[bool] = []

        def report(event: object) -> None:
            if getattr(event, "kind", "") == "page" and not interrupted:
                interrupted.append(True)
                signal.raise_signal(signal.SIGINT)

        return report

    monkeypatch.setattr(commands, "_progress_printer", interrupt_after_first_page)
    path = tmp_path / "partial.csv"
    status = run_cli(
        [
            "export",
            "--demo",
            "--from",
            "2026-11-02",
            "--to",
            "2026-11-08",
            "--use-jobs",
            "never",
            "--csv",
            str(path),
        ]
    )
    assert status == 3
    error = capsys.readouterr().err
    assert "Interrupted" in error
    assert "incomplete" in error
    _, rows = read_csv(path)
    assert rows, "the rows fetched before Ctrl+C were lost"


def test_wait_lines_are_throttled(capsys: pytest.CaptureFixture[str]) -> None:
    from wrapup_desktop.genesys import ProgressEvent

    report = commands._progress_printer()
    for attempt in range(40):
        report(
            ProgressEvent(
                kind="wait",
                message=f"Waiting 0.5 s: Network error (ConnectError), retry {attempt}",
                slices_done=0,
                slices_total=1,
                pages_done=0,
                pages_total=None,
                conversations=0,
                wait_s=0.5,
                wait_reason="Network error",
            )
        )
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Waiting 0.5 s")
