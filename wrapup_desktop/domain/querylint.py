"""Check a details-query body before it is sent, and build a corrected one.

People paste bodies written for other APIs, from SQL habits or from an AI assistant: `groupBy`,
`select`, `dateFrom`, `size`, `filter`, `nextPageToken`. The details query
(`POST /api/v2/analytics/conversations/details/query`) has none of these. `lint_query` names each
such field with its real equivalent and checks the documented limits: an interval of at most 7
days without filters and 31 with, pageSize at most 100, pageNumber × pageSize at most 100,000,
the order values and the filter shapes. It also returns a corrected body that passes its own
checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from wrapup_desktop.domain.query_fields import SEGMENT_DIMENSIONS
from wrapup_desktop.domain.query_filters import FilterChecker, Level

QUERY_FIELDS = (
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
)
ORDERS = ("asc", "desc", "unordered")
ORDER_BY = ("conversationStart", "conversationEnd", "segmentStart", "segmentEnd")
MAX_PAGE_SIZE = 100
MAX_RESULTS = 100_000
MAX_DAYS_WITHOUT_FILTERS = 7
MAX_DAYS_WITH_FILTERS = 31
EXAMPLE_INTERVAL = "2026-03-02T00:00:00.000Z/2026-03-03T00:00:00.000Z"

_START_NAMES = ("dateFrom", "startDate", "from", "start", "startTime", "since", "begin")
_END_NAMES = ("dateTo", "endDate", "to", "end", "endTime", "until")
_PAGE_SIZE_NAMES = ("size", "pageSize", "limit", "top", "count", "maxResults", "per_page")
_PAGE_NUMBER_NAMES = ("page", "pageNumber", "offset")
_FILTER_NAMES = ("filter", "filters", "where", "query", "predicates")
_TOKEN_NAMES = ("nextPageToken", "pageToken", "cursor", "nextPage", "continuationToken")
_SORT_NAMES = ("sort", "sortBy", "orderby", "sortOrder", "sortField")
_DROPPED = {
    "select": "the details query always returns whole conversations and has no field selection",
    "fields": "the details query always returns whole conversations and has no field selection",
    "columns": "the details query always returns whole conversations and has no field selection",
    "partitions": "the details query has no partitions; split the interval into several queries",
    "startOfDayIntervalMatching": "this flag exists only on async jobs, not on the query",
    "groupBy": "the details query does not group rows; it counts them with aggregations",
}


@dataclass
class LintIssue:
    """One problem of a query body: where, what is wrong, and what to write instead."""

    path: str
    message: str
    replacement: str


@dataclass
class LintResult:
    """The problems found and a corrected body that has none of them."""

    issues: list[LintIssue] = field(default_factory=list)
    corrected: dict[str, Any] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.issues


def _day_start(text: str) -> str:
    """Turn a bare date into midnight UTC; leave full times as they are."""
    if len(text) == 10 and text[4:5] == "-" and text[7:8] == "-":
        return f"{text}T00:00:00.000Z"
    return text


def _parse_time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        return None


class _Linter:
    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body
        self.issues: list[LintIssue] = []
        self.fixed: dict[str, Any] = {}
        self.start_text: str | None = None
        self.end_text: str | None = None

    def issue(self, path: str, message: str, replacement: str) -> None:
        self.issues.append(LintIssue(path, message, replacement))

    def run(self) -> dict[str, Any]:
        for key, value in self.body.items():
            self._field(key, value)
        self._interval()
        self._paging()
        return self.fixed

    def _field(self, key: str, value: Any) -> None:
        if key in QUERY_FIELDS:
            self._known(key, value)
            return
        for known in QUERY_FIELDS:
            if known.lower() == key.lower():
                self.issue(key, f"is spelled {known!r}", known)
                self._known(known, value)
                return
        if key in _START_NAMES or key in _END_NAMES:
            self.issue(
                key,
                "the details query has no separate start or end field",
                f'"interval": "START/END" in ISO-8601, for example "{EXAMPLE_INTERVAL}"',
            )
            if isinstance(value, str):
                if key in _START_NAMES:
                    self.start_text = _day_start(value)
                else:
                    self.end_text = _day_start(value)
        elif key in _PAGE_SIZE_NAMES or key in _PAGE_NUMBER_NAMES:
            target = "pageSize" if key in _PAGE_SIZE_NAMES else "pageNumber"
            why = "`limit` exists only on async jobs; " if key == "limit" else ""
            self.issue(
                key, f"{why}the query pages with `paging`", f'"paging": {{"{target}": ...}}'
            )
            if isinstance(value, int) and not isinstance(value, bool):
                self.fixed.setdefault("paging", {})[target] = value
        elif key in _FILTER_NAMES:
            self.issue(
                key,
                "the details query has no such field",
                "`segmentFilters` for participant dimensions (queueId, userId, wrapUpCode, "
                "mediaType) or `conversationFilters` for conversation ones (divisionId, "
                "conversationEnd)",
            )
            if isinstance(value, dict) and ("predicates" in value or "clauses" in value):
                self._known("segmentFilters", [value])
            elif isinstance(value, list) and all(isinstance(item, dict) for item in value):
                self._known("segmentFilters", value)
        elif key in _TOKEN_NAMES:
            self.issue(
                key,
                "the details query pages by number, not by token (cursors belong to async jobs)",
                '"paging": {"pageSize": 100, "pageNumber": 2}',
            )
        elif key in _SORT_NAMES:
            self._sort(key, value)
        elif key in _DROPPED:
            self.issue(key, _DROPPED[key], self._dropped_replacement(key, value))
        else:
            self.issue(key, "is not a field of the details query", "remove it")

    def _dropped_replacement(self, key: str, value: Any) -> str:
        if key != "groupBy":
            return "remove it"
        names: list[Any] = []
        if isinstance(value, str):
            names = [value]
        elif isinstance(value, list):
            names = value
        aggregations = self.fixed.setdefault("aggregations", [])
        for name in names:
            if isinstance(name, str) and name in SEGMENT_DIMENSIONS:
                aggregations.append({"type": "termFrequency", "dimension": name, "size": 100})
        if not aggregations:
            del self.fixed["aggregations"]
        return '"aggregations": [{"type": "termFrequency", "dimension": "wrapUpCode"}]'

    def _sort(self, key: str, value: Any) -> None:
        self.issue(key, "the details query sorts with `orderBy` and `order`", '"orderBy", "order"')
        if isinstance(value, str):
            for name in ORDER_BY:
                if name.lower() == value.lower():
                    self.fixed["orderBy"] = name
            for order in ORDERS:
                if value.lower() in (order, order + "ending"):
                    self.fixed["order"] = order

    def _known(self, key: str, value: Any) -> None:
        if key == "interval":
            if isinstance(value, str):
                self.fixed["interval"] = value
            else:
                self.issue(key, "must be text such as START/END", f'"{EXAMPLE_INTERVAL}"')
        elif key == "order":
            self._choice(key, value, ORDERS)
        elif key == "orderBy":
            self._choice(key, value, ORDER_BY)
        elif key == "paging":
            if isinstance(value, dict):
                self._paging_fields(value)
            else:
                self.issue(key, "must be an object", '{"pageSize": 100, "pageNumber": 1}')
        elif key in ("segmentFilters", "conversationFilters"):
            self._filters(key, value)
        elif isinstance(value, list):
            self.fixed[key] = value
        else:
            self.issue(key, "must be a list", "[ ... ]")

    def _choice(self, key: str, value: Any, allowed: tuple[str, ...]) -> None:
        for candidate in allowed:
            if isinstance(value, str) and candidate.lower() == value.lower():
                if candidate != value:
                    self.issue(key, f"is spelled {candidate!r}", candidate)
                self.fixed[key] = candidate
                return
        closest = allowed[0]
        for candidate in allowed:
            # "ascending" and "descending" are common; the API wants "asc" and "desc".
            if isinstance(value, str) and value.lower().startswith(candidate.lower()):
                closest = candidate
        self.issue(key, f"must be one of {', '.join(allowed)}, but got {value!r}", closest)
        self.fixed[key] = closest

    def _paging_fields(self, value: dict[str, Any]) -> None:
        paging = self.fixed.setdefault("paging", {})
        for key, item in value.items():
            if key in ("pageSize", "pageNumber"):
                paging[key] = item
            else:
                self.issue(f"paging.{key}", "is not a field of paging", "pageSize, pageNumber")

    def _filters(self, key: str, value: Any) -> None:
        level: Level = "segment" if key == "segmentFilters" else "conversation"
        checker = FilterChecker(level)
        corrected = checker.check_list(value, key)
        for problem in checker.issues:
            self.issue(problem.path, problem.message, problem.replacement)
        if corrected:
            self.fixed.setdefault(key, []).extend(corrected)
        if checker.moved:
            other = "conversationFilters" if level == "segment" else "segmentFilters"
            self.fixed.setdefault(other, []).append({"type": "and", "predicates": checker.moved})

    def _has_filters(self) -> bool:
        return any(
            self.fixed.get(name)
            for name in (
                "conversationFilters",
                "segmentFilters",
                "evaluationFilters",
                "surveyFilters",
                "resolutionFilters",
            )
        )

    def _interval(self) -> None:
        text = self.fixed.get("interval")
        if text is None:
            if self.start_text and self.end_text:
                text = f"{self.start_text}/{self.end_text}"
            else:
                self.issue("interval", "is required", f'"{EXAMPLE_INTERVAL}"')
                self.fixed["interval"] = EXAMPLE_INTERVAL
                return
        if "/" not in text and "\\" in text:
            self.issue("interval", "separates start and end with a backslash", "START/END")
            text = text.replace("\\", "/")
        parts = text.split("/")
        if len(parts) != 2:
            self.issue("interval", f"must be START/END, but got {text!r}", f'"{EXAMPLE_INTERVAL}"')
            self.fixed["interval"] = EXAMPLE_INTERVAL
            return
        times: list[datetime] = []
        for index, part in enumerate(parts):
            moment = _parse_time(part)
            name = "start" if index == 0 else "end"
            if moment is None:
                self.issue(
                    "interval", f"the {name} {part!r} is not an ISO-8601 time", EXAMPLE_INTERVAL
                )
                self.fixed["interval"] = EXAMPLE_INTERVAL
                return
            if moment.tzinfo is None:
                self.issue(
                    "interval",
                    f"the {name} {part!r} has no time zone",
                    "add Z for UTC or an offset such as +01:00 (the corrected body uses Z)",
                )
                part = part.strip() + "Z"
                moment = datetime.fromisoformat(part)
            parts[index] = part.strip()
            times.append(moment)
        start, end = times
        if end <= start:
            self.issue("interval", "the end must be after the start", "swap start and end")
            start, end = end, start
            parts.reverse()
        limit = MAX_DAYS_WITH_FILTERS if self._has_filters() else MAX_DAYS_WITHOUT_FILTERS
        if end - start > timedelta(days=limit):
            condition = "with filters" if limit == MAX_DAYS_WITH_FILTERS else "without filters"
            self.issue(
                "interval",
                f"spans {(end - start) / timedelta(days=1):g} days, but at most {limit} are "
                f"allowed {condition}",
                f"split the range into intervals of up to {limit} days (the corrected body "
                f"keeps the first {limit})",
            )
            parts[1] = (start + timedelta(days=limit)).isoformat().replace("+00:00", "Z")
        self.fixed["interval"] = "/".join(parts)

    def _paging(self) -> None:
        paging = self.fixed.setdefault("paging", {})
        size = paging.get("pageSize", 25)
        if not isinstance(size, int) or isinstance(size, bool) or size < 1:
            self.issue(
                "paging.pageSize", f"must be a whole number from 1 to 100, got {size!r}", "100"
            )
            size = MAX_PAGE_SIZE
        elif size > MAX_PAGE_SIZE:
            self.issue("paging.pageSize", f"is at most {MAX_PAGE_SIZE}, but got {size}", "100")
            size = MAX_PAGE_SIZE
        number = paging.get("pageNumber", 1)
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            self.issue("paging.pageNumber", f"starts at 1, but got {number!r}", "1")
            number = 1
        if size * number > MAX_RESULTS:
            self.issue(
                "paging",
                f"pageNumber × pageSize is {size * number}, but paging may not go past "
                f"{MAX_RESULTS} results",
                "split the interval into shorter ones and start each at page 1",
            )
            number = MAX_RESULTS // size
        self.fixed["paging"] = {"pageSize": size, "pageNumber": number}


def lint_query(body: Any) -> LintResult:
    """Check a details-query body and return its problems with a corrected body."""
    if not isinstance(body, dict):
        result = LintResult()
        result.issues.append(
            LintIssue("$", "the query body must be a JSON object", '{"interval": ...}')
        )
        result.corrected = {
            "interval": EXAMPLE_INTERVAL,
            "paging": {"pageSize": MAX_PAGE_SIZE, "pageNumber": 1},
        }
        return result
    linter = _Linter(body)
    corrected = linter.run()
    return LintResult(issues=linter.issues, corrected=corrected)
