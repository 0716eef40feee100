"""Findings about a run that explain its gaps: what was seen, how often, and what to do.

`diagnose` reads the classified rows, the directory and how the run went, and returns findings
sorted by severity. The UI shows them in a panel and the command line prints them after an
export. Each finding gives counts and a few example conversation ids, so an admin can open one
in Genesys Cloud and check.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from wrapup_desktop.domain import reasons
from wrapup_desktop.domain.directory import Directory, LookupState
from wrapup_desktop.domain.rows import LegRow, WrapupStatus

Severity = Literal["error", "warning", "info"]

MAX_EXAMPLES = 5
TIMEOUT_SHARE = 0.5
"""A queue with more than this share of timed-out legs gets a finding."""
MIN_QUEUE_LEGS = 5
"""Queues with fewer finished legs are too small to judge their time-out share."""

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
_NOT_AGENT_LEG = frozenset({WrapupStatus.NO_AGENT, WrapupStatus.MALFORMED})


@dataclass
class Finding:
    """One thing worth knowing about a run."""

    severity: Severity
    title: str
    evidence: str
    """The counts in the data that show it."""
    action: str
    """The step an admin can take about it."""
    examples: list[str] = field(default_factory=list)
    """Up to five conversation ids that show it."""


@dataclass
class RunInfo:
    """The facts of a run: its range as shown, and the parts missing or still changing."""

    range_text: str
    tz_name: str
    missing_text: str = ""
    """The days or slices that could not be fetched, as a sentence; empty when complete."""
    still_changing: bool = False
    """The range reaches the current time, so new conversations can still arrive."""
    source: str = "query"
    """The source of the data: "query", "jobs" or "file"."""


def _codes_without_name(codes: int, legs: int) -> str:
    """Return e.g. "1 code on 8 agent legs has no name"."""
    if codes == 1:
        return f"1 code on {_legs(legs)} has no name"
    return f"{codes:,} codes on {_legs(legs)} have no name"


def _examples(rows: Sequence[LegRow]) -> list[str]:
    seen: list[str] = []
    for row in rows:
        if row.conversation_id and row.conversation_id not in seen:
            seen.append(row.conversation_id)
            if len(seen) == MAX_EXAMPLES:
                break
    return seen


def _legs(count: int) -> str:
    return f"{count} agent leg" + ("" if count == 1 else "s")


def diagnose(rows: Sequence[LegRow], directory: Directory, run: RunInfo) -> list[Finding]:
    """Return the findings of one run, errors first."""
    findings: list[Finding] = []
    if run.missing_text:
        findings.append(_partial(run))
    if not rows:
        findings.append(_empty(run))
    else:
        findings.extend(_code_findings(rows, directory))
        findings.extend(_queue_findings(rows, directory))
        findings.extend(_state_findings(rows))
    if run.still_changing:
        findings.append(
            Finding(
                "info",
                "The range is still changing",
                f"The range {run.range_text} reaches the current time, so conversations are "
                f"still arriving and open ones can still change.",
                "Export the same range again once it lies fully in the past for final figures.",
            )
        )
    findings.sort(key=lambda finding: _SEVERITY_ORDER[finding.severity])
    return findings


def _partial(run: RunInfo) -> Finding:
    return Finding(
        "error",
        "The export is incomplete",
        f"Part of {run.range_text} could not be fetched: {run.missing_text}",
        "Run the same export again, or press Resume, to fetch only the missing part; the rows "
        "already fetched are kept.",
    )


def _empty(run: RunInfo) -> Finding:
    causes = [
        f"check that the range {run.range_text} is read in the intended time zone "
        f"({run.tz_name}) and covers days with traffic",
        "check that the OAuth client's role has the divisions of the queues you expect, "
        "because conversations in other divisions are silently left out",
    ]
    if run.source == "jobs":
        causes.append(
            "jobs only see data up to the analytics data availability date, so a recent range "
            "is empty until the data arrives; use the details query for the last days"
        )
    elif run.source == "file":
        causes.append("check that the saved file holds conversations and not another response")
    else:
        causes.append(
            "a range of the last minutes may not be indexed yet, so try again a few minutes later"
        )
    return Finding(
        "error",
        "The range returned no conversations",
        f"No conversation started in {run.range_text} ({run.tz_name}).",
        "In this order: " + "; ".join(causes) + ".",
    )


def _code_findings(rows: Sequence[LegRow], directory: Directory) -> list[Finding]:
    findings: list[Finding] = []
    agent_legs = [row for row in rows if row.wrapup_status not in _NOT_AGENT_LEG]
    coded = [row for row in agent_legs if row.wrapup_code_id]
    if agent_legs:
        findings.append(
            Finding(
                "info",
                "How many legs carry a code",
                f"{len(coded)} of {_legs(len(agent_legs))} carry a wrap-up code.",
                "See the other findings for why the rest have none.",
            )
        )
    if agent_legs and not coded:
        findings.append(
            Finding(
                "warning",
                "No agent leg carries a code",
                f"None of the {_legs(len(agent_legs))} has a wrap-up code.",
                "Check the queues' after-call work settings (an Optional prompt lets agents skip "
                "the code), and check that the data comes from the conversation details query or "
                "a jobs export, because other reports and trimmed files carry no codes.",
                _examples(agent_legs),
            )
        )
    unresolved = [
        row
        for row in agent_legs
        if row.wrapup_status is WrapupStatus.ASSIGNED and not row.wrapup_code_name
    ]
    if unresolved:
        codes = Counter(row.wrapup_code_id for row in unresolved)
        state = directory.wrapup_codes_state
        if state is LookupState.FORBIDDEN:
            action = (
                "Grant the OAuth client's role the permission routing:wrapupCode:view, then "
                "export again to see the names."
            )
        elif state is LookupState.NOT_LOOKED_UP:
            action = "Load a list of wrap-up codes, or sign in, so names can be looked up."
        else:
            action = (
                "These codes were deleted or lie in divisions the OAuth client cannot see; add "
                "those divisions to its role, or look the ids up in the admin pages."
            )
        findings.append(
            Finding(
                "warning",
                "Some code names could not be found",
                f"{_codes_without_name(len(codes), len(unresolved))}: "
                + ", ".join(f"{code} ({count})" for code, count in codes.most_common(5))
                + ".",
                action,
                _examples(unresolved),
            )
        )
    transfers = [
        row
        for row in agent_legs
        if row.ended_in_transfer
        and row.wrapup_status in (WrapupStatus.MISSING, WrapupStatus.NOT_REQUIRED)
    ]
    if transfers:
        missing = sum(row.wrapup_status is WrapupStatus.MISSING for row in transfers)
        findings.append(
            Finding(
                "info",
                "Transfer legs without a code",
                f"{_legs(len(transfers))} without a code ended in a transfer; {missing} of them "
                f"count as missing.",
                "Agents who transfer a call still get after-call work; if these gaps are "
                "expected, coach agents to code before transferring or make the prompt optional.",
                _examples(transfers),
            )
        )
    return findings


def _queue_findings(rows: Sequence[LegRow], directory: Directory) -> list[Finding]:
    findings: list[Finding] = []
    finished: dict[str, list[LegRow]] = defaultdict(list)
    unknown_setting: list[LegRow] = []
    unknown_prompt: dict[str, list[LegRow]] = defaultdict(list)
    for row in rows:
        if not row.queue_id or row.wrapup_status in _NOT_AGENT_LEG:
            continue
        if row.wrapup_status in (
            WrapupStatus.ASSIGNED,
            WrapupStatus.TIMEOUT,
            WrapupStatus.SKIPPED,
            WrapupStatus.MISSING,
        ):
            finished[row.queue_id].append(row)
        if row.wrapup_status is WrapupStatus.MISSING and row.code_required is None:
            info = directory.queues.get(row.queue_id)
            prompt = info.wrapup_prompt if info is not None else None
            if prompt:
                unknown_prompt[prompt].append(row)
            else:
                unknown_setting.append(row)
    for queue_id, queue_rows in finished.items():
        timeouts = [row for row in queue_rows if row.wrapup_status is WrapupStatus.TIMEOUT]
        if len(queue_rows) < MIN_QUEUE_LEGS or len(timeouts) <= TIMEOUT_SHARE * len(queue_rows):
            continue
        info = directory.queues.get(queue_id)
        name = queue_rows[0].queue_name or queue_id
        box = ""
        if info is not None and info.acw_timeout_ms is not None:
            box = f" Its after-call work time-box is {info.acw_timeout_ms / 1000:g} s."
        findings.append(
            Finding(
                "warning",
                f"Most legs on queue {name} timed out",
                f"{len(timeouts)} of {len(queue_rows)} finished legs on {name} got "
                f"{reasons.TIMEOUT_CODE}.{box}",
                "The after-call work time-box is probably shorter than agents need; lengthen "
                "the queue's timeout or check why agents do not choose a code in time.",
                _examples(timeouts),
            )
        )
    if unknown_setting:
        queues = {row.queue_id for row in unknown_setting}
        if directory.queues_state is LookupState.FORBIDDEN:
            action = "Grant the OAuth client's role routing:queue:view, then export again."
        else:
            action = (
                "Load the queue listing (it needs routing:queue:view), or check that these "
                "queues still exist and lie in divisions the OAuth client can see."
            )
        findings.append(
            Finding(
                "warning",
                "Queue settings unknown",
                f"{_legs(len(unknown_setting))} on {len(queues)} queue(s) have no code, and "
                f"whether their queue requires one is unknown, so they count as missing.",
                action,
                _examples(unknown_setting),
            )
        )
    for prompt, prompt_rows in unknown_prompt.items():
        findings.append(
            Finding(
                "warning",
                f"Unknown wrap-up setting {prompt}",
                f"{_legs(len(prompt_rows))} without a code are on queues with the setting "
                f"{prompt}, which this version does not know; they count as missing.",
                "Check the setting in the queue's admin page; a newer version of WrapUp Desktop "
                "may know it.",
                _examples(prompt_rows),
            )
        )
    return findings


def _state_findings(rows: Sequence[LegRow]) -> list[Finding]:
    findings: list[Finding] = []
    malformed = [row for row in rows if row.wrapup_status is WrapupStatus.MALFORMED]
    if malformed:
        findings.append(
            Finding(
                "warning",
                "Some data could not be read",
                f"{len(malformed)} row(s) are MALFORMED, for example: "
                f"{malformed[0].wrapup_reason}",
                "Check the fields named in the reasons; if the data came from Genesys directly, "
                "report the example conversation ids to the maintainers of WrapUp Desktop.",
                _examples(malformed),
            )
        )
    pending = [row for row in rows if row.wrapup_status is WrapupStatus.PENDING]
    if pending:
        findings.append(
            Finding(
                "info",
                "Some legs are still open",
                f"{_legs(len(pending))} are still connected or in after-call work.",
                "Export again later to get their final codes.",
                _examples(pending),
            )
        )
    return findings
