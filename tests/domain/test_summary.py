"""Summaries per queue, agent, code and day, and the compliance rate."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from wrapup_desktop.domain.rows import LegRow, WrapupStatus
from wrapup_desktop.domain.summary import compliance_rate, summarize


def _row(
    status: WrapupStatus,
    *,
    queue: str = "q-1",
    required: bool | None = True,
    transfer: bool = False,
    start: datetime | None = datetime(2026, 3, 2, 23, 30, tzinfo=UTC),
    agent_id: str = "u-1",
    code: str = "",
) -> LegRow:
    return LegRow(
        conversation_id="c",
        conversation_start=start,
        conversation_end=None,
        media_type="voice",
        direction="inbound",
        queue_id=queue,
        queue_name=queue.upper(),
        agent_id=agent_id,
        agent_name="",
        participant_id="p",
        wrapup_status=status,
        wrapup_code_id=code,
        wrapup_code_name="",
        wrapup_count=1 if code else 0,
        acw_seconds=1.0,
        wrapup_reason="r",
        transfer_seq=1,
        ended_in_transfer=transfer,
        code_required=required,
    )


S = WrapupStatus


def test_compliance_counts_required_only() -> None:
    rows = [
        _row(S.ASSIGNED),
        _row(S.ASSIGNED),
        _row(S.TIMEOUT),
        _row(S.MISSING),
        _row(S.SKIPPED),
        _row(S.MISSING, required=None),
        _row(S.ASSIGNED, required=False),
        _row(S.NOT_REQUIRED, required=False),
        _row(S.NOT_CONNECTED),
        _row(S.PENDING),
        _row(S.SYSTEM),
        _row(S.NO_AGENT, required=None),
        _row(S.MALFORMED, required=None),
    ]
    assert compliance_rate(rows) == pytest.approx(2 / 6)


def test_compliance_none_without_required() -> None:
    assert compliance_rate([_row(S.NO_AGENT), _row(S.NOT_REQUIRED, required=False)]) is None
    assert compliance_rate([]) is None


def test_summary_by_queue() -> None:
    rows = [
        _row(S.ASSIGNED, queue="q-1"),
        _row(S.MISSING, queue="q-1", transfer=True),
        _row(S.ASSIGNED, queue="q-2"),
        _row(S.NO_AGENT, queue="", required=None),
    ]
    summary = summarize(rows, "queue", ZoneInfo("UTC"))
    assert [item.key for item in summary] == ["q-1", "", "q-2"]
    first = summary[0]
    assert first.label == "Q-1"
    assert first.legs == 2
    assert first.counts == {S.ASSIGNED: 1, S.MISSING: 1}
    assert first.required == 2
    assert first.assigned == 1
    assert first.compliance_rate == 0.5
    assert first.transfer_legs == 1
    assert summary[1].label == "(no queue)"
    assert summary[1].compliance_rate is None


def test_summary_day_uses_zone() -> None:
    rows = [_row(S.ASSIGNED), _row(S.ASSIGNED, start=None)]
    utc_days = summarize(rows, "day", ZoneInfo("UTC"))
    sydney_days = summarize(rows, "day", ZoneInfo("Australia/Sydney"))
    assert [item.key for item in utc_days] == ["2026-03-02", ""]
    assert [item.key for item in sydney_days] == ["2026-03-03", ""]
    assert sydney_days[1].label == "(unknown day)"


def test_summary_by_agent_and_code() -> None:
    rows = [_row(S.ASSIGNED, code="wc-1"), _row(S.MISSING, agent_id="u-2")]
    agents = summarize(rows, "agent", ZoneInfo("UTC"))
    codes = summarize(rows, "code", ZoneInfo("UTC"))
    assert {item.key for item in agents} == {"u-1", "u-2"}
    assert {item.label for item in codes} == {"wc-1", "(no code)"}


def test_summary_rejects_unknown_dimension() -> None:
    with pytest.raises(ValueError, match="queue, agent, code or day"):
        summarize([], "month", ZoneInfo("UTC"))
