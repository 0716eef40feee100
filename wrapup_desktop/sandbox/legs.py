"""Building blocks of generated conversations: segments, sessions with metrics, participants.

A segment is first a `Span` of integer milliseconds. `session()` turns spans into the camelCase
JSON of the analytics API and derives the session metrics (`tAlert`, `tTalk`, `tHeld`, `tAcw`,
`tHandle`, `tAcd`, ...) from them, so that metrics agree with the segments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wrapup_desktop.sandbox.formats import iso_ms


@dataclass(frozen=True, slots=True)
class Span:
    """One segment before formatting; `extra` contains queueId, wrapUpCode, disconnectType, ..."""

    start_ms: int
    end_ms: int
    kind: str
    extra: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Wrap:
    """One wrap-up segment of an agent leg; `code` None writes a codeless wrap-up."""

    start_ms: int
    end_ms: int
    code: str | None = None
    note: str | None = None
    error_code: str | None = None


def _segment(span: Span) -> dict[str, Any]:
    segment: dict[str, Any] = {
        "segmentStart": iso_ms(span.start_ms),
        "segmentEnd": iso_ms(span.end_ms),
        "segmentType": span.kind,
    }
    if span.extra:
        segment.update(span.extra)
    return segment


def _metric(name: str, value: int, emit_ms: int) -> dict[str, Any]:
    return {"name": name, "value": value, "emitDate": iso_ms(emit_ms)}


def _agent_metrics(spans: list[Span]) -> list[dict[str, Any]]:
    metrics: list[dict[str, Any]] = []
    alerts = [span for span in spans if span.kind == "alert"]
    talks = [span for span in spans if span.kind == "interact"]
    holds = [span for span in spans if span.kind == "hold"]
    wraps = [span for span in spans if span.kind == "wrapup"]
    if alerts:
        alert_ms = sum(span.end_ms - span.start_ms for span in alerts)
        end = alerts[-1].end_ms
        if talks:
            metrics.append(_metric("tAlert", alert_ms, end))
            metrics.append(_metric("tAnswered", alert_ms, end))
        else:
            metrics.append(_metric("tNotResponding", alert_ms, end))
    talk_ms = sum(span.end_ms - span.start_ms for span in talks)
    held_ms = sum(span.end_ms - span.start_ms for span in holds)
    acw_ms = sum(span.end_ms - span.start_ms for span in wraps)
    if talks:
        metrics.append(_metric("nConnected", 1, talks[0].start_ms))
        metrics.append(_metric("tTalk", talk_ms, talks[-1].end_ms))
        metrics.append(_metric("tTalkComplete", talk_ms, talks[-1].end_ms))
    if holds:
        metrics.append(_metric("tHeld", held_ms, holds[-1].end_ms))
        metrics.append(_metric("tHeldComplete", held_ms, holds[-1].end_ms))
    if wraps:
        metrics.append(_metric("tAcw", acw_ms, wraps[-1].end_ms))
    if talks:
        last = max(span.end_ms for span in spans)
        metrics.append(_metric("tHandle", talk_ms + held_ms + acw_ms, last))
    return metrics


def _metrics(purpose: str, spans: list[Span]) -> list[dict[str, Any]]:
    if not spans:
        return []
    first, last = spans[0], spans[-1]
    if purpose in ("agent", "user"):
        return _agent_metrics(spans)
    if purpose == "acd":
        waited = last.end_ms - first.start_ms
        metrics = [_metric("nOffered", 1, first.start_ms)]
        abandoned = (last.extra or {}).get("disconnectType") == "peer"
        metrics.append(_metric("tAbandon" if abandoned else "tAcd", waited, last.end_ms))
        return metrics
    if purpose == "ivr":
        return [_metric("tIvr", last.end_ms - first.start_ms, last.end_ms)]
    if purpose in ("customer", "external"):
        return [_metric("nConnected", 1, first.start_ms)]
    return []


def session(
    session_id: str,
    purpose: str,
    media_type: str,
    direction: str,
    spans: list[Span],
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Build one session: its segments in order and the metrics they imply."""
    built: dict[str, Any] = {
        "sessionId": session_id,
        "mediaType": media_type,
        "direction": direction,
    }
    if extra:
        built.update(extra)
    built["segments"] = [_segment(span) for span in spans]
    metrics = _metrics(purpose, spans)
    if metrics:
        built["metrics"] = metrics
    return built


def participant(
    participant_id: str,
    purpose: str,
    sessions: list[dict[str, Any]],
    *,
    name: str | None = None,
    user_id: str | None = None,
) -> dict[str, Any]:
    """Build one participant of a conversation."""
    built: dict[str, Any] = {"participantId": participant_id}
    if name is not None:
        built["participantName"] = name
    if user_id is not None:
        built["userId"] = user_id
    built["purpose"] = purpose
    built["sessions"] = sessions
    return built


def agent_spans(
    queue_id: str | None,
    alert_start_ms: int,
    answer_ms: int | None,
    hangup_ms: int,
    wraps: list[Wrap],
    *,
    disconnect_type: str = "client",
    hold_ms: int = 0,
    conference: bool | None = None,
) -> list[Span]:
    """Build the segments of one agent session: alert, interact (maybe with a hold), wrap-ups.

    `answer_ms` None makes an agent who was alerted and never connected: the alert runs to
    `hangup_ms`. A hold of `hold_ms` sits in the middle of the interact segment.
    """
    base: dict[str, Any] = {"queueId": queue_id} if queue_id else {}
    if conference is not None:
        base = {**base, "conference": conference}
    spans: list[Span] = []
    if answer_ms is None:
        spans.append(
            Span(
                alert_start_ms, hangup_ms, "alert", {**base, "disconnectType": "noAnswerTransfer"}
            )
        )
    else:
        spans.append(Span(alert_start_ms, answer_ms, "alert", base or None))
        if hold_ms > 0 and hangup_ms - answer_ms > hold_ms + 20_000:
            hold_start = answer_ms + (hangup_ms - answer_ms - hold_ms) // 2
            spans.append(Span(answer_ms, hold_start, "interact", base or None))
            spans.append(Span(hold_start, hold_start + hold_ms, "hold", base or None))
            spans.append(
                Span(
                    hold_start + hold_ms,
                    hangup_ms,
                    "interact",
                    {**base, "disconnectType": disconnect_type},
                )
            )
        else:
            spans.append(
                Span(answer_ms, hangup_ms, "interact", {**base, "disconnectType": disconnect_type})
            )
    for wrap in wraps:
        extra: dict[str, Any] = dict(base)
        if wrap.code is not None:
            extra["wrapUpCode"] = wrap.code
        if wrap.note is not None:
            extra["wrapUpNote"] = wrap.note
        if wrap.error_code is not None:
            extra["errorCode"] = wrap.error_code
        spans.append(Span(wrap.start_ms, wrap.end_ms, "wrapup", extra or None))
    return spans
