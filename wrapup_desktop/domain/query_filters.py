"""Checks of the filter lists of a details query: shape, operators and dimension names.

Segment filters select on what happened to a participant (`queueId`, `userId`, `wrapUpCode`,
`mediaType`, ...). Conversation filters select on the conversation as a whole (`divisionId`,
`conversationEnd`, ...). A predicate filed under the wrong list is moved to the right one when it
sits directly in an `and` filter, where moving keeps the meaning.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from wrapup_desktop.domain.query_fields import (
    CONVERSATION_DIMENSIONS,
    CONVERSATION_METRICS,
    SEGMENT_DIMENSIONS,
    SEGMENT_METRICS,
)

Level = Literal["segment", "conversation"]

FILTER_TYPES = ("and", "or")
PREDICATE_TYPES = ("dimension", "property", "metric")
OPERATORS = ("matches", "exists", "notExists")
_LIST_NAME = {"segment": "segmentFilters", "conversation": "conversationFilters"}


@dataclass
class FilterIssue:
    """One problem in a filter list, with where it is and what to write instead."""

    path: str
    message: str
    replacement: str


def _dimensions(level: Level) -> frozenset[str]:
    return SEGMENT_DIMENSIONS if level == "segment" else CONVERSATION_DIMENSIONS


def _metrics(level: Level) -> frozenset[str]:
    return SEGMENT_METRICS if level == "segment" else CONVERSATION_METRICS


def _case_match(name: str, known: frozenset[str]) -> str | None:
    lowered = name.lower()
    for candidate in known:
        if candidate.lower() == lowered:
            return candidate
    return None


def _choice(value: Any, allowed: tuple[str, ...]) -> str | None:
    if not isinstance(value, str):
        return None
    for candidate in allowed:
        if candidate.lower() == value.lower():
            return candidate
    return None


class FilterChecker:
    """Check and correct the filters of one level; collects issues and moved predicates."""

    def __init__(self, level: Level) -> None:
        self.level = level
        self.other: Level = "conversation" if level == "segment" else "segment"
        self.issues: list[FilterIssue] = []
        self.moved: list[dict[str, Any]] = []
        """Predicates that belong to the other level's list, already corrected."""

    def _issue(self, path: str, message: str, replacement: str) -> None:
        issue = FilterIssue(path, message, replacement)
        # A `values` list checks one predicate per value, so the same problem can come twice.
        if issue not in self.issues:
            self.issues.append(issue)

    def check_list(self, value: Any, path: str) -> list[dict[str, Any]]:
        """Return the corrected filter list; problems are added to `issues`."""
        if isinstance(value, dict):
            self._issue(path, "must be a list of filters, not one object", "[ {...} ]")
            value = [value]
        if not isinstance(value, list):
            self._issue(path, "must be a list of filters", "remove it or write [ {...} ]")
            return []
        corrected: list[dict[str, Any]] = []
        for index, item in enumerate(value):
            fixed = self._filter(item, f"{path}[{index}]")
            if fixed is not None:
                corrected.append(fixed)
        return corrected

    def _type(self, item: dict[str, Any], path: str, what: str) -> str:
        kind = _choice(item.get("type"), FILTER_TYPES)
        if kind is None:
            self._issue(
                f"{path}.type",
                f'a {what} needs `type` "and" or "or", but got {item.get("type")!r}',
                '"and"',
            )
            return "and"
        if kind != item.get("type"):
            self._issue(f"{path}.type", f"must be written {kind!r}", repr(kind))
        return kind

    def _filter(self, item: Any, path: str) -> dict[str, Any] | None:
        if not isinstance(item, dict):
            self._issue(path, "a filter must be an object", "remove it")
            return None
        kind = self._type(item, path, "filter")
        moved_before = len(self.moved)
        fixed: dict[str, Any] = {"type": kind}
        clauses: list[dict[str, Any]] = []
        raw_clauses = item.get("clauses", [])
        if not isinstance(raw_clauses, list):
            self._issue(f"{path}.clauses", "must be a list of clauses", "[ {...} ]")
            raw_clauses = []
        for index, clause in enumerate(raw_clauses):
            fixed_clause = self._clause(clause, f"{path}.clauses[{index}]")
            if fixed_clause is not None:
                clauses.append(fixed_clause)
        predicates: list[dict[str, Any]] = []
        raw_predicates = item.get("predicates", [])
        if not isinstance(raw_predicates, list):
            self._issue(f"{path}.predicates", "must be a list of predicates", "[ {...} ]")
            raw_predicates = []
        for index, predicate in enumerate(raw_predicates):
            predicate_path = f"{path}.predicates[{index}]"
            if isinstance(predicate, dict) and isinstance(predicate.get("values"), list):
                clauses.append(self._values_clause(predicate, predicate_path))
                continue
            fixed_predicate, belongs_elsewhere = self._predicate(predicate, predicate_path)
            if fixed_predicate is None:
                continue
            if belongs_elsewhere and kind == "and":
                self.moved.append(fixed_predicate)
            else:
                predicates.append(fixed_predicate)
        for key in item:
            if key not in ("type", "clauses", "predicates"):
                self._issue(f"{path}.{key}", "is not a field of a filter", "remove it")
        if clauses:
            fixed["clauses"] = clauses
        if predicates:
            fixed["predicates"] = predicates
        if not clauses and not predicates:
            if len(self.moved) == moved_before:
                self._issue(path, "has no predicates, so it selects nothing", "remove it")
            return None
        return fixed

    def _values_clause(self, predicate: dict[str, Any], path: str) -> dict[str, Any]:
        self._issue(
            f"{path}.values",
            "a predicate takes one `value`; several values need an `or` clause",
            '{"type": "or", "predicates": [{"dimension": ..., "value": ...}, ...]}',
        )
        template = {key: value for key, value in predicate.items() if key != "values"}
        predicates = []
        for value in predicate["values"]:
            fixed, _ = self._predicate({**template, "value": value}, path)
            if fixed is not None:
                predicates.append(fixed)
        return {"type": "or", "predicates": predicates}

    def _clause(self, clause: Any, path: str) -> dict[str, Any] | None:
        if not isinstance(clause, dict):
            self._issue(path, "a clause must be an object", "remove it")
            return None
        kind = self._type(clause, path, "clause")
        raw_predicates = clause.get("predicates")
        if not isinstance(raw_predicates, list) or not raw_predicates:
            self._issue(f"{path}.predicates", "a clause needs a list of predicates", "[ {...} ]")
            return None
        predicates = []
        for index, predicate in enumerate(raw_predicates):
            fixed, belongs_elsewhere = self._predicate(predicate, f"{path}.predicates[{index}]")
            if fixed is not None and not belongs_elsewhere:
                predicates.append(fixed)
        return {"type": kind, "predicates": predicates} if predicates else None

    def _predicate(self, predicate: Any, path: str) -> tuple[dict[str, Any] | None, bool]:
        """Return the corrected predicate and whether it belongs to the other level's list."""
        if not isinstance(predicate, dict):
            self._issue(path, "a predicate must be an object", "remove it")
            return None, False
        fixed = dict(predicate)
        if "type" in fixed:
            kind = _choice(fixed["type"], PREDICATE_TYPES)
            if kind is None:
                self._issue(
                    f"{path}.type",
                    f"must be dimension, property or metric, but got {fixed['type']!r}",
                    "remove it (Genesys infers the type)",
                )
                del fixed["type"]
            else:
                fixed["type"] = kind
        if "operator" in fixed:
            operator = _choice(fixed["operator"], OPERATORS)
            if operator is None:
                self._issue(
                    f"{path}.operator",
                    f"must be matches, exists or notExists, but got {fixed['operator']!r}",
                    '"matches"',
                )
                operator = "matches"
            fixed["operator"] = operator
        belongs_elsewhere = False
        if "dimension" in fixed:
            belongs_elsewhere = self._dimension(fixed, path)
        elif "metric" in fixed:
            self._metric(fixed, path)
        elif "property" in fixed:
            if self.level == "conversation":
                self._issue(
                    f"{path}.property",
                    "property predicates exist only in segmentFilters",
                    "move it to segmentFilters",
                )
                return None, False
        else:
            self._issue(path, "a predicate needs a `dimension`, `metric` or `property`", "")
            return None, False
        self._value(fixed, path)
        return fixed, belongs_elsewhere

    def _dimension(self, fixed: dict[str, Any], path: str) -> bool:
        name = fixed["dimension"]
        if not isinstance(name, str):
            self._issue(f"{path}.dimension", "must be text", '"queueId"')
            return False
        if name in _dimensions(self.level):
            return False
        if name in _dimensions(self.other):
            self._issue(
                f"{path}.dimension",
                f"{name} is a {self.other}-level dimension, so it does not work in "
                f"{_LIST_NAME[self.level]}",
                f"move it to {_LIST_NAME[self.other]}",
            )
            return True
        for level in (self.level, self.other):
            match = _case_match(name, _dimensions(level))
            if match is not None:
                self._issue(f"{path}.dimension", f"is spelled {match!r}", repr(match))
                fixed["dimension"] = match
                return level != self.level
        self._issue(
            f"{path}.dimension",
            f"{name!r} is not a {self.level} dimension (or is newer than this check)",
            "one of " + ", ".join(sorted(_dimensions(self.level))[:12]) + ", ...",
        )
        return False

    def _metric(self, fixed: dict[str, Any], path: str) -> None:
        name = fixed["metric"]
        if isinstance(name, str) and name in _metrics(self.level):
            return
        match = _case_match(name, _metrics(self.level)) if isinstance(name, str) else None
        if match is not None:
            self._issue(f"{path}.metric", f"is spelled {match!r}", repr(match))
            fixed["metric"] = match
            return
        self._issue(
            f"{path}.metric",
            f"{name!r} is not a {self.level} metric (or is newer than this check)",
            "tSegmentDuration" if self.level == "segment" else "tAcw, tHandle, tTalk, ...",
        )

    def _value(self, fixed: dict[str, Any], path: str) -> None:
        operator = fixed.get("operator", "matches")
        has_value = fixed.get("value") is not None or fixed.get("range") is not None
        if operator == "matches" and not has_value:
            self._issue(path, "`matches` needs a `value` or a `range`", '"operator": "exists"')
            fixed["operator"] = "exists"
        elif operator in ("exists", "notExists") and "value" in fixed:
            self._issue(f"{path}.value", f"is ignored with `{operator}`", "remove it")
            del fixed["value"]
        value = fixed.get("value")
        if value is not None and not isinstance(value, str):
            self._issue(f"{path}.value", "must be text", repr(str(value)))
            fixed["value"] = str(value).lower() if isinstance(value, bool) else str(value)
        if "range" in fixed and not isinstance(fixed["range"], dict):
            self._issue(f"{path}.range", "must be an object with gt, gte, lt or lte", "")
            del fixed["range"]
