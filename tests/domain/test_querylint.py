"""The details-query lint: invented fields, documented limits and the corrected body."""

from __future__ import annotations

from typing import Any

import pytest

from wrapup_desktop.domain.querylint import LintResult, lint_query

GOOD: dict[str, Any] = {
    "interval": "2026-11-30T00:00:00.000Z/2026-12-01T00:00:00.000Z",
    "order": "asc",
    "orderBy": "conversationStart",
    "paging": {"pageSize": 100, "pageNumber": 1},
    "conversationFilters": [
        {"type": "and", "predicates": [{"dimension": "conversationEnd", "operator": "exists"}]}
    ],
    "segmentFilters": [
        {
            "type": "and",
            "clauses": [
                {
                    "type": "or",
                    "predicates": [
                        {"dimension": "queueId", "value": "q-1"},
                        {"dimension": "queueId", "value": "q-2"},
                    ],
                }
            ],
            "predicates": [
                {
                    "type": "dimension",
                    "dimension": "purpose",
                    "operator": "matches",
                    "value": "agent",
                },
                {"dimension": "mediaType", "value": "voice"},
            ],
        }
    ],
}


def _paths(result: LintResult) -> list[str]:
    return [issue.path for issue in result.issues]


def _issue(result: LintResult, path: str) -> str:
    found = [
        f"{issue.message} -> {issue.replacement}" for issue in result.issues if issue.path == path
    ]
    assert found, f"no issue at {path}; issues: {_paths(result)}"
    return found[0]


def test_documented_body_is_valid() -> None:
    result = lint_query(GOOD)
    assert result.issues == []
    assert result.valid
    assert result.corrected == GOOD


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        pytest.param("groupBy", ["wrapUpCode"], "aggregations", id="groupBy"),
        pytest.param("select", ["conversationId"], "no field selection", id="select"),
        pytest.param("fields", "conversationId", "no field selection", id="fields"),
        pytest.param("size", 500, "paging", id="size"),
        pytest.param("limit", 100, "async jobs", id="limit"),
        pytest.param("page", 2, "paging", id="page"),
        pytest.param("partitions", 4, "split the interval", id="partitions"),
        pytest.param("filter", {"predicates": []}, "segmentFilters", id="filter"),
        pytest.param("where", "queueId = 'x'", "conversationFilters", id="where"),
        pytest.param("nextPageToken", "abc", "pageNumber", id="nextPageToken"),
        pytest.param("pageToken", "abc", "pageNumber", id="pageToken"),
        pytest.param("dateFrom", "2026-03-02", "interval", id="dateFrom"),
        pytest.param("startDate", "2026-03-02", "interval", id="startDate"),
        pytest.param("sortBy", "conversationEnd", "orderBy", id="sortBy"),
        pytest.param("colour", "blue", "not a field", id="unknown"),
    ],
)
def test_invented_fields_named(field: str, value: Any, words: str) -> None:
    result = lint_query({**GOOD, field: value})
    assert not result.valid
    assert words in _issue(result, field)
    assert field not in result.corrected
    assert lint_query(result.corrected).valid


def test_date_fields_become_interval() -> None:
    result = lint_query({"dateFrom": "2026-03-02", "dateTo": "2026-03-03", "size": 50})
    assert result.corrected["interval"] == "2026-03-02T00:00:00.000Z/2026-03-03T00:00:00.000Z"
    assert result.corrected["paging"] == {"pageSize": 50, "pageNumber": 1}
    assert lint_query(result.corrected).valid


def test_group_by_becomes_aggregation() -> None:
    result = lint_query({**GOOD, "groupBy": "wrapUpCode"})
    assert result.corrected["aggregations"] == [
        {"type": "termFrequency", "dimension": "wrapUpCode", "size": 100}
    ]


def test_backslash_interval_rejected() -> None:
    result = lint_query({"interval": "2026-01-23T10:00:00Z\\2026-01-23T13:00:00Z"})
    assert "backslash" in _issue(result, "interval")
    assert result.corrected["interval"] == "2026-01-23T10:00:00Z/2026-01-23T13:00:00Z"


@pytest.mark.parametrize(
    ("interval", "words"),
    [
        pytest.param("2026-03-02", "START/END", id="one-part"),
        pytest.param("2026-03-02T00:00Z/tomorrow", "not an ISO-8601 time", id="bad-end"),
        pytest.param("2026-03-03T00:00Z/2026-03-02T00:00Z", "after the start", id="reversed"),
        pytest.param("2026-03-02T00:00/2026-03-03T00:00Z", "no time zone", id="no-zone"),
        pytest.param("2026-03-01T00:00Z/2026-03-10T00:00Z", "at most 7", id="too-long"),
    ],
)
def test_interval_problems(interval: str, words: str) -> None:
    result = lint_query({"interval": interval})
    assert words in _issue(result, "interval")
    assert lint_query(result.corrected).valid


def test_filters_allow_thirty_one_days() -> None:
    body = {**GOOD, "interval": "2026-03-01T00:00:00Z/2026-03-31T00:00:00Z"}
    assert lint_query(body).valid
    body["interval"] = "2026-03-01T00:00:00Z/2026-04-05T00:00:00Z"
    result = lint_query(body)
    assert "at most 31" in _issue(result, "interval")
    assert result.corrected["interval"] == "2026-03-01T00:00:00Z/2026-04-01T00:00:00Z"


def test_missing_interval_required() -> None:
    result = lint_query({"paging": {"pageSize": 10}})
    assert "required" in _issue(result, "interval")


@pytest.mark.parametrize(
    ("paging", "path", "words", "fixed"),
    [
        pytest.param(
            {"pageSize": 200},
            "paging.pageSize",
            "at most 100",
            {"pageSize": 100, "pageNumber": 1},
            id="size",
        ),
        pytest.param(
            {"pageSize": 100, "pageNumber": 0},
            "paging.pageNumber",
            "starts at 1",
            {"pageSize": 100, "pageNumber": 1},
            id="zero",
        ),
        pytest.param(
            {"pageSize": 100, "pageNumber": 1001},
            "paging",
            "100000",
            {"pageSize": 100, "pageNumber": 1000},
            id="cap",
        ),
        pytest.param(
            {"pageSize": "100"},
            "paging.pageSize",
            "whole number",
            {"pageSize": 100, "pageNumber": 1},
            id="text",
        ),
        pytest.param(
            {"pageSize": 10, "offset": 5},
            "paging.offset",
            "not a field",
            {"pageSize": 10, "pageNumber": 1},
            id="offset",
        ),
    ],
)
def test_paging_limits(
    paging: dict[str, Any], path: str, words: str, fixed: dict[str, int]
) -> None:
    result = lint_query({**GOOD, "paging": paging})
    assert words in _issue(result, path)
    assert result.corrected["paging"] == fixed


def test_order_values_checked() -> None:
    result = lint_query({**GOOD, "order": "descending", "orderBy": "ConversationEnd"})
    assert "asc, desc, unordered" in _issue(result, "order")
    assert "spelled 'conversationEnd'" in _issue(result, "orderBy")
    assert result.corrected["orderBy"] == "conversationEnd"
    assert result.corrected["order"] == "desc"


def test_division_moves_to_conversation_filters() -> None:
    body = {
        "interval": GOOD["interval"],
        "segmentFilters": [
            {
                "type": "and",
                "predicates": [
                    {"dimension": "divisionId", "value": "d-1"},
                    {"dimension": "queueId", "value": "q-1"},
                ],
            }
        ],
    }
    result = lint_query(body)
    assert "conversation-level" in _issue(result, "segmentFilters[0].predicates[0].dimension")
    assert result.corrected["segmentFilters"] == [
        {"type": "and", "predicates": [{"dimension": "queueId", "value": "q-1"}]}
    ]
    assert result.corrected["conversationFilters"] == [
        {"type": "and", "predicates": [{"dimension": "divisionId", "value": "d-1"}]}
    ]
    assert lint_query(result.corrected).valid


def test_wrapup_code_moves_to_segment_filters() -> None:
    body = {
        "interval": GOOD["interval"],
        "conversationFilters": [
            {"type": "and", "predicates": [{"dimension": "wrapUpCode", "value": "wc-1"}]}
        ],
    }
    result = lint_query(body)
    assert "segment-level" in _issue(result, "conversationFilters[0].predicates[0].dimension")
    assert result.corrected["segmentFilters"] == [
        {"type": "and", "predicates": [{"dimension": "wrapUpCode", "value": "wc-1"}]}
    ]
    assert "conversationFilters" not in result.corrected
    assert lint_query(result.corrected).valid


@pytest.mark.parametrize(
    ("flt", "path", "words"),
    [
        pytest.param(
            {"predicates": [{"dimension": "queueId", "value": "q"}]},
            "segmentFilters[0].type",
            "needs `type`",
            id="no-type",
        ),
        pytest.param(
            {"type": "xor", "predicates": [{"dimension": "queueId", "value": "q"}]},
            "segmentFilters[0].type",
            "needs `type`",
            id="bad-type",
        ),
        pytest.param(
            {
                "type": "and",
                "predicates": [{"dimension": "queueId", "operator": "equals", "value": "q"}],
            },
            "segmentFilters[0].predicates[0].operator",
            "matches, exists or notExists",
            id="operator",
        ),
        pytest.param(
            {"type": "and", "predicates": [{"dimension": "queue", "value": "q"}]},
            "segmentFilters[0].predicates[0].dimension",
            "not a segment dimension",
            id="dimension",
        ),
        pytest.param(
            {"type": "and", "predicates": [{"dimension": "wrapupCode", "value": "q"}]},
            "segmentFilters[0].predicates[0].dimension",
            "spelled 'wrapUpCode'",
            id="case",
        ),
        pytest.param(
            {"type": "and", "predicates": [{"dimension": "queueId"}]},
            "segmentFilters[0].predicates[0]",
            "needs a `value`",
            id="no-value",
        ),
        pytest.param(
            {
                "type": "and",
                "predicates": [{"dimension": "queueId", "operator": "exists", "value": "q"}],
            },
            "segmentFilters[0].predicates[0].value",
            "ignored",
            id="exists-value",
        ),
        pytest.param(
            {"type": "and", "predicates": [{"dimension": "queueId", "values": ["a", "b"]}]},
            "segmentFilters[0].predicates[0].values",
            "or` clause",
            id="values",
        ),
        pytest.param(
            {"type": "and", "clauses": [{"type": "or"}]},
            "segmentFilters[0].clauses[0].predicates",
            "needs a list of predicates",
            id="empty-clause",
        ),
        pytest.param(
            {"type": "and", "predicates": [{"metric": "tTalk", "range": {"gt": 1}}]},
            "segmentFilters[0].predicates[0].metric",
            "not a segment metric",
            id="metric",
        ),
    ],
)
def test_filter_shape_checked(flt: dict[str, Any], path: str, words: str) -> None:
    result = lint_query({"interval": GOOD["interval"], "segmentFilters": [flt]})
    assert words in _issue(result, path)


def test_values_list_becomes_or_clause() -> None:
    body = {
        "interval": GOOD["interval"],
        "segmentFilters": [
            {"type": "and", "predicates": [{"dimension": "queueId", "values": ["a", "b"]}]}
        ],
    }
    result = lint_query(body)
    assert result.corrected["segmentFilters"] == [
        {
            "type": "and",
            "clauses": [
                {
                    "type": "or",
                    "predicates": [
                        {"dimension": "queueId", "value": "a"},
                        {"dimension": "queueId", "value": "b"},
                    ],
                }
            ],
        }
    ]
    assert lint_query(result.corrected).valid


def test_non_object_body_rejected() -> None:
    result = lint_query(["interval"])
    assert _paths(result) == ["$"]
    assert lint_query(result.corrected).valid
