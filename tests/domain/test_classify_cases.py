"""The field cases of wrap-up classification, each with its expected row values."""

from __future__ import annotations

import pytest

from tests.domain.builders import (
    OPEN,
    acd,
    agent,
    conversation,
    customer,
    directory,
    ivr,
    seg,
    session,
)
from wrapup_desktop.domain.classify import classify_all, classify_conversation
from wrapup_desktop.domain.directory import Directory, LookupState
from wrapup_desktop.domain.model import Conversation
from wrapup_desktop.domain.rows import WrapupStatus
from wrapup_desktop.domain.summary import compliance_rate

Q = "q-billing"
BILLING = directory(queues={Q: ("Billing", "MANDATORY_TIMEOUT")}, codes={"wc-sale": "Sale"})


def test_code_on_wrapup_segment_only() -> None:
    conv = conversation(
        customer(),
        acd(Q),
        agent(
            "u-1",
            session(
                seg("interact", "09:00:00", "09:04:00", queueId=Q),
                seg("hold", "09:04:00", "09:05:00", queueId=Q),
                seg("wrapup", "09:05:00", "09:05:20", queueId=Q, wrapUpCode="wc-sale"),
            ),
        ),
    )
    rows = classify_conversation(conv, BILLING)
    assert len(rows) == 1
    row = rows[0]
    assert row.agent_id == "u-1"
    assert row.wrapup_status is WrapupStatus.ASSIGNED
    assert row.wrapup_code_id == "wc-sale"
    assert row.wrapup_code_name == "Sale"
    assert row.acw_seconds == 20
    assert row.wrapup_count == 1
    assert row.queue_name == "Billing"


def test_timeout_code_is_not_choice() -> None:
    conv = conversation(
        agent(
            "u-1",
            session(
                seg("interact", "09:00:00", "09:04:00", queueId=Q),
                seg(
                    "wrapup", "09:04:00", "09:04:15", queueId=Q, wrapUpCode="ININ-WRAP-UP-TIMEOUT"
                ),
            ),
        )
    )
    row = classify_conversation(conv, BILLING)[0]
    assert row.wrapup_status is WrapupStatus.TIMEOUT
    assert row.wrapup_code_id == "ININ-WRAP-UP-TIMEOUT"
    assert "Billing" in row.wrapup_reason
    assert row.wrapup_reason.endswith("ran out after 30 s without a choice.")


@pytest.mark.parametrize(
    ("code", "status", "meaning"),
    [
        pytest.param("ININ-WRAP-UP-SKIPPED", WrapupStatus.SKIPPED, "skipped", id="skipped"),
        pytest.param("ININ-WRAP-UP-DELETED", WrapupStatus.SYSTEM, "deleted", id="deleted"),
        pytest.param(
            "ININ-OUTBOUND-MACHINE", WrapupStatus.SYSTEM, "answering machine", id="machine"
        ),
        pytest.param("ININ-OUTBOUND-BUSY", WrapupStatus.SYSTEM, "busy", id="busy"),
        pytest.param("ININ-OUTBOUND-FAX", WrapupStatus.SYSTEM, "fax", id="fax"),
        pytest.param("ININ-OUTBOUND-DISCONNECT", WrapupStatus.SYSTEM, "hung up", id="disconnect"),
        pytest.param(
            "ININ-OUTBOUND-PREVIEW-SKIPPED", WrapupStatus.SYSTEM, "Skip", id="preview-skipped"
        ),
        pytest.param(
            "ININ-OUTBOUND-FAILED-TO-REACH-AGENT", WrapupStatus.SYSTEM, "no agent", id="no-agent"
        ),
        pytest.param(
            "ININ-OUTBOUND-ON-DO-NOT-CALL-LIST", WrapupStatus.SYSTEM, "do-not-call", id="dnc"
        ),
        pytest.param("ININ-OUTBOUND-SIT-UNCALLABLE", WrapupStatus.SYSTEM, "uncallable", id="sit"),
        pytest.param("ININ-SOMETHING-NEW", WrapupStatus.SYSTEM, "does not know", id="unknown"),
    ],
)
def test_platform_codes_are_system(code: str, status: WrapupStatus, meaning: str) -> None:
    conv = conversation(
        agent(
            "u-1",
            session(
                seg("interact", "09:00:00", "09:04:00", queueId=Q),
                seg("wrapup", "09:04:00", "09:04:10", queueId=Q, wrapUpCode=code),
            ),
        )
    )
    row = classify_conversation(conv, BILLING)[0]
    assert row.wrapup_status is status
    assert row.wrapup_code_id == code
    assert meaning in row.wrapup_reason


def test_default_wrapup_code_stays_assigned() -> None:
    code = "7fb334b0-0e9e-11e4-9191-0800200c9a66"
    conv = conversation(
        agent(
            "u-1",
            session(
                seg("interact", "09:00:00", "09:04:00", queueId=Q),
                seg("wrapup", "09:04:00", "09:04:10", queueId=Q, wrapUpCode=code),
            ),
        )
    )
    named = directory(queues={Q: ("Billing", "MANDATORY")}, codes={code: "Default Wrap-up Code"})
    row = classify_conversation(conv, named)[0]
    assert row.wrapup_status is WrapupStatus.ASSIGNED
    assert row.wrapup_code_name == "Default Wrap-up Code"


DEAD = "0b7e0000-dead-4000-8000-000000000001"


def _dead_code_conversation() -> Conversation:
    return conversation(
        agent(
            "u-1",
            session(
                seg("interact", "09:00:00", "09:04:00", queueId=Q),
                seg("wrapup", "09:04:00", "09:04:10", queueId=Q, wrapUpCode=DEAD),
            ),
        )
    )


def test_unlisted_code_has_empty_name() -> None:
    row = classify_conversation(_dead_code_conversation(), BILLING)[0]
    assert row.wrapup_status is WrapupStatus.ASSIGNED
    assert row.wrapup_code_id == DEAD
    assert row.wrapup_code_name == ""
    assert "could not be found" in row.wrapup_reason
    assert "deleted" in row.wrapup_reason
    assert "OAuth client" in row.wrapup_reason


def test_remembered_name_marked_deleted() -> None:
    remembering = directory(queues={Q: ("Billing", "MANDATORY")})
    remembering.remembered_code_names[DEAD] = "Refund"
    row = classify_conversation(_dead_code_conversation(), remembering)[0]
    assert row.wrapup_code_name == "(deleted) Refund"
    assert "earlier run" in row.wrapup_reason


@pytest.mark.parametrize(
    "state",
    [
        pytest.param(LookupState.NOT_LOOKED_UP, id="listing-unreachable"),
        pytest.param(LookupState.FORBIDDEN, id="listing-forbidden"),
    ],
)
def test_remembered_name_not_deleted_without_listing(state: LookupState) -> None:
    unreadable = Directory(wrapup_codes_state=state, remembered_code_names={DEAD: "Refund"})
    row = classify_conversation(_dead_code_conversation(), unreadable)[0]
    assert row.wrapup_status is WrapupStatus.ASSIGNED
    assert row.wrapup_code_name == "Refund"
    assert "earlier run" in row.wrapup_reason
    assert "deleted" not in row.wrapup_reason


def test_forbidden_code_listing_names_permission() -> None:
    forbidden = Directory(wrapup_codes_state=LookupState.FORBIDDEN)
    row = classify_conversation(_dead_code_conversation(), forbidden)[0]
    assert row.wrapup_status is WrapupStatus.ASSIGNED
    assert row.wrapup_code_name == ""
    assert "routing:wrapupCode:view" in row.wrapup_reason


def test_no_code_listing_says_not_loaded() -> None:
    row = classify_conversation(_dead_code_conversation(), Directory())[0]
    assert "list of wrap-up codes could not be loaded" in row.wrapup_reason


def test_open_wrapup_is_pending() -> None:
    conv = conversation(
        customer(),
        agent(
            "u-1",
            session(
                seg("interact", "09:00:00", "09:04:00", queueId=Q),
                seg("wrapup", "09:04:00", OPEN, queueId=Q),
            ),
        ),
        ended=False,
    )
    row = classify_conversation(conv, BILLING)[0]
    assert row.wrapup_status is WrapupStatus.PENDING
    assert row.acw_seconds is None
    assert row.conversation_end is None
    assert "export again later" in row.wrapup_reason


def test_transfer_gives_row_per_agent() -> None:
    conv = conversation(
        customer(),
        acd(Q),
        agent(
            "u-1",
            session(
                seg("interact", "09:00:00", "09:03:00", queueId=Q, disconnectType="transfer"),
                seg("wrapup", "09:03:00", "09:03:30", queueId=Q, wrapUpCode="wc-transfer"),
            ),
        ),
        agent(
            "u-2",
            session(
                seg("interact", "09:03:00", "09:10:00", queueId=Q),
                seg("wrapup", "09:10:00", "09:10:40", queueId=Q),
            ),
        ),
        agent("u-3", session(seg("alert", "09:02:50", "09:03:00", queueId=Q))),
        cid="c-5",
    )
    prompts = directory(queues={Q: ("Billing", "MANDATORY_TIMEOUT")}, codes={"wc-transfer": "T"})
    rows = {row.agent_id: row for row in classify_conversation(conv, prompts)}
    assert len(rows) == 3
    assert rows["u-1"].wrapup_status is WrapupStatus.ASSIGNED
    assert rows["u-2"].wrapup_status is WrapupStatus.MISSING
    assert "Mandatory, Time-boxed" in rows["u-2"].wrapup_reason
    assert rows["u-3"].wrapup_status is WrapupStatus.NOT_CONNECTED
    assert rows["u-1"].ended_in_transfer is True


def test_no_agent_rows_for_ivr_and_abandoned() -> None:
    ivr_only = conversation(customer(), ivr(), cid="c-ivr")
    abandoned = conversation(customer(), ivr(), acd(Q), cid="c-abandoned")
    rows = classify_all([ivr_only, abandoned], BILLING)
    assert [row.wrapup_status for row in rows] == [WrapupStatus.NO_AGENT] * 2
    assert rows[0].queue_id == ""
    assert "IVR" in rows[0].wrapup_reason
    assert rows[1].queue_id == Q
    assert "Billing" in rows[1].wrapup_reason
    assert compliance_rate(rows) is None


def test_customer_queue_alone_is_no_agent() -> None:
    caller = customer()
    caller["sessions"][0]["segments"][0]["queueId"] = Q
    row = classify_conversation(conversation(caller, ivr()), BILLING)[0]
    assert row.wrapup_status is WrapupStatus.NO_AGENT


@pytest.mark.parametrize(
    ("queues", "queues_state", "status", "words"),
    [
        pytest.param(
            {Q: ("Billing", "OPTIONAL")},
            LookupState.FOUND,
            WrapupStatus.NOT_REQUIRED,
            "optional",
            id="optional",
        ),
        pytest.param(
            {Q: ("Billing", "MANDATORY")},
            LookupState.FOUND,
            WrapupStatus.MISSING,
            "requires",
            id="mandatory",
        ),
        pytest.param(
            {}, LookupState.FORBIDDEN, WrapupStatus.MISSING, "unknown", id="listing-unreadable"
        ),
    ],
)
def test_codeless_leg_follows_prompt(
    queues: dict[str, tuple[str, str]], queues_state: LookupState, status: WrapupStatus, words: str
) -> None:
    conv = conversation(
        agent(
            "u-1",
            session(seg("interact", "09:00:00", "09:04:00", queueId=Q, disconnectType="peer")),
        )
    )
    lookups = directory(queues=queues)
    lookups.queues_state = queues_state
    row = classify_conversation(conv, lookups)[0]
    assert row.wrapup_status is status
    assert words in row.wrapup_reason
    assert row.wrapup_code_id == ""


def test_seven_of_ten_carry_code() -> None:
    conversations = []
    for index in range(7):
        conversations.append(
            conversation(
                agent(
                    f"u-{index}",
                    session(
                        seg("interact", "09:00:00", "09:04:00", queueId=Q),
                        seg("wrapup", "09:04:00", "09:04:10", queueId=Q, wrapUpCode="wc-sale"),
                    ),
                ),
                cid=f"c-{index}",
            )
        )
    for index, queue in enumerate(("q-opt", "q-man", "q-unknown"), start=7):
        conversations.append(
            conversation(
                agent(
                    f"u-{index}", session(seg("interact", "09:00:00", "09:04:00", queueId=queue))
                ),
                cid=f"c-{index}",
            )
        )
    lookups = directory(
        queues={"q-opt": ("Sales", "OPTIONAL"), "q-man": ("Care", "MANDATORY")},
        codes={"wc-sale": "Sale"},
    )
    lookups.queue_misses["q-unknown"] = LookupState.FORBIDDEN
    rows = classify_all(conversations, lookups)
    statuses = [row.wrapup_status for row in rows]
    assert statuses.count(WrapupStatus.ASSIGNED) == 7
    assert statuses[7:] == [WrapupStatus.NOT_REQUIRED, WrapupStatus.MISSING, WrapupStatus.MISSING]
    assert "unknown" in rows[9].wrapup_reason
    assert "routing:queue:view" in rows[9].wrapup_reason
    assert sum(1 for row in rows if row.wrapup_code_id) == 7


def test_forbidden_code_listing_keeps_ids() -> None:
    conv = conversation(
        agent(
            "u-1",
            session(
                seg("interact", "09:00:00", "09:04:00", queueId=Q),
                seg("wrapup", "09:04:00", "09:04:10", queueId=Q, wrapUpCode="wc-sale"),
            ),
        )
    )
    lookups = directory(queues={Q: ("Billing", "MANDATORY")})
    lookups.wrapup_codes_state = LookupState.FORBIDDEN
    row = classify_conversation(conv, lookups)[0]
    assert row.wrapup_code_id == "wc-sale"
    assert row.wrapup_code_name == ""
    assert "routing:wrapupCode:view" in row.wrapup_reason


@pytest.mark.parametrize(
    ("prompt", "status", "words"),
    [
        pytest.param("OPTIONAL", WrapupStatus.NOT_REQUIRED, "optional", id="optional"),
        pytest.param("AGENT_REQUESTED", WrapupStatus.NOT_REQUIRED, "agent-requested", id="agent"),
        pytest.param("MANDATORY", WrapupStatus.MISSING, "requires", id="mandatory"),
        pytest.param(None, WrapupStatus.MISSING, "unknown", id="unknown"),
    ],
)
def test_transfer_sessions_one_row(prompt: str | None, status: WrapupStatus, words: str) -> None:
    sessions = [
        session(
            seg(
                "interact",
                f"09:0{index}:00",
                f"09:0{index}:40",
                queueId=Q,
                disconnectType="transfer",
            ),
            seg(
                "wrapup",
                f"09:0{index}:40",
                f"09:0{index}:42",
                queueId=Q,
                disconnectType="transfer",
            ),
            metrics=[{"name": "tAcw", "value": 2000}],
        )
        for index in range(5)
    ]
    conv = conversation(customer(), agent("u-1", *sessions))
    row_list = classify_conversation(conv, directory(queues={Q: ("Billing", prompt)}))
    assert len(row_list) == 1
    row = row_list[0]
    assert row.wrapup_status is status
    assert words in row.wrapup_reason
    assert "transfer" in row.wrapup_reason
    assert row.ended_in_transfer is True
    assert row.acw_seconds == 10
    assert row.wrapup_count == 0


def test_code_without_answer_not_connected() -> None:
    code = "5f1c0000-0000-4000-8000-0000000000c9"
    conv = conversation(
        acd(Q),
        agent(
            "u-1",
            session(
                seg("alert", "09:00:00", "09:00:15", queueId=Q, disconnectType="client"),
                seg(
                    "wrapup",
                    "09:00:15",
                    "09:01:16",
                    queueId=Q,
                    wrapUpCode=code,
                    errorCode="error.ininedgecontrol.session.inactive",
                ),
                metrics=[{"name": "tNotResponding", "value": 15000}],
            ),
        ),
        agent(
            "u-2",
            session(
                seg("alert", "09:01:20", "09:01:25", queueId=Q),
                seg("interact", "09:01:25", "09:05:00", queueId=Q),
                seg(
                    "wrapup", "09:05:00", "09:05:03", queueId=Q, wrapUpCode="ININ-WRAP-UP-TIMEOUT"
                ),
            ),
        ),
    )
    rows = classify_conversation(
        conv, directory(queues={Q: ("Billing", "MANDATORY_TIMEOUT")}, codes={code: "Sale"})
    )
    first, second = rows
    assert first.wrapup_status is WrapupStatus.NOT_CONNECTED
    assert first.wrapup_code_id == code
    assert first.wrapup_code_name == "Sale"
    assert "recorded although the agent never connected" in first.wrapup_reason
    assert first.acw_seconds == 61
    assert second.wrapup_status is WrapupStatus.TIMEOUT
    assert second.acw_seconds == 3


def test_untrustworthy_timing_never_crashes() -> None:
    conv = conversation(
        agent(
            "u-1",
            session(
                seg("interact", "09:00:00", "09:04:00", queueId=Q),
                seg("wrapup", "09:03:59.900", "09:03:59.900", queueId=Q, wrapUpCode="wc-sale"),
            ),
        ),
        agent(
            "u-2",
            session(
                seg("interact", "09:00:00", "09:04:00", queueId=Q),
                seg(
                    "wrapup", "09:04:00", "09:03:00", queueId=Q, wrapUpCode="ININ-WRAP-UP-TIMEOUT"
                ),
            ),
        ),
    )
    conv.conversation_end = conv.conversation_end.replace(month=5)  # type: ignore[union-attr]
    first, second = classify_conversation(conv, BILLING)
    assert first.acw_seconds == 0
    assert first.wrapup_status is WrapupStatus.ASSIGNED
    assert second.acw_seconds == 0
    assert second.wrapup_status is WrapupStatus.TIMEOUT
