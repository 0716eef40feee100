"""Classification rules beyond the field cases: priorities, fallbacks and counting."""

from __future__ import annotations

import logging
from datetime import UTC
from typing import Any

import msgspec
import pytest

from tests.domain.builders import (
    OPEN,
    acd,
    agent,
    conversation,
    conversation_json,
    customer,
    directory,
    ivr,
    seg,
    session,
)
from wrapup_desktop.domain.classify import Classifier, classify_all, classify_conversation
from wrapup_desktop.domain.decode import MalformedConversation
from wrapup_desktop.domain.model import Conversation
from wrapup_desktop.domain.reasons import SYSTEM_CODE_MEANINGS
from wrapup_desktop.domain.rows import WrapupStatus

Q = "q-care"
CARE = directory(
    queues={Q: ("Care", "MANDATORY"), "q-opt": ("Sales", "OPTIONAL")},
    codes={"wc-a": "A", "wc-b": "B"},
    users={"u-1": "Ana Directory"},
)


def _finished(user: str, *segments: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return agent(user, session(*segments), **extra)


def test_every_status_reachable() -> None:
    conversations = [
        conversation(
            _finished(
                "u-1",
                seg("interact", "09:00:00", "09:01:00", queueId=Q),
                seg("wrapup", "09:01:00", "09:01:05", queueId=Q, wrapUpCode="wc-a"),
            )
        ),
        conversation(
            _finished(
                "u-1",
                seg("interact", "09:00:00", "09:01:00", queueId=Q),
                seg("wrapup", "09:01:00", "09:01:05", wrapUpCode="ININ-WRAP-UP-TIMEOUT"),
            )
        ),
        conversation(
            _finished(
                "u-1",
                seg("interact", "09:00:00", "09:01:00", queueId=Q),
                seg("wrapup", "09:01:00", "09:01:05", wrapUpCode="ININ-WRAP-UP-SKIPPED"),
            )
        ),
        conversation(
            _finished(
                "u-1",
                seg("interact", "09:00:00", "09:01:00", queueId=Q),
                seg("wrapup", "09:01:00", "09:01:05", wrapUpCode="ININ-OUTBOUND-BUSY"),
            )
        ),
        conversation(_finished("u-1", seg("interact", "09:00:00", "09:01:00", queueId=Q))),
        conversation(_finished("u-1", seg("interact", "09:00:00", "09:01:00", queueId="q-opt"))),
        conversation(_finished("u-1", seg("interact", "09:00:00", OPEN, queueId=Q))),
        conversation(_finished("u-1", seg("alert", "09:00:00", "09:00:10", queueId=Q))),
        conversation(customer(), ivr()),
    ]
    broken = conversation_json(_finished("u-9", seg("interact", "09:00:00", "09:01:00")))
    broken["participants"][0]["sessions"] = "oops"
    rows = classify_all(conversations, CARE, [MalformedConversation(broken, "bad")])
    assert {row.wrapup_status for row in rows} == set(WrapupStatus)


def test_pending_keeps_code_so_far() -> None:
    conv = conversation(
        _finished(
            "u-1",
            seg("interact", "09:00:00", "09:01:00", queueId=Q),
            seg("wrapup", "09:01:00", OPEN, queueId=Q, wrapUpCode="wc-a"),
        ),
        ended=False,
    )
    row = classify_conversation(conv, CARE)[0]
    assert row.wrapup_status is WrapupStatus.PENDING
    assert row.wrapup_code_id == "wc-a"
    assert row.wrapup_code_name == "A"
    assert "wc-a" in row.wrapup_reason


def test_open_interact_is_pending() -> None:
    conv = conversation(
        _finished("u-1", seg("interact", "09:00:00", OPEN, queueId=Q)), ended=False
    )
    assert classify_conversation(conv, CARE)[0].wrapup_status is WrapupStatus.PENDING


def test_missing_conversation_end_not_pending() -> None:
    conv = conversation(
        _finished(
            "u-1",
            seg("interact", "09:00:00", "09:01:00", queueId=Q),
            seg("wrapup", "09:01:00", "09:01:30", queueId=Q, wrapUpCode="wc-a"),
        ),
        ended=False,
    )
    row = classify_conversation(conv, CARE)[0]
    assert row.wrapup_status is WrapupStatus.ASSIGNED
    assert row.conversation_end is None


def test_latest_code_wins_across_sessions() -> None:
    later = session(
        seg("interact", "09:06:00", "09:08:00", queueId=Q),
        seg("wrapup", "09:08:00", "09:08:10", queueId=Q, wrapUpCode="wc-b", wrapUpNote="second"),
    )
    earlier = session(
        seg("interact", "09:00:00", "09:04:00", queueId=Q),
        seg("wrapup", "09:04:00", "09:04:30", queueId=Q, wrapUpCode="wc-a", wrapUpNote="first"),
    )
    row = classify_conversation(conversation(agent("u-1", later, earlier)), CARE)[0]
    assert row.wrapup_code_id == "wc-b"
    assert row.wrapup_note == "second"
    assert row.wrapup_count == 2
    assert row.acw_seconds == 40


def test_blank_code_counts_as_none() -> None:
    conv = conversation(
        _finished(
            "u-1",
            seg("interact", "09:00:00", "09:01:00", queueId=Q),
            seg("wrapup", "09:01:00", "09:01:05", queueId=Q, wrapUpCode="   "),
            seg("wrapup", "09:01:05", "09:01:06", queueId=Q, wrapUpCode=""),
        )
    )
    row = classify_conversation(conv, CARE)[0]
    assert row.wrapup_status is WrapupStatus.MISSING
    assert row.wrapup_code_id == ""
    assert row.wrapup_count == 0


def test_acw_from_metric_without_segments() -> None:
    with_metric = _finished("u-1", seg("interact", "09:00:00", "09:01:00", queueId=Q))
    with_metric["sessions"][0]["metrics"] = [{"name": "tAcw", "value": 4500}]
    without = _finished("u-2", seg("interact", "09:00:00", "09:01:00", queueId=Q))
    first, second = classify_all(
        [conversation(with_metric, cid="c-1"), conversation(without, cid="c-2")], CARE
    )
    assert first.acw_seconds == 4.5
    assert second.acw_seconds is None


def test_queue_falls_back_to_acd() -> None:
    conv = conversation(
        acd("q-opt", "08:59:00", "09:00:00"),
        _finished(
            "u-1", seg("alert", "09:00:00", "09:00:05"), seg("interact", "09:00:05", "09:02:00")
        ),
    )
    row = classify_conversation(conv, CARE)[0]
    assert row.queue_id == "q-opt"
    assert row.queue_name == "Sales"
    assert row.wrapup_status is WrapupStatus.NOT_REQUIRED


def test_acd_fallback_picks_queue_before_leg() -> None:
    conv = conversation(
        acd(Q, "08:59:00", "09:00:00"),
        acd("q-opt", "09:05:00", "09:06:00"),
        _finished("u-1", seg("interact", "09:06:00", "09:08:00")),
    )
    assert classify_conversation(conv, CARE)[0].queue_id == "q-opt"


def test_user_leg_without_queue_not_required() -> None:
    conv = conversation(
        acd(Q),
        agent(
            "u-7",
            session(
                seg("dialing", "09:00:00", "09:00:02"), seg("interact", "09:00:02", "09:03:00")
            ),
            purpose="user",
        ),
    )
    row = classify_conversation(conv, CARE)[0]
    assert row.queue_id == ""
    assert row.wrapup_status is WrapupStatus.NOT_REQUIRED
    assert row.code_required is False
    assert "did not come through a queue" in row.wrapup_reason


def test_only_agent_legs_get_rows() -> None:
    user_without_id = agent(
        "u-x", session(seg("interact", "09:00:00", "09:01:00")), purpose="user"
    )
    user_without_id["userId"] = None
    customer_with_user = agent(
        "u-c", session(seg("interact", "09:00:00", "09:01:00")), purpose="customer"
    )
    rows = classify_conversation(conversation(user_without_id, customer_with_user), CARE)
    assert [row.wrapup_status for row in rows] == [WrapupStatus.NO_AGENT]


def test_transfer_seq_follows_first_start() -> None:
    conv = conversation(
        _finished("u-late", seg("interact", "09:10:00", "09:12:00", queueId=Q)),
        _finished(
            "u-early",
            seg("alert", "09:00:00", "09:00:05", queueId=Q),
            seg("interact", "09:00:05", "09:09:00", queueId=Q),
        ),
        agent("u-none"),
    )
    rows = classify_conversation(conv, CARE)
    assert [(row.agent_id, row.transfer_seq) for row in rows] == [
        ("u-early", 1),
        ("u-late", 2),
        ("u-none", 3),
    ]


def test_agent_name_prefers_directory() -> None:
    conv = conversation(
        _finished("u-1", seg("interact", "09:00:00", "09:01:00", queueId=Q)),
        _finished("u-2", seg("interact", "09:00:00", "09:01:00", queueId=Q)),
    )
    names = {row.agent_id: row.agent_name for row in classify_conversation(conv, CARE)}
    assert names == {"u-1": "Ana Directory", "u-2": "Name of u-2"}


def test_media_and_direction_fall_back() -> None:
    leg = _finished("u-1", seg("interact", "09:00:00", "09:01:00", queueId=Q))
    del leg["sessions"][0]["direction"]
    del leg["sessions"][0]["mediaType"]
    data = conversation_json(customer(), leg)
    data["originatingDirection"] = "outbound"
    row = classify_conversation(msgspec.convert(data, Conversation), CARE)[0]
    assert row.direction == "outbound"
    assert row.media_type == "voice"


def test_acw_skipped_named_in_reason() -> None:
    leg = _finished("u-1", seg("interact", "09:00:00", "09:01:00", queueId="q-opt"))
    leg["sessions"][0]["acwSkipped"] = True
    row = classify_conversation(conversation(leg), CARE)[0]
    assert row.wrapup_status is WrapupStatus.NOT_REQUIRED
    assert "skipped after-call work" in row.wrapup_reason


def test_unknown_prompt_counts_as_missing() -> None:
    lookups = directory(queues={Q: ("Care", "MANDATORY_SOMEDAY")})
    conv = conversation(_finished("u-1", seg("interact", "09:00:00", "09:01:00", queueId=Q)))
    row = classify_conversation(conv, lookups)[0]
    assert row.wrapup_status is WrapupStatus.MISSING
    assert row.code_required is None
    assert "MANDATORY_SOMEDAY" in row.wrapup_reason


def test_queue_missing_from_listing() -> None:
    conv = conversation(
        _finished("u-1", seg("interact", "09:00:00", "09:01:00", queueId="q-gone"))
    )
    row = classify_conversation(conv, CARE)[0]
    assert row.wrapup_status is WrapupStatus.MISSING
    assert "unknown" in row.wrapup_reason
    assert "deleted" in row.wrapup_reason
    assert row.code_required is None


@pytest.mark.parametrize(
    ("code", "status"),
    [
        pytest.param("ININ-OUTBOUND-PREVIEW-SKIPPED", WrapupStatus.SYSTEM, id="dialer-wins"),
        pytest.param("ININ-WRAP-UP-TIMEOUT", WrapupStatus.NOT_CONNECTED, id="timeout"),
        pytest.param("wc-a", WrapupStatus.NOT_CONNECTED, id="custom"),
    ],
)
def test_unanswered_leg_with_code(code: str, status: WrapupStatus) -> None:
    conv = conversation(
        _finished(
            "u-1",
            seg("alert", "09:00:00", "09:00:10", queueId=Q),
            seg("wrapup", "09:00:10", "09:00:10", queueId=Q, wrapUpCode=code),
        )
    )
    row = classify_conversation(conv, CARE)[0]
    assert row.wrapup_status is status
    assert row.wrapup_code_id == code


@pytest.mark.parametrize("kind", ["hold", "dialing", "contacting"])
def test_connection_without_interact(kind: str) -> None:
    conv = conversation(_finished("u-1", seg(kind, "09:00:00", "09:01:00", queueId=Q)))
    assert classify_conversation(conv, CARE)[0].wrapup_status is WrapupStatus.MISSING


def test_code_required_per_prompt() -> None:
    conversations = [
        conversation(_finished("u-1", seg("interact", "09:00:00", "09:01:00", queueId=queue)))
        for queue in (Q, "q-opt", "q-gone")
    ]
    assert [row.code_required for row in classify_all(conversations, CARE)] == [True, False, None]


def test_times_without_offset_read_as_utc() -> None:
    data = conversation_json(
        _finished(
            "u-1",
            seg("interact", "09:00:00", "09:01:00", queueId=Q),
            seg(
                "wrapup",
                "09:01:00",
                "09:01:30",
                queueId=Q,
                wrapUpCode="wc-a",
                wrapUpNote="2026-03-02T10:00:00 call back",
            ),
        )
    )
    data["conversationStart"] = "2026-03-02T08:58:00"
    data["participants"][0]["sessions"][0]["segments"][0]["segmentStart"] = "2026-03-02T09:00:00"
    row = classify_conversation(msgspec.convert(data, Conversation), CARE)[0]
    assert row.wrapup_status is WrapupStatus.ASSIGNED
    assert row.conversation_start is not None
    assert row.conversation_start.tzinfo is UTC
    assert row.acw_seconds == 30
    assert row.wrapup_note == "2026-03-02T10:00:00 call back"


def test_unknown_system_code_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    conversations = [
        conversation(
            _finished(
                "u-1",
                seg("interact", "09:00:00", "09:01:00", queueId=Q),
                seg("wrapup", "09:01:00", "09:01:05", wrapUpCode="ININ-NEW-THING"),
            ),
            cid=f"c-{index}",
        )
        for index in range(3)
    ]
    with caplog.at_level(logging.WARNING):
        rows = classify_all(conversations, CARE)
    assert [row.wrapup_status for row in rows] == [WrapupStatus.SYSTEM] * 3
    assert sum("ININ-NEW-THING" in record.getMessage() for record in caplog.records) == 1


def test_classifier_reuse_matches_classify_all() -> None:
    conversations = [
        conversation(
            _finished("u-1", seg("interact", "09:00:00", "09:01:00", queueId=Q)), cid="a"
        ),
        conversation(customer(), ivr(), cid="b"),
    ]
    classifier = Classifier(CARE)
    page_by_page = [row for item in conversations for row in classifier.conversation(item)]
    assert page_by_page == classify_all(conversations, CARE)


def test_known_system_codes_have_meanings() -> None:
    documented = [
        "ININ-WRAP-UP-TIMEOUT",
        "ININ-WRAP-UP-SKIPPED",
        "ININ-WRAP-UP-DELETED",
        "ININ-OUTBOUND-PREVIEW-ERROR-PHONE-NUMBER",
        "ININ-OUTBOUND-PREVIEW-SKIPPED",
        "ININ-OUTBOUND-INVALID-PHONE-NUMBER",
        "ININ-OUTBOUND-ON-DO-NOT-CALL-LIST",
        "ININ-OUTBOUND-DNC-AUTHENTICATION-FAILED",
        "ININ-OUTBOUND-DNC-SKIPPED",
        "ININ-OUTBOUND-SIT-UNCALLABLE",
        "ININ-OUTBOUND-BUSY",
        "ININ-OUTBOUND-MACHINE",
        "ININ-OUTBOUND-FAX",
        "ININ-OUTBOUND-AMBIGUOUS",
        "ININ-OUTBOUND-DISCONNECT",
        "ININ-OUTBOUND-FAILED-TO-REACH-AGENT",
        "ININ-OUTBOUND-CAMPAIGN-FORCED-OFF",
        "ININ-OUTBOUND-TRANSFERRED-TO-QUEUE",
        "ININ-OUTBOUND-TRANSFERRED-TO-FLOW",
        "ININ-OUTBOUND-CONTACT-ATTEMPT-LIMIT-SKIPPED",
    ]
    missing = [code for code in documented if code not in SYSTEM_CODE_MEANINGS]
    assert missing == []
