"""Conversations with unexpected shapes: MALFORMED rows that name the field, never a crash."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.domain.builders import acd, agent, conversation_json, customer, directory, seg, session
from wrapup_desktop.domain.classify import classify_all, classify_malformed
from wrapup_desktop.domain.decode import MalformedConversation, PageDecodeError, decode_page
from wrapup_desktop.domain.malformed import looks_like_agent_leg
from wrapup_desktop.domain.rows import WrapupStatus

Q = "q-care"
CARE = directory(queues={Q: ("Care", "MANDATORY")}, codes={"wc-a": "A"})


def _good_leg(user: str) -> dict[str, Any]:
    return agent(
        user,
        session(
            seg("interact", "09:00:00", "09:01:00", queueId=Q),
            seg("wrapup", "09:01:00", "09:01:10", queueId=Q, wrapUpCode="wc-a"),
        ),
    )


def _page(*conversations: Any) -> bytes:
    return json.dumps({"conversations": list(conversations), "totalHits": 1}).encode()


def test_broken_leg_names_field() -> None:
    broken = _good_leg("u-2")
    broken["sessions"][0]["segments"][1]["segmentStart"] = 12345
    page = decode_page(_page(conversation_json(customer(), _good_leg("u-1"), broken)))
    assert page.conversations == []
    rows = classify_all(page.conversations, CARE, page.malformed)
    by_agent = {row.agent_id: row for row in rows}
    assert by_agent["u-1"].wrapup_status is WrapupStatus.ASSIGNED
    assert by_agent["u-1"].transfer_seq == 1
    bad = by_agent["u-2"]
    assert bad.wrapup_status is WrapupStatus.MALFORMED
    assert bad.conversation_id == "c-1"
    assert bad.participant_id == "p-u-2"
    assert bad.transfer_seq == 2
    assert bad.wrapup_reason == (
        "The field participants[2].sessions[0].segments[1].segmentStart is not a valid time "
        "(got 12345), so this leg could not be classified."
    )


def test_wrong_type_named_in_words() -> None:
    broken = _good_leg("u-2")
    broken["sessions"][0]["mediaType"] = 7
    rows = classify_malformed(MalformedConversation(conversation_json(broken), ""), CARE)
    assert rows[0].wrapup_reason.startswith(
        "The field participants[0].sessions[0].mediaType should be text but is a number (got 7)"
    )


def test_broken_header_still_yields_rows() -> None:
    data = conversation_json(_good_leg("u-1"))
    data["conversationStart"] = "yesterday"
    rows = classify_malformed(MalformedConversation(data, ""), CARE)
    assert len(rows) == 1
    row = rows[0]
    assert row.wrapup_status is WrapupStatus.ASSIGNED
    assert row.conversation_id == "c-1"
    assert row.conversation_start is None
    assert "conversationStart is not a valid time" in row.wrapup_reason


def test_broken_customer_noted_on_rows() -> None:
    bad_customer = customer()
    bad_customer["sessions"] = {"not": "a list"}
    rows = classify_malformed(
        MalformedConversation(conversation_json(bad_customer, acd(Q), _good_leg("u-1")), ""), CARE
    )
    assert [row.wrapup_status for row in rows] == [WrapupStatus.ASSIGNED]
    assert "participants[0].sessions should be a list but is an object" in rows[0].wrapup_reason


def test_broken_only_participant_is_malformed() -> None:
    bad_customer = customer()
    bad_customer["sessions"] = None
    rows = classify_malformed(MalformedConversation(conversation_json(bad_customer), ""), CARE)
    assert [row.wrapup_status for row in rows] == [WrapupStatus.MALFORMED]
    assert "participants[0].sessions" in rows[0].wrapup_reason


def test_non_object_conversation() -> None:
    rows = classify_malformed(MalformedConversation([1, 2], ""), CARE)
    assert [row.wrapup_status for row in rows] == [WrapupStatus.MALFORMED]
    assert "is not a JSON object" in rows[0].wrapup_reason


def test_participants_not_a_list() -> None:
    data = conversation_json()
    data["participants"] = "everyone"
    rows = classify_malformed(MalformedConversation(data, ""), CARE)
    assert [row.wrapup_status for row in rows] == [WrapupStatus.MALFORMED]
    assert rows[0].conversation_id == "c-1"
    assert "participants should be a list" in rows[0].wrapup_reason


def test_bad_paging_header_raises_decode_error() -> None:
    try:
        decode_page(b'{"totalHits": "many"}')
    except PageDecodeError as exc:
        assert "paging fields" in str(exc)
    else:
        raise AssertionError("expected PageDecodeError")


# Property-based: any response-shaped JSON classifies without an exception.

_junk = st.one_of(
    st.none(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.text(max_size=6),
    st.lists(st.integers(min_value=0, max_value=9), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(min_value=0, max_value=9), max_size=2),
)
_times = st.one_of(
    st.sampled_from(
        [
            "2026-03-02T09:00:00.000Z",
            "2026-03-02T09:05:00Z",
            "2026-03-02T09:01:00.500+01:00",
            "2026-03-02T09:03:00",
            "2026-03-2T09:00:00Z",
            "",
        ]
    ),
    _junk,
)
_text = st.one_of(st.sampled_from(["a", "q-care", "wc-a", "  ", ""]), _junk)


def _maybe_junk(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(strategy, strategy, strategy, _junk)


_segment = _maybe_junk(
    st.fixed_dictionaries(
        {},
        optional={
            "segmentStart": _times,
            "segmentEnd": _times,
            "segmentType": st.one_of(
                st.sampled_from(["alert", "interact", "hold", "wrapup", "dialing", "ivr"]), _junk
            ),
            "queueId": _text,
            "wrapUpCode": st.one_of(
                st.sampled_from(["wc-a", "ININ-WRAP-UP-TIMEOUT", "ININ-OUTBOUND-BUSY", " "]),
                _junk,
            ),
            "disconnectType": st.one_of(st.sampled_from(["transfer", "peer"]), _junk),
            "extraField": _junk,
        },
    )
)
_session = _maybe_junk(
    st.fixed_dictionaries(
        {},
        optional={
            "mediaType": _text,
            "direction": _text,
            "acwSkipped": st.one_of(st.booleans(), _junk),
            "segments": _maybe_junk(st.lists(_segment, max_size=4)),
            "metrics": _maybe_junk(
                st.lists(
                    st.fixed_dictionaries({}, optional={"name": _text, "value": _junk}),
                    max_size=2,
                )
            ),
        },
    )
)
_participant = _maybe_junk(
    st.fixed_dictionaries(
        {},
        optional={
            "purpose": st.one_of(
                st.sampled_from(["agent", "user", "customer", "acd", "ivr"]), _junk
            ),
            "userId": _text,
            "participantId": _text,
            "participantName": _text,
            "sessions": _maybe_junk(st.lists(_session, max_size=3)),
        },
    )
)
_conversation = _maybe_junk(
    st.fixed_dictionaries(
        {},
        optional={
            "conversationId": _text,
            "conversationStart": _times,
            "conversationEnd": _times,
            "originatingDirection": _text,
            "divisionIds": _maybe_junk(st.lists(st.text(max_size=3), max_size=2)),
            "participants": _maybe_junk(st.lists(_participant, max_size=4)),
            "unknownField": _junk,
        },
    )
)


def _expected_rows(item: Any) -> int:
    if not isinstance(item, dict) or not isinstance(item.get("participants"), list):
        return 1
    legs = sum(looks_like_agent_leg(participant) for participant in item["participants"])
    return max(legs, 1)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_conversation, max_size=4))
def test_any_shape_classifies(conversations: list[Any]) -> None:
    page = decode_page(_page(*conversations))
    rows = classify_all(page.conversations, CARE, page.malformed)
    assert len(rows) == sum(_expected_rows(item) for item in conversations)
    for row in rows:
        assert row.wrapup_reason
        if row.wrapup_status is WrapupStatus.MALFORMED:
            assert row.wrapup_reason.startswith(("The field ", "This conversation "))
            # The last-resort row of an unexpected exception must never be needed.
            assert not row.wrapup_reason.startswith("This conversation could not be read")
        if row.conversation_start is not None:
            assert row.conversation_start.tzinfo is not None
