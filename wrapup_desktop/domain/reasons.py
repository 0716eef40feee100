"""The sentences that explain each row's wrap-up status, and the meanings of system codes.

Every `LegRow.wrapup_reason` comes from a function here, so the wording lives in one place. Each
reason is one plain sentence for a contact-centre admin, not a developer: it says what happened
to the code and, where that helps, what to check next.
"""

from __future__ import annotations

from wrapup_desktop.domain.directory import LookupState

TIMEOUT_CODE = "ININ-WRAP-UP-TIMEOUT"
SKIPPED_CODE = "ININ-WRAP-UP-SKIPPED"
SYSTEM_CODE_PREFIX = "ININ-"
DIALER_CODE_PREFIX = "ININ-OUTBOUND-"

# NOTE: Genesys documents the timeout code and the preview, phone-number, do-not-call and SIT
# codes. The meanings of ININ-WRAP-UP-SKIPPED, ININ-WRAP-UP-DELETED and the other dialer
# results (busy, machine, fax, ...) are read from their names and field reports.
SYSTEM_CODE_MEANINGS: dict[str, str] = {
    TIMEOUT_CODE: "the after-call work time ran out before the agent chose a code",
    SKIPPED_CODE: "the agent skipped after-call work",
    "ININ-WRAP-UP-DELETED": "the code the agent chose was deleted afterwards",
    "ININ-OUTBOUND-PREVIEW-SKIPPED": "the agent pressed Skip on a preview call",
    "ININ-OUTBOUND-PREVIEW-ERROR-PHONE-NUMBER": (
        "the preview call was not dialled because its number is invalid or not in E.164 form"
    ),
    "ININ-OUTBOUND-INVALID-PHONE-NUMBER": "the dialer found a number with fewer than 2 digits",
    "ININ-OUTBOUND-ON-DO-NOT-CALL-LIST": "the number is on a do-not-call list",
    "ININ-OUTBOUND-DNC-AUTHENTICATION-FAILED": (
        "the dialer could not sign in to the external do-not-call list"
    ),
    "ININ-OUTBOUND-DNC-SKIPPED": "the agent tried a preview call to a do-not-call number",
    "ININ-OUTBOUND-SIT-UNCALLABLE": (
        "the call met a special information tone, so the number is marked uncallable"
    ),
    "ININ-OUTBOUND-BUSY": "the dialer got a busy signal",
    "ININ-OUTBOUND-MACHINE": "the dialer reached an answering machine",
    "ININ-OUTBOUND-FAX": "the dialer reached a fax machine",
    "ININ-OUTBOUND-AMBIGUOUS": "the dialer could not tell what answered the call",
    "ININ-OUTBOUND-DISCONNECT": "the contact hung up before reaching an agent",
    "ININ-OUTBOUND-FAILED-TO-REACH-AGENT": "the dialer connected the contact but no agent took it",
    "ININ-OUTBOUND-CAMPAIGN-FORCED-OFF": "the campaign was stopped while the call was in progress",
    "ININ-OUTBOUND-TRANSFERRED-TO-QUEUE": "the dialer sent the call to a queue",
    "ININ-OUTBOUND-TRANSFERRED-TO-FLOW": "the dialer sent the call to an Architect flow",
    "ININ-OUTBOUND-CONTACT-ATTEMPT-LIMIT-SKIPPED": (
        "the contact had reached its limit of call attempts"
    ),
}
"""Known system codes and what they mean, phrased to follow "because"."""

REQUIRED_PROMPTS = frozenset({"MANDATORY", "MANDATORY_TIMEOUT", "MANDATORY_FORCED_TIMEOUT"})
OPTIONAL_PROMPTS = frozenset({"OPTIONAL", "AGENT_REQUESTED"})


def system_code_meaning(code: str) -> str | None:
    """Return the meaning of a known `ININ-` code, or None for one not seen before."""
    return SYSTEM_CODE_MEANINGS.get(code)


def _on_queue(queue_name: str) -> str:
    return f" on queue {queue_name}" if queue_name else ""


PROMPT_LABELS = {
    "MANDATORY": "Mandatory, Discretionary",
    "MANDATORY_TIMEOUT": "Mandatory, Time-boxed",
    "MANDATORY_FORCED_TIMEOUT": "Mandatory, Time-boxed no early exit",
    "OPTIONAL": "Optional",
    "AGENT_REQUESTED": "Agent Requested",
}
"""The labels of the queue's after-call work setting as the Genesys Cloud admin pages show them."""


def assigned_reason(code_name: str) -> str:
    return f"The agent chose the wrap-up code {code_name}."


def remembered_code_label(remembered_name: str, state: LookupState) -> str:
    """Return the name shown for a code missing from this run's listing.

    "(deleted) NAME" only when Genesys answered that the code is gone; when the listing could
    not be read at all, the name from an earlier run is shown as it was.
    """
    if not remembered_name:
        return ""
    if state is LookupState.DELETED:
        return f"(deleted) {remembered_name}"
    return remembered_name


def unresolved_name_reason(code: str, state: LookupState, remembered_name: str) -> str:
    """Explain an agent-chosen code whose name is not in this run's code listing."""
    if remembered_name and state is LookupState.DELETED:
        return (
            f"The agent chose a code that Genesys no longer lists, shown by the name it had in "
            f"an earlier run ({remembered_name}), so it was probably deleted since."
        )
    if remembered_name:
        if state is LookupState.FORBIDDEN:
            listing_problem = "the OAuth client lacks the permission routing:wrapupCode:view"
        else:
            listing_problem = "the list of wrap-up codes could not be loaded for this run"
        return (
            f"The agent chose the wrap-up code {remembered_name}, a name from an earlier run, "
            f"because {listing_problem}."
        )
    if state is LookupState.FORBIDDEN:
        cause = "the OAuth client lacks the permission routing:wrapupCode:view"
    elif state is LookupState.NOT_LOOKED_UP:
        cause = (
            "the list of wrap-up codes could not be loaded for this run (no saved listing was "
            "given, or Genesys Cloud could not be reached)"
        )
    else:
        cause = "the code was deleted or lies in a division this OAuth client cannot see"
    return f"The agent chose code {code}, but its name could not be found because {cause}."


def timeout_reason(queue_name: str, timeout_ms: int | None) -> str:
    if timeout_ms is None:
        ending = "ran out before the agent chose a code"
    else:
        ending = f"ran out after {timeout_ms / 1000:g} s without a choice"
    return (
        f"Genesys set this code because the agent's after-call work{_on_queue(queue_name)} "
        f"{ending}."
    )


def skipped_reason(queue_name: str) -> str:
    return (
        f"Genesys set this code because the agent skipped after-call work"
        f"{_on_queue(queue_name)} without choosing a code."
    )


def system_reason(code: str) -> str:
    meaning = SYSTEM_CODE_MEANINGS.get(code)
    if meaning is None:
        return (
            f"Genesys set the system code {code}, which this version does not know; "
            f"it was not chosen by the agent."
        )
    return f"Genesys set this system code because {meaning}; the agent did not choose it."


def pending_reason(code_so_far: str) -> str:
    if code_so_far:
        return (
            f"The agent is still connected or in after-call work (code so far: {code_so_far}), "
            f"so export again later for the final result."
        )
    return (
        "The agent is still connected or in after-call work, so export again later for the "
        "final wrap-up code."
    )


def not_connected_reason(code: str) -> str:
    if code:
        return (
            f"The code {code} was recorded although the agent never connected: the call was "
            f"offered to them but not answered."
        )
    return "The call was offered to this agent but they never connected, so no code was due."


def no_agent_reason(queue_name: str, offered_to_queue: bool) -> str:
    if offered_to_queue:
        where = f"queue {queue_name}" if queue_name else "a queue"
        return (
            f"The conversation reached {where} but no agent took it (for example the caller "
            f"hung up while waiting), so there was nothing to wrap up."
        )
    return (
        "No agent took part in this conversation (IVR, bot or voicemail only), so there was "
        "nothing to wrap up."
    )


def _extras(transfer: bool, acw_skipped: bool) -> str:
    parts = []
    if transfer:
        parts.append("the leg ended in a transfer")
    if acw_skipped:
        parts.append("the agent skipped after-call work")
    if not parts:
        return ""
    return "; " + " and ".join(parts)


def no_queue_reason(transfer: bool, acw_skipped: bool) -> str:
    return (
        f"No code, and none was expected because this leg did not come through a queue"
        f"{_extras(transfer, acw_skipped)}."
    )


def optional_reason(queue_name: str, prompt: str, transfer: bool, acw_skipped: bool) -> str:
    setting = "agent-requested" if prompt == "AGENT_REQUESTED" else "optional"
    return (
        f"No code, which is allowed because queue {queue_name or '(unnamed)'} makes wrap-up "
        f"{setting}{_extras(transfer, acw_skipped)}."
    )


def missing_reason(queue_name: str, prompt: str, transfer: bool, acw_skipped: bool) -> str:
    label = PROMPT_LABELS.get(prompt, prompt)
    return (
        f"No code, although queue {queue_name or '(unnamed)'} requires one "
        f"(after-call work: {label}){_extras(transfer, acw_skipped)}."
    )


def unknown_setting_reason(
    queue_id: str, queue_name: str, cause: LookupState | None, transfer: bool, acw_skipped: bool
) -> str:
    """Explain a missing code on a queue whose wrap-up setting could not be read."""
    label = queue_name or queue_id
    if cause is LookupState.FORBIDDEN:
        cause_text = "the OAuth client lacks routing:queue:view"
    elif cause is LookupState.DELETED:
        cause_text = "the queue was deleted or lies in a division this OAuth client cannot see"
    elif cause is LookupState.NOT_LOOKED_UP:
        cause_text = (
            "the queue listing could not be loaded for this run (no saved listing was given, "
            "or Genesys Cloud could not be reached)"
        )
    else:
        cause_text = "the queue listing did not include its after-call work setting"
    return (
        f"No code, and whether queue {label} requires one is unknown because {cause_text}"
        f"{_extras(transfer, acw_skipped)}."
    )


def unknown_prompt_reason(queue_name: str, prompt: str, transfer: bool, acw_skipped: bool) -> str:
    return (
        f"No code, and queue {queue_name or '(unnamed)'} has the wrap-up setting {prompt}, "
        f"which this version does not know, so it is counted as missing"
        f"{_extras(transfer, acw_skipped)}."
    )


def malformed_reason(path: str, problem: str, shown_value: str) -> str:
    got = f" (got {shown_value})" if shown_value else ""
    field = f"The field {path}" if path else "This conversation"
    return f"{field} {problem}{got}, so this leg could not be classified."


def unreadable_part_note(path: str, problem: str) -> str:
    """Return the sentence added to rows of a conversation that was partly unreadable."""
    return f" Part of this conversation was unreadable: the field {path} {problem}."
