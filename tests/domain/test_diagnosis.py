"""Findings that explain a run's gaps, with counts and what to do."""

from __future__ import annotations

from typing import Any

from tests.domain.builders import (
    OPEN,
    agent,
    conversation,
    conversation_json,
    directory,
    seg,
    session,
)
from wrapup_desktop.domain.classify import classify_all
from wrapup_desktop.domain.decode import MalformedConversation
from wrapup_desktop.domain.diagnosis import Finding, RunInfo, diagnose
from wrapup_desktop.domain.directory import Directory, LookupState
from wrapup_desktop.domain.rows import LegRow

RUN = RunInfo(range_text="2026-03-02", tz_name="Europe/Berlin")


def _leg(index: int, queue: str, code: str | None = None, **extra: Any) -> Any:
    wrapup: dict[str, Any] = {"queueId": queue}
    if code is not None:
        wrapup["wrapUpCode"] = code
    return conversation(
        agent(
            f"u-{index}",
            session(
                seg("interact", "09:00:00", "09:01:00", queueId=queue, **extra),
                seg("wrapup", "09:01:00", "09:01:30", **wrapup),
            ),
        ),
        cid=f"c-{index}",
    )


def _titles(findings: list[Finding]) -> list[str]:
    return [finding.title for finding in findings]


def _find(findings: list[Finding], title: str) -> Finding:
    matches = [finding for finding in findings if finding.title.startswith(title)]
    assert matches, f"no finding titled {title!r} in {_titles(findings)}"
    return matches[0]


def _classify(conversations: list[Any], lookups: Directory) -> list[LegRow]:
    return classify_all(conversations, lookups)


def test_empty_range_lists_causes() -> None:
    findings = diagnose([], Directory(), RUN)
    finding = _find(findings, "The range returned no conversations")
    assert finding.severity == "error"
    assert "Europe/Berlin" in finding.action
    assert "divisions" in finding.action
    assert finding.action.index("time zone") < finding.action.index("divisions")


def test_empty_jobs_range_mentions_availability() -> None:
    run = RunInfo(range_text="2026-03-02", tz_name="UTC", source="jobs")
    finding = _find(diagnose([], Directory(), run), "The range returned no conversations")
    assert "data availability" in finding.action


def test_coverage_seven_of_ten() -> None:
    lookups = directory(queues={"q": ("Care", "MANDATORY")}, codes={"wc": "Sale"})
    conversations = [_leg(index, "q", "wc") for index in range(7)]
    conversations += [_leg(index, "q") for index in range(7, 10)]
    finding = _find(diagnose(_classify(conversations, lookups), lookups, RUN), "How many")
    assert finding.evidence == "7 of 10 agent legs carry a wrap-up code."


def test_no_leg_carries_code() -> None:
    lookups = directory(queues={"q": ("Care", "OPTIONAL")})
    rows = _classify([_leg(index, "q") for index in range(3)], lookups)
    finding = _find(diagnose(rows, lookups, RUN), "No agent leg carries a code")
    assert finding.severity == "warning"
    assert "Optional" in finding.action
    assert finding.examples == ["c-0", "c-1", "c-2"]


def test_queue_mostly_timeouts() -> None:
    lookups = directory(queues={"q": ("Care", "MANDATORY_TIMEOUT")}, codes={"wc": "Sale"})
    conversations = [_leg(index, "q", "ININ-WRAP-UP-TIMEOUT") for index in range(6)]
    conversations += [_leg(index, "q", "wc") for index in range(6, 8)]
    finding = _find(
        diagnose(_classify(conversations, lookups), lookups, RUN), "Most legs on queue Care"
    )
    assert "6 of 8" in finding.evidence
    assert "30 s" in finding.evidence
    assert "time-box" in finding.action


def test_unresolved_names_forbidden() -> None:
    lookups = directory(queues={"q": ("Care", "MANDATORY")})
    lookups.wrapup_codes_state = LookupState.FORBIDDEN
    rows = _classify([_leg(index, "q", "wc-x") for index in range(2)], lookups)
    finding = _find(diagnose(rows, lookups, RUN), "Some code names could not be found")
    assert "wc-x (2)" in finding.evidence
    assert "routing:wrapupCode:view" in finding.action


def test_unresolved_names_deleted() -> None:
    lookups = directory(queues={"q": ("Care", "MANDATORY")})
    rows = _classify([_leg(0, "q", "wc-gone")], lookups)
    finding = _find(diagnose(rows, lookups, RUN), "Some code names could not be found")
    assert "deleted" in finding.action


def test_queue_settings_unknown() -> None:
    lookups = directory()
    lookups.queues_state = LookupState.FORBIDDEN
    rows = _classify([_leg(0, "q-1"), _leg(1, "q-2")], lookups)
    finding = _find(diagnose(rows, lookups, RUN), "Queue settings unknown")
    assert "2 agent legs on 2 queue(s)" in finding.evidence
    assert "routing:queue:view" in finding.action


def test_unknown_prompt_value_counted() -> None:
    lookups = directory(queues={"q": ("Care", "SOMETIMES")})
    rows = _classify([_leg(0, "q"), _leg(1, "q")], lookups)
    finding = _find(diagnose(rows, lookups, RUN), "Unknown wrap-up setting SOMETIMES")
    assert finding.evidence.startswith("2 agent legs")


def test_transfer_legs_counted_apart() -> None:
    lookups = directory(queues={"q": ("Care", "MANDATORY")})
    rows = _classify([_leg(0, "q", disconnectType="transfer"), _leg(1, "q")], lookups)
    finding = _find(diagnose(rows, lookups, RUN), "Transfer legs without a code")
    assert finding.evidence.startswith("1 agent leg without a code ended in a transfer; 1 of them")


def test_malformed_rows_reported() -> None:
    data = conversation_json(agent("u-1", session(seg("interact", "09:00:00", "09:01:00"))))
    data["participants"][0]["sessions"][0]["segments"][0]["segmentEnd"] = True
    rows = classify_all([], Directory(), [MalformedConversation(data, "")])
    finding = _find(diagnose(rows, Directory(), RUN), "Some data could not be read")
    assert "segmentEnd" in finding.evidence


def test_partial_export_says_resume() -> None:
    run = RunInfo(
        range_text="2026-03-01 to 2026-03-07",
        tz_name="UTC",
        missing_text="2026-03-04 and 2026-03-05 were not fetched.",
    )
    findings = diagnose([], Directory(), run)
    assert findings[0].title == "The export is incomplete"
    assert "2026-03-04" in findings[0].evidence
    assert "Run the same export again" in findings[0].action
    assert "Resume" in findings[0].action


def test_pending_and_still_changing() -> None:
    lookups = directory(queues={"q": ("Care", "MANDATORY")})
    open_leg = conversation(
        agent("u-1", session(seg("interact", "09:00:00", OPEN, queueId="q"))), ended=False
    )
    run = RunInfo(range_text="today", tz_name="UTC", still_changing=True)
    findings = diagnose(_classify([open_leg], lookups), lookups, run)
    assert "export again later" in _find(findings, "Some legs are still open").action.lower()
    assert "still arriving" in _find(findings, "The range is still changing").evidence


def test_findings_sorted_by_severity() -> None:
    run = RunInfo(range_text="r", tz_name="UTC", missing_text="a day", still_changing=True)
    severities = [finding.severity for finding in diagnose([], Directory(), run)]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
