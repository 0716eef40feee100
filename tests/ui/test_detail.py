"""The detail dialog and its timeline, for a transferred call."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
import pytest
import qasync
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from wrapup_desktop.domain.classify import classify_conversation
from wrapup_desktop.domain.directory import Directory, LookupState, QueueInfo
from wrapup_desktop.domain.model import Conversation
from wrapup_desktop.domain.rows import LegRow, WrapupStatus
from wrapup_desktop.ui.detail_dialog import FALLBACK_NOTE, DetailDialog
from wrapup_desktop.ui.timeline import TimelineWidget

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


def transfer_document(*, open_wrapup: bool = False) -> dict[str, Any]:
    """Return a call that Ana answers and transfers to Ben, who wraps up without a code."""
    ben_wrapup: dict[str, Any] = {
        "segmentStart": "2026-11-02T08:10:00Z",
        "segmentType": "wrapup",
        "queueId": "q-sales",
    }
    if not open_wrapup:
        ben_wrapup["segmentEnd"] = "2026-11-02T08:10:30Z"
    return {
        "conversationId": "c-transfer-1",
        "conversationStart": "2026-11-02T08:00:00Z",
        **({} if open_wrapup else {"conversationEnd": "2026-11-02T08:10:30Z"}),
        "originatingDirection": "inbound",
        "participants": [
            {
                "participantId": "p-cust",
                "participantName": "+49 30 1234567",
                "purpose": "customer",
                "sessions": [
                    {
                        "mediaType": "voice",
                        "direction": "inbound",
                        "segments": [
                            {
                                "segmentStart": "2026-11-02T08:00:00Z",
                                "segmentEnd": "2026-11-02T08:01:00Z",
                                "segmentType": "ivr",
                            },
                            {
                                "segmentStart": "2026-11-02T08:01:00Z",
                                "segmentEnd": "2026-11-02T08:10:00Z",
                                "segmentType": "interact",
                                "queueId": "q-sales",
                                "disconnectType": "peer",
                            },
                        ],
                    }
                ],
            },
            {
                "participantId": "p-acd",
                "participantName": "Sales",
                "purpose": "acd",
                "sessions": [
                    {
                        "mediaType": "voice",
                        "segments": [
                            {
                                "segmentStart": "2026-11-02T08:01:00Z",
                                "segmentEnd": "2026-11-02T08:01:20Z",
                                "segmentType": "interact",
                                "queueId": "q-sales",
                            }
                        ],
                    }
                ],
            },
            {
                "participantId": "p-ana",
                "participantName": "Ana Souza",
                "userId": "u-ana",
                "purpose": "agent",
                "sessions": [
                    {
                        "mediaType": "voice",
                        "segments": [
                            {
                                "segmentStart": "2026-11-02T08:01:20Z",
                                "segmentEnd": "2026-11-02T08:01:25Z",
                                "segmentType": "alert",
                                "queueId": "q-sales",
                            },
                            {
                                "segmentStart": "2026-11-02T08:01:25Z",
                                "segmentEnd": "2026-11-02T08:04:00Z",
                                "segmentType": "interact",
                                "queueId": "q-sales",
                            },
                            {
                                "segmentStart": "2026-11-02T08:04:00Z",
                                "segmentEnd": "2026-11-02T08:05:00Z",
                                "segmentType": "hold",
                                "queueId": "q-sales",
                            },
                            {
                                "segmentStart": "2026-11-02T08:05:00Z",
                                "segmentEnd": "2026-11-02T08:05:05Z",
                                "segmentType": "interact",
                                "queueId": "q-sales",
                                "disconnectType": "transfer",
                            },
                            {
                                "segmentStart": "2026-11-02T08:05:05Z",
                                "segmentEnd": "2026-11-02T08:05:25Z",
                                "segmentType": "wrapup",
                                "queueId": "q-sales",
                                "wrapUpCode": "wc-transfer",
                            },
                        ],
                    }
                ],
            },
            {
                "participantId": "p-ben",
                "participantName": "Ben Okafor",
                "userId": "u-ben",
                "purpose": "agent",
                "sessions": [
                    {
                        "mediaType": "voice",
                        "segments": [
                            {
                                "segmentStart": "2026-11-02T08:05:05Z",
                                "segmentEnd": "2026-11-02T08:10:00Z",
                                "segmentType": "interact",
                                "queueId": "q-sales",
                                "disconnectType": "peer",
                            },
                            ben_wrapup,
                        ],
                    }
                ],
            },
        ],
    }


def transfer_case(*, open_wrapup: bool = False) -> tuple[Conversation, list[LegRow]]:
    conversation = msgspec.convert(
        transfer_document(open_wrapup=open_wrapup), Conversation, strict=False
    )
    directory = Directory(
        wrapup_codes={"wc-transfer": "Transferred to sales"},
        queues={"q-sales": QueueInfo(name="Sales", wrapup_prompt="MANDATORY")},
        users={"u-ana": "Ana Souza", "u-ben": "Ben Okafor"},
        wrapup_codes_state=LookupState.FOUND,
        queues_state=LookupState.FOUND,
        users_state=LookupState.FOUND,
    )
    return conversation, classify_conversation(conversation, directory)


@pytest.fixture
def case() -> tuple[Conversation, list[LegRow]]:
    return transfer_case()


def test_classifier_gives_two_agent_legs(case: tuple[Conversation, list[LegRow]]) -> None:
    _conversation, rows = case
    statuses = {row.agent_name: row.wrapup_status for row in rows}
    assert statuses == {"Ana Souza": WrapupStatus.ASSIGNED, "Ben Okafor": WrapupStatus.MISSING}


def test_dialog_shows_four_lanes(qtbot: QtBot, case: tuple[Conversation, list[LegRow]]) -> None:
    conversation, rows = case
    dialog = DetailDialog(conversation, rows, BERLIN, None, now=NOW)
    qtbot.addWidget(dialog)
    lanes = dialog.timeline.lanes
    assert [lane.label for lane in lanes] == [
        "customer: +49 30 1234567",
        "acd: Sales",
        "agent: Ana Souza",
        "agent: Ben Okafor",
    ]
    assert [bar.segment_type for bar in lanes[2].bars] == [
        "alert",
        "interact",
        "hold",
        "interact",
        "wrapup",
    ]
    assert lanes[2].badge == "✓ Assigned · Transferred to sales"
    assert lanes[3].status == WrapupStatus.MISSING
    assert lanes[3].badge == "✗ Missing · no code"


def test_dialog_shows_status_and_reason(
    qtbot: QtBot, case: tuple[Conversation, list[LegRow]]
) -> None:
    conversation, rows = case
    dialog = DetailDialog(conversation, rows, BERLIN, None, now=NOW)
    qtbot.addWidget(dialog)
    text = dialog.legs_label.text()
    missing = next(row for row in rows if row.wrapup_status == WrapupStatus.MISSING)
    assert "Leg 2 · Ben Okafor" in text
    assert "✗ Missing" in text
    assert "✓ Assigned" in text
    assert "code Transferred to sales" in text
    assert missing.wrapup_reason.split(",")[0] in text
    assert dialog.id_field.text() == "c-transfer-1"
    assert dialog.windowTitle() == "Conversation c-transfer-1"
    labels = [label.text() for label in dialog.findChildren(type(dialog.legs_label))]
    assert "2026-11-02 09:00:00+01:00" in labels


def test_bar_tooltip_gives_times_and_code(
    qtbot: QtBot, case: tuple[Conversation, list[LegRow]]
) -> None:
    conversation, rows = case
    timeline = TimelineWidget(conversation, rows, BERLIN, now=NOW)
    qtbot.addWidget(timeline)
    timeline.resize(1000, timeline.sizeHint().height())
    timeline.grab()
    wrapup = timeline.lanes[2].bars[-1]
    assert timeline.bar_at(QPointF(wrapup.rect.center())) is wrapup
    assert wrapup.tooltip.splitlines() == [
        "wrapup",
        "Start: 2026-11-02 09:05:05.000+01:00",
        "End: 2026-11-02 09:05:25.000+01:00",
        "Duration: 20 s",
        "Media: voice",
        "Queue: Sales (q-sales)",
        "Wrap-up code: Transferred to sales (wc-transfer)",
    ]


def test_open_wrapup_drawn_to_now(qtbot: QtBot) -> None:
    conversation, rows = transfer_case(open_wrapup=True)
    timeline = TimelineWidget(conversation, rows, BERLIN, now=NOW)
    qtbot.addWidget(timeline)
    bar = timeline.lanes[3].bars[-1]
    assert bar.open
    assert bar.end == NOW.timestamp()
    assert "End: still open" in bar.tooltip
    assert timeline.lanes[3].status == WrapupStatus.PENDING


def test_raw_json_from_text_is_pretty(
    qtbot: QtBot, case: tuple[Conversation, list[LegRow]]
) -> None:
    conversation, rows = case
    raw = '{"conversationId":"c-transfer-1","mediaStatsMinConversationMos":4.8}'
    dialog = DetailDialog(conversation, rows, BERLIN, raw, now=NOW)
    qtbot.addWidget(dialog)
    text = dialog.json_view.toPlainText()
    assert text.splitlines()[1] == '  "conversationId": "c-transfer-1",'
    assert "mediaStatsMinConversationMos" in text
    assert dialog.json_note.text() == "The conversation as Genesys returned it."


def test_raw_json_fallback_has_note(qtbot: QtBot, case: tuple[Conversation, list[LegRow]]) -> None:
    conversation, rows = case
    dialog = DetailDialog(conversation, rows, BERLIN, None, now=NOW)
    qtbot.addWidget(dialog)
    assert '"participantName": "Ben Okafor"' in dialog.json_view.toPlainText()
    assert dialog.json_note.text() == FALLBACK_NOTE


def test_raw_json_fetched_when_tab_opens(
    qtbot: QtBot, case: tuple[Conversation, list[LegRow]]
) -> None:
    conversation, rows = case
    calls: list[str] = []

    def fetch() -> str:
        calls.append("fetch")
        return '{"conversationId": "c-transfer-1"}'

    dialog = DetailDialog(conversation, rows, BERLIN, fetch, now=NOW)
    qtbot.addWidget(dialog)
    assert calls == []
    dialog.tabs.setCurrentIndex(1)
    assert calls == ["fetch"]
    assert '"conversationId": "c-transfer-1"' in dialog.json_view.toPlainText()


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    loop = qasync.QEventLoop(qapp, already_running=False)
    yield loop
    loop.close()


def test_raw_json_from_coroutine(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, case: tuple[Conversation, list[LegRow]]
) -> None:
    conversation, rows = case

    async def fetch() -> str:
        await asyncio.sleep(0)
        return '{"conversationId": "c-transfer-1", "divisionIds": ["d-1"]}'

    async def scenario() -> str:
        dialog = DetailDialog(conversation, rows, BERLIN, fetch, now=NOW)
        qtbot.addWidget(dialog)
        task = dialog.load_raw_json()
        assert task is not None
        assert dialog.json_note.text() == "Fetching the full conversation from Genesys…"
        await task
        return dialog.json_view.toPlainText()

    text = qloop.run_until_complete(scenario())
    assert '"divisionIds": [' in text


def test_raw_json_fetch_failure_falls_back(
    qtbot: QtBot, case: tuple[Conversation, list[LegRow]]
) -> None:
    conversation, rows = case

    def fetch() -> str:
        raise OSError("connection refused")

    dialog = DetailDialog(conversation, rows, BERLIN, fetch, now=NOW)
    qtbot.addWidget(dialog)
    dialog.load_raw_json()
    assert dialog.json_note.text().startswith(
        "Could not fetch the full conversation: connection refused."
    )
    assert '"conversationId": "c-transfer-1"' in dialog.json_view.toPlainText()


def test_screenshot_of_dialog(
    qtbot: QtBot, tmp_path: Path, case: tuple[Conversation, list[LegRow]]
) -> None:
    conversation, rows = case
    dialog = DetailDialog(conversation, rows, BERLIN, None, now=NOW)
    qtbot.addWidget(dialog)
    dialog.resize(1100, 720)
    dialog.show()
    assert dialog.grab().save(str(tmp_path / "detail.png"))
    assert dialog.timeline.width() >= dialog.timeline.minimumSizeHint().width()


def test_dialog_without_participants_opens(qtbot: QtBot) -> None:
    row = LegRow(
        conversation_id="c-bad",
        conversation_start=None,
        conversation_end=None,
        media_type="",
        direction="",
        queue_id="",
        queue_name="",
        agent_id="",
        agent_name="",
        participant_id="",
        wrapup_status=WrapupStatus.MALFORMED,
        wrapup_code_id="",
        wrapup_code_name="",
        wrapup_count=0,
        acw_seconds=None,
        wrapup_reason="The field participants is not a list.",
    )
    dialog = DetailDialog(Conversation(), [row], BERLIN, None, now=NOW)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "Conversation c-bad"
    assert dialog.timeline.lanes == []
    assert "⚠ Malformed" in dialog.legs_label.text()
    assert not dialog.grab().isNull()


def test_closing_cancels_pending_fetch(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, case: tuple[Conversation, list[LegRow]]
) -> None:
    conversation, rows = case
    never = asyncio.Event()

    async def fetch() -> str:
        await never.wait()
        return "{}"

    async def scenario() -> bool:
        dialog = DetailDialog(conversation, rows, BERLIN, fetch, now=NOW)
        qtbot.addWidget(dialog)
        task = dialog.load_raw_json()
        assert task is not None
        await asyncio.sleep(0)
        dialog.reject()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        return task.cancelled()

    assert qloop.run_until_complete(scenario())


def test_dialog_formats_durations(qtbot: QtBot, case: tuple[Conversation, list[LegRow]]) -> None:
    conversation, rows = case
    rows = [dataclasses.replace(row, acw_seconds=71.684) for row in rows]
    dialog = DetailDialog(conversation, rows, BERLIN, None, now=NOW)
    qtbot.addWidget(dialog)
    text = dialog.legs_label.text()
    assert "after-call work 1 min 12 s" in text
    assert "71.684" not in text
