"""The details query: validation, paging, day semantics, filters and lookups by id."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from tests.sandbox.conftest import Harness, day_interval
from wrapup_desktop.domain.decode import decode_page
from wrapup_desktop.sandbox import SandboxOrg

DAY = day_interval("2026-12-01", "2026-12-02")


@pytest.mark.parametrize(
    ("body", "code", "message_part"),
    [
        pytest.param({}, "bad.request", "interval is required", id="missing-interval"),
        pytest.param({"interval": "2026-12-01"}, "invalid.date", "start/end", id="no-slash"),
        pytest.param(
            {"interval": "2026-12-01T00:00:00\\2026-12-02T00:00:00"},
            "invalid.date",
            "'/'",
            id="backslash",
        ),
        pytest.param(
            {"interval": "01.12.2026 00:00/02.12.2026 00:00"},
            "invalid.date",
            "ISO-8601",
            id="bad-timestamp",
        ),
        pytest.param(
            {"interval": "2026-12-02T00:00:00Z/2026-12-01T00:00:00Z"},
            "bad.request",
            "after its start",
            id="end-before-start",
        ),
        pytest.param(
            {"interval": "2026-11-01T00:00:00Z/2026-11-09T00:00:00Z"},
            "bad.request",
            "7 days without filters",
            id="over-7-days",
        ),
        pytest.param(
            {
                "interval": "2026-10-01T00:00:00Z/2026-11-02T00:00:00Z",
                "segmentFilters": [
                    {"type": "and", "predicates": [{"dimension": "purpose", "value": "agent"}]}
                ],
            },
            "bad.request",
            "31 days with filters",
            id="over-31-days-filtered",
        ),
        pytest.param(
            {"interval": DAY, "paging": {"pageSize": 101, "pageNumber": 1}},
            "bad.request",
            "pageSize must be between 1 and 100",
            id="page-size-101",
        ),
        pytest.param(
            {"interval": DAY, "paging": {"pageSize": 100, "pageNumber": 1001}},
            "bad.request",
            "Pagination may not exceed 100000 results.",
            id="pagination-cap",
        ),
        pytest.param(
            {"interval": DAY, "paging": {"pageSize": 25, "pageNumber": 0}},
            "bad.request",
            "pageNumber must be 1 or more",
            id="page-zero",
        ),
        pytest.param({"interval": DAY, "order": "up"}, "bad.request", "order must be", id="order"),
        pytest.param(
            {"interval": DAY, "segmentFilters": [{"predicates": []}]},
            "bad.request",
            "type must be 'and' or 'or'",
            id="filter-without-type",
        ),
    ],
)
async def test_query_rejects_invalid_body(
    harness: Harness, body: dict[str, Any], code: str, message_part: str
) -> None:
    response = await harness.query(body)
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == code
    assert error["status"] == 400
    assert message_part in error["message"]
    assert error["contextId"] == response.headers["inin-correlation-id"]
    assert error["errors"] == []


@pytest.mark.parametrize(
    "field",
    ["groupBy", "select", "dateFrom", "dateTo", "size", "filter", "partitions", "nextPageToken"],
)
async def test_query_rejects_unknown_field(harness: Harness, field: str) -> None:
    response = await harness.query({"interval": DAY, field: 1})
    assert response.status_code == 400
    assert response.json()["code"] == "bad.request"
    assert f'"{field}"' in response.json()["message"]
    assert response.json()["details"][0]["fieldName"] == field


async def test_query_rejects_non_json(harness: Harness) -> None:
    response = await harness.client.post(
        "/api/v2/analytics/conversations/details/query",
        content=b"{not json",
        headers=harness.headers,
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad.request"


async def test_query_pages_cover_day(harness: Harness, org: SandboxOrg) -> None:
    expected = [c["conversationId"] for c in org.conversations_on(date(2026, 12, 1))]
    seen: list[str] = []
    total_hits = None
    for number in range(1, 40):
        response = await harness.query(
            {"interval": DAY, "paging": {"pageSize": 100, "pageNumber": number}}
        )
        assert response.status_code == 200
        page = response.json()
        total_hits = page["totalHits"]
        if "conversations" not in page:
            break
        seen += [c["conversationId"] for c in page["conversations"]]
    assert seen == expected
    assert total_hits == len(expected)


async def test_empty_page_lacks_conversations(harness: Harness) -> None:
    response = await harness.query(
        {"interval": DAY, "paging": {"pageSize": 100, "pageNumber": 900}}
    )
    assert response.status_code == 200
    assert "conversations" not in response.json()
    assert response.json()["totalHits"] > 0


async def test_future_interval_has_no_conversations(harness: Harness) -> None:
    response = await harness.query({"interval": day_interval("2026-12-05", "2026-12-06")})
    assert response.json() == {"totalHits": 0}


async def test_default_page_size_25(harness: Harness) -> None:
    response = await harness.query({"interval": DAY})
    assert len(response.json()["conversations"]) == 25


async def test_touched_day_semantics(harness: Harness) -> None:
    # One hour of 2 December touches the whole UTC day, so its early calls come back too.
    response = await harness.query(
        {
            "interval": "2026-12-02T12:00:00.000Z/2026-12-02T13:00:00.000Z",
            "paging": {"pageSize": 10, "pageNumber": 1},
        }
    )
    first = response.json()["conversations"][0]
    assert first["conversationStart"] < "2026-12-02T01:00:00.000Z"
    assert response.json()["totalHits"] > 1000


async def test_interval_ending_at_midnight(harness: Harness, org: SandboxOrg) -> None:
    response = await harness.query({"interval": DAY, "paging": {"pageSize": 1, "pageNumber": 1}})
    assert response.json()["totalHits"] == len(org.conversations_on(date(2026, 12, 1)))


async def test_order_desc_reverses(harness: Harness, org: SandboxOrg) -> None:
    response = await harness.query(
        {"interval": DAY, "order": "desc", "orderBy": "conversationStart"}
    )
    last = org.conversations_on(date(2026, 12, 1))[-1]
    assert response.json()["conversations"][0]["conversationId"] == last["conversationId"]


def _segment_filter(*predicates: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"type": "and", "predicates": list(predicates)}]


async def _hits(harness: Harness, **filters: Any) -> int:
    response = await harness.query({"interval": DAY, **filters})
    assert response.status_code == 200, response.text
    hits: int = response.json()["totalHits"]
    return hits


async def test_filters_reduce_results(harness: Harness, org: SandboxOrg) -> None:
    everything = await _hits(harness)
    queue = org.queues[4]
    user = org.queues[0].agent_ids[0]
    by_queue = await _hits(
        harness, segmentFilters=_segment_filter({"dimension": "queueId", "value": queue.id})
    )
    by_media = await _hits(
        harness, segmentFilters=_segment_filter({"dimension": "mediaType", "value": "email"})
    )
    by_user = await _hits(
        harness, segmentFilters=_segment_filter({"dimension": "userId", "value": user})
    )
    by_purpose = await _hits(
        harness,
        segmentFilters=_segment_filter(
            {"type": "dimension", "dimension": "purpose", "operator": "matches", "value": "agent"}
        ),
    )
    assert 0 < by_queue < everything
    assert 0 < by_media < by_queue
    assert 0 < by_user < everything
    assert 0 < by_purpose < everything


async def test_filter_or_clause_of_queues(harness: Harness, org: SandboxOrg) -> None:
    first, second = org.queues[0].id, org.queues[1].id
    one = await _hits(
        harness, segmentFilters=_segment_filter({"dimension": "queueId", "value": first})
    )
    both = await _hits(
        harness,
        segmentFilters=[
            {
                "type": "and",
                "clauses": [
                    {
                        "type": "or",
                        "predicates": [
                            {"dimension": "queueId", "value": first},
                            {"dimension": "queueId", "value": second},
                        ],
                    }
                ],
            }
        ],
    )
    assert both > one


async def test_conversation_end_exists_filter(harness: Harness) -> None:
    today = {"interval": day_interval("2026-12-03", "2026-12-04")}
    everything = (await harness.query(today)).json()["totalHits"]
    ended = (
        await harness.query(
            {
                **today,
                "conversationFilters": [
                    {
                        "type": "and",
                        "predicates": [{"dimension": "conversationEnd", "operator": "exists"}],
                    }
                ],
            }
        )
    ).json()["totalHits"]
    assert 0 < everything - ended < 100


async def test_unknown_dimension_ignored(harness: Harness) -> None:
    everything = await _hits(harness)
    ignored = await _hits(
        harness,
        segmentFilters=_segment_filter({"dimension": "requestedRoutingSkillId", "value": "x"}),
    )
    assert ignored == everything


async def test_pages_decode_without_malformed(harness: Harness) -> None:
    response = await harness.query(
        {
            "interval": day_interval("2026-12-03", "2026-12-04"),
            "paging": {"pageSize": 100, "pageNumber": 8},
        }
    )
    decoded = decode_page(response.content)
    assert len(decoded.conversations) == 100
    assert decoded.malformed == []


async def test_single_conversation_lookup(harness: Harness, org: SandboxOrg) -> None:
    conversation = org.conversations_on(date(2026, 12, 1))[3]
    cid = conversation["conversationId"]
    response = await harness.get(f"/api/v2/analytics/conversations/{cid}/details")
    assert response.status_code == 200
    assert response.json() == conversation
    missing = await harness.get("/api/v2/analytics/conversations/nope/details")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not.found"


async def test_lookup_by_id_list(harness: Harness, org: SandboxOrg) -> None:
    ids = [c["conversationId"] for c in org.conversations_on(date(2026, 12, 1))[:3]]
    response = await harness.get("/api/v2/analytics/conversations/details", id=",".join(ids))
    assert [c["conversationId"] for c in response.json()["conversations"]] == ids


async def test_query_uses_org_now(harness: Harness, org: SandboxOrg) -> None:
    response = await harness.query(
        {"interval": day_interval("2026-12-03", "2026-12-04"), "order": "desc"}
    )
    newest = response.json()["conversations"][0]["conversationStart"]
    assert newest <= org.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.999Z")
    assert org.now() == datetime(2026, 12, 3, 14, 0, tzinfo=UTC)
