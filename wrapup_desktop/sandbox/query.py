"""The body of a details query or job: validation as Genesys does it, filters and ordering.

A rejected body gets the `code` Genesys uses: `invalid.date` for an interval that is not
ISO-8601, `bad.request` for everything else, and the message names the field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from wrapup_desktop.sandbox.formats import DAY_MS, parse_instant, to_ms
from wrapup_desktop.sandbox.org import VisibleConversation

QUERY_FIELDS = frozenset(
    {
        "interval",
        "order",
        "orderBy",
        "paging",
        "conversationFilters",
        "segmentFilters",
        "evaluationFilters",
        "surveyFilters",
        "resolutionFilters",
        "aggregations",
    }
)
JOB_FIELDS = frozenset(
    {
        "interval",
        "order",
        "orderBy",
        "conversationFilters",
        "segmentFilters",
        "evaluationFilters",
        "surveyFilters",
        "resolutionFilters",
        "limit",
        "startOfDayIntervalMatching",
    }
)
ORDERS = ("asc", "desc", "unordered")
ORDER_BYS = ("conversationStart", "conversationEnd", "segmentStart", "segmentEnd")
MAX_PAGE_SIZE = 100
MAX_RESULTS = 100_000
MAX_DAYS_UNFILTERED = 7
MAX_DAYS_FILTERED = 31
DATE_MESSAGE = "Dates must be specified as ISO-8601 strings. For example: yyyy-MM-ddTHH:mm:ss.SSSZ"

_SEGMENT_KEYS = frozenset(
    {
        "queueId",
        "wrapUpCode",
        "wrapUpNote",
        "segmentType",
        "disconnectType",
        "errorCode",
        "conference",
        "segmentEnd",
        "segmentStart",
    }
)
_SESSION_KEYS = frozenset(
    {
        "mediaType",
        "direction",
        "ani",
        "dnis",
        "outboundCampaignId",
        "sessionId",
        "messageType",
        "addressFrom",
        "addressTo",
        "acwSkipped",
    }
)
_PARTICIPANT_KEYS = frozenset({"userId", "purpose", "participantName", "participantId"})
_CONVERSATION_KEYS = frozenset(
    {
        "conversationEnd",
        "conversationId",
        "originatingDirection",
        "conversationStart",
    }
)


class QueryError(Exception):
    """A rejected body: the HTTP status, Genesys `code`, message and offending field."""

    def __init__(
        self, message: str, *, code: str = "bad.request", field: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


@dataclass(frozen=True)
class QuerySpec:
    """A validated query or job body; times are epoch milliseconds."""

    start_ms: int
    end_ms: int
    order: str = "asc"
    order_by: str = "conversationStart"
    page_size: int = 25
    page_number: int = 1
    conversation_filters: list[dict[str, Any]] = field(default_factory=list)
    segment_filters: list[dict[str, Any]] = field(default_factory=list)
    limit: int | None = None
    start_of_day_matching: bool = False

    @property
    def filtered(self) -> bool:
        return bool(self.conversation_filters or self.segment_filters)


def _int_field(container: dict[str, Any], key: str, path: str) -> int | None:
    value = container.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise QueryError(f"{path} must be an integer, but got {value!r}.", field=path)
    return value


def _parse_interval(value: Any) -> tuple[int, int]:
    if value is None:
        raise QueryError(
            "interval is required, for example 2026-11-30T00:00:00.000Z/2026-12-01T00:00:00.000Z.",
            field="interval",
        )
    if not isinstance(value, str) or value.count("/") != 1:
        raise QueryError(
            "interval must have the form start/end (two ISO-8601 instants joined by '/', e.g. "
            f"2026-11-30T00:00:00.000Z/2026-12-01T00:00:00.000Z), but got {value!r}.",
            code="invalid.date",
            field="interval",
        )
    start_text, end_text = value.split("/")
    try:
        start, end = parse_instant(start_text), parse_instant(end_text)
    except ValueError:
        raise QueryError(DATE_MESSAGE, code="invalid.date", field="interval") from None
    start_ms, end_ms = to_ms(start), to_ms(end)
    if end_ms <= start_ms:
        raise QueryError(
            f"The interval end must be after its start, but got {value!r}.", field="interval"
        )
    return start_ms, end_ms


def _check_filters(body: dict[str, Any], key: str) -> list[dict[str, Any]]:
    filters = body.get(key) or []
    if not isinstance(filters, list):
        raise QueryError(f"{key} must be a list of filters.", field=key)
    for position, item in enumerate(filters):
        path = f"{key}[{position}]"
        if not isinstance(item, dict) or item.get("type") not in ("and", "or"):
            raise QueryError(f"{path}.type must be 'and' or 'or'.", field=f"{path}.type")
        for clause_position, clause in enumerate(item.get("clauses") or []):
            if not isinstance(clause, dict) or clause.get("type") not in ("and", "or"):
                raise QueryError(
                    f"{path}.clauses[{clause_position}].type must be 'and' or 'or'.",
                    field=f"{path}.clauses[{clause_position}].type",
                )
            if not isinstance(clause.get("predicates"), list):
                raise QueryError(
                    f"{path}.clauses[{clause_position}].predicates is required.",
                    field=f"{path}.clauses[{clause_position}].predicates",
                )
        if not isinstance(item.get("predicates") or [], list):
            raise QueryError(f"{path}.predicates must be a list.", field=f"{path}.predicates")
    return filters


def parse_body(body: Any, *, for_job: bool) -> QuerySpec:
    """Validate a details query (or, with `for_job`, a jobs body). Raises QueryError."""
    if not isinstance(body, dict):
        raise QueryError("The request body must be a JSON object.")
    allowed = JOB_FIELDS if for_job else QUERY_FIELDS
    for key in body:
        if key not in allowed:
            raise QueryError(f'Unrecognized field "{key}" in the request body.', field=key)
    start_ms, end_ms = _parse_interval(body.get("interval"))
    conversation_filters = _check_filters(body, "conversationFilters")
    segment_filters = _check_filters(body, "segmentFilters")
    filtered = bool(conversation_filters or segment_filters)
    max_days = MAX_DAYS_FILTERED if filtered else MAX_DAYS_UNFILTERED
    if not for_job and end_ms - start_ms > max_days * DAY_MS:
        condition = "with filters" if filtered else "without filters"
        raise QueryError(
            f"The interval may not exceed {max_days} days {condition}.", field="interval"
        )
    order = body.get("order", "asc")
    if order not in ORDERS:
        raise QueryError(
            f"order must be one of {', '.join(ORDERS)}, but got {order!r}.", field="order"
        )
    order_by = body.get("orderBy", "conversationStart")
    if order_by not in ORDER_BYS:
        raise QueryError(
            f"orderBy must be one of {', '.join(ORDER_BYS)}, but got {order_by!r}.",
            field="orderBy",
        )
    spec = QuerySpec(
        start_ms,
        end_ms,
        order,
        order_by,
        conversation_filters=conversation_filters,
        segment_filters=segment_filters,
    )
    if for_job:
        limit = _int_field(body, "limit", "limit")
        matching = body.get("startOfDayIntervalMatching", False)
        if not isinstance(matching, bool):
            raise QueryError(
                "startOfDayIntervalMatching must be true or false.",
                field="startOfDayIntervalMatching",
            )
        return replace(spec, limit=limit, start_of_day_matching=matching)
    paging = body.get("paging") or {}
    if not isinstance(paging, dict):
        raise QueryError("paging must be an object with pageSize and pageNumber.", field="paging")
    page_size = _int_field(paging, "pageSize", "paging.pageSize")
    page_number = _int_field(paging, "pageNumber", "paging.pageNumber")
    page_size = 25 if page_size is None else page_size
    page_number = 1 if page_number is None else page_number
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise QueryError(
            f"paging.pageSize must be between 1 and {MAX_PAGE_SIZE}, but got {page_size}.",
            field="paging.pageSize",
        )
    if page_number < 1:
        raise QueryError(
            f"paging.pageNumber must be 1 or more, but got {page_number}.",
            field="paging.pageNumber",
        )
    if page_size * page_number > MAX_RESULTS:
        raise QueryError("Pagination may not exceed 100000 results.", field="paging")
    return replace(spec, page_size=page_size, page_number=page_number)


# -- filters -------------------------------------------------------------------------------------


def _match_value(values: dict[str, Any], predicate: dict[str, Any]) -> bool | None:
    """Evaluate one dimension predicate; None when it names a dimension not emulated."""
    if predicate.get("type") in ("metric", "property") or "metric" in predicate:
        return None
    dimension = predicate.get("dimension")
    if dimension not in values:
        return None
    value = values[dimension]
    operator = predicate.get("operator", "matches")
    if operator == "exists":
        return value is not None
    if operator == "notExists":
        return value is None
    if value is None:
        return False
    if isinstance(value, list):
        return str(predicate.get("value")) in value
    if isinstance(value, bool):
        return str(predicate.get("value")).lower() == str(value).lower()
    return str(value) == str(predicate.get("value"))


def _combine(kind: str, results: list[bool | None]) -> bool:
    known = [result for result in results if result is not None]
    if not known:
        return True
    return all(known) if kind == "and" else any(known)


def _filter_holds(item: dict[str, Any], values: dict[str, Any]) -> bool:
    results: list[bool | None] = [
        _match_value(values, predicate) for predicate in item.get("predicates") or []
    ]
    for clause in item.get("clauses") or []:
        clause_results = [_match_value(values, predicate) for predicate in clause["predicates"]]
        known = [result for result in clause_results if result is not None]
        results.append(_combine(clause["type"], clause_results) if known else None)
    return _combine(item["type"], results)


def _conversation_values(conversation: dict[str, Any]) -> dict[str, Any]:
    values = {key: conversation.get(key) for key in _CONVERSATION_KEYS}
    values["divisionId"] = conversation.get("divisionIds", [])
    return values


def _segment_values(conversation: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for part in conversation["participants"]:
        part_values = {key: part.get(key) for key in _PARTICIPANT_KEYS}
        for sess in part["sessions"]:
            sess_values = {key: sess.get(key) for key in _SESSION_KEYS}
            for segment in sess["segments"]:
                row = {key: segment.get(key) for key in _SEGMENT_KEYS}
                row.update(sess_values)
                row.update(part_values)
                rows.append(row)
    return rows


def matcher(spec: QuerySpec) -> Callable[[VisibleConversation], bool]:
    """Build a predicate that applies the spec's conversation and segment filters.

    Every conversation filter must hold; a segment filter holds when one segment (with its
    session and participant dimensions) satisfies it. Dimensions that the sandbox does not
    emulate are ignored.
    """
    if not spec.filtered:
        return lambda _item: True

    def matches(item: VisibleConversation) -> bool:
        conversation = item.conversation
        if spec.conversation_filters:
            values = _conversation_values(conversation)
            if not all(_filter_holds(f, values) for f in spec.conversation_filters):
                return False
        if spec.segment_filters:
            rows = _segment_values(conversation)
            for item_filter in spec.segment_filters:
                if not any(_filter_holds(item_filter, row) for row in rows):
                    return False
        return True

    return matches


def sort_results(items: list[VisibleConversation], spec: QuerySpec) -> list[VisibleConversation]:
    """Order results as `order` and `orderBy` ask; ongoing conversations sort last by end."""
    descending = spec.order == "desc"
    if spec.order_by in ("conversationEnd", "segmentEnd"):
        ordered = sorted(items, key=lambda item: (item.end_ms is None, item.end_ms or 0))
        return ordered[::-1] if descending else ordered
    return sorted(items, key=lambda item: item.start_ms, reverse=descending)
