"""Real responses published by Genesys: an old 2016 details query and two bare conversations."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from wrapup_desktop.domain.classify import classify_all
from wrapup_desktop.domain.decode import decode_page
from wrapup_desktop.domain.directory import Directory
from wrapup_desktop.domain.documents import conversations_from_document
from wrapup_desktop.domain.rows import WrapupStatus

OLD_RESPONSE = (
    "MyPureCloud__developer-tools__app__controllers__analytics-query-builder.js__queryResult.json"
)
BARE = (
    "GenesysCloudBlueprints__conversation-model-to-sql-blueprint__conversations__"
    "conversation{}.json"
)
DEFAULT_CODE = "7fb334b0-0e9e-11e4-9191-0800200c9a66"


def test_old_response_classified(real_samples_dir: Path) -> None:
    page = decode_page((real_samples_dir / OLD_RESPONSE).read_bytes())
    assert len(page.conversations) == 25
    assert page.malformed == []
    rows = classify_all(page.conversations, Directory())
    by_code = Counter(
        (row.wrapup_status, row.wrapup_code_id) for row in rows if row.wrapup_code_id
    )
    assert by_code[(WrapupStatus.SYSTEM, "ININ-OUTBOUND-PREVIEW-SKIPPED")] == 19
    assert by_code[(WrapupStatus.ASSIGNED, DEFAULT_CODE)] == 3
    assert sum(by_code.values()) == 24
    coded_statuses = {status for status, _ in by_code}
    assert coded_statuses == {WrapupStatus.SYSTEM, WrapupStatus.ASSIGNED}
    assert not any(row.wrapup_status is WrapupStatus.PENDING for row in rows)
    assert all(row.conversation_end is None for row in rows)


def test_old_response_zero_length_acw(real_samples_dir: Path) -> None:
    page = decode_page((real_samples_dir / OLD_RESPONSE).read_bytes())
    rows = classify_all(page.conversations, Directory())
    skipped = [row for row in rows if row.wrapup_code_id == "ININ-OUTBOUND-PREVIEW-SKIPPED"]
    assert all(row.acw_seconds == 0 for row in skipped)
    assert all("Skip" in row.wrapup_reason for row in skipped)


def test_old_response_as_document(real_samples_dir: Path) -> None:
    document = json.loads((real_samples_dir / OLD_RESPONSE).read_text())
    conversations, malformed = conversations_from_document(document)
    assert len(conversations) == 25
    assert malformed == []


def test_bare_conversation_accepted(real_samples_dir: Path) -> None:
    document = json.loads((real_samples_dir / BARE.format(1)).read_text())
    conversations, malformed = conversations_from_document(document)
    assert len(conversations) == 1
    assert malformed == []
    rows = classify_all(conversations, Directory())
    assert len(rows) == 1
    row = rows[0]
    assert row.wrapup_status is WrapupStatus.MISSING
    assert row.wrapup_code_id == ""
    assert row.media_type == "chat"
    assert "unknown" in row.wrapup_reason


def test_hand_edited_dates_are_malformed(real_samples_dir: Path) -> None:
    # This file was edited by hand: its segment times read "2021-04-2T15:30:51.418Z".
    document = json.loads((real_samples_dir / BARE.format(2)).read_text())
    conversations, malformed = conversations_from_document(document)
    assert conversations == []
    assert len(malformed) == 1
    rows = classify_all([], Directory(), malformed)
    assert len(rows) == 1
    row = rows[0]
    assert row.wrapup_status is WrapupStatus.MALFORMED
    assert row.agent_id != ""
    assert "sessions[0].segments[0].segmentStart is not a valid time" in row.wrapup_reason
    assert "2021-04-2T15:30:51" in row.wrapup_reason


def test_bare_conversations_as_list(real_samples_dir: Path) -> None:
    documents = [
        json.loads((real_samples_dir / BARE.format(number)).read_text()) for number in (1, 2)
    ]
    conversations, malformed = conversations_from_document(documents)
    assert len(conversations) == 1
    assert len(malformed) == 1
    assert "$[1].participants[0]" in malformed[0].error
