"""Properties over arbitrary JSON: saved documents and query bodies never crash the domain."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from wrapup_desktop.domain.documents import conversations_from_document, directory_from_listings
from wrapup_desktop.domain.querylint import lint_query

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        ["2026-03-02T00:00:00Z", "2026-03-02", "and", "or", "queueId", "divisionId", "exists"]
    ),
    st.text(max_size=8),
)
_keys = st.one_of(
    st.sampled_from(
        [
            "interval",
            "paging",
            "pageSize",
            "pageNumber",
            "segmentFilters",
            "conversationFilters",
            "type",
            "predicates",
            "clauses",
            "dimension",
            "value",
            "operator",
            "values",
            "metric",
            "range",
            "order",
            "orderBy",
            "groupBy",
            "filter",
            "dateFrom",
            "dateTo",
            "conversations",
            "entities",
            "id",
            "name",
            "participants",
            "conversationId",
            "acwSettings",
            "wrapupPrompt",
            "timeoutMs",
        ]
    ),
    st.text(max_size=5),
)
_json = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(_keys, children, max_size=5)
    ),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(_json)
def test_lint_correction_is_valid(body: Any) -> None:
    result = lint_query(body)
    again = lint_query(result.corrected)
    assert again.issues == []
    assert again.corrected == result.corrected


@settings(max_examples=150, deadline=None)
@given(_json)
def test_documents_raise_only_valueerror(document: Any) -> None:
    try:
        conversations_from_document(document)
    except ValueError as exc:
        assert str(exc)


@settings(max_examples=150, deadline=None)
@given(_json, _json, _json)
def test_listings_raise_only_valueerror(codes: Any, queues: Any, users: Any) -> None:
    try:
        directory_from_listings(codes, queues, users)
    except ValueError as exc:
        assert str(exc)
