"""Reading saved responses and listings: good shapes, and a clear error for every broken file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from wrapup_desktop.domain.directory import LookupState
from wrapup_desktop.errors import InputError
from wrapup_desktop.export.readers import (
    EXPECTED_RESPONSE,
    read_directory_files,
    read_saved_responses,
)

CONVERSATION: dict[str, Any] = {
    "conversationId": "c-1",
    "conversationStart": "2026-11-02T08:15:00.000Z",
    "participants": [
        {
            "participantId": "p-1",
            "purpose": "agent",
            "userId": "u-1",
            "sessions": [
                {
                    "mediaType": "voice",
                    "segments": [
                        {
                            "segmentStart": "2026-11-02T08:15:00.000Z",
                            "segmentEnd": "2026-11-02T08:16:00.000Z",
                            "segmentType": "wrapup",
                            "wrapUpCode": "wc-sale",
                        }
                    ],
                }
            ],
        }
    ],
}


def save(path: Path, document: Any, *, bom: bool = False) -> Path:
    data = json.dumps(document, indent=2).encode("utf-8")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def conversation(conversation_id: str, **extra: Any) -> dict[str, Any]:
    return {**CONVERSATION, "conversationId": conversation_id, **extra}


def test_read_details_response(tmp_path: Path) -> None:
    path = save(
        tmp_path / "page.json",
        {"totalHits": 2, "conversations": [conversation("a"), conversation("b")]},
    )

    good, bad = read_saved_responses([path])

    assert [item.conversation_id for item in good] == ["a", "b"]
    assert bad == []
    assert good[0].participants[0].sessions[0].segments[0].wrap_up_code == "wc-sale"


def test_read_with_bom_and_list(tmp_path: Path) -> None:
    document = [{"conversations": [conversation("a")]}, conversation("b")]
    path = save(tmp_path / "saved.json", document, bom=True)

    good, _ = read_saved_responses([path])

    assert [item.conversation_id for item in good] == ["a", "b"]


def test_read_single_conversation(tmp_path: Path) -> None:
    path = save(tmp_path / "one.json", conversation("solo"))

    good, _ = read_saved_responses([path])

    assert [item.conversation_id for item in good] == ["solo"]


def test_read_jobs_page_no_matches(tmp_path: Path) -> None:
    path = save(
        tmp_path / "job.json", {"cursor": "abc", "dataAvailabilityDate": "2026-11-02T00:00:00Z"}
    )

    good, bad = read_saved_responses([path])

    assert good == []
    assert bad == []


def test_read_duplicates_keep_last_file(tmp_path: Path) -> None:
    first = save(tmp_path / "1.json", {"conversations": [conversation("a"), conversation("b")]})
    ended = conversation("a", conversationEnd="2026-11-02T08:20:00.000Z")
    second = save(tmp_path / "2.json", {"conversations": [ended]})

    good, _ = read_saved_responses([first, second])

    assert sorted(item.conversation_id or "" for item in good) == ["a", "b"]
    kept = next(item for item in good if item.conversation_id == "a")
    assert kept.conversation_end is not None


def test_read_malformed_conversation_kept(tmp_path: Path) -> None:
    broken = conversation("bad", participants=[{"userId": 42}])
    path = save(tmp_path / "page.json", {"conversations": [conversation("ok"), broken]})

    good, bad = read_saved_responses([path])

    assert [item.conversation_id for item in good] == ["ok"]
    assert len(bad) == 1
    assert bad[0].conversation_id == "bad"
    assert "userId" in bad[0].error


def test_read_real_samples(real_samples_dir: Path) -> None:
    paths = sorted(real_samples_dir.glob("*.json"))

    good, bad = read_saved_responses(paths)

    assert len(good) == 26
    assert len(bad) == 1
    assert "segmentStart" in bad[0].error


def truncated_document() -> bytes:
    text = json.dumps({"conversations": [conversation("a")] * 3}, indent=2)
    return text[: len(text) // 2].encode("utf-8")


@pytest.mark.parametrize(
    ("content", "expected_parts"),
    [
        pytest.param(b"", ["is empty", EXPECTED_RESPONSE], id="empty"),
        pytest.param(b"  \r\n ", ["is empty"], id="blank"),
        pytest.param(
            truncated_document(),
            ["is not valid JSON", "unexpected end of data", "line ", "column ", EXPECTED_RESPONSE],
            id="truncated",
        ),
        pytest.param(
            b'{\n  "conversations": [\n    {"conversationId": "a",}\n  ]\n}',
            ["is not valid JSON", "line 3, column 28", EXPECTED_RESPONSE],
            id="trailing-comma",
        ),
        pytest.param(
            b"conversationId,agent\r\nc-1,u-1\r\n",
            ["is not valid JSON", "line 1, column 1", EXPECTED_RESPONSE],
            id="csv-not-json",
        ),
        pytest.param(
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff",
            ["is not UTF-8 text", "byte 0x89", "line 1, column 1", "binary"],
            id="binary",
        ),
        pytest.param(
            '{"name": "Jos\u00e9"}'.encode("latin-1"),
            ["is not UTF-8 text", "byte 0xe9", "line 1, column 14"],
            id="latin-1",
        ),
        pytest.param(
            b"\xff\xfe{\x00}\x00",
            ["is UTF-16 text", "Save it again as UTF-8"],
            id="utf-16",
        ),
        pytest.param(b"42", ["does not hold conversations", "got a number"], id="number"),
        pytest.param(
            b'{"entities": []}',
            ["does not hold conversations", "entities", "a details-query response"],
            id="listing-not-response",
        ),
        pytest.param(
            b'{"conversations": {"a": 1}}',
            ["does not hold conversations", "must be a list"],
            id="conversations-object",
        ),
        pytest.param(b"[[1]]", ["does not hold conversations"], id="nested-list"),
        pytest.param(b"{}", ["does not hold conversations", "an empty object"], id="empty-object"),
    ],
)
def test_read_broken_file_message(
    tmp_path: Path, content: bytes, expected_parts: list[str]
) -> None:
    path = tmp_path / "responses.json"
    path.write_bytes(content)

    with pytest.raises(InputError) as caught:
        read_saved_responses([path])

    message = str(caught.value)
    assert message.startswith(str(path))
    for part in expected_parts:
        assert part in message


def test_read_truncated_position_near_end(tmp_path: Path) -> None:
    content = truncated_document()
    path = tmp_path / "responses.json"
    path.write_bytes(content)
    last_line = content.count(b"\n") + 1

    with pytest.raises(InputError) as caught:
        read_saved_responses([path])

    assert f"line {last_line}," in str(caught.value)


def test_read_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.json"

    with pytest.raises(InputError) as caught:
        read_saved_responses([path])

    assert str(path) in str(caught.value)
    assert "was not found" in str(caught.value)


def test_read_folder_not_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_saved_responses([tmp_path])

    assert "is a folder, not a file" in str(caught.value)


def test_read_second_file_named(tmp_path: Path) -> None:
    good = save(tmp_path / "good.json", conversation("a"))
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"{")

    with pytest.raises(InputError) as caught:
        read_saved_responses([good, bad])

    assert str(bad) in str(caught.value)


CODES = {"entities": [{"id": "wc-sale", "name": "Sale"}, {"id": "wc-refund", "name": "Refund"}]}
QUEUES = {
    "entities": [
        {
            "id": "q-1",
            "name": "Sales",
            "acwSettings": {"wrapupPrompt": "MANDATORY_TIMEOUT", "timeoutMs": 30000},
        }
    ]
}
USERS = [
    {"entities": [{"id": "u-1", "name": "José Núñez"}]},
    {"entities": [{"id": "u-2", "name": "Ann"}]},
]


def test_directory_all_listings(tmp_path: Path) -> None:
    directory = read_directory_files(
        save(tmp_path / "codes.json", CODES),
        save(tmp_path / "queues.json", QUEUES, bom=True),
        save(tmp_path / "users.json", USERS),
    )

    assert directory.wrapup_codes == {"wc-sale": "Sale", "wc-refund": "Refund"}
    assert directory.queues["q-1"].name == "Sales"
    assert directory.queues["q-1"].wrapup_prompt == "MANDATORY_TIMEOUT"
    assert directory.queues["q-1"].acw_timeout_ms == 30000
    assert directory.users == {"u-1": "José Núñez", "u-2": "Ann"}
    assert directory.wrapup_codes_state is LookupState.FOUND
    assert directory.queues_state is LookupState.FOUND
    assert directory.users_state is LookupState.FOUND


def test_directory_missing_listings_not_looked_up(tmp_path: Path) -> None:
    directory = read_directory_files(save(tmp_path / "codes.json", CODES), None, None)

    assert directory.wrapup_codes_state is LookupState.FOUND
    assert directory.queues_state is LookupState.NOT_LOOKED_UP
    assert directory.users_state is LookupState.NOT_LOOKED_UP
    assert directory.queues == {}


def test_directory_no_listings() -> None:
    directory = read_directory_files(None, None, None)

    assert directory.wrapup_codes_state is LookupState.NOT_LOOKED_UP
    assert directory.wrapup_codes == {}


def test_directory_wrong_shape_names_file(tmp_path: Path) -> None:
    codes = save(tmp_path / "codes.json", CODES)
    queues = save(tmp_path / "queues.json", {"conversations": []})

    with pytest.raises(InputError) as caught:
        read_directory_files(codes, queues, None)

    message = str(caught.value)
    assert message.startswith(str(queues))
    assert "is not a listing" in message
    assert "GET /api/v2/routing/queues" in message


def test_directory_broken_json_names_file(tmp_path: Path) -> None:
    users = tmp_path / "users.json"
    users.write_text('{"entities": [\n  {"id": "u-1", "name": "Ann"\n', encoding="utf-8")

    with pytest.raises(InputError) as caught:
        read_directory_files(None, None, users)

    message = str(caught.value)
    assert message.startswith(str(users))
    assert "unexpected end of data" in message
    assert "GET /api/v2/users" in message
