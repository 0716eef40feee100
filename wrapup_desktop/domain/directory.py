"""Names and settings that the analytics data refers to by id: codes, queues and users.

The engine fills a `Directory` from the routing and users APIs; `classify` and the exports only
read it. A lookup that failed is recorded with its cause, so a reason can say why a name is blank.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class LookupState(StrEnum):
    """The reason a name is or is not known."""

    FOUND = "FOUND"
    DELETED = "DELETED"
    """The single GET answered 404: the item was deleted, or its division is not visible."""
    FORBIDDEN = "FORBIDDEN"
    """The OAuth client lacks the permission to read this kind of item."""
    NOT_LOOKED_UP = "NOT_LOOKED_UP"
    """No lookup was made: offline classification without a saved listing, or a failed call."""


@dataclass(slots=True)
class QueueInfo:
    """A queue's name and its after-call-work prompt (`acwSettings.wrapupPrompt`)."""

    name: str
    wrapup_prompt: str | None = None
    """MANDATORY, OPTIONAL, MANDATORY_TIMEOUT, MANDATORY_FORCED_TIMEOUT, AGENT_REQUESTED or a
    newer value; None when the queue was listed without acwSettings."""
    acw_timeout_ms: int | None = None


@dataclass(slots=True)
class Directory:
    """Everything known about ids for one run."""

    wrapup_codes: dict[str, str] = field(default_factory=dict)
    """Code id to name."""
    queues: dict[str, QueueInfo] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=dict)
    """User id to name; deleted users keep their names with `state=any`."""
    code_misses: dict[str, LookupState] = field(default_factory=dict)
    queue_misses: dict[str, LookupState] = field(default_factory=dict)
    user_misses: dict[str, LookupState] = field(default_factory=dict)
    remembered_code_names: dict[str, str] = field(default_factory=dict)
    """Names of codes seen in earlier runs, shown as "(deleted) NAME" once a code is gone."""
    wrapup_codes_state: LookupState = LookupState.NOT_LOOKED_UP
    """The state of the whole code listing: FOUND once listed, FORBIDDEN on a 403."""
    queues_state: LookupState = LookupState.NOT_LOOKED_UP
    users_state: LookupState = LookupState.NOT_LOOKED_UP
