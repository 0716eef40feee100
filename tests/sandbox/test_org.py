"""The generated org: determinism, volume, scenarios and the view at "now"."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tests.sandbox.conftest import NOW, SEED
from wrapup_desktop.sandbox import SandboxOrg, Scenario
from wrapup_desktop.sandbox.formats import to_ms

WEEK = [date(2026, 11, 26) + timedelta(days=offset) for offset in range(7)]


def _agent_sessions(conversation: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        session
        for part in conversation["participants"]
        if part["purpose"] in ("agent", "user")
        for session in part["sessions"]
    ]


def _codes(conversation: dict[str, Any]) -> list[str]:
    return [
        segment["wrapUpCode"]
        for session in _agent_sessions(conversation)
        for segment in session["segments"]
        if "wrapUpCode" in segment
    ]


def test_same_seed_same_conversations() -> None:
    first = SandboxOrg(seed=SEED, now=NOW).conversations_on(date(2026, 12, 1))
    second = SandboxOrg(seed=SEED, now=NOW).conversations_on(date(2026, 12, 1))
    assert first == second


def test_other_seed_other_conversations() -> None:
    first = SandboxOrg(seed=SEED, now=NOW).conversations_on(date(2026, 12, 1))
    other = SandboxOrg(seed=SEED + 1, now=NOW).conversations_on(date(2026, 12, 1))
    assert first[0]["conversationId"] != other[0]["conversationId"]


def test_past_day_independent_of_now(org: SandboxOrg) -> None:
    later = SandboxOrg(seed=SEED, now=NOW + timedelta(days=20))
    assert later.conversations_on(date(2026, 11, 30)) == org.conversations_on(date(2026, 11, 30))


def test_weekday_volume_near_1500(org: SandboxOrg) -> None:
    counts = [len(org.conversations_on(day)) for day in WEEK if day.weekday() < 5]
    assert all(1350 <= count <= 1650 for count in counts), counts


def test_weekend_volume_lower(org: SandboxOrg) -> None:
    saturday = len(org.conversations_on(date(2026, 11, 28)))
    assert 300 <= saturday <= 900


def test_every_scenario_in_a_week(org: SandboxOrg) -> None:
    seen: Counter[Scenario] = Counter()
    for day in WEEK:
        for conversation in org.conversations_on(day):
            scenario = org.scenario_of(conversation["conversationId"])
            assert scenario is not None
            seen[scenario] += 1
    assert set(seen) == set(Scenario)


def test_scenario_absent_from_json(org: SandboxOrg) -> None:
    conversation = org.conversations_on(date(2026, 12, 1))[0]
    assert "scenario" not in str(conversation.keys()).lower()


def test_conversation_shape_camel_case(org: SandboxOrg) -> None:
    conversation = org.conversations_on(date(2026, 12, 1))[10]
    assert conversation["conversationStart"].endswith("Z")
    assert len(conversation["conversationStart"]) == len("2026-12-01T00:00:00.000Z")
    assert conversation["originatingDirection"] in ("inbound", "outbound")
    assert conversation["divisionIds"]
    purposes = {part["purpose"] for part in conversation["participants"]}
    assert "customer" in purposes


def test_days_ordered_by_start(org: SandboxOrg) -> None:
    starts = [c["conversationStart"] for c in org.conversations_on(date(2026, 12, 1))]
    assert starts == sorted(starts)


def test_future_day_empty(org: SandboxOrg) -> None:
    assert org.conversations_on(date(2026, 12, 4)) == []


def test_today_stops_at_now(org: SandboxOrg) -> None:
    today = org.conversations_on(NOW.date())
    now_text = "2026-12-03T14:00:00.000Z"
    assert today
    assert all(c["conversationStart"] <= now_text for c in today)
    assert today[-1]["conversationStart"] >= "2026-12-03T13:30:00.000Z"


def test_active_conversations_only_near_now(org: SandboxOrg) -> None:
    open_ones = [c for c in org.conversations_on(NOW.date()) if "conversationEnd" not in c]
    assert open_ones
    assert all(c["conversationStart"] >= "2026-12-03T08:00:00.000Z" for c in open_ones)
    assert all("conversationEnd" in c for c in org.conversations_on(date(2026, 12, 2)))


def test_agents_still_in_acw(org: SandboxOrg) -> None:
    in_acw = [
        session
        for conversation in org.conversations_on(NOW.date())
        if "conversationEnd" not in conversation
        for session in _agent_sessions(conversation)
        if session["segments"][-1]["segmentType"] == "wrapup"
        and "segmentEnd" not in session["segments"][-1]
    ]
    assert in_acw


def test_some_agent_always_in_acw(org: SandboxOrg) -> None:
    day = date(2026, 12, 2)
    midnight = datetime(2026, 12, 2, tzinfo=UTC)
    for minutes in range(30, 24 * 60, 97):
        now_ms = to_ms(midnight + timedelta(minutes=minutes))
        open_wrapups = [
            session
            for item in org.visible_on(day, now_ms)
            if item.end_ms is None
            for session in _agent_sessions(item.conversation)
            if session["segments"][-1]["segmentType"] == "wrapup"
            and "segmentEnd" not in session["segments"][-1]
        ]
        assert open_wrapups, f"no agent in after-call work at {minutes} minutes past midnight"


def test_open_segments_have_no_future_metrics(org: SandboxOrg) -> None:
    now_text = "2026-12-03T14:00:00.000Z"
    for conversation in org.conversations_on(NOW.date()):
        for part in conversation["participants"]:
            for session in part["sessions"]:
                for metric in session.get("metrics", []):
                    assert metric["emitDate"] <= now_text


def test_deleted_code_in_data_not_listed(org: SandboxOrg) -> None:
    listed = {code.id for code in org.wrapup_codes}
    used = {code for day in WEEK for c in org.conversations_on(day) for code in _codes(c)}
    assert org.deleted_code_id in used
    assert org.deleted_code_id not in listed
    assert len(listed) == 25


def test_deleted_user_in_data(org: SandboxOrg) -> None:
    user_ids = {
        part.get("userId")
        for day in WEEK
        for conversation in org.conversations_on(day)
        for part in conversation["participants"]
    }
    assert org.deleted_user_id in user_ids
    deleted = [user for user in org.users if user.id == org.deleted_user_id]
    assert deleted[0].state == "deleted"


def test_system_codes_present(org: SandboxOrg) -> None:
    used = Counter(code for c in org.conversations_on(date(2026, 12, 1)) for code in _codes(c))
    assert used["ININ-WRAP-UP-TIMEOUT"] > 0
    assert used["ININ-WRAP-UP-SKIPPED"] > 0
    assert any(code.startswith("ININ-OUTBOUND-") for code in used)


def test_accented_names_and_special_notes(org: SandboxOrg) -> None:
    assert "José Núñez" in {user.name for user in org.users}
    notes = {
        segment.get("wrapUpNote")
        for day in WEEK
        for c in org.conversations_on(day)
        for session in _agent_sessions(c)
        for segment in session["segments"]
    }
    assert any(note and note.startswith("=") for note in notes)
    assert any(note and "\n" in note for note in notes)
    assert any(note and '"' in note for note in notes)


def test_six_queues_distinct_prompts(org: SandboxOrg) -> None:
    prompts = [queue.wrapup_prompt for queue in org.queues]
    assert len(prompts) == 6
    assert set(prompts) == {
        "MANDATORY",
        "OPTIONAL",
        "MANDATORY_TIMEOUT",
        "MANDATORY_FORCED_TIMEOUT",
        "AGENT_REQUESTED",
    }


def test_timeout_code_on_timeboxed_queue(org: SandboxOrg) -> None:
    prompts = {queue.id: queue for queue in org.queues}
    for conversation in org.conversations_on(date(2026, 12, 1)):
        for session in _agent_sessions(conversation):
            for segment in session["segments"]:
                if segment.get("wrapUpCode") == "ININ-WRAP-UP-TIMEOUT":
                    queue = prompts[segment["queueId"]]
                    assert queue.wrapup_prompt.endswith("TIMEOUT")


def test_alert_only_agent_with_code(org: SandboxOrg) -> None:
    found = False
    for conversation in org.conversations_on(date(2026, 12, 1)):
        for session in _agent_sessions(conversation):
            types = [segment["segmentType"] for segment in session["segments"]]
            if "interact" not in types and "alert" in types and "wrapup" in types:
                wrap = session["segments"][-1]
                assert wrap["errorCode"] == "error.ininedgecontrol.session.inactive"
                found = True
    assert found


def test_transfer_leg_ends_in_transfer(org: SandboxOrg) -> None:
    conversations = org.conversations_on(date(2026, 12, 1))
    transfers = [
        c for c in conversations if org.scenario_of(c["conversationId"]) == "blind_transfer"
    ]
    assert transfers
    first_agent = next(p for p in transfers[0]["participants"] if p["purpose"] == "agent")
    segments = first_agent["sessions"][0]["segments"]
    interact = [s for s in segments if s["segmentType"] == "interact"][-1]
    assert interact["disconnectType"] == "transfer"
    assert segments[-1]["segmentType"] == "wrapup"


def test_between_started_inside_only(org: SandboxOrg) -> None:
    start = datetime(2026, 12, 1, 23, 0, tzinfo=UTC)
    end = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    found = list(org.conversations_between(start, end))
    assert found
    assert all("2026-12-01T23:00" <= c["conversationStart"] < "2026-12-02T01:00" for c in found)
    assert org.count_between(start, end) == len(found)


def test_cache_keeps_few_days() -> None:
    org = SandboxOrg(seed=SEED, now=NOW, cache_days=2)
    for day in WEEK[:4]:
        org.visible_on(day)
    assert org.cached_days == WEEK[2:4]


def test_day_generation_under_a_second() -> None:
    org = SandboxOrg(seed=SEED, now=NOW)
    began = time.perf_counter()
    org.conversations_on(date(2026, 11, 30))
    assert time.perf_counter() - began < 1.0


def test_real_time_default_now() -> None:
    org = SandboxOrg(seed=SEED)
    assert abs((org.now() - datetime.now(UTC)).total_seconds()) < 5
