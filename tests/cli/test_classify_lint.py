"""`wrapup-desktop classify` on saved responses, and `wrapup-desktop lint-query`."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tests.cli.helpers import read_csv
from wrapup_desktop.cli.main import run_cli

QUERY_BUILDER_SAMPLE = (
    "MyPureCloud__developer-tools__app__controllers__analytics-query-builder.js__queryResult.json"
)
BLUEPRINT_SAMPLES = (
    "GenesysCloudBlueprints__conversation-model-to-sql-blueprint__conversations__conversation1.json",
    "GenesysCloudBlueprints__conversation-model-to-sql-blueprint__conversations__conversation2.json",
)


def test_old_response_classified(real_samples_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "old.csv"
    status = run_cli(["classify", str(real_samples_dir / QUERY_BUILDER_SAMPLE), "--csv", str(out)])
    assert status == 0
    _, rows = read_csv(out)
    statuses = Counter(row["wrapup_status"] for row in rows)
    preview_skipped = [
        row for row in rows if row["wrapup_code_id"] == "ININ-OUTBOUND-PREVIEW-SKIPPED"
    ]
    assert len(preview_skipped) == 19
    assert {row["wrapup_status"] for row in preview_skipped} == {"SYSTEM"}
    guid_coded = [
        row
        for row in rows
        if row["wrapup_code_id"] and not row["wrapup_code_id"].startswith("ININ-")
    ]
    assert guid_coded
    assert {row["wrapup_status"] for row in guid_coded} == {"ASSIGNED"}
    assert statuses["PENDING"] == 0


def test_bare_conversations_accepted(real_samples_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "bare.csv"
    paths = [str(real_samples_dir / name) for name in BLUEPRINT_SAMPLES]
    status = run_cli(["classify", *paths, "--csv", str(out)])
    assert status == 0
    _, rows = read_csv(out)
    assert len({row["conversation_id"] for row in rows}) == 2
    assert all(row["wrapup_reason"] for row in rows)


def test_listings_name_codes_and_queues(tmp_path: Path) -> None:
    response = {
        "totalHits": 1,
        "conversations": [
            {
                "conversationId": "c-1",
                "conversationStart": "2026-11-02T09:00:00.000Z",
                "conversationEnd": "2026-11-02T09:06:00.000Z",
                "participants": [
                    {
                        "participantId": "p-1",
                        "purpose": "agent",
                        "userId": "u-1",
                        "sessions": [
                            {
                                "mediaType": "voice",
                                "direction": "inbound",
                                "segments": [
                                    {
                                        "segmentType": "interact",
                                        "queueId": "q-1",
                                        "segmentStart": "2026-11-02T09:00:00.000Z",
                                        "segmentEnd": "2026-11-02T09:05:00.000Z",
                                    },
                                    {
                                        "segmentType": "wrapup",
                                        "queueId": "q-1",
                                        "wrapUpCode": "wc-1",
                                        "segmentStart": "2026-11-02T09:05:00.000Z",
                                        "segmentEnd": "2026-11-02T09:05:20.000Z",
                                    },
                                ],
                            },
                        ],
                    },
                ],
            }
        ],
    }
    paths = {
        "response": response,
        "codes": {"entities": [{"id": "wc-1", "name": "Sale"}]},
        "queues": {
            "entities": [
                {"id": "q-1", "name": "Sales", "acwSettings": {"wrapupPrompt": "MANDATORY"}}
            ]
        },
        "users": {"entities": [{"id": "u-1", "name": "José Núñez"}]},
    }
    for name, document in paths.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(document), encoding="utf-8")
    out = tmp_path / "out.csv"
    status = run_cli(
        [
            "classify",
            str(tmp_path / "response.json"),
            "--wrapup-codes",
            str(tmp_path / "codes.json"),
            "--queues",
            str(tmp_path / "queues.json"),
            "--users",
            str(tmp_path / "users.json"),
            "--tz",
            "Europe/Berlin",
            "--csv",
            str(out),
        ]
    )
    assert status == 0
    _, rows = read_csv(out)
    assert len(rows) == 1
    row = rows[0]
    assert row["wrapup_status"] == "ASSIGNED"
    assert row["wrapup_code_name"] == "Sale"
    assert row["queue_name"] == "Sales"
    assert row["agent_name"] == "José Núñez"
    assert row["acw_seconds"] == "20"
    assert row["conversation_start"] == "2026-11-02T10:00:00+01:00"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param('{"conversations": [', "line 1", id="truncated"),
        pytest.param("not json at all", "line 1, column 1", id="not-json"),
        pytest.param('"just a string"', "Expected", id="wrong-shape"),
        pytest.param("", "empty", id="empty"),
    ],
)
def test_broken_file_exit_2(
    content: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text(content, encoding="utf-8")
    status = run_cli(["classify", str(broken), "--csv", str(tmp_path / "out.csv")])
    assert status == 2
    error = capsys.readouterr().err
    assert "broken.json" in error
    assert expected.lower() in error.lower()
    assert not (tmp_path / "out.csv").exists()


def test_missing_file_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = run_cli(["classify", str(tmp_path / "nope.json"), "--csv", str(tmp_path / "o.csv")])
    assert status == 2
    assert "nope.json" in capsys.readouterr().err


def test_lint_names_invented_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = tmp_path / "body.json"
    body.write_text(
        json.dumps(
            {"dateFrom": "2026-11-01", "dateTo": "2026-11-02", "groupBy": ["queueId"], "size": 500}
        ),
        encoding="utf-8",
    )
    status = run_cli(["lint-query", str(body)])
    assert status == 2
    out = capsys.readouterr().out
    for field in ("dateFrom", "groupBy", "size"):
        assert field in out
    assert "interval" in out
    assert "paging" in out
    corrected = json.loads(out.split("Corrected body:", 1)[1])
    assert "interval" in corrected
    assert "dateFrom" not in corrected


def test_lint_accepts_valid_body(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = tmp_path / "body.json"
    body.write_text(
        json.dumps(
            {
                "interval": "2026-11-30T00:00:00.000Z/2026-12-01T00:00:00.000Z",
                "order": "asc",
                "orderBy": "conversationStart",
                "paging": {"pageSize": 100, "pageNumber": 1},
            }
        ),
        encoding="utf-8",
    )
    assert run_cli(["lint-query", str(body)]) == 0
    assert "valid" in capsys.readouterr().out


def test_cli_does_not_import_qt(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from wrapup_desktop.cli.main import run_cli\n"
        f"code = run_cli(['export', '--demo', '--from', '2026-11-04', '--to', '2026-11-04',"
        f" '--csv', {str(tmp_path / 'o.csv')!r}])\n"
        "assert code == 0, code\n"
        "print(sorted(name for name in sys.modules if name.startswith(('PySide6', 'qasync'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        env={
            "HOME": str(tmp_path),
            "PATH": "/usr/bin:/bin",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_sandbox_port_in_use_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        status = run_cli(["sandbox", "--port", str(port)])
    assert status == 2
    error = capsys.readouterr().err
    assert f"127.0.0.1:{port}" in error
    assert "--port" in error
