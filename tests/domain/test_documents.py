"""Saved responses and listings in every shape people keep them."""

from __future__ import annotations

from typing import Any

import pytest

from tests.domain.builders import agent, conversation_json, seg, session
from wrapup_desktop.domain.directory import LookupState
from wrapup_desktop.domain.documents import conversations_from_document, directory_from_listings


def _conv(cid: str) -> dict[str, Any]:
    return conversation_json(
        agent("u-1", session(seg("interact", "09:00:00", "09:01:00"))), cid=cid
    )


@pytest.mark.parametrize(
    "document",
    [
        pytest.param({"conversations": [_conv("c-1"), _conv("c-2")], "totalHits": 2}, id="query"),
        pytest.param(
            {
                "conversations": [_conv("c-1"), _conv("c-2")],
                "cursor": "abc",
                "dataAvailabilityDate": "2026-03-02T00:00:00Z",
            },
            id="jobs",
        ),
        pytest.param([_conv("c-1"), _conv("c-2")], id="list-of-conversations"),
        pytest.param(
            [
                {"conversations": [_conv("c-1")], "totalHits": 2},
                {"conversations": [_conv("c-2")], "totalHits": 2},
            ],
            id="list-of-pages",
        ),
    ],
)
def test_document_shapes_accepted(document: Any) -> None:
    conversations, malformed = conversations_from_document(document)
    assert [item.conversation_id for item in conversations] == ["c-1", "c-2"]
    assert malformed == []


def test_single_conversation_accepted() -> None:
    conversations, _ = conversations_from_document(_conv("c-9"))
    assert [item.conversation_id for item in conversations] == ["c-9"]


def test_empty_query_response() -> None:
    assert conversations_from_document({"totalHits": 0}) == ([], [])


def test_duplicate_keeps_last_copy() -> None:
    first = _conv("c-1")
    second = _conv("c-1")
    second["originatingDirection"] = "outbound"
    conversations, _ = conversations_from_document([first, second])
    assert len(conversations) == 1
    assert conversations[0].originating_direction == "outbound"


def test_malformed_item_path_named() -> None:
    bad = _conv("c-2")
    bad["conversationStart"] = 5
    _, malformed = conversations_from_document({"conversations": [_conv("c-1"), bad]})
    assert len(malformed) == 1
    assert "$.conversations[1].conversationStart" in malformed[0].error


@pytest.mark.parametrize(
    ("document", "words"),
    [
        pytest.param({"entities": []}, "an object with the keys entities", id="listing"),
        pytest.param("text", "a str", id="string"),
        pytest.param([[_conv("c-1")]], "a list", id="nested-list"),
        pytest.param({"conversations": "none"}, "must be a list", id="conversations-text"),
    ],
)
def test_other_shapes_rejected(document: Any, words: str) -> None:
    with pytest.raises(ValueError, match=r"expected|must be") as caught:
        conversations_from_document(document)
    assert words in str(caught.value)


def test_listings_build_directory() -> None:
    codes = {"entities": [{"id": "wc-1", "name": "Sale"}, {"name": "no id"}]}
    queues = [
        {
            "entities": [
                {
                    "id": "q-1",
                    "name": "Care",
                    "acwSettings": {"wrapupPrompt": "MANDATORY_TIMEOUT", "timeoutMs": 30000},
                }
            ]
        },
        {"entities": [{"id": "q-2", "name": "Sales"}]},
    ]
    users = [{"id": "u-1", "name": "Ana"}]
    result = directory_from_listings(codes, queues, users)
    assert result.wrapup_codes == {"wc-1": "Sale"}
    assert result.queues["q-1"].wrapup_prompt == "MANDATORY_TIMEOUT"
    assert result.queues["q-1"].acw_timeout_ms == 30000
    assert result.queues["q-2"].wrapup_prompt is None
    assert result.users == {"u-1": "Ana"}
    assert result.wrapup_codes_state is LookupState.FOUND
    assert result.queues_state is LookupState.FOUND


def test_absent_listing_not_looked_up() -> None:
    result = directory_from_listings(None, None, None)
    assert result.wrapup_codes_state is LookupState.NOT_LOOKED_UP
    assert result.queues_state is LookupState.NOT_LOOKED_UP
    assert result.users_state is LookupState.NOT_LOOKED_UP


def test_listing_wrong_shape_rejected() -> None:
    with pytest.raises(ValueError, match="queue listing"):
        directory_from_listings(None, {"items": []}, None)
